"""Markdown specifics: safe YAML scalars, escaped text, images, and several articles."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from newsparse.cli import main
from newsparse.exporters.markdown import escape_text, render_article, yaml_string
from newsparse.model import Article, Block, Image

from .conftest import SEED
from .readback import export, markdown_blocks, split_markdown


@pytest.mark.parametrize(
    "value",
    [
        'a "quoted" title',
        "key: value",
        "# not a comment",
        "- not a list",
        "---",
        "...",
        "line\nbreak",
        "tab\there",
        "back\\slash",
        "null",
        "true",
        "1.5",
        "2022-08-15",
        "Președintele „a spus”",
        "Москва",
        "😀",
        "\x00\x07\x1b\x7f\x85\u2028\u2029\ufeff",
        "  spaces  ",
        "",
        "'single'",
        "{flow}",
        "[list]",
        "&anchor",
        "*alias",
        "!tag",
        "%",
        "@",
        "`",
        "|",
        ">",
        "\ud800",
    ],
)
def test_yaml_string_reads_back_with_pyyaml(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(value)}") == {"key": value}


@given(st.text())
def test_yaml_string_reads_back_for_any_text(value: str) -> None:
    assert yaml.safe_load(f"key: {yaml_string(value)}\nnext: 1") == {"key": value, "next": 1}


def test_yaml_string_is_one_line_and_null_for_none() -> None:
    assert yaml_string(None) == "null"
    assert yaml_string("a\nb\r\n") == '"a\\nb\\r\\n"'


def test_seed_document() -> None:
    text = CliRunner().invoke(main, ["parse", "-q", "-f", "md", str(SEED)]).stdout
    assert text.startswith(
        '---\ntitle: "Vladimir Putin, scrisoare pentru pentru Kim Jong Un: relatiile bilaterale '
        'vor fi extinse"\nauthor: "newsreporter"\ndate: "2022-08-15T09:13:00+03:00"\n'
    )
    assert '\nimages:\n  - "media-165828855573329500 (1).png"\n---\n\n# Vladimir Putin' in text
    assert "\n\n![](<media-165828855573329500 (1).png>)\n\n---\n\nintr-o scrisoare" in text


def test_blocks_in_order_with_their_markdown() -> None:
    article = Article(
        "Titlu #",
        published=dt.datetime(2020, 1, 2, 3, 4),
        blocks=(
            Block("paragraph", text="- nu e listă; 1. nici asta"),
            Block("image", image=Image("a b(1).png", "Foto [arhivă]")),
            Block("image", image=Image("simplu.jpg")),
            Block("separator"),
            Block("heading", text="Subtitlu", level=3),
            Block("paragraph", text="---"),
        ),
    )
    body = render_article(article).split("---\n", 2)[2]
    assert body == (
        "\n# Titlu \\#\n\n\\- nu e listă; 1. nici asta\n\n![Foto \\[arhivă\\]](<a b(1).png>)\n\n"
        "![](simplu.jpg)\n\n---\n\n### Subtitlu\n\n\\---\n"
    )
    assert [b["type"] for b in markdown_blocks(body)] == [
        "heading",
        "paragraph",
        "image",
        "image",
        "separator",
        "heading",
        "paragraph",
    ]


def test_escape_text_keeps_words_not_whitespace() -> None:
    assert escape_text("  a  \n\n  b\t") == "a\nb"
    assert escape_text("=cmd|' /C calc'!A0") == "\\=cmd\\|' /C calc'!A0"
    assert escape_text("12) x") == "12\\) x"


def test_several_articles_each_open_their_own_front_matter() -> None:
    first = Article("Unu", blocks=(Block("separator"), Block("paragraph", text="title: x")))
    second = Article("Doi", author="Ana")
    text = export([first, second], "markdown")
    assert text.count("\n---\ntitle: ") == 1
    assert text.startswith("---\ntitle: ")
    documents = split_markdown(text)
    assert [front["title"] for front, _ in documents] == ["Unu", "Doi"]
    assert markdown_blocks(documents[0][1])[-1] == {"type": "paragraph", "text": "title: x"}


@pytest.mark.parametrize("title", ["#", "##", "a #", "a \\#", "a\\", "\\#", "# a #", "a \\\\#"])
def test_a_heading_ending_in_a_hash_reads_back_as_written(title: str) -> None:
    body = render_article(Article(title)).split("---\n", 2)[2]
    assert markdown_blocks(body) == [{"type": "heading", "level": 1, "text": title}]
