"""Bytes to text (BOM, encodings, NUL and control bytes) and input file discovery."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .model import Diagnostic, Severity

__all__ = [
    "DecodedText", "InputEntry", "decode", "discover", "line_starts", "position", "scrub",
]

# Per file and per code, report this many occurrences and then one summary.
MAX_REPEATS = 10
# Characters that do not belong in a text dump: C0 controls except tab, LF, CR; DEL; C1.
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\udc80-\udcff]")
# Letters and punctuation a Romanian text in a legacy encoding should decode to.
_ROMANIAN = frozenset("ăâîșşțţĂÂÎȘŞȚŢ")
_PUNCTUATION = frozenset("„”“«»–—…’‘")
# Tried in this order; on a tie the first wins (Windows-1250 and ISO-8859-2 agree on every
# Romanian letter, ISO-8859-16 differs only by its comma-below ș ț and its „ ” bytes).
_LEGACY = (("cp1250", "windows-1250"), ("iso8859_2", "iso-8859-2"), ("iso8859_16", "iso-8859-16"))


@dataclass(slots=True)
class DecodedText:
    """The text of one input and what decoding it found."""

    text: str
    encoding: str
    diagnostics: list[Diagnostic] = field(default_factory=list)


def line_starts(text: str) -> list[int]:
    """Return the offset at which each line of TEXT starts (LF, CRLF or CR endings)."""
    starts = [0]
    for match in re.finditer(r"\r\n|\r|\n", text):
        starts.append(match.end())
    return starts


def position(starts: list[int], offset: int) -> tuple[int, int]:
    """Return the 1-based (line, column) of OFFSET, given `line_starts()`."""
    import bisect

    index = bisect.bisect_right(starts, offset) - 1
    return index + 1, offset - starts[index] + 1


def decode(data: bytes, *, file: str | None = None, encoding: str | None = None) -> DecodedText:
    """Decode DATA, detecting UTF-8 (with or without BOM) or a legacy Romanian encoding.

    Never raises for anything DATA contains: undecodable bytes become U+FFFD with an
    NP102 diagnostic, NUL bytes are removed with NP103, control characters are kept
    and reported as NP105.
    """
    diagnostics: list[Diagnostic] = []
    if encoding is not None:
        name = codecs.lookup(encoding).name
        text = data.decode(name, errors="surrogateescape")
    elif data.startswith(codecs.BOM_UTF8):
        text, name = data[3:].decode("utf-8", errors="surrogateescape"), "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, name = data.decode("utf-16", errors="surrogateescape"), "utf-16"
    else:
        try:
            text, name = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, name = _decode_unsure(data, file, diagnostics)
    if _SURROGATE.search(text):
        text = _report_undecodable(text, name, file, diagnostics)
    text, found = scrub(text, file=file)
    return DecodedText(text, name, diagnostics + found)


def scrub(text: str, *, file: str | None = None) -> tuple[str, list[Diagnostic]]:
    """Remove NUL characters from TEXT and report them and other control characters."""
    diagnostics: list[Diagnostic] = []
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\0" in text:
        text = _report_nul(text, file, diagnostics)
    if _CONTROL.search(text):
        _report_control(text, file, diagnostics)
    return text, diagnostics


def _decode_unsure(data: bytes, file: str | None, diagnostics: list[Diagnostic]) -> tuple[str, str]:
    """Decide between UTF-8 with a few bad bytes and a legacy single-byte encoding."""
    lenient = data.decode("utf-8", errors="surrogateescape")
    bad = len(_SURROGATE.findall(lenient))
    non_ascii = sum(1 for ch in lenient if ord(ch) > 0x7F) - bad
    if non_ascii > bad:
        return lenient, "utf-8"
    best_text, best_name, best_score = lenient, "utf-8", float("-inf")
    for codec, label in _LEGACY:
        try:
            candidate = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score = _romanian_score(candidate)
        if score > best_score:
            best_text, best_name, best_score = candidate, label, score
    if best_name != "utf-8":
        diagnostics.append(
            Diagnostic(file, 1, 1, "NP104", Severity.WARNING,
                       f"not UTF-8: decoded as {best_name}")
        )
    return best_text, best_name


def _romanian_score(text: str) -> int:
    score = 0
    for ch in text:
        if ord(ch) < 0x80:
            continue
        if ch in _ROMANIAN:
            score += 2
        elif ch in _PUNCTUATION:
            score += 1
        elif ord(ch) < 0xA0:
            score -= 5  # a C1 control: this byte means something else
        else:
            score -= 1
    return score


def _offsets(pattern: re.Pattern[str], text: str) -> list[int]:
    return [m.start() for m in pattern.finditer(text)]


def _report(
    offsets: list[int], text: str, file: str | None, code: str, message: str,
    diagnostics: list[Diagnostic],
) -> None:
    starts = line_starts(text)
    for offset in offsets[:MAX_REPEATS]:
        line, column = position(starts, offset)
        diagnostics.append(Diagnostic(file, line, column, code, Severity.ERROR, message))
    if len(offsets) > MAX_REPEATS:
        line, column = position(starts, offsets[MAX_REPEATS])
        diagnostics.append(
            Diagnostic(file, line, column, code, Severity.ERROR,
                       f"{message} ({len(offsets) - MAX_REPEATS} more not listed)")
        )


def _report_undecodable(
    text: str, name: str, file: str | None, diagnostics: list[Diagnostic]
) -> str:
    offsets = _offsets(_SURROGATE, text)
    if not offsets:
        return text
    _report(offsets, text, file, "NP102", f"byte not valid in {name}, replaced by U+FFFD",
            diagnostics)
    return _SURROGATE.sub("\ufffd", text)


def _report_nul(text: str, file: str | None, diagnostics: list[Diagnostic]) -> str:
    offsets = [m.start() for m in re.finditer("\0", text)]
    _report(offsets, text, file, "NP103", "NUL byte removed", diagnostics)
    return text.replace("\0", "")


def _report_control(text: str, file: str | None, diagnostics: list[Diagnostic]) -> None:
    offsets = _offsets(_CONTROL, text)
    first = text[offsets[0]]
    _report(offsets, text, file, "NP105", f"control character U+{ord(first):04X} in text",
            diagnostics)


# --- Discovery -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class InputEntry:
    """One input found by `discover()`: a file to read, or a problem to report."""

    path: str
    relative: str  # path relative to the root it was found under (the name for outputs)
    error: str | None = None


def discover(
    paths: list[str], *, pattern: str = "*.txt", exclude: list[str] | None = None
) -> Iterator[InputEntry]:
    """Yield the files named by PATHS, directories searched recursively in sorted order.

    Files named directly are taken whatever their name; directory trees give the
    files matching PATTERN. Symlink loops and unreadable directories are yielded as
    entries with an error, never raised. Paths under any of EXCLUDE are skipped.
    """
    excluded = [os.path.realpath(p) for p in exclude or []]
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, pattern, excluded)
        elif os.path.lexists(path) or path == "-":
            yield InputEntry(path, os.path.basename(path))
        else:
            yield InputEntry(path, os.path.basename(path), "no such file or directory")


def _walk(root: str, pattern: str, excluded: list[str]) -> Iterator[InputEntry]:
    import fnmatch

    seen: set[tuple[int, int]] = set()

    def visit(directory: str) -> Iterator[InputEntry]:
        real = os.path.realpath(directory)
        if any(real == e or real.startswith(e + os.sep) for e in excluded):
            return
        try:
            info = os.stat(directory)
        except OSError as error:
            yield InputEntry(directory, os.path.relpath(directory, root), _reason(error))
            return
        key = (info.st_dev, info.st_ino)
        if key in seen:
            yield InputEntry(directory, os.path.relpath(directory, root),
                             "directory loop (symbolic link to a parent), skipped")
            return
        seen.add(key)
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            yield InputEntry(directory, os.path.relpath(directory, root), _reason(error))
            return
        for entry in entries:
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            if is_dir:
                yield from visit(entry.path)
            elif fnmatch.fnmatch(entry.name, pattern):
                # Only a symbolic link can resolve outside its directory: skip the
                # per-component realpath() walk for plain files.
                target = (os.path.realpath(entry.path) if entry.is_symlink()
                          else os.path.join(real, entry.name))
                if excluded and target in excluded:
                    continue
                if entry.is_symlink() and not os.path.exists(entry.path):
                    yield InputEntry(entry.path, os.path.relpath(entry.path, root),
                                     "broken symbolic link")
                    continue
                yield InputEntry(entry.path, os.path.relpath(entry.path, root))

    yield from visit(root)


def _reason(error: OSError) -> str:
    return error.strerror.lower() if error.strerror else str(error)
