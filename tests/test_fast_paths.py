"""The fast paths give exactly what the straightforward code they replace gives.

Each reference below is the plain version of an optimised function, kept here so that a
later speed-up cannot change an answer unnoticed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsparse import dates, reading
from newsparse.compiled import compiled_modules
from newsparse.exporters.json import JSONLinesExporter, dumps
from newsparse.model import Article, Block, Image

SETTINGS = settings(max_examples=300, deadline=None)
AWKWARD = st.sampled_from(
    [
        "\x00",
        "\x01",
        "\x1b",
        "\x7f",
        "\x85",
        "\x9f",
        "\xa0",
        "\xc2",
        "\udc80",
        "\udcff",
        "\ud800",
        "\ufeff",
        "ș",
        "ţ",
        "„",
        "\t",
        "\r\n",
    ]
)
TEXT = st.lists(st.text(max_size=8) | AWKWARD, max_size=12).map("".join)


def scrub_reference(text: str) -> tuple[str, list[object]]:
    """Scrub with every regular expression run, as before the fast check existed."""
    original = reading._looks_clean
    reading._looks_clean = lambda text: False
    try:
        return reading.scrub(text, file="x")
    finally:
        reading._looks_clean = original


@SETTINGS
@given(TEXT)
def test_scrub_fast_check_changes_nothing(text: str) -> None:
    assert reading.scrub(text, file="x") == scrub_reference(text)


@SETTINGS
@given(st.binary(max_size=64) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")))
def test_decode_equals_detect_then_decode(data: bytes) -> None:
    codec, name, found = reading.detect_encoding(data, file="x")
    text, scrubbed = reading.scrub(
        data.decode(codec, errors="surrogateescape"), file="x", encoding=name
    )
    decoded = reading.decode(data, file="x")
    assert (decoded.text, decoded.encoding, decoded.diagnostics) == (text, name, found + scrubbed)


def romanian_score_reference(text: str) -> int:
    score = 0
    for ch in text:
        if ord(ch) < 0x80:
            continue
        if ch in reading._ROMANIAN:
            score += 2
        elif ch in reading._PUNCTUATION:
            score += 1
        elif ord(ch) < 0xA0:
            score -= 5
        else:
            score -= 1
    return score


@SETTINGS
@given(TEXT)
def test_romanian_score(text: str) -> None:
    assert reading._romanian_score(text) == romanian_score_reference(text)


LEGACY_BYTES = st.binary(max_size=64) | st.lists(
    st.sampled_from(
        [
            b"\xba",
            b"\xfe",
            b"\xe3",
            b"\xaa",
            b"\xde",
            b"\xc3",
            b"\x84",
            b"\x94",
            b"\x81",
            b"\x98",
            b"\xa5",
            b"\xb9",
            b"ab ",
            b"\n",
        ]
    ),
    max_size=40,
).map(b"".join)


@SETTINGS
@given(LEGACY_BYTES)
def test_legacy_score_is_the_score_of_the_decoded_text(data: bytes) -> None:
    for codec, _ in reading._LEGACY:
        try:
            expected: int | None = reading._romanian_score(data.decode(codec))
        except UnicodeDecodeError:
            expected = None
        assert reading._legacy_score(data, codec) == expected


def guess_unsure_reference(data: bytes) -> tuple[str, str]:
    """Choose the encoding by decoding with each codec and weighing every character."""
    lenient = data.decode("utf-8", errors="surrogateescape")
    bad = len(reading._SURROGATE.findall(lenient))
    valid = len(lenient) - len(lenient.encode("ascii", errors="ignore")) - bad
    if valid >= bad:
        return "utf-8", "utf-8"
    best, best_score = ("utf-8", "utf-8"), 0.0
    for codec, label in reading._LEGACY:
        try:
            candidate = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = reading._romanian_score(candidate)
        if score > best_score:
            best, best_score = (codec, label), score
    return best


@SETTINGS
@given(LEGACY_BYTES)
def test_guess_unsure_equals_decoding_each_candidate(data: bytes) -> None:
    assert reading._guess_unsure(data) == guess_unsure_reference(data)


@pytest.mark.parametrize("encoding", ["cp1250", "iso8859_2", "iso8859_16"])
def test_legacy_guess(encoding: str) -> None:
    text = "Şedinţă la Ministerul Învăţământului: „da” şi ţară. " * 3
    if encoding == "iso8859_16":
        text = text.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș")
    else:
        text = text.replace("„", '"').replace("”", '"')
    data = text.encode(encoding)
    lenient = data.decode("utf-8", errors="surrogateescape")
    bad = len(reading._SURROGATE.findall(lenient))
    assert sum(1 for ch in lenient if ord(ch) > 0x7F) - bad <= bad
    assert reading._guess_unsure(data)[0] in ("cp1250", "iso8859_2", "iso8859_16")
    assert reading.decode(data).text == text


def localize_reference(value: dt.datetime, tz: str) -> tuple[dt.datetime, str | None]:
    zone = ZoneInfo(tz)
    aware = value.replace(tzinfo=zone)
    back = aware.astimezone(dt.timezone.utc).astimezone(zone).replace(tzinfo=None)
    if back != value:
        return aware, "NP204"
    if aware.utcoffset() != value.replace(tzinfo=zone, fold=1).utcoffset():
        return aware, "NP205"
    return aware, None


@pytest.mark.parametrize(
    "tz", ["Europe/Bucharest", "UTC", "America/New_York", "Australia/Lord_Howe", "Europe/Dublin"]
)
def test_localize_around_every_transition(tz: str) -> None:
    value = dt.datetime(2021, 1, 1)
    while value.year < 2022:
        got, expected = dates.localize(value, tz), localize_reference(value, tz)
        assert got == expected and got[0].utcoffset() == expected[0].utcoffset(), value
        value += dt.timedelta(minutes=30)


def parse_date_reference(text: str) -> dates.DateResult:
    """The fast path as first written: named groups, folding every date."""
    folded = dates.fold(text.strip())
    match = dates._FAST_DATE.fullmatch(folded)
    if match is not None:
        month = dates.MONTHS.get(match["mon"])
        if month is not None and (match["wd"] is None or match["wd"] in dates.WEEKDAYS):
            return _build_reference(match, month, text)
    else:
        match = dates._FAST_NUMERIC.fullmatch(folded)
        if match is not None and (match["wd"] is None or match["wd"] in dates.WEEKDAYS):
            return _build_reference(match, int(match["mon"]), text)
    return dates._parse_general(folded, text)


def _build_reference(match: object, month: int, original: str) -> dates.DateResult:
    year, day = int(match["y"]), int(match["d"])  # type: ignore[index]
    try:
        if match["h"] is None:  # type: ignore[index]
            return dates.DateResult(dt.date(year, month, day))
        return dates.DateResult(
            dt.datetime(
                year,
                month,
                day,
                int(match["h"]),  # type: ignore[index]
                int(match["mi"]),
            )
        )  # type: ignore[index]
    except ValueError:
        return dates.DateResult(None, "NP202", f"impossible date or time: {original.strip()!r}")


DATE_PARTS = st.sampled_from(
    [
        "15",
        "1",
        "31",
        "0",
        "29",
        "32",
        "99",
        "august",
        "AUGUST",
        "aug.",
        "Iul.",
        "mart",
        "sept.",
        "ianuarie",
        "februarie",
        "Noi",
        "augustus",
        "2022",
        "2022,",
        "1999",
        "0000",
        "0000,",
        "12345,",
        "09:13",
        "9:13",
        "25:61",
        "24:00",
        "23.59",
        ",",
        ",,",
        " ",
        "  ",
        "-",
        "ora",
        "orele",
        "vineri",
        "Marţi",
        "Sâmbătă",
        "duminică",
        "luni,",
        "Vineri,",
        "mar,",
        "9:5",
        "123:45",
        "10:5x",
        "15.08.2022",
        "31/02/2021",
        "15.13.2022",
        "pe",
        "h",
        "x",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(DATE_PARTS, min_size=1, max_size=7).map(" ".join))
def test_parse_date_equals_reference(text: str) -> None:
    got, expected = dates.parse_date(text), parse_date_reference(text)
    assert (got.value, got.code, got.message) == (expected.value, expected.code, expected.message)


COMMON_NAMES = st.sampled_from([*dates.MONTHS, "augustus", "x", "AUG", "iunie."])
COMMON_WEEKDAYS = st.sampled_from(["", *(f"{name}, " for name in dates.WEEKDAYS), "nu, "])


@settings(max_examples=600, deadline=None)
@given(
    COMMON_WEEKDAYS,
    st.integers(0, 40),
    st.booleans(),
    COMMON_NAMES,
    st.integers(0, 9999),
    st.integers(0, 30) | st.integers(0, 150),
    st.booleans(),
    st.integers(0, 75) | st.integers(0, 150),
)
def test_common_shape_equals_reference(
    weekday: str, day: int, pad_day: bool, name: str, year: int, hour: int, pad: bool, minute: int
) -> None:
    # `[weekday, ]D month YYYY, H:MM`, read without a regular expression, possible or not.
    day_text = f"{day:02d}" if pad_day else str(day)
    clock = f"{hour:02d}:{minute:02d}" if pad else f"{hour}:{minute:02d}"
    text = f"{weekday}{day_text} {name} {year:04d}, {clock}"
    got, expected = dates.parse_date(text), parse_date_reference(text)
    assert (got.value, got.code, got.message) == (expected.value, expected.code, expected.message)


def cut_point_reference(buffer: str) -> int:
    from newsparse import api

    # A footer line starts the buffer or follows a line break (LF, CRLF or a lone CR).
    ends = [
        match.end()
        for match in api._SAFE_CUT.finditer(buffer)
        if match.start() == 0 or buffer[match.start() - 1] in "\r\n"
    ]
    return ends[-1] if ends else 0


STREAM_LINES = st.lists(
    st.sampled_from(
        [
            "ADRESA: <http://a.ro/1>",
            "ADRESA: http://a.ro/2",
            "ADRESA: <http://a.ro/3>Scris de x",
            " ADRESA: <x>",
            "xADRESA: <y>",
            "ADRESA:",
            "Text.",
            "",
            "\r",
            "ADRESA: <a> \t",
        ]
    ),
    max_size=12,
)


@SETTINGS
@given(STREAM_LINES, st.sampled_from(["\n", "\r\n", "\r"]))
def test_stream_cut_point(lines: list[str], newline: str) -> None:
    from newsparse import api

    buffer = newline.join(lines)
    assert api._cut_point(buffer) == cut_point_reference(buffer)


@SETTINGS
@given(TEXT)
def test_line_breaks_count_like_split_lines(text: str) -> None:
    from newsparse import api
    from newsparse.parser import split_lines

    assert api._line_breaks(text) == len(split_lines(text)) - 1


# Characters the JSON safety check looks for, and characters that share its bytes in UTF-8:
# U+00A9 is 0xC2 0xA9, U+00E8 is 0xC3 0xA8, U+2026 is 0xE2 0x80 0xA6.
JSON_AWKWARD = AWKWARD | st.sampled_from(
    [
        "\u2028",
        "\u2029",
        "\u2027",
        "\u202a",
        "\xa9",
        "\xe8",
        "\xe9",
        "\u2026",
        "\xa0",
        "\x80",
        "\x7e",
    ]
)
JSON_TEXT = st.lists(st.text(max_size=8) | JSON_AWKWARD, max_size=12).map("".join)
RAW_IN_JSON = re.compile("[\x7f-\x9f\u2028\u2029]")


def json_reference(value: object, **options: object) -> str:
    """`json.dumps` with DEL, C1 controls and the line separators escaped (the same value),
    and `##[` (a runner's command) written `##\\u005b`, as every JSON output does."""
    text = json.dumps(value, ensure_ascii=False, **options)  # type: ignore[arg-type]
    text = RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.replace("##[", "##\\u005b")


def json_article(paragraphs: list[str], title: str, level: int) -> Article:
    blocks = tuple(Block("paragraph", text=p, line=i) for i, p in enumerate(paragraphs))
    blocks += (Block("image", image=Image(title, None)), Block("heading", text=title, level=level))
    return Article(title=title, author=title or None, blocks=blocks, line=level)


@SETTINGS
@given(st.lists(JSON_TEXT, max_size=4), JSON_TEXT, st.integers(0, 3))
@example([], "##[", 0)  # a runner's command, written ##\u005b
def test_compact_json_equals_json_dumps(paragraphs: list[str], title: str, level: int) -> None:
    article = json_article(paragraphs, title, level)
    reference = json_reference(article.to_dict(), separators=(",", ":"))
    assert dumps(article) == reference
    assert json.loads(dumps(article)) == article.to_dict()
    assert not RAW_IN_JSON.search(dumps(article))


@SETTINGS
@given(st.lists(JSON_TEXT, max_size=4), JSON_TEXT, st.integers(0, 3))
@example([], "##[", 0)
def test_pretty_json_equals_json_dumps(paragraphs: list[str], title: str, level: int) -> None:
    article = json_article(paragraphs, title, level)
    for indent in (2, 4):
        assert dumps(article, indent=indent) == json_reference(article.to_dict(), indent=indent)


@SETTINGS
@given(st.lists(st.lists(JSON_TEXT, max_size=3), max_size=4))
def test_json_lines_as_bytes_equal_json_lines_as_text(
    tmp_path_factory: pytest.TempPathFactory, texts: list[list[str]]
) -> None:
    articles = [json_article(paragraphs, "T", 1) for paragraphs in texts]
    text = io.StringIO()
    with JSONLinesExporter(text) as exporter:
        for article in articles:
            exporter.write(article)
    assert text.getvalue() == "".join(f"{dumps(a)}\n" for a in articles)
    data = io.BytesIO()
    try:
        expected = text.getvalue().encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: UTF-8 bytes cannot hold it
        with pytest.raises(UnicodeEncodeError), JSONLinesExporter(data) as exporter:
            for article in articles:
                exporter.write(article)
    else:
        with JSONLinesExporter(data) as exporter:
            for article in articles:
                exporter.write(article)
        assert data.getvalue() == expected
    # A text file's own line ends and errors apply: lone surrogates, which only `json`
    # writes, reach it as its errors say.
    path = tmp_path_factory.mktemp("jsonl") / "out.jsonl"
    with open(path, "w", encoding="utf-8", errors="surrogatepass", newline="\r\n") as stream:
        stream.write("before\n")
        with JSONLinesExporter(stream) as exporter:
            for article in articles:
                exporter.write(article)
        stream.write("after\n")
    assert path.read_bytes().decode(
        "utf-8", errors="surrogatepass"
    ) == f"before\n{text.getvalue()}after\n".replace("\n", "\r\n")


class _AnyDict(Article):
    """An article whose dictionary holds what orjson refuses."""

    def to_dict(self) -> dict[str, object]:
        found = Article.to_dict(self)
        found[1] = 2**70  # type: ignore[index]
        return found


@pytest.mark.parametrize(
    "article",
    [
        Article(title="lone \ud800 surrogate \x85 \u2028"),
        Article(title="big", line=2**64),
        _AnyDict(title="keys \x7f"),
    ],
)
def test_json_writes_what_orjson_refuses_as_json_does(tmp_path: Path, article: Article) -> None:
    assert dumps(article) == json_reference(article.to_dict(), separators=(",", ":"))
    assert dumps(article, indent=2) == json_reference(article.to_dict(), indent=2)
    # Between two ordinary lines, in order, on a text file and on a byte stream.
    plain = Article(title="ș")
    path = tmp_path / "out.jsonl"
    with (
        open(path, "w", encoding="utf-8", errors="surrogatepass") as stream,
        JSONLinesExporter(stream) as exporter,
    ):
        for each in (plain, article, plain):
            exporter.write(each)
    expected = "".join(f"{dumps(each)}\n" for each in (plain, article, plain))
    assert path.read_bytes() == expected.encode("utf-8", errors="surrogatepass")
    if "\ud800" not in expected:  # UTF-8 cannot hold a lone surrogate: bytes refuse it
        data = io.BytesIO()
        with JSONLinesExporter(data) as exporter:
            for each in (plain, article, plain):
                exporter.write(each)
        assert data.getvalue() == expected.encode("utf-8")


@pytest.mark.parametrize("value", [dt.datetime(2022, 8, 15), dt.date(2022, 8, 15), Image("a.png")])
def test_json_refuses_what_json_always_refused(value: object) -> None:
    article = Article(title=value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps(article.to_dict())
    for indent in (None, 2):
        with pytest.raises(TypeError, match="not JSON serializable"):
            dumps(article, indent=indent)


def starts_like_date_reference(text: str) -> bool:
    head = dates.fold(text[:12])
    if head[:1].isdigit():
        return True
    word = dates._WORD.match(head)
    return word is not None and (
        word.group() in dates.MONTHS
        or word.group() in dates.WEEKDAYS
        or word.group() in dates.RELATIVE_STARTS
    )


@SETTINGS
@given(st.lists(DATE_PARTS | TEXT, min_size=1, max_size=3).map(" ".join))
def test_starts_like_date(text: str) -> None:
    assert dates._starts_like_date(text) == starts_like_date_reference(text)


def test_fast_block_is_a_plain_block() -> None:
    import dataclasses

    from newsparse.model import Block, Image
    from newsparse.parser import _block

    for args in [
        ("paragraph", "Text.", None, None, 3),
        ("separator", None, None, None, 4),
        ("image", None, Image("a.png"), None, 5),
        ("heading", "H", None, 2, 6),
    ]:
        fast, plain = _block(*args), Block(*args)
        assert fast == plain and hash(fast) == hash(plain) and repr(fast) == repr(plain)
        with pytest.raises(dataclasses.FrozenInstanceError):
            fast.text = "changed"  # type: ignore[misc]


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(str) | st.integers(low, high).map(lambda n: f"{n:02d}")


MONTH_WORDS = st.sampled_from(
    [*dates.MONTHS, "Iul.", "mart.", "SEPT.", "Noi", "augustus", "luni", "mar", "mai", "dec."]
)
SEPARATORS = st.sampled_from([",", ", ", ",  ", " ", ",,"])


@settings(max_examples=500, deadline=None)
@given(
    _two(0, 30),
    _two(0, 70),
    SEPARATORS,
    _two(0, 40),
    MONTH_WORDS,
    st.sampled_from(["2022", "1999", "2100", "0999", "3000", "1600"]),
)
def test_time_first_dates_read_as_dateutil_reads_them(
    hour: str, minute: str, comma: str, day: str, month: str, year: str
) -> None:
    text = f"{hour}:{minute}{comma}{day} {month} {year}"
    got, expected = dates.parse_date(text), parse_date_reference(text)
    assert (got.value, got.code, got.message) == (expected.value, expected.code, expected.message)


@settings(max_examples=500, deadline=None)
@given(
    MONTH_WORDS,
    _two(0, 40),
    SEPARATORS,
    st.sampled_from(["2025", "1999", "0999", "2100"]),
    st.none() | st.tuples(SEPARATORS, _two(0, 30), _two(0, 70)),
)
def test_month_first_dates_read_as_dateutil_reads_them(
    month: str, day: str, comma: str, year: str, time: tuple[str, str, str] | None
) -> None:
    text = f"{month} {day}{comma}{year}"
    if time is not None:
        text += f"{time[0]}{time[1]}:{time[2]}"
    got, expected = dates.parse_date(text), parse_date_reference(text)
    assert (got.value, got.code, got.message) == (expected.value, expected.code, expected.message)


@pytest.mark.parametrize(
    "text",
    [
        "14:56, 31 Iul. 2012",
        "mart. 18, 2025, 10:20",
        "mai 2, 2010",
        "15 august 2022, 09:13",
        "vineri, 15 iulie 2022, 9:13",
    ],
)
def test_common_shapes_take_the_fast_path(text: str) -> None:
    result = dates.parse_date(text)
    assert result.fast and result.value == parse_date_reference(text).value


@SETTINGS
@given(
    st.binary(max_size=64) | TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.sampled_from(sorted(reading._SURROGATEESCAPE_SAFE)),
)
def test_surrogateescape_decodes_as_undecodable(data: bytes, codec: str) -> None:
    assert data.decode(codec, errors=reading._error_handler(codec)) == data.decode(
        codec, errors=reading.UNDECODABLE
    )


def next_is_heading_reference(lines: list[str], index: int) -> bool:
    """Whether the next non-blank line after INDEX is a heading, found by looking ahead."""
    for following in range(index + 1, len(lines)):
        text = lines[following].lstrip()
        if text:
            return text[0] == "#"
    return False


DUMP_LINES = st.lists(
    st.sampled_from(
        [
            "",
            " ",
            "\t",
            "Scris de ana pe 1 mai 2020",
            "  De ion la 2 mai 2021, 10:00",
            "## Titlu",
            " # Sub",
            "#",
            "Text. Scris de ana pe 3 mai 2020",
            "text",
            "  text indentat",
            "ADRESA: <http://a.ro/1>",
            "ADRESA: http://a.ro/2 Scris de x pe 4 mai 2020",
            "---",
            "media-1.png",
            "![x](a.jpg)",
            "[sursa](#)",
            "\u00a0",
            "\u2003x",
            "Ana are mere.",
            "foto.jpg",
        ]
    ),
    max_size=16,
)


class _Everything:
    """A set that holds every character: no line looks like plain paragraph text."""

    def __contains__(self, item: object) -> bool:
        return True


@pytest.mark.skipif(
    "newsparse.parser" in compiled_modules(),
    reason="replaces the parser's own methods, which a compiled parser calls directly; "
    "the pure-Python run covers it",
)
@SETTINGS
@given(DUMP_LINES)
def test_each_line_is_read_once_knowing_what_follows(lines: list[str]) -> None:
    from newsparse import parser

    text = "\n".join(lines) or " "
    seen: list[tuple[int, str, bool]] = []
    original = parser._Parser.read_line
    markup = parser._MARKUP_INITIALS

    def read_line(
        self: parser._Parser, raw: str, line: str, index: int, heading_next: bool
    ) -> None:
        seen.append((index, line, heading_next))
        original(self, raw, line, index, heading_next)

    # With the plain-paragraph lane shut, read_line sees every line.
    parser._Parser.read_line = read_line  # type: ignore[method-assign]
    parser._MARKUP_INITIALS = _Everything()  # type: ignore[assignment]
    try:
        every_line_read = parser.parse_text(text)
    finally:
        parser._Parser.read_line = original  # type: ignore[method-assign]
        parser._MARKUP_INITIALS = markup
    expected = [
        (index, raw.strip(), next_is_heading_reference(lines, index))
        for index, raw in enumerate(lines)
        if raw.strip()
    ]
    assert seen == expected
    # The lane reads plain paragraph lines exactly as read_line does.
    assert parser.parse_text(text) == every_line_read


@SETTINGS
@given(DUMP_LINES)
def test_line_offset_shortcut(lines: list[str]) -> None:
    for raw in lines:
        line = raw.strip()
        if line:
            shortcut = 0 if raw[0] == line[0] else len(raw) - len(raw.lstrip())
            assert shortcut == len(raw) - len(raw.lstrip())


@SETTINGS
@given(
    TEXT,
    st.sampled_from(
        [".png", ".JPEG", ".tiff", ".Jfif", ".x", ".", "png", "a.jpg ", ".webp.", "İ.gif"]
    ),
)
def test_image_suffix_needs_a_dot_four_or_five_from_the_end(text: str, suffix: str) -> None:
    from newsparse.parser import _IMAGE_SUFFIXES

    for line in (text, text + suffix, text + suffix.upper()):
        if line[-5:].lower().endswith(_IMAGE_SUFFIXES):
            assert "." in line[-5:-3]


@SETTINGS
@given(st.lists(JSON_TEXT, max_size=4), JSON_TEXT, st.integers(0, 3))
def test_a_lone_article_reads_the_same_through_json_or_orjson(
    paragraphs: list[str], title: str, level: int
) -> None:
    from newsparse.exporters import json as exporter_module

    article = json_article(paragraphs, title, level)
    through_json = exporter_module._json_text(article.to_dict(), indent=2)
    assert through_json == dumps(article, indent=2) == json_reference(article.to_dict(), indent=2)


def test_only_the_first_lone_article_of_a_process_skips_orjson() -> None:
    import subprocess
    import sys

    script = (
        "import io, sys\n"
        "from newsparse import parse\n"
        "from newsparse.exporters.json import JSONExporter\n"
        "article = parse('Scris de x pe 1 mai 2020\\n\\n## T\\n\\nText.\\n').articles[0]\n"
        "texts = []\n"
        "for n in (1, 1, 2):\n"
        "    stream = io.StringIO()\n"
        "    with JSONExporter(stream) as exporter:\n"
        "        for _ in range(n):\n"
        "            exporter.write(article)\n"
        "    texts.append(stream.getvalue())\n"
        "    print('orjson' in sys.modules)\n"
        "import json\n"
        "print(texts[0] == texts[1], json.loads(texts[2]) == [json.loads(texts[0])] * 2)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.split() == ["False", "True", "True", "True", "True"]


def general_reference(folded: str, text: str) -> dates.DateResult:
    """Read a date through the general path with every clock time left to dateutil."""
    general = getattr(dates._parse_general, "__wrapped__", dates._parse_general)
    original = dates._impossible_clock
    dates._impossible_clock = lambda cleaned: False
    try:
        return general(folded, text)
    finally:
        dates._impossible_clock = original


CLOCK_WORDS = st.sampled_from(
    [
        "",
        "februarie",
        "mai",
        "2022",
        "15",
        "ora",
        "la",
        "pe",
        "luni",
        "am",
        "pm",
        ",",
        "-",
        "/",
        "10:00",
        "12",
    ]
)


@SETTINGS
@given(
    st.lists(CLOCK_WORDS, max_size=4),
    st.integers(0, 99),
    st.integers(0, 99),
    st.sampled_from([":", ": ", "."]),
    st.lists(CLOCK_WORDS, max_size=3),
)
def test_impossible_clock_says_what_dateutil_says(
    before: list[str], hour: int, minute: int, colon: str, after: list[str]
) -> None:
    clock = f"{hour}{colon}{minute:02d}"
    text = " ".join([*before, clock, *after])
    folded = dates.fold(text.strip())
    general = getattr(dates._parse_general, "__wrapped__", dates._parse_general)
    assert general(folded, text) == general_reference(folded, text)


@pytest.mark.parametrize(
    "text",
    ["15 februarie 2022, 25:61", "2022, 25:61", "25:61", "luni 30:10", "3 mai 2021, ora 12:75"],
)
def test_impossible_clock_needs_no_dateutil(text: str) -> None:
    folded = dates.fold(text.strip())
    assert dates._impossible_clock(dates._clean_for_dateutil(folded))
    general = getattr(dates._parse_general, "__wrapped__", dates._parse_general)
    found = general(folded, text)
    assert found == general_reference(folded, text)
    assert found.code == "NP202"


@SETTINGS
@given(
    st.sampled_from(["Europe/Bucharest", "UTC", "Europe/Paris"]),
    st.none() | st.text(max_size=5),
    st.none() | st.integers(0, 10**9),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.floats(0, 2e9),
)
def test_options_for_file_equals_replace(
    tz: str,
    encoding: str | None,
    max_size: int | None,
    normalize: bool,
    fix_text: bool,
    restore: bool,
    keep: bool,
    mtime: float,
) -> None:
    import dataclasses

    from newsparse import api
    from newsparse.model import ParseOptions

    options = ParseOptions(
        tz=tz,
        encoding=encoding,
        max_size=max_size,
        normalize=normalize,
        fix_text=fix_text,
        restore_diacritics=restore,
        keep_boilerplate=keep,
    )
    fast = api.options_for_file(options, mtime)
    now = dt.datetime.fromtimestamp(mtime, dt.timezone.utc)
    plain = dataclasses.replace(options, now=now, now_source="file modification time")
    assert fast == plain and repr(fast) == repr(plain) and hash(fast) == hash(plain)
    assert type(fast) is ParseOptions
