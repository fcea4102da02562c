"""The `newsparse` click group; each command's module is imported only when it is needed."""

from __future__ import annotations

import importlib

import click

from .. import __version__

__all__ = ["COMMANDS", "main"]

#: Every command (`newsparse --help` lists them by name): name -> (module, attribute).
#: A command's module (and what it imports) is loaded only when that command runs, or
#: when help, completion or the reference page need its options.
COMMANDS = {
    "parse": ("newsparse.cli.parse", "parse_command"),
    "validate": ("newsparse.cli.validate", "validate_command"),
    "schema": ("newsparse.cli.schema", "schema_command"),
    "convert": ("newsparse.cli.convert", "convert_command"),
    "show": ("newsparse.cli.show", "show_command"),
    "stats": ("newsparse.cli.stats", "stats_command"),
}


class _Group(click.Group):
    """The commands of COMMANDS, loaded on first use; the command list shows whole lines."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            module, attribute = COMMANDS[cmd_name]
            command = getattr(importlib.import_module(module), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

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
