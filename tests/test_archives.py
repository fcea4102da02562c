"""Compressed dumps and archives, built here with tarfile, zipfile, gzip and zstandard."""

from __future__ import annotations

import bz2
import contextlib
import dataclasses
import gzip
import io
import lzma
import os
import tarfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import zstandard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.archives import Input, matches_input, open_inputs, sniff
from newsparse.compression import (
    CompressionBomb,
    CorruptStream,
    compress_bytes,
    compressed_writer,
    open_decompressed,
    sniff_codec,
)

ONE = (
    "Scris de Ana Vlase pe 3 martie 2021, 10:15\n\n## Ploi în nord\n\n"
    "Meteorologii au anunțat ploi.\n\n[digi24](#)\n\nADRESA: <http://crct.ro/a1>\n"
)
TWO = (
    "Scris de Ion Roman pe 4 martie 2021, 11:00\n\n## Ninsori la munte\n\n"
    "Drumurile sunt închise.\n\n[agerpres](#)\n\nADRESA: <http://crct.ro/a2>\n"
)


def compress(data: bytes, codec: str) -> bytes:
    """Compress DATA with the standard tools of each format, not with newsparse's writer."""
    if codec == "gz":
        return gzip.compress(data)
    if codec == "bz2":
        return bz2.compress(data)
    if codec == "xz":
        return lzma.compress(data)
    return zstandard.ZstdCompressor().compress(data)


def make_tar(path: Path, members: dict[str, bytes], codec: str | None = None) -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    raw = buffer.getvalue()
    path.write_bytes(compress(raw, codec) if codec else raw)
    return path


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def inputs(path: Path | str, **kwargs: object) -> list[Input]:
    return list(open_inputs([str(path)], **kwargs))  # type: ignore[arg-type]


def codes(found: list[Input]) -> list[tuple[str, str]]:
    return [(item.name, d.code) for item in found for d in item.problems]


# --- Compressed single files -----------------------------------------------------------------


@pytest.mark.parametrize("codec", ["gz", "bz2", "xz", "zst"])
def test_a_compressed_dump_parses_like_the_plain_one(tmp_path: Path, codec: str) -> None:
    plain = tmp_path / "a.txt"
    plain.write_text(ONE, encoding="utf-8")
    packed = tmp_path / f"a.txt.{codec}"
    packed.write_bytes(compress(ONE.encode(), codec))
    expected = newsparse.parse_file(plain)
    got = newsparse.parse_file(packed)
    assert got.diagnostics == []
    assert (
        [a.title for a in got.articles] == [a.title for a in expected.articles] == ["Ploi în nord"]
    )
    assert got.articles[0].file == str(packed)


def test_compression_is_told_by_magic_bytes_not_the_name(tmp_path: Path) -> None:
    disguised = tmp_path / "a.txt"
    disguised.write_bytes(zstandard.ZstdCompressor().compress(ONE.encode()))
    assert [a.title for a in newsparse.parse_file(disguised).articles] == ["Ploi în nord"]
    assert sniff(str(disguised)).container == "compressed"


def test_truncated_gzip_gives_np124_and_keeps_what_came_before(tmp_path: Path) -> None:
    data = gzip.compress((ONE + "\n" + TWO * 200).encode())
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(data[: len(data) // 2])
    result = newsparse.parse_file(path)
    np124 = [d for d in result.diagnostics if d.code == "NP124"]
    assert len(np124) == 1 and "cut off" in np124[0].message
    assert result.articles[0].title == "Ploi în nord"


def test_damaged_gzip_gives_np124(tmp_path: Path) -> None:
    data = bytearray(gzip.compress(ONE.encode() * 50))
    data[20:40] = b"\xff" * 20
    path = tmp_path / "bad.txt.gz"
    path.write_bytes(bytes(data))
    result = newsparse.parse_file(path)
    assert [d.code for d in result.diagnostics if d.code.startswith("NP12")] == ["NP124"]
    assert "damaged" in result.diagnostics[0].message


def test_damaged_zstandard_keeps_every_byte_before_the_damage() -> None:
    import random

    rng = random.Random(8)
    text = bytes(rng.choice(b"abcdefgh ") for _ in range(600_000))
    # 1 KiB blocks: many end within one read of the compressed stream, before the damage.
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=10)
    packed = zstandard.ZstdCompressor(compression_params=params).compress(text)
    damaged = bytearray(packed)
    middle = len(packed) * 3 // 4
    damaged[middle : middle + 64] = bytes(64)  # zeroes: a block that cannot decode
    reader = open_decompressed(io.BytesIO(bytes(damaged)), "zst")
    got = bytearray()
    with pytest.raises(CorruptStream, match="damaged"):
        while piece := reader.read1(1 << 16):
            got += piece
    # What a decompressor fed a few bytes at a time makes before it fails, and no less.
    plain, before = zstandard.ZstdDecompressor().decompressobj(), bytearray()
    with pytest.raises(zstandard.ZstdError):
        for at in range(0, len(damaged), 16):
            before += plain.decompress(bytes(damaged[at : at + 16]))
    assert len(got) == len(before) > 300_000 and text.startswith(bytes(got))


@pytest.mark.parametrize("codec", ["gz", "bz2", "xz", "zst"])
def test_a_compression_bomb_is_refused_while_streaming(codec: str) -> None:
    bomb = compress(b"\0" * (32 << 20), codec)
    reader = open_decompressed(io.BytesIO(bomb), codec)
    with pytest.raises(CompressionBomb, match="decompression bomb"):
        while reader.read(1 << 16):
            pass
    assert reader.raw.decompressed < 12 << 20  # type: ignore[attr-defined]  # stopped early


@pytest.mark.parametrize("codec", ["gz", "bz2", "xz", "zst"])
def test_concatenated_streams_and_round_trip_through_the_writer(codec: str) -> None:
    text = (ONE + TWO).encode() * 300
    buffer = io.BytesIO()
    writer = compressed_writer(buffer, codec)
    writer.write(text)
    writer.close()
    packed = buffer.getvalue()
    assert sniff_codec(packed) == codec
    assert open_decompressed(io.BytesIO(packed + packed), codec).read() == text + text
    assert open_decompressed(io.BytesIO(compress_bytes(text, codec)), codec).read() == text
    with pytest.raises(CorruptStream, match="cut off"):
        open_decompressed(io.BytesIO(packed[:-9]), codec).read()


def test_max_size_is_the_decompressed_size(tmp_path: Path) -> None:
    path = tmp_path / "big.txt.gz"
    path.write_bytes(gzip.compress(ONE.encode() * 1000))  # ~200 KB of text, a few KB packed
    options = newsparse.ParseOptions(max_size=50_000)
    result = newsparse.parse_file(path, options=options)
    assert [d.code for d in result.diagnostics] == ["NP106"]
    assert "stopped reading" in result.diagnostics[0].message
    assert result.articles == []


def test_a_compressed_file_larger_than_max_size_is_still_read(tmp_path: Path) -> None:
    import random

    rng = random.Random(5)
    noise = bytes(rng.randrange(256) for _ in range(30_000))  # does not compress
    member = ONE.encode()
    path = make_tar(tmp_path / "a.tar.gz", {"a.txt": member, "noise.bin": noise}, "gz")
    assert path.stat().st_size > 20_000
    found = inputs(path, max_size=20_000)
    assert [(item.name, item.data) for item in found] == [(f"{path}!/a.txt", member)]


# --- Archives -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "suffix,codec",
    [
        (".tar", None),
        (".tar.gz", "gz"),
        (".tgz", "gz"),
        (".tar.bz2", "bz2"),
        (".tar.xz", "xz"),
        (".tar.zst", "zst"),
    ],
)
def test_tar_members_matching_the_pattern_are_inputs(
    tmp_path: Path, suffix: str, codec: str | None
) -> None:
    path = make_tar(
        tmp_path / f"d{suffix}",
        {
            "2021/a.txt": ONE.encode(),
            "2021/notes.md": b"# not a dump",
            "./b.txt": TWO.encode(),
            "c.txt.gz": gzip.compress(ONE.encode()),
        },
        codec,
    )
    found = inputs(path)
    assert [(i.name, i.relative, i.archive) for i in found] == [
        (f"{path}!/2021/a.txt", f"d{suffix}/2021/a.txt", str(path)),
        (f"{path}!/b.txt", f"d{suffix}/b.txt", str(path)),
        (f"{path}!/c.txt.gz", f"d{suffix}/c.txt.gz", str(path)),
    ]
    assert [i.data for i in found] == [ONE.encode(), TWO.encode(), ONE.encode()]
    assert all(i.problems == () for i in found)


def test_zip_members_and_their_names_in_articles(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "2022-08.zip",
        {"x/a.txt": ONE.encode(), "b.txt": TWO.encode(), "x/": b"", "readme.pdf": b"%PDF"},
    )
    results = list(
        newsparse.archives.parse_inputs(open_inputs([str(path)]), newsparse.ParseOptions())
    )
    assert [(a.file, a.title) for r in results for a in r.articles] == [
        (f"{path}!/x/a.txt", "Ploi în nord"),
        (f"{path}!/b.txt", "Ninsori la munte"),
    ]
    merged = newsparse.parse_file(path)
    assert [a.file for a in merged.articles] == [f"{path}!/x/a.txt", f"{path}!/b.txt"]


def test_archives_in_a_directory_are_found_and_patterns_see_through_compression(
    tmp_path: Path,
) -> None:
    (tmp_path / "a.txt").write_text(ONE, encoding="utf-8")
    (tmp_path / "b.txt.zst").write_bytes(compress(TWO.encode(), "zst"))
    make_zip(tmp_path / "c.zip", {"in.txt": ONE.encode(), "in.csv": b"x"})
    (tmp_path / "d.csv.gz").write_bytes(gzip.compress(b"x"))
    names = [i.name for i in inputs(tmp_path)]
    assert names == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt.zst"),
        f"{tmp_path / 'c.zip'}!/in.txt",
    ]
    assert matches_input("a.TXT.gz", "*.TXT") and not matches_input("a.csv.gz", "*.txt")
    assert matches_input("x.tgz", "*.txt") and matches_input("x.tar.zst", "*.dump")


@pytest.mark.parametrize("kind", ["tar", "zip"])
def test_a_glob_with_a_slash_matches_member_paths_as_in_a_directory(
    tmp_path: Path, kind: str
) -> None:
    members = {
        "./2021/a.txt": ONE.encode(),
        "2021/deep/b.txt": TWO.encode(),
        "2022/c.txt.gz": gzip.compress(ONE.encode()),
        "d.txt": TWO.encode(),
    }
    if kind == "zip":
        members = {name.removeprefix("./"): data for name, data in members.items()}
        path = make_zip(tmp_path / "t.zip", members)
    else:
        path = make_tar(tmp_path / "t.tar.gz", members, "gz")
    tree = tmp_path / "tree"  # the same files in a directory, for comparison
    for name, data in members.items():
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        (tree / name).write_bytes(data)

    def inner(pattern: str) -> list[str]:
        return [i.name.split("!/", 1)[1] for i in inputs(path, pattern=pattern)]

    def in_tree(pattern: str) -> list[str]:
        return sorted(
            os.path.relpath(i.name, tree).replace(os.sep, "/")
            for i in inputs(tree, pattern=pattern)
        )

    assert inner("2021/*.txt") == ["2021/a.txt"]  # `*` stays in one component
    assert inner("2021/**/*.txt") == ["2021/a.txt", "2021/deep/b.txt"]
    assert inner("**/c.txt") == ["2022/c.txt.gz"]  # through the compression extension
    assert inner("*.txt") == ["2021/a.txt", "2021/deep/b.txt", "2022/c.txt.gz", "d.txt"]
    assert inner("d.txt") == ["d.txt"] and inner("2021/d.txt") == []
    for pattern in ("2021/*.txt", "2021/**/*.txt", "**/c.txt", "*.txt"):
        assert sorted(inner(pattern)) == in_tree(pattern)


# --- Hostile archives --------------------------------------------------------------------------


def test_zip_bomb_member_is_refused_and_the_others_read(tmp_path: Path) -> None:
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.txt", ONE)
        archive.writestr("zeros.txt", b"\0" * (100 << 20))
        archive.writestr("b.txt", TWO)
    assert path.stat().st_size < 1 << 20
    started = time.perf_counter()
    found = inputs(path, max_size=None)
    assert time.perf_counter() - started < 5
    assert codes(found) == [(f"{path}!/zeros.txt", "NP123")]
    assert "decompression bomb" in found[1].problems[0].message
    assert [i.data for i in found] == [ONE.encode(), None, TWO.encode()]


def test_tar_gz_bomb_is_refused(tmp_path: Path) -> None:
    path = make_tar(
        tmp_path / "bomb.tar.gz", {"a.txt": ONE.encode(), "zeros.txt": b"\0" * (60 << 20)}, "gz"
    )
    found = inputs(path, max_size=None)
    assert [i.data for i in found] == [ONE.encode(), None]
    assert codes(found) == [(str(path), "NP123")]
    assert f"at {path}!/zeros.txt" in found[1].problems[0].message


def test_tar_links_and_devices_are_skipped_with_a_diagnostic(tmp_path: Path) -> None:
    path = tmp_path / "links.tar"
    with tarfile.open(path, "w") as tar:
        good = tarfile.TarInfo("a.txt")
        good.size = len(ONE.encode())
        tar.addfile(good, io.BytesIO(ONE.encode()))
        for name, kind, target in [
            ("passwd.txt", tarfile.SYMTYPE, "/etc/passwd"),
            ("hard.txt", tarfile.LNKTYPE, "a.txt"),
            ("null.txt", tarfile.CHRTYPE, ""),
            ("disk.txt", tarfile.BLKTYPE, ""),
            ("pipe.txt", tarfile.FIFOTYPE, ""),
        ]:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            tar.addfile(info)
        second = tarfile.TarInfo("b.txt")
        second.size = len(TWO.encode())
        tar.addfile(second, io.BytesIO(TWO.encode()))
    found = inputs(path)
    assert codes(found) == [
        (f"{path}!/passwd.txt", "NP121"),
        (f"{path}!/hard.txt", "NP121"),
        (f"{path}!/null.txt", "NP122"),
        (f"{path}!/disk.txt", "NP122"),
        (f"{path}!/pipe.txt", "NP122"),
    ]
    assert "symbolic link (to /etc/passwd)" in found[1].problems[0].message
    assert "character device" in found[3].problems[0].message
    assert [i.data for i in found if i.data] == [ONE.encode(), TWO.encode()]


def test_zip_symlink_member_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "link.zip"
    with zipfile.ZipFile(path, "w") as archive:
        info = zipfile.ZipInfo("evil.txt")
        info.create_system = 3
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
        archive.writestr("a.txt", ONE)
    found = inputs(path)
    assert codes(found) == [(f"{path}!/evil.txt", "NP121")]
    assert found[1].data == ONE.encode()


def test_truncated_tar_gz_keeps_the_members_before_the_cut(tmp_path: Path) -> None:
    import random

    rng = random.Random(3)
    noise = "".join(rng.choice("abcdefghij ăîșț\n") for _ in range(200_000)).encode()
    path = make_tar(
        tmp_path / "cut.tar.gz",
        {"a.txt": ONE.encode(), "b.txt": TWO.encode(), "c.txt": noise},
        "gz",
    )
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    found = inputs(path)
    assert [i.data for i in found[:2]] == [ONE.encode(), TWO.encode()]
    assert codes(found) == [(str(path), "NP124")]
    assert "cut off" in found[2].problems[0].message and "c.txt" in found[2].problems[0].message


def test_corrupt_member_in_the_middle_of_a_zip(tmp_path: Path) -> None:
    path = make_zip(
        tmp_path / "mid.zip",
        {"a.txt": ONE.encode(), "b.txt": (TWO * 40).encode(), "c.txt": ONE.encode()},
    )
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("b.txt")
    start = info.header_offset + 30 + len("b.txt") + 10
    data[start : start + 40] = bytes(40)
    path.write_bytes(bytes(data))
    found = inputs(path)
    assert [i.data for i in found] == [ONE.encode(), None, ONE.encode()]
    assert codes(found) == [(f"{path}!/b.txt", "NP125")]


def test_corrupt_header_in_the_middle_of_a_tar(tmp_path: Path) -> None:
    path = make_tar(
        tmp_path / "mid.tar", {"a.txt": ONE.encode(), "b.txt": TWO.encode(), "c.txt": ONE.encode()}
    )
    data = bytearray(path.read_bytes())
    second = data.index(b"b.txt")  # the name field of the second header (after pax data)
    header = second - second % 512
    data[header + 148 : header + 156] = b"garbage!"  # its checksum
    path.write_bytes(bytes(data))
    found = inputs(path)
    assert found[0].data == ONE.encode() and found[-1].data == ONE.encode()
    assert [c for _, c in codes(found)] == ["NP125"]
    assert "damaged tar header" in found[1].problems[0].message


def test_a_damaged_header_then_a_cut_off_stream_are_both_reported(tmp_path: Path) -> None:
    import random

    noise = random.Random(4).randbytes(200_000)  # does not compress: the cut falls in it
    plain = make_tar(
        tmp_path / "two.tar", {"a.txt": ONE.encode(), "b.txt": TWO.encode(), "c.txt": noise}
    )
    data = bytearray(plain.read_bytes())
    second = data.index(b"b.txt")
    header = second - second % 512
    data[header + 148 : header + 156] = b"garbage!"
    packed = gzip.compress(bytes(data))
    path = tmp_path / "two.tar.gz"
    path.write_bytes(packed[: len(packed) // 2])
    found = inputs(path)
    assert found[0].data == ONE.encode()
    messages = [(code, d.message) for item in found for d in item.problems for code in [d.code]]
    assert [code for code, _ in messages] == ["NP125", "NP124"]
    assert "damaged tar header before" in messages[0][1]
    assert f"(at {path}!/c.txt)" in messages[1][1]


def test_non_utf8_member_name_is_shown_escaped_and_read(tmp_path: Path) -> None:
    path = tmp_path / "names.tar"
    with tarfile.open(
        path, "w", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape"
    ) as tar:
        info = tarfile.TarInfo(b"caf\xe9.txt".decode("utf-8", "surrogateescape"))
        info.size = len(ONE.encode())
        tar.addfile(info, io.BytesIO(ONE.encode()))
    found = inputs(path)
    assert [(i.name, i.data) for i in found] == [(f"{path}!/caf\\xe9.txt", ONE.encode())]
    assert [d.code for d in found[0].problems] == ["NP126"]
    result = newsparse.parse_file(path)
    assert result.articles[0].file == f"{path}!/caf\\xe9.txt"
    assert [d.code for d in result.diagnostics] == ["NP126"]


def test_zip_with_a_name_marked_utf8_that_is_not(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "bad.zip", {"ab.txt": ONE.encode()})
    data = path.read_bytes()
    # Mark the name UTF-8 (general purpose flag bit 11) in both headers, and break it.
    data = data.replace(b"ab.txt", b"a\xff.txt")
    local = bytearray(data)
    for signature in (b"PK\x03\x04", b"PK\x01\x02"):
        at = local.index(signature)
        flag_at = at + (6 if signature == b"PK\x03\x04" else 8)
        local[flag_at] |= 0x00
        local[flag_at + 1] |= 0x08
    path.write_bytes(bytes(local))
    found = inputs(path)
    assert codes(found) == [(str(path), "NP124")]
    assert "not valid UTF-8" in found[0].problems[0].message


def test_member_over_max_size_stops_reading(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "big.zip", {"a.txt": ONE.encode(), "big.txt": b"x" * 300_000})
    found = inputs(path, max_size=100_000)
    assert codes(found) == [(f"{path}!/big.txt", "NP106")]
    assert found[0].data == ONE.encode()
    tar = make_tar(
        tmp_path / "big.tar.gz", {"big.txt": b"x" * 300_000, "a.txt": ONE.encode()}, "gz"
    )
    found = inputs(tar, max_size=100_000)
    assert codes(found) == [(f"{tar}!/big.txt", "NP106")] and found[1].data == ONE.encode()


def test_member_names_that_climb_out_are_kept_as_names(tmp_path: Path) -> None:
    path = make_tar(
        tmp_path / "climb.tar", {"../../evil.txt": ONE.encode(), "/abs.txt": TWO.encode()}
    )
    found = inputs(path)
    assert [i.relative for i in found] == ["climb.tar/../../evil.txt", "climb.tar//abs.txt"]
    assert [i.name for i in found] == [f"{path}!/../../evil.txt", f"{path}!//abs.txt"]


def test_not_an_archive_after_all(tmp_path: Path) -> None:
    path = tmp_path / "fake.zip"
    path.write_bytes(b"PK\x03\x04 and then nothing a zip needs")
    found = inputs(path)
    assert codes(found) == [(str(path), "NP124")]
    assert found[0].problems[0].message.startswith("cannot read zip archive")


def ustar_header(name: str, size: int) -> bytes:
    """Return a ustar header, made by hand: tarfile takes 30 microseconds for each."""
    header = bytearray(512)
    header[0 : len(name)] = name.encode()
    header[100:107] = b"0000644"
    header[124:135] = b"%011o" % size
    header[136:147] = b"00000000000"
    header[156:157] = b"0"
    header[257:263] = b"ustar\0"
    header[263:265] = b"00"
    header[148:156] = b" " * 8
    header[148:155] = b"%06o\0" % sum(header)
    return bytes(header)


def resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


@pytest.mark.skipif(not os.path.exists("/proc/self/statm"), reason="reads /proc/self/statm")
def test_a_tar_of_100000_tiny_members_streams_in_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "many.tar.gz"
    block = b"x" + bytes(511)
    with gzip.open(path, "wb", compresslevel=1) as packed:
        for thousand in range(100):
            packed.write(
                b"".join(
                    ustar_header(f"d{thousand}/{number}.txt", 1) + block
                    for number in range(thousand * 1000, thousand * 1000 + 1000)
                )
            )
        packed.write(bytes(1024))
    count = 0
    before = 0
    for item in open_inputs([str(path)]):
        assert item.data == b"x" and not item.problems
        count += 1
        if count == 10_000:
            before = resident_bytes()
    grown = resident_bytes() - before
    assert count == 100_000
    assert item.name == f"{path}!/d99/99999.txt"
    assert grown < 4 << 20, f"resident memory grew by {grown:,} bytes over 90,000 members"


def test_parse_stays_quiet_for_members_that_do_not_match(tmp_path: Path) -> None:
    path = make_tar(tmp_path / "mixed.tar", {"img.png": b"\x89PNG", "a.txt": ONE.encode()})
    result = newsparse.parse_file(path)
    assert result.diagnostics == [] and [a.title for a in result.articles] == ["Ploi în nord"]


def test_an_unreadable_archive_is_reported(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    path = make_zip(tmp_path / "locked.zip", {"a.txt": ONE.encode()})
    path.chmod(0)
    found = inputs(path)
    assert codes(found) == [(str(path), "NP108")]


def test_encrypted_zip_member_is_unreadable(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "locked.zip", {"secret.txt": ONE.encode(), "a.txt": TWO.encode()})
    data = bytearray(path.read_bytes())
    # Set the "encrypted" flag of the first member in its local and central headers.
    data[6] |= 0x01
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x01
    path.write_bytes(bytes(data))
    found = inputs(path)
    assert codes(found) == [(f"{path}!/secret.txt", "NP127")]
    assert "encrypted" in found[0].problems[0].message
    assert found[1].data == TWO.encode()


def test_tar_member_of_an_unknown_type_is_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "odd.tar"
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT) as tar:
        info = tarfile.TarInfo("label.txt")
        info.type = b"V"  # a GNU volume label
        tar.addfile(info)
        good = tarfile.TarInfo("a.txt")
        good.size = len(ONE.encode())
        tar.addfile(good, io.BytesIO(ONE.encode()))
    found = inputs(path)
    assert codes(found) == [(f"{path}!/label.txt", "NP127")]
    assert found[1].data == ONE.encode()


# --- The command line ----------------------------------------------------------------------


def test_cli_parse_reads_archives_and_names_members(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from newsparse.cli import main

    archive = make_tar(
        tmp_path / "dumps.tar.gz", {"x/a.txt": ONE.encode(), "x/link.txt": b""}, "gz"
    )
    (tmp_path / "b.txt.xz").write_bytes(compress(TWO.encode(), "xz"))
    result = CliRunner().invoke(main, ["parse", "-f", "jsonl", str(tmp_path)])
    assert result.exit_code == 1  # the empty member is an error (NP101)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["title"]) for r in rows] == [
        (str(tmp_path / "b.txt.xz"), "Ninsori la munte"),
        (f"{archive}!/x/a.txt", "Ploi în nord"),
    ]
    assert f"{archive}!/x/link.txt:1:1: NP101" in result.stderr


@pytest.mark.parametrize("format_name", ["sarif", "junit", "gitlab", "github", "json"])
def test_cli_validate_reports_name_members(tmp_path: Path, format_name: str) -> None:
    from click.testing import CliRunner

    from newsparse.cli import main

    archive = make_zip(
        tmp_path / "2022-08.zip", {"a.txt": ONE.encode(), "sub/bad.txt": b"## only a title\n"}
    )
    result = CliRunner().invoke(main, ["validate", "--format", format_name, str(archive)])
    assert result.exit_code == 1, result.stderr
    assert "2022-08.zip!/sub/bad.txt" in result.stdout
    assert "Traceback" not in result.stderr


# --- The same articles however the tree travels --------------------------------------------

_PART = st.sampled_from(["a", "b", "2021", "stiri", "Știri", "x y"])
_DUMP = st.sampled_from(
    [
        ONE,
        TWO,
        ONE + "\n" + TWO,
        "## Titlu fără byline\n\nText.\n",
        "",
        "Scris de ana pe 31 februarie 2022\n\n## T\n\nText.\n",
        "Scris de Ion pe 1 mai 2020\r\n\r\n## Titlu\r\n\r\nCu CRLF.\r\n",
    ]
)
_TREES = st.dictionaries(
    st.lists(_PART, min_size=0, max_size=2)
    .map(lambda parts: "/".join(parts))
    .flatmap(
        lambda folder: st.sampled_from(["1.txt", "2.txt", "z.txt"]).map(
            lambda name: f"{folder}/{name}" if folder else name
        )
    ),
    _DUMP.map(lambda text: text.encode("utf-8")),
    min_size=1,
    max_size=6,
).filter(lambda tree: not any(other.startswith(name + "/") for name in tree for other in tree))


def _articles_and_codes(root: str, found: list[Input]) -> list[tuple[str, object, object]]:
    options = newsparse.ParseOptions()
    rows: list[tuple[str, object, object]] = []
    for item, result in zip(found, newsparse.archives.parse_inputs(found, options), strict=True):
        member = (
            item.name.split("!/", 1)[1]
            if "!/" in item.name
            else os.path.relpath(item.name, root).replace(os.sep, "/")
        )
        rows.append(
            (
                member,
                [dataclasses.replace(a, file=None).to_dict() for a in result.articles],
                [(d.code, d.line, d.column) for d in result.diagnostics],
            )
        )
    return rows


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(tree=_TREES)
def test_a_tree_reads_the_same_as_a_directory_a_zip_and_a_tar_gz(
    tmp_path_factory: pytest.TempPathFactory, tree: dict[str, bytes]
) -> None:
    base = tmp_path_factory.mktemp("tree")
    root = base / "dumps"
    for name, data in tree.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    ordered = sorted(tree, key=lambda name: name.split("/"))  # the walk's order, by level
    zipped = make_zip(base / "dumps.zip", {name: tree[name] for name in ordered})
    tarred = make_tar(base / "dumps.tar.gz", {name: tree[name] for name in ordered}, "gz")
    directory = _articles_and_codes(str(root), inputs(root))
    assert [row[0] for row in directory] == ordered
    assert _articles_and_codes(str(root), inputs(zipped)) == directory
    assert _articles_and_codes(str(root), inputs(tarred)) == directory


def test_a_large_archive_is_streamed_not_read_whole(tmp_path: Path) -> None:
    import random
    import tracemalloc

    from newsparse.archives import parse_path

    rng = random.Random(11)
    filler = {f"skip/{n}.bin": rng.randbytes(100_000) for n in range(40)}
    path = make_tar(tmp_path / "big.tar", {**filler, "a.txt": ONE.encode()})
    assert path.stat().st_size > 4_000_000
    tracemalloc.start()
    try:
        found = list(parse_path(str(path), newsparse.ParseOptions()))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [(name, [a.title for a in r.articles]) for name, r in found] == [
        (f"{path}!/a.txt", ["Ploi în nord"])
    ]
    assert peak < 2_000_000, f"peak {peak:,} bytes for a {path.stat().st_size:,}-byte archive"


# --- Standard input --------------------------------------------------------------------------


def parse_stdin(data: bytes, *args: str):  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsparse.cli import main

    return CliRunner().invoke(main, ["parse", "-f", "jsonl", *args], input=data)


def titles(stdout: str) -> list[tuple[str, str]]:
    import json

    rows = [json.loads(line) for line in stdout.splitlines()]
    return [(row["file"], row["title"]) for row in rows]


@pytest.mark.parametrize("codec", ["gz", "bz2", "xz", "zst"])
def test_compressed_standard_input_is_told_by_its_magic_bytes(codec: str) -> None:
    result = parse_stdin(compress((ONE + "\n" + TWO).encode(), codec), "-")
    assert (result.exit_code, result.stderr) == (0, "")
    assert titles(result.stdout) == [(None, "Ploi în nord"), (None, "Ninsori la munte")]


def test_plain_standard_input_shorter_than_a_tar_header_still_reads() -> None:
    short = "Scris de Ana Vlase pe 3 martie 2021\n\n## Scurt\n\nDa.\n\n[x](#)\n\nADRESA: <a>\n"
    result = parse_stdin(short.encode())
    assert result.exit_code == 0, result.stderr
    assert titles(result.stdout) == [(None, "Scurt")]


def test_cut_off_compressed_standard_input_keeps_what_came_before() -> None:
    import random

    rng = random.Random(5)
    words = ["ploi", "vânt", "drum", "munte", "oraș", "râu", "școală", "piață"]
    text = "".join(
        ONE.replace("ploi.", " ".join(rng.choice(words) for _ in range(30)) + ".") + "\n"
        for _ in range(200)
    )
    data = gzip.compress(text.encode())
    result = parse_stdin(data[: len(data) // 2])
    assert result.exit_code == 1
    assert len(titles(result.stdout)) > 20
    assert result.stderr.splitlines()[-1].startswith("<stdin>:1:1: NP124 gzip data is cut off")
    assert "what came before it is read" in result.stderr


def test_a_bomb_on_standard_input_is_refused() -> None:
    result = parse_stdin(compress(b"\0" * (32 << 20), "zst"))
    assert result.exit_code == 1 and result.stdout == ""
    assert "<stdin>:1:1: NP123 zstandard stream expands more than 200 times" in result.stderr


@pytest.mark.parametrize("codec", [None, "gz", "zst"])
def test_a_tar_on_standard_input_gives_its_members(tmp_path: Path, codec: str | None) -> None:
    path = make_tar(
        tmp_path / "in.tar", {"x/a.txt": ONE.encode(), "b.md": b"#", "b.txt": TWO.encode()}, codec
    )
    result = parse_stdin(path.read_bytes(), "-")
    assert (result.exit_code, result.stderr) == (0, "")
    assert titles(result.stdout) == [
        ("<stdin>!/x/a.txt", "Ploi în nord"),
        ("<stdin>!/b.txt", "Ninsori la munte"),
    ]


def test_validate_and_stats_read_a_tar_on_standard_input_by_member_and_glob(
    tmp_path: Path,
) -> None:
    import json

    from click.testing import CliRunner

    from newsparse.cli import main

    broken = ONE.replace("## Ploi în nord\n\n", "")  # no title: NP301 in that member only
    path = make_tar(
        tmp_path / "in.tar",
        {"a.dump": broken.encode(), "b.dump": TWO.encode(), "c.txt": TWO.encode()},
    )
    data = path.read_bytes()
    report = CliRunner().invoke(
        main, ["validate", "--format", "json", "--glob", "*.dump", "-"], input=data
    )
    found = {(d["file"], d["code"]) for d in json.loads(report.stdout)}
    assert found == {("<stdin>!/a.dump", "NP301")}
    assert report.exit_code == 1
    assert report.stderr.strip().endswith("in 1 of 2 files")  # c.txt is not read
    stats = CliRunner().invoke(
        main, ["stats", "--format", "json", "--glob", "*.dump", "-"], input=data
    )
    assert json.loads(stats.stdout)["articles"] == 2


def test_a_cut_off_tar_gz_on_standard_input_says_at_which_member(tmp_path: Path) -> None:
    import random

    noise = random.Random(3).randbytes(200_000)  # does not compress: the cut falls in it
    path = make_tar(tmp_path / "in.tar", {"a.txt": ONE.encode(), "z.txt": noise}, "gz")
    data = path.read_bytes()
    result = parse_stdin(data[: len(data) // 2])
    assert result.exit_code == 1
    assert titles(result.stdout) == [("<stdin>!/a.txt", "Ploi în nord")]
    assert result.stderr == (
        "<stdin>:1:1: NP124 gzip data is cut off: the stream ends after "
        f"{len(data) // 2:,} compressed bytes, before its end marker (at <stdin>!/z.txt); "
        "the members before it are read\n"
    )


def test_a_zip_on_standard_input_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    path = make_zip(tmp_path / "in.zip", {"a.txt": ONE.encode()})
    result = parse_stdin(path.read_bytes())
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr.startswith("<stdin>:1:1: NP108 standard input holds a zip archive")


def test_validate_and_stats_read_compressed_standard_input() -> None:
    from click.testing import CliRunner

    from newsparse.cli import main

    data = compress(ONE.encode(), "xz")
    validated = CliRunner().invoke(main, ["validate", "-"], input=data)
    assert (validated.exit_code, validated.stderr) == (0, "")
    stats = CliRunner().invoke(main, ["stats", "-f", "json", "-"], input=data)
    assert stats.exit_code == 0, stats.stderr
    assert '"articles": 1' in stats.stdout


# --- Pipes: process substitution, FIFOs, standard input, layers of compression ----------------


def layered(data: bytes, codecs: tuple[str, ...]) -> bytes:
    """Compress DATA with each of CODECS in turn (("gz", "xz") gives an `.gz.xz`)."""
    for codec in codecs:
        data = compress(data, codec)
    return data


@contextlib.contextmanager
def pipe_path(data: bytes) -> Iterator[str]:
    """Yield `/dev/fd/N`, a pipe a thread feeds DATA into: what `<(cat a.txt.gz)` gives."""
    import threading

    read_end, write_end = os.pipe()

    def write() -> None:
        with open(write_end, "wb") as stream:
            stream.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        os.close(read_end)  # a writer still waiting for a reader then fails, and ends
        writer.join(timeout=10)


def parse_through_a_pipe(data: bytes, *args: str):  # type: ignore[no-untyped-def]
    """Run `newsparse parse <(cat DATA)`: return the result and the name it reads."""
    from click.testing import CliRunner

    from newsparse.cli import main

    with pipe_path(data) as path:
        return CliRunner().invoke(main, ["parse", "-f", "jsonl", *args, path]), path


PIPES = pytest.mark.skipif(
    not os.path.isdir("/dev/fd"), reason="no /dev/fd here to name a pipe by (process substitution)"
)


LAYERS = [("gz",), ("bz2",), ("xz",), ("zst",), ("gz", "gz"), ("gz", "xz"), ("zst", "bz2", "gz")]


@PIPES
@pytest.mark.parametrize("codecs", LAYERS, ids="+".join)
def test_a_compressed_dump_reads_alike_from_a_file_a_pipe_and_standard_input(
    tmp_path: Path, codecs: tuple[str, ...]
) -> None:
    from click.testing import CliRunner

    from newsparse.cli import main

    data = layered((ONE + "\n" + TWO).encode(), codecs)
    expected = ["Ploi în nord", "Ninsori la munte"]
    path = tmp_path / "a.txt"
    path.write_bytes(data)
    on_disk = CliRunner().invoke(main, ["parse", "-f", "jsonl", str(path)])
    assert (on_disk.exit_code, on_disk.stderr) == (0, "")
    assert titles(on_disk.stdout) == [(str(path), title) for title in expected]
    piped, pipe = parse_through_a_pipe(data)
    assert (piped.exit_code, piped.stderr) == (0, "")
    assert titles(piped.stdout) == [(pipe, title) for title in expected]
    standard = parse_stdin(data, "-")
    assert (standard.exit_code, standard.stderr) == (0, "")
    assert titles(standard.stdout) == [(None, title) for title in expected]


@PIPES
@pytest.mark.parametrize("codecs", [("gz",), ("gz", "gz"), ("xz", "zst")], ids="+".join)
def test_a_compressed_tar_reads_alike_from_a_file_a_pipe_and_standard_input(
    tmp_path: Path, codecs: tuple[str, ...]
) -> None:
    path = make_tar(tmp_path / "d.tar", {"x/a.txt": ONE.encode(), "b.txt": TWO.encode()})
    data = layered(path.read_bytes(), codecs)
    path.write_bytes(data)
    members = [("x/a.txt", "Ploi în nord"), ("b.txt", "Ninsori la munte")]
    on_disk = parse_stdin(b"", str(path))
    assert (on_disk.exit_code, on_disk.stderr) == (0, "")
    assert titles(on_disk.stdout) == [(f"{path}!/{name}", title) for name, title in members]
    piped, pipe = parse_through_a_pipe(data)
    assert (piped.exit_code, piped.stderr) == (0, "")
    assert titles(piped.stdout) == [(f"{pipe}!/{name}", title) for name, title in members]
    standard = parse_stdin(data)
    assert (standard.exit_code, standard.stderr) == (0, "")
    assert titles(standard.stdout) == [(f"<stdin>!/{name}", title) for name, title in members]


@PIPES
def test_a_stream_compressed_too_many_times_over_is_refused_alike(tmp_path: Path) -> None:
    data = layered(ONE.encode(), ("gz",) * 5)  # one more layer than MAX_LAYERS
    message = "NP123 gzip stream is compressed more than 4 times over: refused as a "
    path = tmp_path / "a.txt.gz"
    path.write_bytes(data)
    on_disk = parse_stdin(b"", str(path))
    assert (on_disk.exit_code, on_disk.stdout) == (1, "")
    assert on_disk.stderr.startswith(f"{path}:1:1: {message}")
    piped, pipe = parse_through_a_pipe(data)
    assert (piped.exit_code, piped.stdout) == (1, "")
    assert piped.stderr.startswith(f"{pipe}:1:1: {message}")
    standard = parse_stdin(data)
    assert (standard.exit_code, standard.stdout) == (1, "")
    assert f"<stdin>:1:1: {message}" in standard.stderr  # after NP101: nothing was read
    four = layered(ONE.encode(), ("gz",) * 4)
    assert open_decompressed(io.BytesIO(four), "gz").read() == ONE.encode()


def test_layers_that_each_expand_less_than_the_limit_are_a_bomb_together() -> None:
    import random

    chooser = random.Random(2)  # sparse bytes in zeros: about 146 times under gzip
    plain = b"".join(
        bytes([chooser.randrange(1, 256)]) + b"\0" * 500 for _ in range((8 << 20) // 500)
    )
    inner = compress(plain, "gz")
    assert len(plain) < 200 * len(inner)  # the inner layer alone is no bomb
    outer = compress(inner, "xz")
    assert len(inner) < 200 * len(outer) < len(plain)  # nor the outer, but both are
    with pytest.raises(CompressionBomb, match="xz stream expands more than 200 times"):
        open_decompressed(io.BytesIO(outer), "xz").read()


@PIPES
def test_parse_file_reads_a_compressed_dump_from_a_pipe() -> None:
    with pipe_path(layered(ONE.encode(), ("zst", "gz"))) as path:
        result = newsparse.parse_file(path)
    assert [a.title for a in result.articles] == ["Ploi în nord"]
    assert result.diagnostics == []


@pytest.mark.parametrize("codec", ["gz", "bz2", "xz", "zst"])
def test_every_codec_starts_with_a_byte_the_quick_check_knows(codec: str) -> None:
    # sniff_head calls a head plain at once when its first byte starts no codec's magic.
    from newsparse.archives import sniff_head
    from newsparse.compression import CODEC_INITIALS, compress_bytes, sniff_codec

    if codec == "zst":
        pytest.importorskip("zstandard")
    packed = compress_bytes(b"Scris de Ana Pop pe 3 mai 2021, 10:00\n", codec)
    assert packed[0] in CODEC_INITIALS
    assert sniff_codec(packed) == codec
    assert sniff_head(packed[:512]) is None  # compressed: its inside is looked at


@pytest.mark.parametrize("kind", [bytes, bytearray, memoryview])
def test_a_head_of_any_bytes_type_is_sniffed(kind: type) -> None:
    from newsparse.archives import PLAIN, sniff_head

    assert sniff_head(kind(b"Scris de Ana Pop")) is PLAIN
    assert sniff_head(kind(b"")) is PLAIN
    assert sniff_head(kind(b"PK\x03\x04rest")).container == "zip"
