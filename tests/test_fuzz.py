"""Fuzzing: hostile text and bytes, and mutations of real dumps, never break `parse`.

Every input must give a result (no exception), every diagnostic must point inside the
input (lines counted as `split_lines` counts them: LF, CRLF or a lone CR), and every
article must serialise with every registered exporter, so formats added to the registry
are covered without touching this file. Longer, coverage-guided runs: `fuzz/fuzz_parse.py`.
"""

from __future__ import annotations

import codecs
import contextlib
import datetime
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.api import parse_stream
from newsparse.codes import CODES
from newsparse.exporters import exporter_names, get_exporter
from newsparse.parser import split_lines
from newsparse.reading import UNDECODABLE, detect_encoding

from .conftest import DATA, SAMPLES

_FIXED_NOW = datetime.datetime(2024, 6, 15, 12, 0, tzinfo=datetime.timezone.utc)

#: Every dump bundled with the project: the reference, the samples, the golden cases.
DUMPS = {p.name: p.read_bytes() for p in sorted([*SAMPLES.rglob("*.txt"), *DATA.glob("*.txt")])}
UTF8_DUMPS = {}
for _name, _data in DUMPS.items():
    with contextlib.suppress(UnicodeDecodeError):
        UTF8_DUMPS[_name] = _data.decode("utf-8-sig")
ENCODINGS = ("cp1250", "iso8859_2", "iso8859_16", "utf-16", "utf-16-le", "utf-8-sig")
CEDILLA_TO_COMMA = str.maketrans("şţŞŢ", "șțȘȚ")
BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"")
FRAGMENTS = (
    "Scris de ana pe 1 mai 2020, 10:00",
    "## Titlu",
    "---",
    "ADRESA: <http://x.ro/1>",
    "[sursa](#)",
    "media-1 (2).png",
    "![c](m.jpg)",
    "",
    "De Ion la 3 mai 2021",
    "Scris de x pe 31 februarie 2022",
    "Scris de mână, documentul",
    "ADRESA: http://a.ro/b",
    "Publicat de Ion, 14:56, 31 Iul. 2012 / actualizat: ieri",
    "text fara punct",
    "## pentru pentru",
    "ADRESA:",
    "ADRESA: <",
    "\x1b[31m",
    "\x00",
    "\ufeff",
    "\u009b",
)
# Bounded so that the suite stays fast; NEWSPARSE_FUZZ_EXAMPLES=5000 for a longer local run.
SETTINGS = settings(
    max_examples=int(os.environ.get("NEWSPARSE_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
# Lone surrogates and unassigned code points too: a str from a careless caller may hold them.
ANY_CHARACTER = st.characters(codec=None, exclude_categories=())


def reference_text(data: bytes, encoding: str | None = None) -> str:
    """Return the text that positions in diagnostics about DATA refer to.

    That is DATA decoded as `parse` decodes it, with NUL and control characters still in
    place (the reading layer reports them where they were) and without a leading BOM.
    """
    codec, _, _ = detect_encoding(data, encoding=encoding)
    text = data.decode(codec, errors=UNDECODABLE)
    return text[1:] if text.startswith("\ufeff") else text


def assert_points_inside(diagnostics: list[newsparse.Diagnostic], text: str) -> None:
    """Assert that every diagnostic's start and end are positions that exist in TEXT."""
    lines = split_lines(text)
    for d in diagnostics:
        assert d.code in CODES, d
        assert 1 <= d.line <= len(lines), (len(lines), d)
        assert 1 <= d.column <= len(lines[d.line - 1]) + 1, (lines[d.line - 1], d)
        end_line = d.end_line if d.end_line is not None else d.line
        end_column = d.end_column if d.end_column is not None else d.column
        assert d.line <= end_line <= len(lines), (len(lines), d)
        assert 1 <= end_column <= len(lines[end_line - 1]) + 1, (lines[end_line - 1], d)
        if end_line == d.line:
            assert end_column >= d.column, d
        json.dumps(d.to_dict())
        assert d.format().count("\n") == d.message.count("\n")


def assert_exportable(articles: list[newsparse.Article]) -> None:
    """Write ARTICLES with every registered exporter, together and one by one."""
    for name in exporter_names(aliases=False):
        exporter_class = get_exporter(name)
        for batch in (articles, *([a] for a in articles[:3])):
            stream = io.BytesIO() if exporter_class.binary else io.StringIO()
            exporter = exporter_class(stream)
            for article in batch:
                exporter.write(article)
            exporter.close()
            written = stream.getvalue()
            assert isinstance(written, bytes if exporter_class.binary else str), name
            if batch:
                assert written, f"{name} wrote nothing for {len(batch)} article(s)"


def assert_sound(result: newsparse.ParseResult, text: str) -> None:
    """Assert everything a parse result promises about the input TEXT it came from."""
    assert_points_inside(result.diagnostics, text)
    lines = len(split_lines(text))
    for article in result.articles:
        assert 1 <= article.line <= article.end_line <= lines, (lines, article)
        for block in article.blocks:
            assert article.line <= block.line <= article.end_line, (article, block)
    assert_exportable(result.articles)


def check_bytes(
    data: bytes, encoding: str | None = None, now: datetime.datetime | None = None
) -> newsparse.ParseResult:
    options = newsparse.ParseOptions(encoding=encoding, now=now)
    result = newsparse.parse(data, options=options)
    assert_sound(result, reference_text(data, encoding))
    return result


def check_text(text: str) -> newsparse.ParseResult:
    result = newsparse.parse(text)
    assert_sound(result, text[1:] if text.startswith("\ufeff") else text)
    return result


# --- Arbitrary input --------------------------------------------------------------------


@SETTINGS
@given(st.text(ANY_CHARACTER))
@example("\ufeff\udc80x\n\x00## \x1b")
@example("Scris de a pe 1 mai 2020\r\r\n## T\rx")
def test_any_text(text: str) -> None:
    check_text(text)


@SETTINGS
@given(st.binary())
def test_any_bytes(data: bytes) -> None:
    check_bytes(data)


@SETTINGS
@given(st.sampled_from(BOMS), st.binary())
@example(codecs.BOM_UTF16_LE, b"A\x00B")  # an odd byte after whole UTF-16 units
@example(codecs.BOM_UTF16_LE, b"A\x00\x00\xd8")  # a high surrogate cut off
@example(codecs.BOM_UTF16_LE, b"\x00\xdcA\x00")  # a lone low surrogate
@example(codecs.BOM_UTF16_BE, b"\x00")
def test_any_bytes_after_a_byte_order_mark(bom: bytes, data: bytes) -> None:
    check_bytes(bom + data)


@SETTINGS
@given(
    st.sampled_from(
        [
            "ascii",
            "utf-8",
            "utf-16-le",
            "utf-16-be",
            "utf-32",
            "utf-7",
            "cp1250",
            "iso-8859-16",
            "latin-1",
        ]
    ),
    st.binary(),
)
@example("ascii", b"\x80\x00")
@example("utf-32", b"\x00\x00")
def test_any_bytes_in_a_forced_encoding(encoding: str, data: bytes) -> None:
    check_bytes(data, encoding)


@SETTINGS
@given(
    st.lists(
        st.tuples(
            st.sampled_from(FRAGMENTS) | st.text(ANY_CHARACTER, max_size=20),
            st.sampled_from(["\n", "\r\n", "\r", "\n\n", " \t\n"]),
        ),
        max_size=40,
    )
)
@example(
    [
        ("Scris de ana pe 1 mai 2020, 10:00", "\n"),
        ("\r", "\r"),
        ("\x00", "\n"),
        ("Scris de ana pe 1 mai 2020, 10:00", "\n"),
    ]
)  # CR CR NUL LF: three breaks
def test_dump_like_lines_with_mixed_line_endings(parts: list[tuple[str, str]]) -> None:
    text = "".join(line + end for line, end in parts)
    check_text(text)
    check_bytes(text.encode("utf-8", errors="surrogatepass"))


# --- Mutations of real dumps ------------------------------------------------------------


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """Apply a few random damages of the kinds scrapes and copies do to DATA."""
    for _ in range(draw(st.integers(1, 5))):
        lines = data.split(b"\n")
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(
                [
                    "drop",
                    "duplicate",
                    "swap",
                    "cut",
                    "nul",
                    "flip",
                    "insert",
                    "crlf",
                    "cr",
                    "reencode",
                ]
            )
        )
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "insert":
            fragment = draw(st.sampled_from(FRAGMENTS)).encode("utf-8")
            lines.insert(index, fragment)
        if action in ("drop", "duplicate", "swap", "insert"):
            data = b"\n".join(lines)
            continue
        at = draw(st.integers(0, len(data)))
        if action == "cut":
            data = data[:at]
        elif action == "nul":
            data = data[:at] + b"\x00" * draw(st.integers(1, 3)) + data[at:]
        elif action == "flip" and data:
            at = min(at, len(data) - 1)
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
        elif action == "crlf":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        elif action == "cr":
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r")
        elif action == "reencode":
            text = data.decode("utf-8", errors="replace")
            data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return data


@SETTINGS
@given(st.sampled_from(sorted(DUMPS)), st.data())
def test_mutated_dumps(name: str, data: st.DataObject) -> None:
    damaged = mutate(DUMPS[name], data.draw)
    check_bytes(damaged)


@SETTINGS
@given(st.sampled_from(sorted(DUMPS)), st.data(), st.sampled_from([1, 7, 64, 4096]))
def test_mutated_dumps_streamed(name: str, data: st.DataObject, chunk_size: int) -> None:
    damaged = mutate(DUMPS[name], data.draw)
    text = reference_text(damaged)
    for result in parse_stream(io.BytesIO(damaged), chunk_size=chunk_size):
        assert_sound(result, text)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name", sorted(UTF8_DUMPS))
def test_reencoded_dumps_keep_their_structure(name: str, encoding: str) -> None:
    text = UTF8_DUMPS[name]
    # One fixed "now" for both parses: a relative date ("Acum 7 ore") read a second apart
    # would differ.
    expected = newsparse.parse(text, options=newsparse.ParseOptions(now=_FIXED_NOW))
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    result = check_bytes(data, now=_FIXED_NOW)
    assert [a.line for a in result.articles] == [a.line for a in expected.articles]
    if data.decode(encoding) != text or encoding == "utf-16-le":
        # Lossy, or UTF-16 without a byte-order mark, which is not detected: it reads as
        # UTF-8 with NUL bytes, and only the article structure must survive.
        return
    # Nothing may change but the note saying which encoding was used, and (for a legacy
    # encoding, which is a guess) the documented choice of cedilla for comma-below ș ț.
    got = json.dumps([a.to_dict() for a in result.articles], ensure_ascii=False)
    want = json.dumps([a.to_dict() for a in expected.articles], ensure_ascii=False)
    if encoding not in ("utf-16", "utf-8-sig"):
        got, want = got.translate(CEDILLA_TO_COMMA), want.translate(CEDILLA_TO_COMMA)
    assert got == want
    assert [d for d in result.diagnostics if d.code != "NP104"] == expected.diagnostics


# --- Inputs that once broke the parser (found by the fuzzers) ---------------------------

FOUND = sorted((DATA / "fuzz").glob("*.dump"))


@pytest.mark.parametrize("path", FOUND, ids=lambda p: p.stem)
def test_inputs_found_by_fuzzing(path: Path) -> None:
    data = path.read_bytes()
    check_bytes(data)
    check_text(data.decode("utf-8", errors="replace"))
    text = reference_text(data)
    for result in parse_stream(io.BytesIO(data), chunk_size=7):
        assert_sound(result, text)


@pytest.mark.parametrize(
    "date",
    [
        "1 mai 2020, 10:0099999999999999999999999999999999",  # decimal.InvalidOperation
        "19970902090807197090209080710h",
        "19/040400",  # TypeError in older dateutil
        "30/062012",  # IndexError in older dateutil
        "1 mai 99999999999999999999",  # OverflowError
    ],
)
def test_dates_that_break_dateutil_are_reported(date: str) -> None:
    result = newsparse.parse(f"Scris de ana pe {date}\n\n## T\n\nText.\n")
    assert result.articles[0].published is None
    assert [d.code for d in result.diagnostics if d.line == 1] == ["NP202"]


def test_truncated_utf16_is_reported_not_raised() -> None:
    data = (
        codecs.BOM_UTF16_LE
        + "Scris de ana pe 1 mai 2020\n\n## T\n\nText.\n".encode("utf-16-le")
        + b"\x00"
    )
    result = check_bytes(data)
    assert result.encoding == "utf-16"
    assert result.articles[0].title == "T"
    assert (result.diagnostics[0].code, result.diagnostics[0].line) == ("NP102", 6)


def test_cr_nul_lf_stays_two_line_breaks() -> None:
    result = check_bytes(b"\r\x00\nScris de ana pe 1 mai 2020\n\n## T\n\nText.\n")
    assert result.articles[0].line == 3
    assert [(d.code, d.line) for d in result.diagnostics][:1] == [("NP103", 2)]


@SETTINGS
@given(st.sampled_from(sorted(UTF8_DUMPS)), st.data(), st.sampled_from([1, 7, 64, 4096]))
def test_damaged_dumps_stream_as_they_parse_whole(
    name: str, data: st.DataObject, chunk_size: int
) -> None:
    damaged = mutate(UTF8_DUMPS[name].encode("utf-8"), data.draw)
    if b"\x00" in damaged or not damaged.strip():
        return  # NUL positions and empty input are reported per piece; compared elsewhere
    try:
        damaged.decode("utf-8")
    except UnicodeDecodeError:
        return  # the encoding is detected on the first chunk only
    # One reference time for both reads: relative dates keep their seconds, and a second
    # could tick over between two reads against the current time.
    options = newsparse.ParseOptions(now=_FIXED_NOW)
    whole = newsparse.parse(damaged, options=options)
    results = list(parse_stream(io.BytesIO(damaged), options=options, chunk_size=chunk_size))
    assert [a.to_dict() for r in results for a in r.articles] == [
        a.to_dict() for a in whole.articles
    ]
    assert [d.to_dict() for r in results for d in r.diagnostics] == [
        d.to_dict() for d in whole.diagnostics
    ]
