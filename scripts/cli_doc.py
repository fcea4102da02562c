"""Write docs/cli.md from the click commands themselves (run after changing an option)."""

from __future__ import annotations

import inspect
import sys
from pathlib import Path

import click

PAGE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"


def find_group() -> click.Group:
    """Return the click group behind the `newsparse` console script."""
    import newsparse.cli as cli

    for name in ("main", "cli", "group"):
        candidate = getattr(cli, name, None)
        if isinstance(candidate, click.Group):
            return candidate
    for candidate in vars(cli).values():
        if isinstance(candidate, click.Group):
            return candidate
    raise SystemExit("no click group in newsparse.cli")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _option_row(param: click.Parameter, context: click.Context) -> str:
    names = ", ".join(f"`{opt}`" for opt in [*param.opts, *param.secondary_opts])
    record = param.get_help_record(context) if isinstance(param, click.Option) else None
    help_text = record[1] if record else ""
    if isinstance(param, click.Option) and not param.is_flag and not param.count:
        names += f" `{param.make_metavar(context)}`"
    return f"| {_cell(names)} | {_cell(help_text)} |"


def command_section(name: str, command: click.Command, parent: click.Context) -> list[str]:
    """Return the Markdown lines that describe one command."""
    context = click.Context(command, info_name=name, parent=parent)
    usage = " ".join(command.collect_usage_pieces(context))
    lines = [
        f"## `newsparse {name}`",
        "",
        "```text",
        f"newsparse {name} {usage}".rstrip(),
        "```",
        "",
    ]
    for paragraph in inspect.cleandoc(command.help or "").split("\n\n"):
        paragraph = paragraph.replace("\b\n", "").strip()
        if paragraph.startswith("Examples:"):
            examples = [line.strip() for line in paragraph.splitlines()[1:] if line.strip()]
            lines += ["Examples:", "", "```sh", *examples, "```", ""]
        elif paragraph:
            lines += [" ".join(paragraph.split()), ""]
    options = [p for p in command.get_params(context) if isinstance(p, click.Option)]
    if options:
        lines += ["| option | meaning |", "|---|---|"]
        lines += [_option_row(p, context) for p in options]
        lines.append("")
    return lines


def markdown_page() -> str:
    """Return docs/cli.md as the commands describe themselves."""
    group = find_group()
    root = click.Context(group, info_name="newsparse")
    lines = [
        "# Command-line reference",
        "",
        "Generated from the commands by `python scripts/cli_doc.py`; "
        "`newsparse COMMAND --help` prints the same.",
        "",
    ]
    for name in group.list_commands(root):
        command = group.get_command(root, name)
        if command is not None and not command.hidden:
            lines += command_section(name, command, root)
    return "\n".join(lines).rstrip() + "\n"


def main() -> int:
    """Write the page, or with --check tell whether it is up to date (exit 1 if not)."""
    text = markdown_page()
    if "--check" in sys.argv[1:]:
        current = PAGE.read_text(encoding="utf-8") if PAGE.exists() else ""
        if current != text:
            print(f"{PAGE} is out of date: run python scripts/cli_doc.py", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
