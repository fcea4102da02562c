"""Streaming a dump in chunks gives exactly what parsing it whole gives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import newsparse
from newsparse.api import parse_stream

from .golden import NOW, case_options, cases


def streamed(
    data: bytes, chunk_size: int, options: newsparse.ParseOptions | None = None
) -> tuple[list[dict], list[newsparse.Diagnostic]]:
    # Relative dates are read against one reference time, not the clock, which could tick
    # between the whole read and the streamed one.
    options = options or newsparse.ParseOptions(now=NOW)
    results = list(parse_stream(io.BytesIO(data), path="x", options=options, chunk_size=chunk_size))
    articles = [a.to_dict() for r in results for a in r.articles]
    return articles, [d for r in results for d in r.diagnostics]


@pytest.mark.parametrize("case", cases(), ids=lambda p: p.stem)
@pytest.mark.parametrize("chunk_size", [1, 13, 4096])
def test_stream_equals_whole(case: Path, chunk_size: int) -> None:
    data = case.read_bytes()
    options = case_options(case)
    whole = newsparse.parse(data, path="x", options=options)
    articles, diagnostics = streamed(data, chunk_size, options)
    assert articles == [a.to_dict() for a in whole.articles]
    assert diagnostics == whole.diagnostics


def test_stream_of_concatenated_dumps_keeps_true_line_numbers() -> None:
    one = (Path(__file__).parent / "data" / "reference.txt").read_bytes() + b"\n"
    data = one * 50
    whole = newsparse.parse(data, path="x", options=newsparse.ParseOptions(now=NOW))
    articles, diagnostics = streamed(data, 1000)
    assert len(articles) == 50
    assert [a["line"] for a in articles] == [a.line for a in whole.articles]
    assert articles[49]["line"] == 3 + 49 * 31
    assert diagnostics == whole.diagnostics
