"""Bytes to text (BOM, encodings, NUL and control bytes) and input file discovery."""

from __future__ import annotations

import codecs
import os
import re
from collections.abc import Callable, Iterator
from functools import cache

from .model import Diagnostic, Severity
from .patterns import compile_lazily

__all__ = [
    "DETECT_WINDOW",
    "UNDECODABLE",
    "DecodedText",
    "InputEntry",
    "decode",
    "describe_os_error",
    "detect_encoding",
    "discover",
    "display_name",
    "is_temporary_of",
    "line_starts",
    "name_diagnostic",
    "position",
    "read_all",
    "scrub",
]

#: What a reader says of an input that is a FIFO, a device or a socket: reading a FIFO
#: would wait for ever for a writer, and a device never ends.
NOT_REGULAR = "cannot read file: not a regular file"

# Per file and per code, report this many occurrences and then one summary.
MAX_REPEATS = 10
# Characters that do not belong in a text dump: C0 controls except tab, LF, CR; DEL; C1.
_CONTROL = compile_lazily(r"[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Undecodable bytes come out of decoding as U+DC80-U+DCFF; text handed in as str may hold
# any lone surrogate, which no output encoding can write: both are replaced.
_SURROGATE = compile_lazily(r"[\ud800-\udfff]")
# The same, for text encoded to UTF-8: NUL, C0 controls but tab, LF, CR, and DEL; C1 controls.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_NON_ASCII = compile_lazily(r"[^\x00-\x7f]")
_ASCII_BYTES = bytes(range(0x80))
_CR_NUL_LF = compile_lazily(r"(?<=\r)\0+(?=\n)")
_NUL = compile_lazily("\0")
_CR_BOM_LF = compile_lazily("(?<=\r)\ufeff+(?=\n)")
#: The encoding of an input is decided on this many bytes at its start (whole or streamed).
DETECT_WINDOW = 1 << 20
# Letters and punctuation a Romanian text in a legacy encoding should decode to.
_ROMANIAN = frozenset("ăâîșşțţĂÂÎȘŞȚŢ")
_PUNCTUATION = frozenset("„”“«»–—…’‘")
# Tried in this order; on a tie the first wins (Windows-1250 and ISO-8859-2 agree on every
# Romanian letter, ISO-8859-16 differs only by its comma-below ș ț and its „ ” bytes).
_LEGACY = (("cp1250", "windows-1250"), ("iso8859_2", "iso-8859-2"), ("iso8859_16", "iso-8859-16"))
#: The decoding error handler: like "surrogateescape", but it never fails. Python's own
#: refuses bytes below 0x80, which UTF-16 and UTF-32 leave undecoded (a cut-off unit).
UNDECODABLE = "newsparse-undecodable"
# Codecs that fail on bytes from 0x80 only (ASCII always decodes).
_SURROGATEESCAPE_SAFE = frozenset({"utf-8", "cp1250", "iso8859_2", "iso8859_16"})


def _escape_undecodable(error: UnicodeError) -> tuple[str, int]:
    """Stand one lone surrogate for each byte that cannot be decoded (0xDC80-0xDCFF)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(chr(0xDC00 | max(byte, 0x80)) for byte in bad), error.end


codecs.register_error(UNDECODABLE, _escape_undecodable)


def _error_handler(codec: str) -> str:
    """Return the error handler to decode CODEC with: UNDECODABLE, or what does the same faster.

    UTF-8 and the single-byte codecs leave only bytes from 0x80 undecoded, which Python's
    "surrogateescape" turns into what UNDECODABLE gives, in C instead of a call per byte.
    """
    return "surrogateescape" if codec in _SURROGATEESCAPE_SAFE else UNDECODABLE


class DecodedText:
    """The text of one input and what decoding it found."""

    __slots__ = ("diagnostics", "encoding", "text")

    def __init__(
        self, text: str, encoding: str, diagnostics: list[Diagnostic] | None = None
    ) -> None:
        self.text = text
        self.encoding = encoding
        self.diagnostics = [] if diagnostics is None else diagnostics


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
    codec, name, diagnostics, text = _detect(data, file, encoding, partial=False)
    if text is None:
        text = data.decode(codec, errors=_error_handler(codec))
        text, found = scrub(text, file=file, encoding=name)
    elif _clean_utf8(data) and (b"\xef" not in data or codecs.BOM_UTF8 not in data):
        # DATA is TEXT in UTF-8: check the bytes, not a new copy (one byte is looked for
        # before three: a search for one is many times faster, and text seldom holds it)
        found = []
    else:
        text, found = scrub(text, file=file, encoding=name)
    return DecodedText(text, name, diagnostics + found)


def detect_encoding(
    data: bytes, *, file: str | None = None, encoding: str | None = None, partial: bool = False
) -> tuple[str, str, list[Diagnostic]]:
    """Return (codec, display name, diagnostics) for DATA, the start of an input.

    Only the first DETECT_WINDOW bytes count, for a stream as for a whole input. With
    PARTIAL, more of the input follows DATA (which may end inside a UTF-8 sequence).
    """
    window = data[:DETECT_WINDOW]
    codec, name, diagnostics, _ = _detect(
        window, file, encoding, partial=partial or len(data) > DETECT_WINDOW
    )
    return codec, name, diagnostics


def _detect(
    data: bytes, file: str | None, encoding: str | None, *, partial: bool
) -> tuple[str, str, list[Diagnostic], str | None]:
    """Do `detect_encoding()`, and also return the text when DATA is valid UTF-8 as a whole.

    DATA is a whole input unless PARTIAL; the encoding is decided on its first
    DETECT_WINDOW bytes only, so that a stream, which cannot look further ahead, is
    read as the same input read whole.
    """
    diagnostics: list[Diagnostic] = []
    if encoding is not None:
        name = codecs.lookup(encoding).name
        return name, name, diagnostics, None
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", "utf-8-sig", diagnostics, None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", "utf-16", diagnostics, None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.start >= DETECT_WINDOW:
            return "utf-8", "utf-8", diagnostics, None  # the window is UTF-8
        if len(data) > DETECT_WINDOW:
            data, partial = data[:DETECT_WINDOW], True
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as cut:
                error = cut
            else:  # pragma: no cover - the error above lies inside the window
                return "utf-8", "utf-8", diagnostics, None
        if partial and error.start >= len(data) - 3 and "end of data" in error.reason:
            return "utf-8", "utf-8", diagnostics, None
        codec, name = _guess_unsure(data)
        if codec != "utf-8":
            diagnostics.append(
                Diagnostic(file, 1, 1, "NP104", Severity.WARNING, f"not UTF-8: decoded as {name}")
            )
        return codec, name, diagnostics, None
    return "utf-8", "utf-8", diagnostics, text


def scrub(
    text: str, *, file: str | None = None, encoding: str = "utf-8"
) -> tuple[str, list[Diagnostic]]:
    """Report and repair what decoding left: undecodable bytes, NUL and control characters.

    Undecodable bytes (lone surrogates from the UNDECODABLE handler) become U+FFFD, NUL
    characters are removed, control characters are kept; each is reported. Byte-order
    marks are removed wherever they are: past the start of an input, one is where a dump
    saved with a BOM was appended to another (`cat a.txt b.txt`).
    """
    diagnostics: list[Diagnostic] = []
    if "\ufeff" in text:
        if "\r\ufeff" in text:  # between CR and LF: a space keeps the two line breaks
            text = _CR_BOM_LF.sub(lambda match: " " * len(match.group()), text)
        text = text.replace("\ufeff", "")
    if _looks_clean(text):
        return text, diagnostics
    if _SURROGATE.search(text):
        text = _report_undecodable(text, encoding, file, diagnostics)
    if "\0" in text:
        text = _report_nul(text, file, diagnostics)
    if _CONTROL.search(text):
        _report_control(text, file, diagnostics)
    return text, diagnostics


def _looks_clean(text: str) -> bool:
    """Tell, faster than the regular expressions can, that TEXT needs no scrubbing.

    True means no undecodable byte, NUL or control character; False means look closer.
    Encoding to UTF-8 fails on any surrogate, and in UTF-8 every C0 control and DEL is
    one byte of its own while C1 controls are `\\xc2` followed by 0x80-0x9f.
    """
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return _clean_utf8(data)


def _clean_utf8(data: bytes) -> bool:
    """Tell that UTF-8 DATA holds no NUL, C0 control but tab, LF and CR, DEL or C1 control."""
    if len(data.translate(None, _CONTROL_BYTES)) != len(data):
        return False
    return b"\xc2" not in data or _C1_UTF8.search(data) is None


def _guess_unsure(data: bytes) -> tuple[str, str]:
    """Decide between UTF-8 with a few bad bytes and a legacy single-byte encoding."""
    # Counted in C, on copies no larger than DATA: a list or a string per bad byte
    # would take gigabytes for a file of bad bytes.
    decodable = data.decode("utf-8", errors="ignore")
    bad = len(data) - len(decodable.encode("utf-8"))
    ascii_count = len(data) - len(data.translate(None, _ASCII_BYTES))
    # Characters from valid multi-byte sequences: legacy text almost never forms them.
    valid = len(decodable) - ascii_count
    del decodable
    if valid >= bad:
        return "utf-8", "utf-8"
    # A legacy encoding must turn the bytes into Romanian text; otherwise they are junk.
    best, best_score = ("utf-8", "utf-8"), 0
    for codec, label in _LEGACY:
        score = _legacy_score(data, codec)
        if score is not None and score > best_score:
            best, best_score = (codec, label), score
    return best


# Byte classes for `_legacy_score`, one per weight of `_romanian_score`.
_ASCII, _LETTER, _MARK, _C1, _OTHER, _UNDEFINED = range(6)


@cache
def _byte_classes(codec: str) -> bytes:
    """Return a translation table from each byte to its class in single-byte CODEC."""
    classes = bytearray()
    for byte in range(256):
        try:
            ch = bytes([byte]).decode(codec)
        except UnicodeDecodeError:
            classes.append(_UNDEFINED)
            continue
        if byte < 0x80:
            classes.append(_ASCII)
        elif ch in _ROMANIAN:
            classes.append(_LETTER)
        elif ch in _PUNCTUATION:
            classes.append(_MARK)
        elif ord(ch) < 0xA0:
            classes.append(_C1)
        else:
            classes.append(_OTHER)
    return bytes(classes)


def _legacy_score(data: bytes, codec: str) -> int | None:
    """Return `_romanian_score(data.decode(CODEC))`, or None when CODEC cannot decode DATA.

    Each of these codecs maps one byte to one character, so the score is counted on the
    bytes, by class, instead of decoding and weighing every character in Python.
    """
    classes = data.translate(_byte_classes(codec))
    if _UNDEFINED in classes:
        return None
    return (
        2 * classes.count(_LETTER)
        + classes.count(_MARK)
        - 5 * classes.count(_C1)
        - classes.count(_OTHER)
    )


def _romanian_score(text: str) -> int:
    score = 0
    for ch in _NON_ASCII.findall(text):
        if ch in _ROMANIAN:
            score += 2
        elif ch in _PUNCTUATION:
            score += 1
        elif ord(ch) < 0xA0:
            score -= 5  # a C1 control: this byte means something else
        else:
            score -= 1
    return score


def _first_offsets(pattern: re.Pattern[str], text: str) -> list[int]:
    """Return the offsets of the first MAX_REPEATS + 1 matches of PATTERN in TEXT.

    Never a list of every match: a file of 50 MB of bad bytes holds 50 million.
    """
    offsets = []
    for match in pattern.finditer(text):
        offsets.append(match.start())
        if len(offsets) > MAX_REPEATS:
            break
    return offsets


@cache
def _deleting(pattern: str) -> dict[int, None]:
    """Return a `str.translate` table deleting the characters of class PATTERN (`[...]`)."""
    compiled = re.compile(pattern)
    ranges = [range(0x00, 0x100), range(0x2000, 0x2070), range(0xD800, 0xE000)]
    return {code: None for r in ranges for code in r if compiled.match(chr(code))}


def _count(pattern: re.Pattern[str], text: str) -> int:
    """Count the characters of TEXT that PATTERN, a one-character class, matches (in C)."""
    return len(text) - len(text.translate(_deleting(pattern.pattern)))


def _positions(text: str, offsets: list[int]) -> list[tuple[int, int]]:
    """Return the 1-based (line, column) of each of the sorted OFFSETS in TEXT.

    Lines end at LF, CRLF or CR, as `line_starts()` says; breaks are counted between one
    offset and the next, without a list of every line of TEXT.
    """
    positions = []
    breaks = 0  # line breaks in TEXT[:last]
    last = 0
    for offset in offsets:
        breaks += (
            text.count("\n", last, offset)
            + text.count("\r", last, offset)
            - text.count("\r\n", last, offset)
        )
        if 0 < last < offset and text[last - 1] == "\r" and text[last] == "\n":
            breaks -= 1  # a CRLF cut at LAST was counted as a CR and as an LF
        last = offset
        line = breaks + 1
        before = offset
        if 0 < offset < len(text) and text[offset - 1] == "\r" and text[offset] == "\n":
            line -= 1  # the LF of a CRLF is on the line its CR ends
            before = offset - 1
        start = max(text.rfind("\n", 0, before), text.rfind("\r", 0, before)) + 1
        positions.append((line, offset - start + 1))
    return positions


def _report(
    offsets: list[int],
    total: int,
    text: str,
    file: str | None,
    code: str,
    message: str | Callable[[int], str],
    diagnostics: list[Diagnostic],
) -> None:
    """Report the first MAX_REPEATS of TOTAL OFFSETS, then one summary; MESSAGE may be per offset.

    OFFSETS holds the first MAX_REPEATS + 1 (or all, if fewer).
    """
    say = message if callable(message) else lambda offset: message
    positions = _positions(text, offsets[: MAX_REPEATS + 1])
    for offset, (line, column) in zip(offsets[:MAX_REPEATS], positions, strict=False):
        diagnostics.append(Diagnostic(file, line, column, code, Severity.ERROR, say(offset)))
    if total > MAX_REPEATS:
        offset = offsets[MAX_REPEATS]
        line, column = positions[MAX_REPEATS]
        diagnostics.append(
            Diagnostic(
                file,
                line,
                column,
                code,
                Severity.ERROR,
                f"{say(offset)} ({total - MAX_REPEATS} more not listed)",
            )
        )


#: Every lone surrogate to U+FFFD, for `str.translate`.
_TO_REPLACEMENT = dict.fromkeys(range(0xD800, 0xE000), 0xFFFD)


def _report_undecodable(
    text: str, name: str, file: str | None, diagnostics: list[Diagnostic]
) -> str:
    offsets = _first_offsets(_SURROGATE, text)
    if not offsets:
        return text
    total = _count(_SURROGATE, text) if len(offsets) > MAX_REPEATS else len(offsets)
    _report(
        offsets,
        total,
        text,
        file,
        "NP102",
        f"byte not valid in {name}, replaced by U+FFFD",
        diagnostics,
    )
    if total <= MAX_REPEATS:
        return _SURROGATE.sub("\ufffd", text)
    # One character at a time in C: re.sub would hold a piece per replacement.
    return text.translate(_TO_REPLACEMENT)


def _report_nul(text: str, file: str | None, diagnostics: list[Diagnostic]) -> str:
    offsets = _first_offsets(_NUL, text)
    _report(offsets, text.count("\0"), text, file, "NP103", "NUL byte removed", diagnostics)
    # CR NUL LF is two line breaks; removing the NUL would make it one CRLF, so a NUL
    # alone between them becomes a space (the line stays, blank, with its length).
    if "\r\0" in text:
        text = _CR_NUL_LF.sub(lambda match: " " * len(match.group()), text)
    return text.replace("\0", "")


def _report_control(text: str, file: str | None, diagnostics: list[Diagnostic]) -> None:
    offsets = _first_offsets(_CONTROL, text)
    total = _count(_CONTROL, text) if len(offsets) > MAX_REPEATS else len(offsets)
    _report(
        offsets,
        total,
        text,
        file,
        "NP105",
        lambda offset: f"control character U+{ord(text[offset]):04X} in text",
        diagnostics,
    )


# --- Discovery -------------------------------------------------------------------------


class InputEntry:
    """One input found by `discover()`: a file to read, or a problem to report."""

    __slots__ = ("error", "path", "relative")

    def __init__(self, path: str, relative: str, error: str | None = None) -> None:
        self.path = path
        self.relative = relative  # relative to the root it was found under (names outputs)
        self.error = error


def discover(
    paths: list[str],
    *,
    pattern: str = "*.txt",
    exclude: list[str] | None = None,
    case_skipped: list[str] | None = None,
    follow_symlinks: bool = True,
) -> Iterator[InputEntry]:
    """Yield the files named by PATHS, directories searched recursively in sorted order.

    Files named directly are taken whatever their name; directory trees give the
    files matching PATTERN (see `PathPattern`). Symlink loops and unreadable directories
    are yielded as entries with an error, never raised. Paths under any of EXCLUDE are
    skipped, and so are the temporary files `write_atomically()` makes beside an excluded
    file. Files that match PATTERN only when case is ignored are appended to CASE_SKIPPED.

    Inside a directory tree, a symbolic link is followed only when it leads to a place
    inside that tree (a link to `/etc/passwd` is reported, not read), and not at all
    unless FOLLOW_SYMLINKS. Paths named directly are always read.
    """
    excluded = [os.path.realpath(p) for p in exclude or []]
    matcher = PathPattern(pattern)
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, matcher, excluded, case_skipped, follow_symlinks)
        elif os.path.lexists(path) or path == "-":
            yield InputEntry(path, os.path.basename(path))
        else:
            yield InputEntry(path, os.path.basename(path), "no such file or directory")


class PathPattern:
    """A --glob pattern: `*.txt` matches base names at any depth; `sub/**/*.txt` paths.

    A pattern without `/` is matched against each file's name, wherever it lies in the
    tree. A pattern with `/` is matched against the path relative to the directory given
    (with `/` separators): `*` and `?` stay inside one path component, and `**` as a
    whole component matches any number of directories, none included. Matching is
    case-sensitive, as the file system is; `folded` tells a case-only mismatch.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        self.on_paths = "/" in pattern
        source = _glob_regex(pattern) if self.on_paths else _name_regex(pattern)
        self._exact = re.compile(source, re.DOTALL)
        self._folded = re.compile(source, re.DOTALL | re.IGNORECASE)

    def matches(self, name: str, relative: str) -> bool:
        """Tell whether the file NAME, at RELATIVE in the tree, is an input.

        A compressed dump is one when its name without the compression extension
        matches (`a.txt.gz` for `*.txt`); an archive always is (its members are matched).
        """
        subject = relative.replace(os.sep, "/") if self.on_paths else name
        if self._exact.match(subject) is not None:
            return True
        from .archives import ARCHIVE_EXTENSIONS, is_compressed_name
        from .compression import strip_extension

        lowered = name.lower()
        if is_compressed_name(lowered) and self._exact.match(strip_extension(subject)) is not None:
            return True
        return lowered.endswith(ARCHIVE_EXTENSIONS)

    def folded(self, name: str, relative: str) -> bool:
        """Tell whether the file would match if case were ignored."""
        subject = relative.replace(os.sep, "/") if self.on_paths else name
        return self._folded.match(subject) is not None


def _name_regex(pattern: str) -> str:
    import fnmatch

    return fnmatch.translate(pattern)


def _glob_regex(pattern: str) -> str:
    """Translate a path pattern to a regular expression (`*` never crosses `/`)."""
    parts = []
    components = pattern.strip("/").split("/")
    for index, component in enumerate(components):
        last = index == len(components) - 1
        if component == "**":
            parts.append(".*" if last else "(?:[^/]*/)*")
            continue
        parts.append(_component_regex(component) + ("" if last else "/"))
    return "".join(parts) + r"\Z"


def _component_regex(component: str) -> str:
    """Translate one path component: `*`, `?` and `[...]` as fnmatch, never matching `/`."""
    out = []
    i, n = 0, len(component)
    while i < n:
        char = component[i]
        i += 1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            j = i + 1 if i < n and component[i] in "!^" else i
            j = j + 1 if j < n and component[j] == "]" else j
            while j < n and component[j] != "]":
                j += 1
            if j >= n:  # no closing bracket: a literal [
                out.append(re.escape(char))
                continue
            body = component[i:j].replace("\\", "\\\\")
            i = j + 1
            if body and body[0] in "!^":
                body = "^" + body[1:]
            out.append(f"[{body}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


def _walk(
    root: str,
    matcher: PathPattern,
    excluded: list[str],
    case_skipped: list[str] | None,
    follow_symlinks: bool = True,
) -> Iterator[InputEntry]:
    top = os.path.realpath(root)

    def refused_link(entry: os.DirEntry[str]) -> str | None:
        """Say why the symbolic link ENTRY is not followed, or None to follow it."""
        if not follow_symlinks:
            return "symbolic link, not followed (--no-follow-symlinks)"
        target = os.path.realpath(entry.path)
        if target == top or target.startswith(top.rstrip(os.sep) + os.sep):
            return None
        return "symbolic link leading outside the source directory, not followed"

    # The directories on the way down: meeting one of them again is a loop. A directory
    # reached twice by different paths (a link to a sibling) is read under each path.
    ancestors: set[tuple[int, int]] = set()
    _Frame = tuple[tuple[int, int], str, str, Iterator[os.DirEntry[str]]]

    def opened(directory: str, relative: str) -> tuple[InputEntry | None, _Frame | None]:
        """Open DIRECTORY for the walk: a problem to report, or its frame, or neither."""
        real = os.path.realpath(directory)
        if any(real == e or real.startswith(e + os.sep) for e in excluded):
            return None, None
        try:
            info = os.stat(directory)
        except OSError as error:
            return InputEntry(
                directory, os.path.relpath(directory, root), describe_os_error(error)
            ), None
        key = (info.st_dev, info.st_ino)
        if key in ancestors:
            return InputEntry(
                directory,
                os.path.relpath(directory, root),
                "directory loop (symbolic link to a parent), skipped",
            ), None
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda e: e.name)
        except OSError as error:
            return InputEntry(
                directory, os.path.relpath(directory, root), describe_os_error(error)
            ), None
        ancestors.add(key)
        # What os.path.relpath(entry.path, root) gives, without its two abspath() calls.
        return None, (key, real, relative + os.sep if relative else "", iter(entries))

    # Depth first, in sorted order, with a stack of the directories being read instead of
    # recursion: a tree can be deeper than Python's recursion limit (4,096 characters of
    # path hold 2,000 directories).
    stack: list[_Frame] = []
    problem, frame = opened(root, "")
    if problem is not None:
        yield problem
    if frame is not None:
        stack.append(frame)
    while stack:
        key, real, prefix, entries = stack[-1]
        for entry in entries:
            name = entry.name
            relative_name = prefix + name
            try:
                is_dir = entry.is_dir()
            except OSError:
                is_dir = False
            matched = not is_dir and matcher.matches(name, relative_name)
            if (is_dir or matched) and entry.is_symlink() and os.path.exists(entry.path):
                refused = refused_link(entry)
                if refused is not None:
                    yield InputEntry(entry.path, relative_name, refused)
                    continue
            if is_dir:
                problem, frame = opened(entry.path, relative_name)
                if problem is not None:
                    yield problem
                if frame is not None:
                    stack.append(frame)
                    break  # its entries first; this directory's next entry after them
            elif not matched:
                if case_skipped is not None and matcher.folded(name, relative_name):
                    case_skipped.append(entry.path)
            else:
                if excluded:
                    # Only a symbolic link can resolve outside its directory: skip the
                    # per-component realpath() walk for plain files.
                    target = (
                        os.path.realpath(entry.path)
                        if entry.is_symlink()
                        else os.path.join(real, name)
                    )
                    if target in excluded or is_temporary_of(target, excluded):
                        continue
                if entry.is_symlink() and not os.path.exists(entry.path):
                    yield InputEntry(entry.path, relative_name, "broken symbolic link")
                    continue
                if not _is_regular(entry):
                    # Reading a FIFO would wait forever for a writer; a device never ends.
                    yield InputEntry(entry.path, relative_name, NOT_REGULAR)
                    continue
                yield InputEntry(entry.path, relative_name)
        else:
            ancestors.discard(key)
            stack.pop()


def is_temporary_of(path: str, excluded: list[str]) -> bool:
    """Tell whether PATH is a temporary file written beside one of EXCLUDED (see output.py)."""
    if not path.endswith(".tmp"):
        return False
    from .output import temporary_prefix

    directory, name = os.path.split(path)
    return any(
        directory == os.path.dirname(e) and name.startswith(temporary_prefix(os.path.basename(e)))
        for e in excluded
    )


def _is_regular(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_file()
    except OSError:
        return True  # let the reader report why it cannot be read


def read_all(fd: int, size: int, limit: int | None = None, *, regular: bool = False) -> bytes:
    """Read what is left of the file at FD, which was SIZE bytes long when last looked at.

    One read asks for a byte more than SIZE; reading goes on until the end of the file,
    so a file that grew (or a pipe, whose size reads 0) is read whole all the same, but
    never more than LIMIT + 1 bytes: a result longer than LIMIT means there was more.
    When FD is a REGULAR file, a first read that gives exactly SIZE bytes, short of the
    byte more, ends at the end of the file: no second read is made only to be told so. A
    pipe's size can be what it holds for now (macOS and the BSDs say so), not the end.
    """
    want = size + 1 if limit is None else min(size, limit) + 1
    data = os.read(fd, want)
    if not data or (regular and len(data) == size):
        return data
    more = []
    got = len(data)
    while limit is None or got <= limit:
        step = max(size, 1 << 20) if limit is None else min(max(size, 1 << 20), limit + 1 - got)
        chunk = os.read(fd, step)
        if not chunk:
            break
        more.append(chunk)
        got += len(chunk)
    return data + b"".join(more) if more else data


def display_name(path: str) -> str:
    """Return PATH as every output shows it: each byte that is not UTF-8 as `\\xNN`.

    File names come from the operating system as `os.fsdecode` gives them, undecodable
    bytes as lone surrogates, which no UTF-8 output can hold. A name that is valid UTF-8
    is returned as it is.
    """
    if _SURROGATE.search(path) is None:
        return path
    try:
        raw = os.fsencode(path)
    except UnicodeError:  # surrogates that stand for no byte (text handed in as str)
        raw = path.encode("utf-8", errors="surrogatepass")
    return raw.decode("utf-8", errors="backslashreplace")


def name_diagnostic(path: str, shown: str) -> Diagnostic | None:
    """Return the NP109 warning when PATH is shown as SHOWN (see `display_name`), else None."""
    if shown == path:
        return None
    return Diagnostic(
        shown,
        1,
        1,
        "NP109",
        Severity.WARNING,
        "file name is not valid UTF-8: shown with each such byte as \\xNN",
    )


def describe_os_error(error: OSError) -> str:
    """Return the reason of ERROR as a message fragment (`permission denied`)."""
    return error.strerror.lower() if error.strerror else str(error)
