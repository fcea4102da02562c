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


class _Group(click.Group):
    """A group whose command list shows each command's whole first line, never cut."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newsparse")
def main() -> None:
    """Turn raw Romanian news dumps into clean structured data.

    `newsparse COMMAND --help` tells more of each command; docs/cli.md lists them all.

    \b
    Examples:
      newsparse parse dump.txt                   # one dump to JSON on stdout
      newsparse parse -f jsonl dumps/ > all.jsonl
      newsparse convert dumps/ -o out/ -j 4      # a tree, in parallel, incrementally
      newsparse validate --format sarif -o r.sarif dumps/
      newsparse validate --explain NP202

    \b
    Shell completion (add to the shell's start-up file):
      bash: eval "$(_NEWSPARSE_COMPLETE=bash_source newsparse)"
      zsh:  eval "$(_NEWSPARSE_COMPLETE=zsh_source newsparse)"
      fish: _NEWSPARSE_COMPLETE=fish_source newsparse | source
    """


# `newsparse --help` lists them by name.
for _command in (
    parse_command,
    validate_command,
    schema_command,
    convert_command,
    show_command,
    stats_command,
):
    main.add_command(_command)
