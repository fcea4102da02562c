"""The canonical dump writer: what it writes parses back into the same articles.

The generated articles keep to what the dump layout can hold; the limits (and the parser
rules behind them, such as the rejoining of broken paragraphs) are listed beside
`dump_articles` in `article_strategies.py`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import newsparse
from newsparse.exporters.dump import DumpExporter, format_byline, render_dump
from newsparse.model import Article, Block, Image

from .article_strategies import dump_articles
from .conftest import SEED

CONTENT = ("title", "author", "published", "updated", "source", "source_url", "url", "blocks")


def content(article: Article) -> dict[str, Any]:
    """Return the fields a dump carries (not where the article was read from)."""
    data = article.to_dict()
    return {key: data[key] for key in CONTENT}


def dump(articles: list[Article]) -> str:
    stream = io.StringIO()
    exporter = DumpExporter(stream)
    for article in articles:
        exporter.write(article)
    exporter.close()
    return stream.getvalue()


def test_seed_dump_is_the_reference_layout_made_regular() -> None:
    article = newsparse.parse_file(SEED).articles[0]
    text = render_dump(article)
    lines = text.split("\n")
    assert lines[0] == "Scris de newsreporter pe 15 august 2022, 09:13"
    assert lines[2].startswith("## Vladimir Putin, scrisoare pentru pentru Kim Jong Un")
    assert "\nmedia-165828855573329500 (1).png\n\n---\n" in text
    # The broken paragraph is written whole, on one line.
    assert "semnat in 2019, cand s-a intalnit cu presedintele Putin.\n" in text
    assert text.endswith("\n\n[stiripesurse](#)\n\nADRESA: <http://crct.ro/nA18>\n")
    again = newsparse.parse(text)
    assert [content(a) for a in again.articles] == [content(article)]
    assert not again.has_errors


def test_byline_months_and_times() -> None:
    winter = Article("t", author="Ana Pop", published=dt.datetime(2021, 1, 5, 7, 4))
    assert format_byline(winter) == "Scris de Ana Pop pe 5 ianuarie 2021, 07:04"
    dated = Article("t", published=dt.date(2020, 12, 31), updated=dt.date(2021, 3, 1))
    assert format_byline(dated) == "Scris de pe 31 decembrie 2020 / actualizat: 1 martie 2021"
    assert format_byline(Article("t", author="Ana")) is None


def test_images_are_bare_only_when_the_parser_reads_them_back_bare() -> None:
    blocks = (
        Block("image", image=Image("media-1 (2).png")),
        Block("image", image=Image("poza mare.jpg", "Un „titlu”")),
        Block("image", image=Image("x.PNG", None)),
        Block("image", image=Image("a(1)b.webp")),
    )
    text = render_dump(Article("T", published=dt.date(2020, 1, 1), blocks=blocks))
    assert "\n\nmedia-1 (2).png\n\n" in text
    assert "\n\n![Un „titlu”](<poza mare.jpg>)\n\n" in text
    assert "\n\n![](<a(1)b.webp>)\n" in text
    parsed = newsparse.parse(text).articles[0]
    assert [b.image for b in parsed.blocks] == [b.image for b in blocks]


#: Boilerplate-shaped paragraphs stay paragraphs, as the generated articles have them.
AS_FOUND = newsparse.ParseOptions(keep_boilerplate=True)


def test_boilerplate_blocks_survive_the_dump_round_trip() -> None:
    source = (
        "Scris de Ana Pop pe 1 mai 2020, 10:00\n\n## Titlu\n\nText aici.\n\n"
        "Citește și: Alt titlu inventat\n\nmedia-1.png\n\nFoto: Ion Pop\n\n"
        "Alt paragraf.\n\n[s](#)\n\nADRESA: <http://a.ro/1>"
    )
    [article] = newsparse.parse(source).articles
    assert [b.kind for b in article.blocks] == ["paragraph", "related", "image", "paragraph"]
    assert article.images[0].caption == "Foto: Ion Pop"
    [again] = newsparse.parse(render_dump(article)).articles
    assert content(again) == content(article)


@settings(max_examples=100, deadline=None)
@given(dump_articles)
def test_dump_parses_back_to_the_same_article(article: Article) -> None:
    text = render_dump(article)
    # The generated paragraphs are any text, some shaped like a photo credit or a "read
    # also" line; a dump cannot say they were paragraphs, so they are read back as found.
    result = newsparse.parse(text, options=AS_FOUND)
    assert [content(a) for a in result.articles] == [content(article)], text


@settings(max_examples=40, deadline=None)
@given(st.lists(dump_articles, min_size=2, max_size=4))
def test_concatenated_dumps_parse_back_article_by_article(articles: list[Article]) -> None:
    text = dump(articles)
    assert text == "\n".join(render_dump(a) for a in articles)
    result = newsparse.parse(text, options=AS_FOUND)
    assert [content(a) for a in result.articles] == [content(a) for a in articles], text


@settings(max_examples=30, deadline=None)
@given(st.lists(dump_articles, min_size=1, max_size=3))
def test_dumps_glued_by_cat_parse_back(articles: list[Article]) -> None:
    # `cat a.txt b.txt`: each canonical dump ends with a newline, so nothing glues.
    text = "".join(render_dump(a) for a in articles)
    result = newsparse.parse(text, options=AS_FOUND)
    assert [content(a) for a in result.articles] == [content(a) for a in articles], text


def test_cli_dump_of_a_dump_is_stable(tmp_path) -> None:
    from click.testing import CliRunner

    from newsparse.cli import main

    runner = CliRunner()
    first = runner.invoke(main, ["parse", "-q", "-f", "dump", str(SEED)])
    assert first.exit_code == 0
    assert first.stderr == ""
    canonical = tmp_path / "canonical.txt"
    canonical.write_bytes(first.stdout_bytes * 2)  # `cat x x`
    second = runner.invoke(main, ["parse", "-q", "-f", "dump", str(canonical)])
    assert second.exit_code == 0
    assert second.stdout == first.stdout + "\n" + first.stdout
    as_json = runner.invoke(main, ["parse", "-f", "jsonl", str(canonical)])
    records = [json.loads(line) for line in as_json.stdout.splitlines()]
    original = newsparse.parse_file(SEED).articles[0]
    assert [{k: r[k] for k in CONTENT} for r in records] == [content(original)] * 2
    assert as_json.exit_code == 0
    assert "NP304" not in as_json.stderr  # the broken paragraph was written whole
