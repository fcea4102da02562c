"""`newsparse schema`: the JSON Schema of the articles JSON output holds."""

from __future__ import annotations

import click

__all__ = ["schema_command"]


@click.command("schema")
def schema_command() -> None:
    """Print the JSON Schema (draft 2020-12) of the article objects that JSON output holds.

    \b
    Examples:
      newsparse schema > article.schema.json
      mkdir -p articles && newsparse parse -f jsonl samples/ | split -l 1 -a 6 - articles/
      check-jsonschema --default-filetype json --schemafile article.schema.json articles/*
    """
    from ..schema import schema_text

    click.echo(schema_text(), nl=False)
