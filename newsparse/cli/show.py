"""`newsparse show`: articles laid out for reading on a terminal, or as plain text in a pipe."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass

import click

from ..api import check_options
from ..console import escape_control
from ..errors import InvalidOption
from ..exporters.dump import MONTH_NAMES as MONTHS
from ..filters import ArticleFilter, FilterOptions
from ..model import Article, Diagnostic, ParseOptions, PartialDate, Timestamp
from ..reading import discover
from . import options as shared
from .errors import ExitStatus, stopping_cleanly, usage_errors
from .files import parse_entries

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, TextIO

__all__ = ["Line", "article_lines", "romanian_date", "show_command"]

WEEKDAYS = ("luni", "marți", "miercuri", "joi", "vineri", "sâmbătă", "duminică")
#: A URL that may become a terminal hyperlink: http(s), printable ASCII only, no spaces.
_PLAIN_URL = re.compile(r"https?://[!#-~]+", re.ASCII)


def romanian_date(value: Timestamp) -> str:
    """Return VALUE in Romanian words: `luni, 15 august 2022, 09:13` (no time for a date)."""
    if isinstance(value, PartialDate):  # `mai 2011`, `2011`
        return f"{MONTHS[value.month - 1]} {value.year}" if value.month else str(value.year)
    text = f"{WEEKDAYS[value.weekday()]}, {value.day} {MONTHS[value.month - 1]} {value.year}"
    if isinstance(value, dt.datetime):
        text += f", {value.hour:02d}:{value.minute:02d}"
    return text


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an article as shown: what it is, its text (safe to print) and its link."""

    kind: str  # location, title, byline, paragraph, heading, image, rule, url, diagnostic, blank
    text: str = ""
    link: str | None = None


def _link(url: str | None) -> str | None:
    return url if url is not None and _PLAIN_URL.fullmatch(url) else None


def article_lines(
    article: Article, diagnostics: list[Diagnostic], *, location: bool = True
) -> list[Line]:
    """Return the lines showing ARTICLE and, after it, its DIAGNOSTICS.

    Every text from the dump has its control characters made visible (`\\x1b`), so a
    hostile dump cannot move the cursor, retitle the terminal or reorder a line.
    """
    safe = escape_control
    lines: list[Line] = []
    if location:
        lines.append(Line("location", safe(f"{article.file or '<stdin>'}:{article.line}")))
    lines.append(Line("title", safe(article.title) if article.title else "(no title)"))
    byline = [
        safe(article.author) if article.author else None,
        romanian_date(article.published) if article.published is not None else None,
    ]
    if article.updated is not None:
        byline.append(f"actualizat: {romanian_date(article.updated)}")
    if article.source:
        byline.append(safe(article.source))
    parts = [part for part in byline if part]
    if parts:
        lines.append(Line("byline", " · ".join(parts), _link(article.source_url)))
    for block in article.blocks:
        lines.append(Line("blank"))
        if block.kind == "paragraph":
            lines.append(Line("paragraph", safe(block.text or "")))
        elif block.kind == "heading":
            lines.append(Line("heading", safe(block.text or "")))
        elif block.kind == "image" and block.image is not None:
            caption = f" — {block.image.caption}" if block.image.caption else ""
            lines.append(Line("image", safe(f"[imagine: {block.image.file}{caption}]")))
        else:
            lines.append(Line("rule"))
    if article.url:
        lines.append(Line("blank"))
        lines.append(Line("url", safe(article.url), _link(article.url)))
    if diagnostics:
        lines.append(Line("blank"))
        for diagnostic in diagnostics:
            lines.append(
                Line(
                    "diagnostic",
                    safe(
                        f"{diagnostic.severity.value} {diagnostic.line}:{diagnostic.column} "
                        f"{diagnostic.code} {diagnostic.message}"
                    ),
                )
            )
    return lines


def _plain(lines: list[Line], stream: TextIO) -> None:
    """Write LINES as plain text: one line per paragraph, nothing but the text."""
    for line in lines:
        if line.kind == "location":
            stream.write(f"==> {line.text} <==\n")
        elif line.kind == "rule":
            stream.write("* * *\n")
        elif line.kind == "url":
            stream.write(f"ADRESA: {line.text}\n")
        elif line.kind == "diagnostic":
            stream.write(f"! {line.text}\n")
        else:
            stream.write(line.text + "\n")


class _Screen:
    """Lines drawn with rich for a terminal of a given width, collected as text with escapes."""

    def __init__(self, width: int, *, styled: bool) -> None:
        import io

        from rich.console import Console

        # What the real terminal can show (colours, NO_COLOR); nothing but text otherwise.
        probe = Console() if styled else None
        colors: Any = probe.color_system if probe else None
        self.console = Console(
            file=io.StringIO(),
            force_terminal=styled,
            width=width,
            color_system=colors,
            no_color=probe.no_color if probe else True,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
        )

    def render(self, lines: list[Line]) -> str:
        """Return LINES laid out to the width, with styles and hyperlinks."""
        from rich.rule import Rule
        from rich.style import Style
        from rich.text import Text

        styles = {
            "title": "bold",
            "byline": "italic",
            "heading": "bold underline",
            "image": "cyan",
            "diagnostic": "dim",
            "location": "dim",
        }
        console = self.console
        with console.capture() as capture:
            for line in lines:
                if line.kind == "rule":
                    console.print(Rule(style="dim"))
                elif line.kind == "location":
                    console.print(Rule(Text(line.text), style="dim", align="left"))
                elif line.kind == "url":
                    url = Text(line.text, style=Style(link=line.link) if line.link else "")
                    console.print(Text.assemble(("ADRESA: ", "dim"), url))
                elif line.kind == "diagnostic":
                    console.print(Text("! " + line.text, style="dim"))
                else:
                    style: str | Style = styles.get(line.kind, "")
                    if line.link:
                        style = Style.parse(styles.get(line.kind) or "none") + Style(link=line.link)
                    console.print(Text(line.text, style=style))
        return capture.get()


class _Pager:
    """Print to the terminal; once the output outgrows the screen, send it all to a pager."""

    def __init__(self, height: int, enabled: bool) -> None:
        self.height = height
        self.enabled = enabled
        self.held: list[str] = []
        self.lines = 0
        self.process: Any = None

    def write(self, text: str) -> None:
        if self.process is not None:
            self.process.stdin.write(text)
            return
        if not self.enabled:
            sys.stdout.write(text)
            return
        self.held.append(text)
        self.lines += text.count("\n")
        if self.lines >= self.height:
            self._start()

    def _start(self) -> None:
        import shlex
        import subprocess

        command = os.environ.get("PAGER") or "less"
        env = dict(os.environ)
        env.setdefault("LESS", "FRX")  # colours pass, short output quits at once
        try:
            self.process = subprocess.Popen(
                shlex.split(command), stdin=subprocess.PIPE, env=env, text=True, encoding="utf-8"
            )
        except (OSError, ValueError):
            self.enabled = False  # no pager: print on
        held, self.held = "".join(self.held), []
        self.write(held)

    def close(self) -> None:
        if self.process is None:
            sys.stdout.write("".join(self.held))
            sys.stdout.flush()
            return
        with contextlib.suppress(BrokenPipeError):  # the pager was quit early
            self.process.stdin.close()
        self.process.wait()


def _is_terminal(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _chosen(
    results: Iterator[tuple[Article, list[Diagnostic]]], *, article: int | None, line: int | None
) -> Iterator[tuple[Article, list[Diagnostic]]]:
    """Yield the articles --article and --line pick (all of them when neither is given)."""
    number = 0
    for found, diagnostics in results:
        number += 1
        if article is not None and number != article:
            continue
        if line is not None and not found.line <= line <= max(found.end_line, found.line):
            continue
        yield found, diagnostics
        if article is not None:
            return


@click.command("show")
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True, readable=False))
@click.option(
    "--article",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Show only the Nth article (counted after the filters, from 1).",
)
@click.option(
    "--line",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Show only the article of each input that holds line N.",
)
@click.option(
    "--pager/--no-pager",
    default=True,
    show_default=True,
    help="Page output longer than the screen (on a terminal only; $PAGER, else less).",
)
@click.option(
    "--width",
    type=click.IntRange(min=20),
    default=None,
    metavar="COLUMNS",
    help="Wrap to this width.  [default: the terminal's; no wrapping in a pipe]",
)
@shared.quiet_option("Do not show diagnostics.")
@shared.filter_options
@shared.reading_options
@usage_errors
def show_command(
    paths: tuple[str, ...],
    article: int | None,
    line: int | None,
    pager: bool,
    width: int | None,
    quiet: bool,
    filters: FilterOptions,
    options: ParseOptions,
    pattern: str,
) -> None:
    """Show articles for reading: title, byline, paragraphs, images and address.

    PATHS are read as `parse` reads them (standard input when none is given). On a
    terminal paragraphs wrap to its width, links are clickable and long output goes
    to a pager; in a pipe the output is plain text, one line per paragraph. Each
    article's diagnostics follow it, dimmed. Control characters from the dump are
    shown as `\\x1b`, never sent to the terminal.

    \b
    Examples:
      newsparse show samples/000_c61b72992829a382.txt
      newsparse show dumps/ --author 'ion popescu' --since 2023-01-01
      newsparse show all.txt --article 3
      newsparse show dump.txt --line 120 --no-pager
    """
    from ..console import tolerate_unencodable

    tolerate_unencodable()
    import shutil

    check_options(options)
    check_article_options(article, line)
    selector = ArticleFilter(filters)
    inputs = list(paths) or ["-"]
    terminal = _is_terminal(sys.stdout)
    if "-" in inputs and _is_terminal(sys.stdin):
        click.echo("newsparse: reading a dump from the terminal (end with Ctrl-D)", err=True)
    size = shutil.get_terminal_size()
    screen = None
    if terminal or width is not None:
        screen = _Screen(width or size.columns, styled=terminal)
    output = _Pager(size.lines, enabled=terminal and pager)
    shown = 0
    had_errors = False

    def articles() -> Iterator[tuple[Article, list[Diagnostic]]]:
        nonlocal had_errors
        from ..stats import split_diagnostics

        for result in parse_entries(discover(inputs, pattern=pattern), options, pattern):
            had_errors = had_errors or result.has_errors
            per_article, outside = split_diagnostics(result.articles, result.diagnostics)
            if outside and not quiet:
                output.write(
                    _render(
                        [Line("diagnostic", escape_control(d.format())) for d in outside], screen
                    )
                )
            for found, diagnostics in zip(result.articles, per_article, strict=True):
                if selector.keep(found):
                    yield found, [] if quiet else diagnostics

    with stopping_cleanly("standard output"):
        try:
            for found, diagnostics in _chosen(articles(), article=article, line=line):
                text = _render(article_lines(found, diagnostics), screen)
                output.write(("\n" if shown else "") + text)
                shown += 1
        finally:
            output.close()
    if filters.active and not quiet and article is None:  # --article stops reading early
        click.echo(f"newsparse: {selector.counts.describe()}", err=True)
    if not shown:
        what = (
            f"no article {article}"
            if article is not None
            else (f"no article holds line {line}" if line is not None else "no articles")
        )
        click.echo(f"newsparse: {what} ({selector.counts.kept:,} articles found)", err=True)
        sys.exit(ExitStatus.PROBLEMS)
    sys.exit(ExitStatus.PROBLEMS if had_errors else ExitStatus.OK)


def _render(lines: list[Line], screen: _Screen | None) -> str:
    if screen is not None:
        return screen.render(lines)
    import io

    buffer = io.StringIO()
    _plain(lines, buffer)
    return buffer.getvalue()


def check_article_options(article: int | None, line: int | None) -> None:
    """Raise InvalidOption when --article and --line are both given."""
    if article is not None and line is not None:
        raise InvalidOption("give --article or --line, not both")
