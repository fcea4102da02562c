"""Encoding detection and byte-level diagnostics."""

from __future__ import annotations

import pytest

import newsparse

DUMP = "Scris de ana pe 1 mai 2020\n\n## Titlu\n\n{}\n\n[s](#)\n\nADRESA: <http://a.ro/1>\n"


def parse_body(body: bytes) -> newsparse.ParseResult:
    return newsparse.parse(DUMP.encode("ascii").replace(b"{}", body))


def codes(result: newsparse.ParseResult) -> list[tuple[str, int, int]]:
    return [(d.code, d.line, d.column) for d in result.diagnostics]


def test_stray_byte_in_an_ascii_file_is_an_undecodable_byte() -> None:
    result = parse_body(b"para\xffgraf.")
    assert result.encoding == "utf-8"
    assert codes(result) == [("NP102", 5, 5)]
    assert result.articles[0].paragraphs == ["para\ufffdgraf."]


def test_stray_byte_beside_a_few_diacritics_is_still_utf8() -> None:
    result = parse_body("ă para".encode() + b"\xff" + b"graf.")
    assert result.encoding == "utf-8"
    assert codes(result) == [("NP102", 5, 7)]


@pytest.mark.parametrize(
    ("codec", "label", "text"),
    [
        ("cp1250", "windows-1250", "Şedinţă la „Învăţământ” şi ţară."),
        ("iso8859_16", "iso-8859-16", "Ședință la „Învățământ” și țară."),
        ("iso8859_2", "windows-1250", "Şedinţă şi ţară."),  # identical bytes: see README
    ],
)
def test_legacy_encodings_are_detected(codec: str, label: str, text: str) -> None:
    result = parse_body(text.encode(codec))
    assert result.encoding == label
    assert codes(result) == [("NP104", 1, 1)]
    assert result.articles[0].paragraphs == [text]


def test_forced_encoding_is_used_without_a_warning() -> None:
    text = "Ședință și țară."
    result = newsparse.parse(
        DUMP.format(text).encode("iso8859_16"),
        options=newsparse.ParseOptions(encoding="iso-8859-16"),
    )
    assert result.encoding == "iso8859-16"
    assert result.diagnostics == []
    assert result.articles[0].paragraphs == [text]


def test_utf16_with_bom() -> None:
    result = newsparse.parse(DUMP.format("Țară.").encode("utf-16"))
    assert result.encoding == "utf-16"
    assert result.articles[0].paragraphs == ["Țară."]


def test_nul_bytes_are_removed_and_each_reported() -> None:
    result = parse_body(b"a\x00b\x00c.")
    assert codes(result) == [("NP103", 5, 2), ("NP103", 5, 4)]
    assert result.articles[0].paragraphs == ["abc."]


def test_repeated_byte_problems_are_capped_with_a_count() -> None:
    result = parse_body(b"\x00" * 25 + b"x.")
    nul = [d for d in result.diagnostics if d.code == "NP103"]
    assert len(nul) == 11
    assert nul[-1].message.endswith("(15 more not listed)")


def test_lone_surrogates_in_text_are_replaced_and_reported() -> None:
    result = newsparse.parse(DUMP.format("a\ud800b."))
    assert codes(result) == [("NP102", 5, 2)]
    assert result.articles[0].paragraphs == ["a\ufffdb."]
    result.articles[0].to_dict()["paragraphs"][0].encode("utf-8")


@pytest.mark.parametrize("believed_size", [0, 1, 3000, 9999, 10_000, 10_001, 10_240, 50_000])
def test_a_file_is_read_whole_whatever_size_was_seen(tmp_path, believed_size: int) -> None:
    import os

    from newsparse.reading import read_all

    data = bytes(range(256)) * 40  # 10,240 bytes
    path = tmp_path / "dump.txt"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert read_all(fd, believed_size) == data
    finally:
        os.close(fd)


@pytest.fixture
def read_calls(monkeypatch) -> list[int]:
    """The sizes newsparse asks `os.read` for, in order, while the test runs."""
    import os

    from newsparse import reading

    calls: list[int] = []
    real_read = os.read

    def counted(fd: int, n: int) -> bytes:
        calls.append(n)
        return real_read(fd, n)

    monkeypatch.setattr(reading.os, "read", counted)
    return calls


def test_a_file_of_the_size_seen_is_read_in_one_call(tmp_path, read_calls) -> None:
    import os

    from newsparse import reading

    path = tmp_path / "dump.txt"
    path.write_bytes(b"Scris de Ana Pop pe 3 mai 2023\n" * 100)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert reading.read_all(fd, 3100, regular=True) == path.read_bytes()
        assert read_calls == [3101]  # the byte more was not there: the end, without asking again
        read_calls.clear()
        assert reading.read_all(fd, 0, regular=True) == b""  # at the end now; the size says nothing
        assert read_calls == [1]
    finally:
        os.close(fd)


def test_parse_file_reads_a_small_regular_file_in_one_call(tmp_path, read_calls) -> None:
    path = tmp_path / "dump.txt"
    path.write_bytes(b"Scris de Ana Pop pe 3 mai 2023\n\n## Titlu\n\nUn paragraf.\n")
    assert newsparse.parse_file(path).articles[0].title == "Titlu"
    assert read_calls == [path.stat().st_size + 1]


def test_a_pipe_holding_what_its_size_said_is_read_to_its_end() -> None:
    # On macOS and the BSDs a pipe's size is what it holds for now; the writer may not be done.
    import os
    import threading

    from newsparse.reading import read_all

    first, later = b"Scris de Ana Pop pe 3 mai 2023\n", b"## Un titlu\n"
    read_end, write_end = os.pipe()
    os.write(write_end, first)

    def finish() -> None:
        os.write(write_end, later)
        os.close(write_end)

    writer = threading.Timer(0.2, finish)
    writer.start()
    try:
        assert read_all(read_end, len(first)) == first + later
    finally:
        writer.join()
        os.close(read_end)


def test_parse_file_reports_a_directory_and_a_missing_file(tmp_path) -> None:
    for path, reason in (
        (tmp_path, "is a directory"),
        (tmp_path / "missing.txt", "no such file or directory"),
    ):
        result = newsparse.parse_file(path)
        assert [(d.code, d.message) for d in result.diagnostics] == [
            ("NP108", f"cannot read file: {reason}")
        ]


def test_relative_names_are_what_relpath_gives(tmp_path, monkeypatch) -> None:
    import os

    from newsparse.reading import discover

    for name in ("a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub/deeper/d.md", "z.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "sub")
    monkeypatch.chdir(tmp_path / "sub")
    for root in (str(tmp_path), str(tmp_path) + os.sep, "..", "../sub/..", "./../link/.."):
        entries = list(discover([root]))
        assert [e.relative for e in entries] == [os.path.relpath(e.path, root) for e in entries], (
            root
        )
        assert "link/deeper/c.txt".replace("/", os.sep) in {e.relative for e in entries}


def test_each_control_character_is_named_in_its_own_diagnostic() -> None:
    import io

    from newsparse.api import parse_stream

    data = b"\x03# Titlu\n\nText.\n\nADRESA: <http://crct.ro/o1>\n\x1b[31m\n"
    whole = newsparse.parse(data).diagnostics
    assert [(d.line, d.message) for d in whole if d.code == "NP105"] == [
        (1, "control character U+0003 in text"),
        (6, "control character U+001B in text"),
    ]
    streamed = [d for r in parse_stream(io.BytesIO(data), chunk_size=1) for d in r.diagnostics]
    assert streamed == whole
