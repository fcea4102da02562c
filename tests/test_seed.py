"""The reference dump gives exactly the values the public contract documents."""

from __future__ import annotations

import json

from click.testing import CliRunner

import newsparse
from newsparse.cli import main

from .conftest import SEED

TITLE = "Vladimir Putin, scrisoare pentru pentru Kim Jong Un: relatiile bilaterale vor fi extinse"
FIFTH = (
    "Kim Jong Un a prezis ca aceasta cooperare va creste pe baza unui acord semnat in "
    "2019, cand s-a intalnit cu presedintele Putin."
)


def check_contract(article: dict, file: str | None) -> None:
    assert article["title"] == TITLE
    assert article["author"] == "newsreporter"
    assert article["published"] == "2022-08-15T09:13:00+03:00"
    assert len(article["paragraphs"]) == 7
    assert article["paragraphs"][4] == FIFTH
    assert article["paragraphs"][1].startswith("intr-o scrisoare")
    assert article["images"] == [{"file": "media-165828855573329500 (1).png", "caption": None}]
    assert article["source"] == "stiripesurse"
    assert article["url"] == "http://crct.ro/nA18"
    assert article["file"] == file
    assert article["line"] == 3
    kinds = [block["type"] for block in article["blocks"]]
    assert kinds == ["paragraph", "image", "separator"] + ["paragraph"] * 6


def test_library_reads_the_seed() -> None:
    result = newsparse.parse_file(SEED)
    assert len(result.articles) == 1
    check_contract(result.articles[0].to_dict(), str(SEED))
    codes = [(d.code, d.line) for d in result.diagnostics]
    assert codes == [("NP305", 5), ("NP304", 23)]
    assert not result.has_errors
    assert result.encoding == "utf-8"


def test_cli_parse_file_prints_one_object() -> None:
    result = CliRunner().invoke(main, ["parse", str(SEED)])
    assert result.exit_code == 0, result.output
    check_contract(json.loads(result.stdout), str(SEED))
    assert "NP305" in result.stderr


def test_cli_parse_stdin_has_null_file() -> None:
    result = CliRunner().invoke(main, ["parse"], input=SEED.read_bytes())
    assert result.exit_code == 0
    check_contract(json.loads(result.stdout), None)
    assert result.stderr.startswith("<stdin>:5:30: NP305")
