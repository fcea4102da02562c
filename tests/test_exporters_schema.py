"""The article JSON Schema: valid, shipped, printed by `newsparse schema`, in step with to_dict."""

from __future__ import annotations

import json

import jsonschema
import pytest
from click.testing import CliRunner

import newsparse
from newsparse.cli import main
from newsparse.model import SCHEMA_VERSION, Article
from newsparse.schema import load_schema

from .conftest import SEED


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_version_matches_the_model() -> None:
    schema = load_schema()
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert Article("t").to_dict()["schema_version"] == SCHEMA_VERSION


def test_schema_lists_exactly_the_keys_of_to_dict() -> None:
    schema = load_schema()
    keys = list(Article("t").to_dict())
    assert sorted(schema["required"]) == sorted(keys)
    # The text as found appears only when a repair changed it, so it is not required.
    restored = Article(
        "t", title_original="t", paragraphs_original=("p",), captions_original=(None,)
    )
    assert sorted(schema["properties"]) == sorted(restored.to_dict())


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    assert result.stderr == ""
    assert json.loads(result.stdout) == load_schema()


def test_cli_jsonl_output_validates(tmp_path) -> None:
    result = CliRunner().invoke(main, ["parse", "-q", "-f", "jsonl", str(SEED)])
    assert result.exit_code == 0
    validator = jsonschema.Draft202012Validator(load_schema())
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    validator.validate(json.loads(lines[0]))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("schema_version", "2"),
        ("published", "15 august 2022"),
        ("line", 0),
        ("blocks", [{"type": "quote", "text": "x"}]),
        ("images", [{"file": 1, "caption": None}]),
    ],
)
def test_schema_rejects_wrong_values(key: str, value: object) -> None:
    record = newsparse.parse_file(SEED).articles[0].to_dict()
    record[key] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(load_schema()).validate(record)
