"""The options several commands share, each defined once as a decorator.

A command takes what it needs: `reading_options` adds --tz, --encoding, --glob and
--max-size and hands the command one `options: ParseOptions` (and `pattern`);
`csv_options` hands it `exporting: ExportOptions`. A new option that every reading
command should know (a reference time, a filter) goes into one of these, once.
Values are checked by the library when the command runs (`check_options`,
`check_export_options`), so a bad value is the same usage error everywhere.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

import click

from ..exporters import ExportOptions, exporter_names
from ..filters import FilterOptions
from ..model import DEFAULT_DEDUPE_THRESHOLD, DEFAULT_MAX_SIZE, DEFAULT_TIMEZONE, ParseOptions
from .files import DEFAULT_PATTERN

__all__ = [
    "ByteSize",
    "CodeList",
    "ReferenceTime",
    "check_export_options_named",
    "color_option",
    "csv_options",
    "dedupe_options",
    "export_format_option",
    "filter_options",
    "format_option",
    "jobs_option",
    "output_option",
    "quiet_option",
    "reading_options",
]

_Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


class ByteSize(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A size in bytes: 50MB (10**6), 50MiB or 50M (2**20), 512k, 1000000; 0 means no limit.

    KB, MB and GB are powers of 1000; KiB, MiB and GiB, and the bare K, M and G, powers
    of 1024 (as GNU tools read them). Case does not matter; a `B` alone is bytes.
    """

    name = "size"
    _UNITS: ClassVar[dict[str, int]] = {
        "": 1,
        "b": 1,
        "k": 1024,
        "kib": 1024,
        "kb": 1000,
        "m": 1024**2,
        "mib": 1024**2,
        "mb": 1000**2,
        "g": 1024**3,
        "gib": 1024**3,
        "gb": 1000**3,
    }

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip().lower().replace(" ", "")
        number = text.rstrip("kmgib")
        unit = text[len(number) :]
        try:
            amount = float(number) * self._UNITS[unit]
            size = int(amount)
        except (ValueError, KeyError, OverflowError):
            self.fail(f"{value!r} is not a size like 50MB, 50MiB, 512k or 1000000", param, ctx)
        if amount < 0 or (amount > 0 and size == 0):
            self.fail(
                f"{value!r} is not a size of at least one byte (or 0 for no limit)", param, ctx
            )
        return size


class CodeList(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """Comma-separated codes, prefixes or names (`NP201,NP3,doubled-word`), checked."""

    name = "codes"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        from ..codes import CODES

        by_name = {code.name: code.code for code in CODES.values()}
        prefixes = tuple(
            by_name.get(part.strip().lower(), part.strip().upper())
            for part in str(value).split(",")
            if part.strip()
        )
        for prefix in prefixes:
            if prefix != "ALL" and not any(code.startswith(prefix) for code in CODES):
                self.fail(
                    f"{prefix!r} is not a diagnostic code, a prefix or name of one "
                    "(see docs/diagnostics.md)",
                    param,
                    ctx,
                )
        return prefixes


def _stacked(decorators: Sequence[_Decorator]) -> _Decorator:
    """Apply DECORATORS as if written one above the other, the first on top (in --help too)."""

    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


def format_option(
    choices: Sequence[str], *, default: str | None, help: str, **settings: Any
) -> _Decorator:
    """Add `-f/--format` (the command receives `format_name`), one of CHOICES."""
    return click.option(
        "-f",
        "--format",
        "format_name",
        default=default,
        help=help,
        type=click.Choice(list(choices), case_sensitive=False),
        **settings,
    )


def export_format_option(
    *, default: str | None, help: str = "Output format.", **settings: Any
) -> _Decorator:
    """Add `-f/--format` choosing an output format of the exporters registry."""
    return format_option(exporter_names(), default=default, help=help, **settings)


def output_option(
    help: str, *, metavar: str = "FILE", dest: str = "output", default: str | None = "-"
) -> _Decorator:
    """Add `-o/--output` (the command receives DEST)."""
    return click.option("-o", "--output", dest, default=default, metavar=metavar, help=help)


def compress_option(help: str) -> _Decorator:
    """Add `--compress CODEC` (the command receives `compress`, None when not given)."""
    from ..compression import CODECS

    return click.option("--compress", type=click.Choice(list(CODECS)), default=None, help=help)


def quiet_option(help: str) -> _Decorator:
    """Add `-q/--quiet` (the command receives `quiet`)."""
    return click.option("-q", "--quiet", is_flag=True, help=help)


def follow_symlinks_option() -> _Decorator:
    """Add `--follow-symlinks/--no-follow-symlinks` (the command receives `follow_symlinks`)."""
    return click.option(
        "--follow-symlinks/--no-follow-symlinks",
        default=True,
        help="Follow symbolic links found inside a source directory that stay inside it "
        "(the default; links leading out are never followed), or none at all.",
    )


def color_option(help: str) -> _Decorator:
    """Add `--color/--no-color`; the command receives `color`, None when neither was given."""
    return click.option("--color/--no-color", default=None, help=help)


class Jobs(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """A number of worker processes: a whole number of at least 1."""

    name = "integer"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        try:
            jobs = int(value)
        except (TypeError, ValueError):
            jobs = 0
        if jobs < 1 or isinstance(value, float):
            self.fail(
                f"{value!r} is not a number of processes (a whole number, 1 or more)", param, ctx
            )
        return jobs


def jobs_option(help: str) -> _Decorator:
    """Add `-j/--jobs` (the command receives `jobs`, None when not given)."""
    return click.option("-j", "--jobs", type=Jobs(), default=None, metavar="N", help=help)


def csv_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options that tune an output format; the command receives `exporting`."""

    @functools.wraps(function)
    def command(
        *args: Any, columns: str | None, excel: bool, formula_guard: bool, **kwargs: Any
    ) -> Any:
        chosen = None
        if columns is not None:
            chosen = tuple(name.strip().lower() for name in columns.split(",") if name.strip())
        exporting = ExportOptions(columns=chosen, excel=excel, formula_guard=formula_guard)
        return function(*args, exporting=exporting, **kwargs)

    return _stacked(
        (
            click.option(
                "--columns",
                default=None,
                metavar="LIST",
                help="CSV: comma-separated columns to write, in this order.",
            ),
            click.option(
                "--excel",
                is_flag=True,
                help="CSV: start with a UTF-8 byte-order mark so Excel shows diacritics.",
            ),
            click.option(
                "--formula-guard/--no-formula-guard",
                default=True,
                show_default=True,
                help="CSV: prefix cells starting with = + - @ tab or CR with ' "
                "so spreadsheets do not run them.",
            ),
        )
    )(command)


#: The command-line spelling of each ExportOptions field, for messages.
_EXPORT_OPTION_FLAGS = {
    "columns": "--columns",
    "excel": "--excel",
    "formula_guard": "--no-formula-guard",
}


def check_export_options_named(format_name: str, exporting: ExportOptions) -> None:
    """Check EXPORTING for FORMAT_NAME; a refusal names the option as it was typed."""
    from dataclasses import fields

    from ..errors import InvalidOption
    from ..exporters import check_export_options

    try:
        check_export_options(format_name, exporting)
    except InvalidOption as error:
        message = str(error)
        for field in fields(ExportOptions):
            flag = _EXPORT_OPTION_FLAGS.get(field.name)
            if flag:
                message = message.replace(f"option {field.name!r}", flag)
        raise InvalidOption(message) from error


def dedupe_options(help: str) -> _Decorator:
    """Add `--dedupe [exact|near]` and `--dedupe-threshold`; the command receives `dedupe`.

    `dedupe` is None without --dedupe, else a DedupeOptions (checked when the command
    builds its finder). `--dedupe` alone means exact.
    """

    def decorate(function: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(function)
        def command(
            *args: Any, dedupe: str | None, dedupe_threshold: float | None, **kwargs: Any
        ) -> Any:
            if dedupe_threshold is not None and dedupe != "near":
                raise click.UsageError("--dedupe-threshold applies to --dedupe near only")
            options = None
            if dedupe is not None:
                from ..dedupe import DedupeOptions, check_mode

                options = DedupeOptions(
                    mode=dedupe,
                    threshold=DEFAULT_DEDUPE_THRESHOLD
                    if dedupe_threshold is None
                    else dedupe_threshold,
                )
                check_mode(options.mode, options.threshold)
            return function(*args, dedupe=options, **kwargs)

        return _stacked(
            (
                click.option(
                    "--dedupe",
                    type=click.Choice(["exact", "near"]),
                    default=None,
                    is_flag=False,
                    flag_value="exact",
                    metavar="[exact|near]",
                    help=help,
                ),
                click.option(
                    "--dedupe-threshold",
                    type=click.FloatRange(0, 1, min_open=True),
                    default=None,
                    metavar="J",
                    help="With --dedupe near: the Jaccard similarity of two bodies' "
                    f"word shingles from which they are copies.  "
                    f"[default: {DEFAULT_DEDUPE_THRESHOLD}]",
                ),
            )
        )(command)

    return decorate


def reading_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the options every reading command shares.

    The command receives `options` (a ParseOptions, not yet checked: call
    `newsparse.api.check_options`) and `pattern` (the --glob for directories).
    """

    @functools.wraps(function)
    def command(
        *args: Any,
        tz: str,
        encoding: str | None,
        max_size: int,
        normalize: bool,
        fix_text: bool,
        restore_diacritics: bool,
        keep_boilerplate: bool,
        now: Any,
        **kwargs: Any,
    ) -> Any:
        if now is not None and now.tzinfo is None:
            now = _in_zone(now, tz)
        options = ParseOptions(
            tz=tz,
            encoding=encoding,
            max_size=max_size or None,
            normalize=normalize,
            fix_text=fix_text,
            restore_diacritics=restore_diacritics,
            keep_boilerplate=keep_boilerplate,
            now=now,
            now_source="--now",
        )
        return function(*args, options=options, **kwargs)

    return _stacked(
        (
            click.option(
                "--tz",
                default=DEFAULT_TIMEZONE,
                show_default=True,
                metavar="ZONE",
                help="IANA time zone the bylines are written in.",
            ),
            click.option(
                "--encoding",
                default=None,
                metavar="NAME",
                help="Read every input in this encoding instead of detecting it.",
            ),
            click.option(
                "--glob",
                "pattern",
                default=DEFAULT_PATTERN,
                show_default=True,
                help="File pattern when an input is a directory.",
            ),
            click.option(
                "--max-size",
                type=ByteSize(),
                default=DEFAULT_MAX_SIZE,
                show_default="50MiB",
                help="Refuse files larger than this (KB, MB, GB: powers of 1000; KiB, "
                "MiB, GiB: of 1024; 0: no limit).",
            ),
            click.option(
                "--now",
                type=ReferenceTime(),
                default=None,
                metavar="DATETIME",
                help="Read relative dates (`acum 2 ore`, `ieri`) against this ISO 8601 "
                "time, e.g. 2024-06-15T12:00+03:00 (without an offset: in --tz). "
                "Default: each file's modification time; the current time for "
                "standard input.",
            ),
            # Text repairs (docs/text.md): all off unless asked for, each reported.
            click.option(
                "--normalize",
                is_flag=True,
                help="Write cedilla ş ţ as comma-below ș ț, and NFC (NP401).",
            ),
            click.option(
                "--fix-text",
                is_flag=True,
                help="Repair lines damaged by a wrong decoding, such as È™ for ș (NP403).",
            ),
            click.option(
                "--restore-diacritics",
                is_flag=True,
                help="Put back diacritics in articles that have none (NP404); "
                "needs newsparse[diacritics].",
            ),
            click.option(
                "--keep-boilerplate",
                is_flag=True,
                help="Keep 'Citește și', credits and share prompts as paragraphs.",
            ),
        )
    )(command)


class ReferenceTime(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """An ISO 8601 date-time, `2024-06-15T12:00:00+03:00` (`Z` for UTC; a date is midnight)."""

    name = "datetime"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        if isinstance(value, dt.datetime):
            return value
        text = str(value).strip()
        if text[-1:] in ("z", "Z"):
            text = text[:-1] + "+00:00"
        try:
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            self.fail(
                f"{value!r} is not an ISO 8601 date-time like 2024-06-15T12:00:00+03:00", param, ctx
            )
        if not 2 <= moment.year <= 9998:  # relative dates step back from it, in any zone
            self.fail(f"{value!r} is out of range: give a year from 2 to 9998", param, ctx)
        return moment


def _in_zone(value: Any, tz: str) -> Any:
    """Give the naive --now VALUE the zone TZ (left naive when TZ is unknown: that error
    is reported by the option check, with its own message)."""
    from zoneinfo import ZoneInfo

    try:
        return value.replace(tzinfo=ZoneInfo(tz))
    except (ValueError, LookupError):  # ZoneInfoNotFoundError is a KeyError
        return value


class IsoDay(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    """An ISO date, `2022-08-15`."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        if isinstance(value, dt.date):
            return value
        from ..errors import InvalidOption
        from ..filters import parse_day

        try:
            return parse_day(str(value))
        except InvalidOption:
            self.fail(f"{value!r} is not an ISO date like 2022-08-15", param, ctx)


def filter_options(function: Callable[..., Any]) -> Callable[..., Any]:
    """Add the article filters; the command receives `filters` (a FilterOptions).

    Names and text match whatever their case, diacritics and cedilla or comma-below
    spelling (`newsparse.text.normalize.fold`); see newsparse.filters.
    """

    @functools.wraps(function)
    def command(
        *args: Any,
        since: Any,
        until: Any,
        author: tuple[str, ...],
        source: tuple[str, ...],
        match: str | None,
        **kwargs: Any,
    ) -> Any:
        if since is not None and until is not None and since > until:
            raise click.UsageError(f"--since {since} is after --until {until}")
        filters = FilterOptions(
            since=since, until=until, authors=author, sources=source, match=match or None
        )
        return function(*args, filters=filters, **kwargs)

    return _stacked(
        (
            click.option(
                "--since",
                type=IsoDay(),
                default=None,
                metavar="DATE",
                help="Only articles published on DATE (YYYY-MM-DD) or later; "
                "undated articles are dropped.",
            ),
            click.option(
                "--until",
                type=IsoDay(),
                default=None,
                metavar="DATE",
                help="Only articles published on DATE or earlier; undated articles are dropped.",
            ),
            click.option(
                "--author",
                multiple=True,
                metavar="NAME",
                help="Only articles by this author (the whole name, or * wildcards; "
                "any case and diacritics; repeatable).",
            ),
            click.option(
                "--source",
                multiple=True,
                metavar="NAME",
                help="Only articles from this source (matched as --author is).",
            ),
            click.option(
                "--match",
                default=None,
                metavar="TEXT",
                help="Only articles whose title or body contains TEXT (any case and diacritics).",
            ),
        )
    )(command)
