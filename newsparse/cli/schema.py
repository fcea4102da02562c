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
      newsparse parse -f jsonl samples/ | check-jsonschema --schemafile article.schema.json -
    """
    from ..schema import schema_text

    click.echo(schema_text(), nl=False)
