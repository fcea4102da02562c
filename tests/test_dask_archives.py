"""newsparse.dask over compressed dumps and archives, local and on another fsspec filesystem."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsparse.cli import main

from .dumps import write_dumps
from .test_archives import make_tar, make_zip

dask = pytest.importorskip("dask", reason="newsparse.dask needs the dask extra")
import newsparse.dask as nd  # noqa: E402

COUNT = 30


def cli_articles(*paths: str) -> list[dict]:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", *paths])
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same dumps as a directory, a zip, a tar.gz and one by one gzip-compressed."""
    root = tmp_path_factory.mktemp("dask-archives")
    plain = root / "plain"
    write_dumps(plain, COUNT)
    members = {
        p.relative_to(plain).as_posix(): p.read_bytes() for p in sorted(plain.rglob("*.txt"))
    }
    make_zip(root / "dumps.zip", members)
    make_tar(root / "dumps-1.tar.gz", members, "gz")
    gzipped = root / "gzipped"
    gzipped.mkdir()
    for name, data in members.items():
        (gzipped / (name + ".gz")).parent.mkdir(parents=True, exist_ok=True)
        (gzipped / (name + ".gz")).write_bytes(gzip.compress(data))
    return root


def compute(collection: object) -> object:
    with dask.config.set(scheduler="sync"):
        return collection.compute()  # type: ignore[attr-defined]


def without_file(records: list[dict]) -> list[dict]:
    return [{**record, "file": None} for record in records]


def test_a_zip_is_split_into_member_groups(packed: Path) -> None:
    archive = str(packed / "dumps.zip")
    bag = nd.read_dumps(archive, files_per_partition=7)
    assert bag.npartitions == -(-COUNT // 7)
    records = compute(bag)
    assert records == cli_articles(archive)
    assert records[0]["file"].startswith(f"{archive}!/")
    assert without_file(records) == without_file(compute(nd.read_dumps(str(packed / "plain"))))


def test_a_tar_gz_is_one_partition_read_in_one_pass(packed: Path) -> None:
    archive = str(packed / "dumps-1.tar.gz")
    bag = nd.read_dumps(archive, files_per_partition=7)
    assert bag.npartitions == 1
    assert compute(bag) == cli_articles(archive)


def test_compressed_dumps_in_a_directory(packed: Path) -> None:
    directory = str(packed / "gzipped")
    records = compute(nd.read_dumps(directory, files_per_partition=8))
    assert records == cli_articles(directory)
    assert records[0]["file"].endswith(".txt.gz")
    assert without_file(records) == without_file(compute(nd.read_dumps(str(packed / "plain"))))


def test_diagnostics_of_members_carry_their_names(packed: Path) -> None:
    _articles, diagnostics = nd.read_dumps_with_diagnostics(
        str(packed / "dumps.zip"), files_per_partition=10
    )
    found = compute(diagnostics)
    assert found and all(d["file"].startswith(f"{packed / 'dumps.zip'}!/") for d in found)


def test_archives_on_another_filesystem_by_glob(packed: Path) -> None:
    import fsspec

    memory = fsspec.filesystem("memory")
    try:
        memory.pipe(
            "/newsparse-archives/b/dumps-1.tar.gz", (packed / "dumps-1.tar.gz").read_bytes()
        )
        memory.pipe("/newsparse-archives/b/dumps-2.zip", (packed / "dumps.zip").read_bytes())
        memory.pipe(
            "/newsparse-archives/b/one.txt.gz",
            gzip.compress(b"Scris de x pe 1 mai 2020, 10:00\n\n## Unu\n\nText.\n"),
        )
        bag = nd.read_dumps("memory://newsparse-archives/b/dumps-*", files_per_partition=12)
        assert bag.npartitions == 1 + -(-COUNT // 12)
        records = compute(bag)
        local = compute(nd.read_dumps([str(packed / "dumps-1.tar.gz"), str(packed / "dumps.zip")]))
        assert without_file(records) == without_file(local)
        tarred = memory.unstrip_protocol("/newsparse-archives/b/dumps-1.tar.gz")
        assert records[0]["file"].startswith(f"{tarred}!/")
        assert records[-1]["file"].startswith(
            memory.unstrip_protocol("/newsparse-archives/b/dumps-2.zip") + "!/"
        )
        single = compute(nd.read_dumps("memory://newsparse-archives/b/one.txt.gz"))
        assert [(a["file"], a["title"]) for a in single] == [
            (memory.unstrip_protocol("/newsparse-archives/b/one.txt.gz"), "Unu")
        ]
    finally:
        memory.rm("/newsparse-archives", recursive=True)


def test_a_damaged_archive_is_a_diagnostic_not_a_failed_task(tmp_path: Path) -> None:
    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really")
    truncated = tmp_path / "cut.tar.gz"
    make_tar(truncated, {"a.txt": b"Scris de x pe 1 mai 2020\n\n## T\n\nText.\n" * 2000}, "gz")
    truncated.write_bytes(truncated.read_bytes()[:300])
    _articles, diagnostics = nd.read_dumps_with_diagnostics([str(broken), str(truncated)])
    codes = [(d["file"], d["code"]) for d in compute(diagnostics)]
    assert codes == [(str(broken), "NP124"), (str(truncated), "NP124")]
