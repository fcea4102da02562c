"""The `newsparse` click group, with every command added to it."""

from __future__ import annotations

import click

from .. import __version__
from .convert import convert_command
from .parse import parse_command
from .schema import schema_command
from .show import show_command
from .stats import stats_command
from .validate import validate_command

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsparse")
def main() -> None:
    """Turn raw Romanian news dumps into clean structured data."""


# `newsparse --help` lists them by name.
for _command in (parse_command, validate_command, schema_command, convert_command,
                 show_command, stats_command):
    main.add_command(_command)
