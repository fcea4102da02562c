"""Property tests: parse never raises, and what it reports points inside the input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.codes import CODES
from newsparse.parser import split_lines

from .conftest import SEED

SEED_LINES = SEED.read_text(encoding="utf-8").split("\n")
FRAGMENTS = st.sampled_from(
    [
        "Scris de ana pe 1 mai 2020, 10:00",
        "## Titlu",
        "---",
        "ADRESA: <http://x.ro/1>",
        "[sursa](#)",
        "media-1 (2).png",
        "![c](m.jpg)",
        "",
        "De Ion la 3 mai 2021",
        "### h",
        "Scris de x pe 31 februarie 2022",
        "ADRESA: http://a.ro/bScris de y pe 2 iunie 2021",
        "text fara punct",
        "Text.",
        "\x00",
        "\r",
        "\ufeff",
        "#",
        "[",
        "![",
        "Scris de ",
    ]
)
SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check(result: newsparse.ParseResult, text: str) -> None:
    lines = split_lines(text.replace("\x00", "")) if text else [""]
    for diagnostic in result.diagnostics:
        assert 1 <= diagnostic.line <= max(len(lines), 1), diagnostic
        assert diagnostic.column >= 1, diagnostic
        assert diagnostic.code in CODES
    for article in result.articles:
        assert 1 <= article.line <= max(len(lines), 1)
        article.to_dict()


@SETTINGS
@given(st.text())
def test_parse_never_raises_on_text(text: str) -> None:
    check(newsparse.parse(text), text)


@SETTINGS
@given(st.binary())
def test_parse_never_raises_on_bytes(data: bytes) -> None:
    result = newsparse.parse(data)
    for diagnostic in result.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1


@SETTINGS
@given(st.lists(FRAGMENTS | st.text(max_size=30), max_size=40))
def test_parse_never_raises_on_dump_like_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    check(newsparse.parse(text), text)


@SETTINGS
@given(st.data())
def test_mutated_reference_dump(data: st.DataObject) -> None:
    lines = list(SEED_LINES)
    for _ in range(data.draw(st.integers(0, 6))):
        if not lines:
            break
        index = data.draw(st.integers(0, len(lines) - 1))
        action = data.draw(st.sampled_from(["drop", "duplicate", "swap", "cut", "insert"]))
        if action == "drop":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = data.draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "cut":
            lines[index] = lines[index][: data.draw(st.integers(0, len(lines[index])))]
            del lines[index + 1 :]
        else:
            lines.insert(index, data.draw(FRAGMENTS))
    text = "\n".join(lines)
    check(newsparse.parse(text), text)
    check(newsparse.parse(text.encode("utf-8")), text)
