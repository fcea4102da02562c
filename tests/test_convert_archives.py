"""`convert` and `parse` with archives and compressed files in, compressed files out."""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
import zstandard
from click.testing import CliRunner

from newsparse.batch import ConvertOptions, Outcome, convert
from newsparse.cli import main

from .test_archives import ONE, TWO, make_tar, make_zip

DECOMPRESS = {
    ".gz": gzip.decompress,
    ".bz2": bz2.decompress,
    ".xz": lzma.decompress,
    ".zst": lambda data: zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read(),
}


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def tree(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.mark.parametrize("jobs", [1, 2])
def test_members_are_mirrored_under_the_archive_name(tmp_path: Path, jobs: int) -> None:
    source = tmp_path / "src"
    source.mkdir()
    make_tar(
        source / "dumps.tar.gz",
        {
            "2021/a.txt": ONE.encode(),
            "b.txt": TWO.encode(),
            "c.txt.gz": gzip.compress(ONE.encode()),
        },
        "gz",
    )
    (source / "sub").mkdir()
    make_zip(source / "sub" / "2022-08.zip", {"x/a.txt": TWO.encode()})
    (source / "plain.txt.bz2").write_bytes(bz2.compress(ONE.encode()))
    out = tmp_path / "out"
    results = list(convert([str(source)], ConvertOptions(destination=str(out), jobs=jobs)))
    assert [(r.path, r.outcome) for r in results] == [
        (f"{source / 'dumps.tar.gz'}!/2021/a.txt", Outcome.CONVERTED),
        (f"{source / 'dumps.tar.gz'}!/b.txt", Outcome.CONVERTED),
        (f"{source / 'dumps.tar.gz'}!/c.txt.gz", Outcome.CONVERTED),
        (str(source / "plain.txt.bz2"), Outcome.CONVERTED),
        (f"{source / 'sub' / '2022-08.zip'}!/x/a.txt", Outcome.CONVERTED),
    ]
    assert tree(out) == [
        ".newsparse-manifest.json",
        "dumps.tar.gz/2021/a.json",
        "dumps.tar.gz/b.json",
        "dumps.tar.gz/c.json",
        "plain.json",
        "sub/2022-08.zip/x/a.json",
    ]
    article = json.loads((out / "dumps.tar.gz" / "b.json").read_text(encoding="utf-8"))
    assert (article["file"], article["title"]) == (
        f"{source / 'dumps.tar.gz'}!/b.txt",
        "Ninsori la munte",
    )


def test_hostile_members_never_leave_the_destination(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for name in [
            "../../escape.txt",
            "/abs.txt",
            "C:/windows.txt",
            "sub/D:/deeper.txt",
            "ok/../../up.txt",
            "good.txt",
        ]:
            packed.writestr(name, ONE)
        link = zipfile.ZipInfo("link.txt")
        link.create_system, link.external_attr = 3, 0o120777 << 16
        packed.writestr(link, "/etc/passwd")
    out = tmp_path / "deep" / "out"
    result = run("convert", str(archive), "-o", str(out), "-q")
    assert result.exit_code == 1
    assert tree(tmp_path) == [
        "deep/out/.newsparse-manifest.json",
        "deep/out/evil.zip/good.json",
        "evil.zip",
    ]
    # Quiet, each failed input is still listed, with its reason.
    assert sorted(result.stderr.splitlines()) == sorted(
        [
            f"{archive}!/../../escape.txt: member name '../../escape.txt' holds `..`: its output "
            "would leave the destination; not written",
            f"{archive}!//abs.txt: member name '/abs.txt' holds an absolute path: its output "
            "would leave the destination; not written",
            f"{archive}!/C:/windows.txt: member name 'C:/windows.txt' holds a drive letter: its "
            "output would leave the destination; not written",
            f"{archive}!/sub/D:/deeper.txt: member name 'sub/D:/deeper.txt' holds a drive "
            "letter: its output would leave the destination; not written",
            f"{archive}!/ok/../../up.txt: member name 'ok/../../up.txt' holds `..`: its output "
            "would leave the destination; not written",
            f"{archive}!/link.txt: member is a symbolic link, not a regular file; skipped",
        ]
    )


def test_unchanged_archive_is_skipped_and_a_changed_one_read_again(tmp_path: Path) -> None:
    archive = make_tar(
        tmp_path / "d.tar.zst", {"a.txt": ONE.encode(), "b.txt": TWO.encode()}, "zst"
    )
    out = tmp_path / "out"
    options = ConvertOptions(destination=str(out))
    first = list(convert([str(archive)], options))
    assert [r.outcome for r in first] == [Outcome.CONVERTED, Outcome.CONVERTED]
    again = list(convert([str(archive)], options))
    assert [(r.path, r.outcome, r.message) for r in again] == [
        (str(archive), Outcome.SKIPPED, "up to date (archive unchanged)")
    ]
    (out / "d.tar.zst" / "b.json").unlink()  # an output gone: the archive is read again
    assert [r.outcome for r in convert([str(archive)], options)] == [Outcome.CONVERTED] * 2
    assert [r.outcome for r in convert([str(archive)], options)] == [Outcome.SKIPPED]
    make_tar(archive, {"a.txt": ONE.encode(), "c.txt": TWO.encode()}, "zst")
    os.utime(archive, ns=(1, 1))
    changed = list(convert([str(archive)], options))
    assert [r.path.rsplit("!/", 1)[1] for r in changed] == ["a.txt", "c.txt"]
    assert [r.outcome for r in convert([str(archive)], options)] == [Outcome.SKIPPED]
    forced = list(convert([str(archive)], ConvertOptions(destination=str(out), force=True)))
    assert len(forced) == 2


def test_reruns_over_many_archives_skip_each_unchanged_one(tmp_path: Path) -> None:
    source = tmp_path / "src"
    (source / "sub").mkdir(parents=True)
    names = ["a.zip", "sub/a.zip", "sub/ab.zip", "sub/a.zip.zip"]  # names that share a start
    for name in names:
        make_zip(source / name, {"x/one.txt": ONE.encode(), "two.txt": TWO.encode()})
    (source / "sub" / "c.txt").write_text(ONE, encoding="utf-8")
    out = tmp_path / "out"
    options = ConvertOptions(destination=str(out))
    assert [r.outcome for r in convert([str(source)], options)] == [Outcome.CONVERTED] * 9
    again = list(convert([str(source)], options))
    assert sorted(r.path for r in again) == sorted(str(source / n) for n in [*names, "sub/c.txt"])
    assert {r.outcome for r in again} == {Outcome.SKIPPED}
    (out / "sub" / "ab.zip" / "x" / "one.json").unlink()  # only that archive is read again
    third = [(r.path, r.outcome) for r in convert([str(source)], options)]
    read = sorted(path for path, outcome in third if outcome is not Outcome.SKIPPED)
    assert read == [
        f"{source / 'sub' / 'ab.zip'}!/two.txt",
        f"{source / 'sub' / 'ab.zip'}!/x/one.txt",
    ]


def test_an_archive_with_a_failed_member_is_read_again(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "d.zip", {"a.txt": ONE.encode(), "bad.txt": b""})
    options = ConvertOptions(destination=str(tmp_path / "out"))
    assert [r.outcome for r in convert([str(archive)], options)] == [
        Outcome.CONVERTED,
        Outcome.FAILED,
    ]
    assert [r.outcome for r in convert([str(archive)], options)] == [
        Outcome.CONVERTED,
        Outcome.FAILED,
    ]


def make_tar_with_links(path: Path, extra: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, kind in [
            ("soft.txt", tarfile.SYMTYPE),
            ("hard.txt", tarfile.LNKTYPE),
            ("fifo.txt", tarfile.FIFOTYPE),
        ]:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, "a.txt" if kind != tarfile.FIFOTYPE else ""
            tar.addfile(info)
        for name, data in {"a.txt": ONE.encode(), **extra}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_an_archive_whose_only_failures_are_links_is_not_read_again(tmp_path: Path) -> None:
    archive = make_tar_with_links(tmp_path / "l.tar.gz", {"b.txt": TWO.encode()})
    options = ConvertOptions(destination=str(tmp_path / "out"))
    first = list(convert([str(archive)], options))
    assert [(r.outcome, [d.code for d in r.diagnostics]) for r in first] == [
        (Outcome.FAILED, ["NP121"]),
        (Outcome.FAILED, ["NP121"]),
        (Outcome.FAILED, ["NP122"]),
        (Outcome.CONVERTED, []),
        (Outcome.CONVERTED, []),
    ]
    again = list(convert([str(archive)], options))
    assert [(r.path, r.outcome, r.message) for r in again] == [
        (
            str(archive),
            Outcome.SKIPPED,
            "up to date (archive unchanged; its 3 link or device members not read)",
        )
    ]
    (tmp_path / "out" / "l.tar.gz" / "a.json").unlink()  # an output gone: read again
    assert [r.outcome for r in convert([str(archive)], options)][-2:] == [Outcome.CONVERTED] * 2
    assert [r.outcome for r in convert([str(archive)], options)] == [Outcome.SKIPPED]


def test_an_archive_with_links_and_a_failed_member_is_read_again(tmp_path: Path) -> None:
    archive = make_tar_with_links(tmp_path / "l.tar.gz", {"empty.txt": b""})
    options = ConvertOptions(destination=str(tmp_path / "out"))
    for _ in range(2):
        results = list(convert([str(archive)], options))
        assert [r.outcome for r in results] == [Outcome.FAILED] * 3 + [
            Outcome.CONVERTED,
            Outcome.FAILED,
        ]


@pytest.mark.parametrize("codec", ["gz", "bz2", "xz", "zst"])
def test_convert_compress_writes_compressed_outputs(tmp_path: Path, codec: str) -> None:
    (tmp_path / "a.txt").write_text(ONE, encoding="utf-8")
    out = tmp_path / "out"
    result = run("convert", str(tmp_path / "a.txt"), "-o", str(out), "--compress", codec, "-q")
    assert result.exit_code == 0, result.stderr
    written = out / f"a.json.{codec}"
    assert tree(out) == [".newsparse-manifest.json", f"a.json.{codec}"]
    article = json.loads(DECOMPRESS[f".{codec}"](written.read_bytes()))
    assert article["title"] == "Ploi în nord"  # one article: one JSON object
    again = run("convert", str(tmp_path / "a.txt"), "-o", str(out), "--compress", codec)
    assert "up to date" in again.stderr or "skipped" in again.stderr


@pytest.mark.parametrize("name", ["all.csv.zst", "all.jsonl.gz", "all.json.xz"])
def test_combine_into_a_compressed_file_by_its_extension(tmp_path: Path, name: str) -> None:
    archive = make_zip(tmp_path / "d.zip", {"a.txt": ONE.encode(), "b.txt": TWO.encode()})
    combined = tmp_path / name
    result = run("convert", str(archive), "--combine", str(combined), "-j", "2", "-q")
    assert result.exit_code == 0, result.stderr
    text = DECOMPRESS[os.path.splitext(name)[1]](combined.read_bytes()).decode("utf-8")
    if name.startswith("all.csv"):
        titles = [row["title"] for row in csv.DictReader(io.StringIO(text))]
    elif ".jsonl" in name:
        titles = [json.loads(line)["title"] for line in text.splitlines()]
    else:
        titles = [a["title"] for a in json.loads(text)]
    assert titles == ["Ploi în nord", "Ninsori la munte"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["d.zip", name])


def test_parse_output_compressed_by_extension_or_flag(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ONE, encoding="utf-8")
    target = tmp_path / "out.jsonl.gz"
    result = run("parse", "-f", "jsonl", str(tmp_path / "a.txt"), "-o", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    rows = [json.loads(line) for line in gzip.decompress(target.read_bytes()).splitlines()]
    assert [r["title"] for r in rows] == ["Ploi în nord"]
    piped = CliRunner().invoke(
        main, ["parse", "-f", "jsonl", "--compress", "zst", str(tmp_path / "a.txt")]
    )
    assert piped.exit_code == 0
    data = DECOMPRESS[".zst"](piped.stdout_bytes)
    assert json.loads(data)["title"] == "Ploi în nord"


def test_a_failed_combined_write_leaves_no_compressed_file(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ONE, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    combined = tmp_path / "all.jsonl.gz"
    result = run("convert", str(tmp_path), "--combine", str(combined), "--fail-fast", "-q")
    assert result.exit_code == 1
    assert not combined.exists() and not list(tmp_path.glob(".*.tmp"))


def test_tar_member_device_never_touches_the_destination(tmp_path: Path) -> None:
    archive = tmp_path / "dev.tar"
    with tarfile.open(archive, "w") as tar:
        for name, kind in [("null.txt", tarfile.CHRTYPE), ("fifo.txt", tarfile.FIFOTYPE)]:
            info = tarfile.TarInfo(name)
            info.type = kind
            tar.addfile(info)
        good = tarfile.TarInfo("a.txt")
        good.size = len(ONE.encode())
        tar.addfile(good, io.BytesIO(ONE.encode()))
    out = tmp_path / "out"
    results = list(convert([str(archive)], ConvertOptions(destination=str(out))))
    assert [r.outcome for r in results] == [Outcome.FAILED, Outcome.FAILED, Outcome.CONVERTED]
    assert [d.code for r in results for d in r.diagnostics] == ["NP122", "NP122"]
    assert tree(out) == [".newsparse-manifest.json", "dev.tar/a.json"]


def test_progress_total_counts_zip_members_and_gives_up_on_tars(tmp_path: Path) -> None:
    from newsparse.batch import count_inputs

    (tmp_path / "a.txt").write_text(ONE, encoding="utf-8")
    make_zip(tmp_path / "d.zip", {"x.txt": ONE.encode(), "y.txt": TWO.encode(), "z.md": b""})
    options = ConvertOptions(destination=str(tmp_path / "out"))
    assert count_inputs([str(tmp_path)], options) == 3
    make_tar(tmp_path / "e.tar", {"x.txt": ONE.encode()})
    assert count_inputs([str(tmp_path)], options) is None


@pytest.mark.parametrize("jobs", [1, 2])
def test_no_member_is_written_through_a_linked_directory_of_the_destination(
    tmp_path: Path, jobs: int
) -> None:
    source, out, outside = tmp_path / "src", tmp_path / "out", tmp_path / "outside"
    (source / "sub").mkdir(parents=True)
    out.mkdir()
    outside.mkdir()
    make_tar(source / "sub" / "dumps.tar", {"a.txt": ONE.encode(), "x/b.txt": TWO.encode()})
    make_zip(source / "top.zip", {"c.txt": ONE.encode()})
    (out / "sub").symlink_to("../outside", target_is_directory=True)
    results = list(convert([str(source)], ConvertOptions(destination=str(out), jobs=jobs)))
    linked = f"output directory {out / 'sub'} is a symbolic link"
    failed = sorted(r.path for r in results if r.outcome is Outcome.FAILED)
    assert failed == [f"{source / 'sub' / 'dumps.tar'}!/{name}" for name in ("a.txt", "x/b.txt")]
    assert all(linked in r.diagnostics[0].message for r in results if r.outcome is Outcome.FAILED)
    assert list(outside.iterdir()) == []
    assert tree(out) == [".newsparse-manifest.json", "top.zip/c.json"]
    # Not recorded as done: a run after the link is gone converts the archive.
    (out / "sub").unlink()
    again = list(convert([str(source)], ConvertOptions(destination=str(out), jobs=1)))
    assert sorted(r.outcome.value for r in again) == ["converted", "converted", "skipped"]
    assert list(outside.iterdir()) == []
