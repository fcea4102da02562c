"""Inputs as they ship: plain dumps, compressed dumps and the members of zip and tar archives.

`open_inputs()` is the one way every command opens what it was given: it yields each dump
as bytes (decompressed, or read out of an archive member by member, never extracted to
disk) under the name that goes into articles and diagnostics. A member is named
`ARCHIVE!/path/in/archive.txt`.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
from dataclasses import dataclass

from .compression import CODEC_INITIALS, could_be_container, sniff_codec
from .model import DEFAULT_MAX_SIZE, Diagnostic, Severity

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import IO, Any, BinaryIO

    from .model import ParseOptions, ParseResult
    from .reading import InputEntry

__all__ = [
    "ARCHIVE_EXTENSIONS",
    "DEFAULT_PATTERN",
    "SEPARATOR",
    "Input",
    "count_members",
    "is_archive_name",
    "matches_input",
    "member_name",
    "merge_results",
    "open_archive_stream",
    "open_entry",
    "open_inputs",
    "parse_container",
    "parse_inputs",
    "parse_path",
    "parse_standard_input",
    "read_dump",
    "read_file",
    "sniff",
    "sniff_head",
    "unsafe_member_path",
    "zip_member_names",
]

#: Between an archive's path and a member's path in `file` and diagnostics.
SEPARATOR = "!/"
#: Files read in a directory given as input, unless told otherwise (with their
#: compressed forms, `*.txt.gz` and so on, and the archives holding them).
DEFAULT_PATTERN = "*.txt"
#: File names read as archives when found in a directory, whatever the pattern.
ARCHIVE_EXTENSIONS = (
    ".zip",
    ".tar",
    ".tar.gz",
    ".tgz",
    ".tar.bz2",
    ".tbz2",
    ".tar.xz",
    ".txz",
    ".tar.zst",
    ".tzst",
)
_COMPRESSED_EXTENSIONS = (".gz", ".bz2", ".xz", ".zst")
#: How much of a file tells what it is: a tar header is 512 bytes, its magic at 257.
_HEAD = 512
_READ_CHUNK = 1 << 20
#: Files larger than this are looked at before they are read whole.
_LOOK_FIRST = 1 << 20


@dataclass(frozen=True, slots=True)
class Input:
    """One dump to parse: a file, a decompressed file or an archive member."""

    #: The path, or `ARCHIVE!/member`: the name in articles and diagnostics.
    name: str
    #: The name for outputs, relative to where the input was found (for a member, the
    #: archive's relative name, then the member's path inside it).
    relative: str
    #: The bytes to parse; None when they could not be read (PROBLEMS say why).
    data: bytes | None
    #: What reading found: the reason DATA is None, or warnings about a readable input.
    problems: tuple[Diagnostic, ...] = ()
    #: The archive's path, for a member.
    archive: str | None = None


# --- Names --------------------------------------------------------------------------------


def is_archive_name(name: str) -> bool:
    """Tell whether NAME has an archive extension (`.zip`, `.tar`, `.tar.gz`, `.tgz`, ...)."""
    return name.lower().endswith(ARCHIVE_EXTENSIONS)


def is_compressed_name(name: str) -> bool:
    """Tell whether NAME ends in a compression extension (`.gz`, `.bz2`, `.xz`, `.zst`)."""
    return name.lower().endswith(_COMPRESSED_EXTENSIONS)


def matches_input(name: str, pattern: str) -> bool:
    """Tell whether a file named NAME, found in a directory, is an input for PATTERN.

    It is when its name matches, when its name without a compression extension matches
    (`a.txt.gz` for `*.txt`), or when it is an archive (its members are matched then).
    """
    import fnmatch

    if fnmatch.fnmatch(name, pattern):
        return True
    lowered = name.lower()
    if lowered.endswith(_COMPRESSED_EXTENSIONS):
        from .compression import strip_extension

        if fnmatch.fnmatch(strip_extension(name), pattern):
            return True
    return lowered.endswith(ARCHIVE_EXTENSIONS)


def _member_matches(path: str, pattern: str) -> bool:
    """Tell whether the member at PATH (inside its archive) is an input for PATTERN.

    As in a directory: a pattern without `/` is matched against the base name, one with
    `/` against the member's path inside the archive (a leading `./` or `/` dropped); a
    compressed member matches by its name without the compression extension.
    """
    matcher = _member_pattern(pattern)
    while path.startswith("./"):
        path = path[2:]
    subject = path.lstrip("/") if matcher.on_paths else path.rsplit("/", 1)[-1]
    if matcher.match(subject) is not None:
        return True
    if subject.lower().endswith(_COMPRESSED_EXTENSIONS):
        from .compression import strip_extension

        return matcher.match(strip_extension(subject)) is not None
    return False


class _MemberPattern:
    """A --glob pattern compiled once, as `reading.PathPattern` compiles it for directories."""

    def __init__(self, pattern: str) -> None:
        import re

        from .reading import _glob_regex, _name_regex

        self.on_paths = "/" in pattern
        source = _glob_regex(pattern) if self.on_paths else _name_regex(pattern)
        self.match = re.compile(source, re.DOTALL).match


_member_patterns: dict[str, _MemberPattern] = {}


def _member_pattern(pattern: str) -> _MemberPattern:
    found = _member_patterns.get(pattern)
    if found is None:
        if len(_member_patterns) > 64:
            _member_patterns.clear()
        found = _member_patterns[pattern] = _MemberPattern(pattern)
    return found


def member_name(archive: str, member: str) -> str:
    """Return the name of MEMBER of ARCHIVE in articles and diagnostics: `ARCHIVE!/MEMBER`."""
    return f"{archive}{SEPARATOR}{member}"


def _display(member: str) -> tuple[str, bool]:
    """Return MEMBER as it is shown, `./` dropped, bytes not valid UTF-8 as `\\xNN`.

    The flag tells whether the name held such bytes (tarfile keeps them as surrogates).
    """
    try:
        member.encode("utf-8")
        shown, bad = member, False
    except UnicodeEncodeError:
        raw = member.encode("utf-8", "surrogateescape")
        shown, bad = raw.decode("utf-8", "backslashreplace"), True
    while shown.startswith("./"):
        shown = shown[2:]
    return shown, bad


# --- What a file is -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kind:
    """What `sniff()` found: a plain dump, a compressed one, or an archive."""

    #: "plain", "compressed", "zip" or "tar".
    container: str
    #: The compression of the file itself ("gz", "bz2", "xz", "zst"), or None.
    codec: str | None = None

    @property
    def is_archive(self) -> bool:
        """True for a zip or tar archive."""
        return self.container in ("zip", "tar")


PLAIN = Kind("plain")


def sniff_head(head: bytes) -> Kind | None:
    """Tell what HEAD, the first bytes of a file, starts: None for a compressed stream.

    A compressed stream needs its decompressed head looked at (see `sniff()`).
    """
    if (not head or head[0] not in _CONTAINER_INITIALS) and not _is_tar(head):
        return PLAIN  # `convert` looks at every input: most are plain text
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return Kind("zip")
    if sniff_codec(head) is not None:
        return None
    if _is_tar(head):
        return Kind("tar")
    return PLAIN


#: The first byte of every container `sniff_head` knows but tar: zip's `P`, and those of
#: compressed streams.
_CONTAINER_INITIALS = CODEC_INITIALS | {ord("P")}
_READ_ONLY = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)


def _is_tar(head: bytes) -> bool:
    return head[257:262] == b"ustar"


def sniff(path: str, head: bytes | None = None) -> Kind:
    """Tell what the file at PATH is, from its magic bytes (HEAD, if already read).

    Raise OSError when it cannot be read.
    """
    if head is None:
        # Through the descriptor: a file object costs four more system calls and a buffer,
        # and `convert` looks at the head of every input.
        fd = os.open(path, _READ_ONLY)
        try:
            head = os.read(fd, _HEAD)
        finally:
            os.close(fd)
    found = sniff_head(head)
    if found is not None:
        return found
    from .compression import CompressionBomb, CorruptStream, open_decompressed

    codec = sniff_codec(head)
    assert codec is not None
    try:
        with open(path, "rb") as raw:
            inner = open_decompressed(raw, codec).read(_HEAD)
    except (CorruptStream, CompressionBomb):
        return Kind("compressed", codec)  # the reader says what is wrong with it
    return Kind("tar", codec) if _is_tar(inner) else Kind("compressed", codec)


# --- Opening --------------------------------------------------------------------------------


def open_inputs(
    paths: list[str],
    *,
    pattern: str = DEFAULT_PATTERN,
    exclude: list[str] | None = None,
    max_size: int | None = DEFAULT_MAX_SIZE,
) -> Iterator[Input]:
    """Yield every dump PATHS name: files, compressed files and archive members, in order.

    Directories are searched as `reading.discover()` does, archives hold the members that
    match PATTERN. Nothing is raised for an input that cannot be read: its Input has no
    data and says why. MAX_SIZE limits each dump's decompressed size.
    """
    from .reading import discover

    for entry in discover(paths, pattern=pattern, exclude=exclude):
        yield from open_entry(entry, pattern=pattern, max_size=max_size)


def open_entry(
    entry: InputEntry, *, pattern: str = DEFAULT_PATTERN, max_size: int | None = DEFAULT_MAX_SIZE
) -> Iterator[Input]:
    """Yield the dumps of ENTRY, one found by `reading.discover()` (see `open_inputs()`)."""
    if entry.error is not None:
        yield Input(entry.path, entry.relative, None, (_read_error(entry.path, entry.error),))
        return
    data, problem = read_file(entry.path, max_size)
    if problem is not None and data is None:
        yield Input(entry.path, entry.relative, None, (problem,))
        return
    assert data is not None
    if could_be_container(data):
        head, data = data[:_HEAD], None  # not kept while the members are read
        yield from open_container(
            entry.path, entry.relative, pattern=pattern, max_size=max_size, head=head
        )
        return
    yield Input(entry.path, entry.relative, data)


def read_file(path: str, max_size: int | None) -> tuple[bytes | None, Diagnostic | None]:
    """Return the bytes of the file at PATH, or the diagnostic saying why not.

    A file over MAX_SIZE gives its first bytes only (enough to tell a compressed file or
    an archive, whose own limit is on what it holds) with an NP106 diagnostic. A FIFO or
    device is refused rather than waited on.
    """
    data, problem, _ = _read_regular(path, max_size)
    return data, problem


def _read_regular(
    path: str, max_size: int | None
) -> tuple[bytes | None, Diagnostic | None, os.stat_result | None]:
    """Do `read_file()`, and also return the file's stat."""
    from .reading import NOT_REGULAR, describe_os_error, read_all

    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        return None, _read_error(path, f"cannot read file: {describe_os_error(error)}"), None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None, _read_error(path, NOT_REGULAR), None
        if max_size is not None and info.st_size > max_size:
            head = os.read(fd, _HEAD)
            too_large = Diagnostic(
                path,
                1,
                1,
                "NP106",
                Severity.ERROR,
                f"file is {info.st_size:,} bytes, over the limit of {max_size:,} (--max-size)",
            )
            return (head if could_be_container(head) else None), too_large, info
        if info.st_size > _LOOK_FIRST:  # an archive is not read whole only to be streamed
            head = os.read(fd, _HEAD)
            if could_be_container(head):
                return head, None, info
            return head + read_all(fd, info.st_size - len(head), regular=True), None, info
        return read_all(fd, info.st_size, regular=True), None, info
    except OSError as error:
        return None, _read_error(path, f"cannot read file: {describe_os_error(error)}"), None
    finally:
        os.close(fd)


def read_dump(
    path: str, max_size: int | None
) -> tuple[bytes | None, tuple[Diagnostic, ...], os.stat_result | None]:
    """Return the dump in the file at PATH, decompressed if need be, and the file's stat.

    The bytes are None when they cannot be read (the diagnostics say why); the
    diagnostics may also hold warnings, or an error after which the data is still read.
    An archive is not a dump: its members are read with `open_container()`.
    """
    data, problem, info = _read_regular(path, max_size)
    if data is None:
        assert problem is not None
        return None, (problem,), None
    if not could_be_container(data[:_HEAD]):
        return data, (), info
    found = list(
        open_container(
            path, os.path.basename(path), max_size=max_size, head=data[:_HEAD], pattern="*"
        )
    )
    if len(found) == 1 and found[0].archive is None:
        return found[0].data, found[0].problems, info
    return None, (_read_error(path, "cannot read file: it is an archive, not a dump"),), None


def unsafe_member_path(member: str) -> str | None:
    """Say why MEMBER, a path inside an archive, cannot name an output; None if it can.

    Absolute paths, drive letters (in any part) and `..` could climb out of the destination.
    """
    if member.startswith(("/", "\\")):
        return "an absolute path"
    parts = member.replace("\\", "/").split("/")
    # Anywhere in the name: Windows joins `out` and `a/C:/b.txt` as `C:b.txt`.
    if any(len(part) >= 2 and part[1] == ":" and part[0].isalpha() for part in parts):
        return "a drive letter"
    if ".." in parts:
        return "`..`"
    return None


def open_container(
    path: str,
    relative: str,
    *,
    pattern: str = DEFAULT_PATTERN,
    max_size: int | None = DEFAULT_MAX_SIZE,
    head: bytes | None = None,
    data: bytes | None = None,
) -> Iterator[Input]:
    """Yield the dumps in the compressed file or archive at PATH, streamed from disk.

    DATA, when given, is what was read of PATH already: for a FIFO or a terminal
    (`newsparse parse <(cat a.txt.gz)`), which cannot be read twice, all there is.
    """
    if data is not None:
        try:
            regular = stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            regular = True  # sniff() says why it cannot be read
        if not regular:
            yield from open_archive_stream(
                path, io.BytesIO(data), pattern=pattern, max_size=max_size, relative=relative
            )
            return
        data = None  # read again, in pieces, from disk
    try:
        kind = sniff(path, head)
    except OSError as error:
        from .reading import describe_os_error

        yield Input(
            path,
            relative,
            None,
            (_read_error(path, f"cannot read file: {describe_os_error(error)}"),),
        )
        return
    if kind.container == "zip":
        yield from _zip_members(path, relative, pattern, max_size)
    elif kind.container == "tar":
        yield from _tar_members(path, relative, kind.codec, pattern, max_size)
    elif kind.container == "compressed":
        assert kind.codec is not None
        yield _decompressed_file(path, relative, kind.codec, max_size)
    else:  # the file changed between two looks at it: read it as it is now
        data, problem = read_file(path, max_size)
        yield Input(
            path, relative, data if problem is None else None, () if problem is None else (problem,)
        )


def zip_member_names(source: Any, pattern: str = DEFAULT_PATTERN) -> list[str]:
    """Return the names of the members of the zip in SOURCE (a path or file) matching PATTERN.

    Raise OSError (or zipfile.BadZipFile) when it cannot be read.
    """
    import zipfile

    with zipfile.ZipFile(source) as archive:
        return [
            info.filename
            for info in archive.infolist()
            if not info.is_dir() and _member_matches(info.filename, pattern)
        ]


def count_members(path: str, pattern: str = DEFAULT_PATTERN) -> int | None:
    """Return how many inputs the archive at PATH holds: its matching members (a zip).

    None for a tar, whose members are only known by reading it through; 1 for a file
    that cannot be read (it is reported once).
    """
    if not path.lower().endswith(".zip"):
        return None
    try:
        return len(zip_member_names(path, pattern))
    except Exception:  # reported when it is read
        return 1


def open_archive_stream(
    name: str,
    source: IO[bytes],
    *,
    pattern: str = DEFAULT_PATTERN,
    max_size: int | None = DEFAULT_MAX_SIZE,
    members: list[str] | None = None,
    relative: str | None = None,
) -> Iterator[Input]:
    """Yield the dumps of the archive or compressed file read from SOURCE, named NAME.

    For a remote file (an fsspec file object): a zip is read with seeks (MEMBERS, when
    given, are the only ones read), a tar or a compressed file in one pass. RELATIVE is
    the name outputs are named after (by default NAME's last part).
    """
    from .compression import CompressionBomb, CorruptStream, open_decompressed

    head = source.read(_HEAD)
    source.seek(0)
    if relative is None:
        relative = name.rsplit("/", 1)[-1]
    found = sniff_head(head)
    if found is not None and found.container == "zip":
        yield from _zip_members(
            name,
            relative,
            pattern,
            max_size,
            source=source,
            only=None if members is None else frozenset(members),
        )
        return
    if found is not None and found.container == "tar":
        yield from _tar_members(name, relative, None, pattern, max_size, source=source)
        return
    if found is not None:
        data, problem = _read_limited(source, name, max_size, what="file")
        yield Input(name, relative, data, tuple(problem))
        return
    codec = sniff_codec(head)
    assert codec is not None
    try:
        inner = open_decompressed(source, codec).read(_HEAD)
    except (CorruptStream, CompressionBomb):
        inner = b""  # not a tar: the reader below says what is wrong with the stream
    source.seek(0)
    if _is_tar(inner):
        yield from _tar_members(name, relative, codec, pattern, max_size, source=source)
        return
    data, problems = _read_limited(
        open_decompressed(source, codec), name, max_size, what="decompressed file"
    )
    if data is not None:
        data, more = _unwrap(data, name, max_size)
        problems += more
    yield Input(name, relative, data, tuple(problems))


def _decompressed_file(path: str, relative: str, codec: str, max_size: int | None) -> Input:
    from .compression import open_decompressed

    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed below, after the reader
    except OSError as error:
        from .reading import describe_os_error

        return Input(
            path,
            relative,
            None,
            (_read_error(path, f"cannot read file: {describe_os_error(error)}"),),
        )
    with raw:
        data, problems = _read_limited(
            open_decompressed(raw, codec), path, max_size, what="decompressed file"
        )
    if data is not None:
        data, more = _unwrap(data, path, max_size)
        problems += more
    return Input(path, relative, data, tuple(problems))


def _read_limited(
    stream: IO[bytes],
    name: str,
    max_size: int | None,
    *,
    what: str,
    declared: int = 0,
    ratio_base: int | None = None,
    partial: bool = True,
) -> tuple[bytes | None, list[Diagnostic]]:
    """Read STREAM whole, stopping at MAX_SIZE; return the data (None if refused) and problems.

    Data cut off by a damaged or truncated stream is returned with an NP124 error: what
    came before the damage is still read. Without PARTIAL, the stream's own errors are raised
    (a tar member's: the archive's stream ends there).
    RATIO_BASE, when given, is the compressed size the ratio check measures against (zip
    members, whose reader is not ours).
    """
    from .compression import MAX_RATIO, CompressionBomb, CorruptStream

    limit = max_size if max_size is not None else -1
    read = getattr(stream, "read1", stream.read)
    pieces: list[bytes] = []
    total = 0
    try:
        while True:
            want = _READ_CHUNK if limit < 0 else min(_READ_CHUNK, limit + 1 - total)
            # One read of the decompressor at a time: what it gave before finding damage
            # is kept (a buffered read() of many would lose it with the error).
            piece = read(max(want, 1))
            if not piece:
                break
            pieces.append(piece)
            total += len(piece)
            if (
                ratio_base is not None
                and total > (1 << 20)
                and total > MAX_RATIO * max(ratio_base, 1)
            ):
                raise CompressionBomb(
                    f"member expands more than {MAX_RATIO} times ({ratio_base:,} bytes "
                    f"gave {total:,} so far): refused as a decompression bomb"
                )
            if 0 <= limit < total:
                size = f"{declared:,} bytes" if declared > limit else f"over {limit:,} bytes"
                return None, [
                    Diagnostic(
                        name,
                        1,
                        1,
                        "NP106",
                        Severity.ERROR,
                        f"{what} is {size}, over the limit of {limit:,} (--max-size); "
                        "stopped reading",
                    )
                ]
    except CompressionBomb as error:
        if not partial:
            raise
        return None, [Diagnostic(name, 1, 1, "NP123", Severity.ERROR, str(error))]
    except CorruptStream as error:
        if not partial:
            raise
        data = b"".join(pieces)
        return data, [
            Diagnostic(
                name,
                1,
                1,
                "NP124",
                Severity.ERROR,
                f"{error}; the {len(data):,} bytes before it are read",
            )
        ]
    return b"".join(pieces), []


def _unwrap(data: bytes, name: str, max_size: int | None) -> tuple[bytes | None, list[Diagnostic]]:
    """Decompress DATA when it is itself compressed (`a.txt.gz` inside an archive)."""
    from .compression import open_decompressed

    codec = sniff_codec(data[:_HEAD]) if data and data[0] in CODEC_INITIALS else None
    if codec is None:
        return data, []
    return _read_limited(
        open_decompressed(io.BytesIO(data), codec), name, max_size, what="decompressed member"
    )


# --- Zip ------------------------------------------------------------------------------------


def _zip_members(
    path: str,
    relative: str,
    pattern: str,
    max_size: int | None,
    source: Any = None,
    only: frozenset[str] | None = None,
) -> Iterator[Input]:
    """Yield the members of the zip at PATH (read from SOURCE, a file object, if given).

    With ONLY, just the members of those names.
    """
    import zipfile
    import zlib

    try:
        archive = zipfile.ZipFile(source if source is not None else path)
    except UnicodeDecodeError:
        yield _archive_failure(
            path,
            relative,
            "NP124",
            "cannot read zip archive: a member name marked UTF-8 is not valid UTF-8",
        )
        return
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        yield _archive_failure(
            path, relative, "NP124", f"cannot read zip archive: {_reason(error)}"
        )
        return
    with archive:
        for info in archive.infolist():
            if info.is_dir() or not _member_matches(info.filename, pattern):
                continue
            if only is not None and info.filename not in only:
                continue
            shown, _ = _display(info.filename)
            name = member_name(path, shown)
            where = _member_relative(relative, shown)
            mode = info.external_attr >> 16
            kind = _special_kind(mode) if info.create_system == 3 else None
            if kind is not None:
                yield _skipped(name, where, path, kind)
                continue
            if info.flag_bits & 0x1:
                yield _member_failure(
                    name, where, path, "NP127", "member is encrypted; it cannot be read"
                )
                continue
            try:
                with archive.open(info) as stream:
                    data, problems = _read_limited(
                        stream,
                        name,
                        max_size,
                        what="member",
                        declared=info.file_size,
                        ratio_base=info.compress_size,
                    )
            except NotImplementedError as error:
                yield _member_failure(name, where, path, "NP127", f"member cannot be read: {error}")
                continue
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as error:
                yield _member_failure(
                    name, where, path, "NP125", f"member is damaged: {_reason(error)}; skipped"
                )
                continue
            if data is not None:
                data, more = _unwrap(data, name, max_size)
                problems += more
            yield Input(name, where, data, tuple(problems), path)


def _special_kind(mode: int) -> str | None:
    """Say what a member with MODE is, when it is not a regular file: a link or a device."""
    if stat.S_ISLNK(mode):
        return "symbolic link"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return None


# --- Tar ------------------------------------------------------------------------------------
# Read here rather than with tarfile, whose per-member work (a TarInfo of every field, the
# list of all members kept) costs more than parsing a small dump: headers are parsed only
# as far as a reader of dumps needs, from ustar, GNU and pax archives alike.

_BLOCK = 512
_ZEROS = bytes(_BLOCK)
_REGULAR = frozenset(b"07\0")
_LINKS = {ord("1"): "hard link", ord("2"): "symbolic link"}
_SPECIAL = {ord("3"): "character device", ord("4"): "block device", ord("6"): "FIFO"}
_DIRECTORY = ord("5")
_GNU_LONG_NAME, _GNU_LONG_LINK = ord("L"), ord("K")
_PAX_HEADER, _PAX_GLOBAL = ord("x"), ord("g")


class TarDamaged(Exception):
    """A tar stream that ends in the middle of a member or header."""


@dataclass(slots=True)
class _TarEntry:
    """What a tar header says of a member: its name, type, data size and link target."""

    name: str
    type: int
    size: int
    linkname: str


def _tar_number(field: bytes) -> int:
    """Decode a numeric header field: octal digits, or GNU's base-256 for large values."""
    if field and field[0] & 0x80:
        value = int.from_bytes(field[1:], "big")
        return -value if field[0] & 0x40 else value
    digits = field.split(b"\0", 1)[0].strip()
    return int(digits, 8) if digits else 0


def _tar_text(field: bytes) -> str:
    return field.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _checksum_ok(header: bytes) -> bool:
    try:
        recorded = _tar_number(header[148:156])
    except ValueError:
        return False
    unsigned = sum(header) - sum(header[148:156]) + 8 * 32
    if recorded == unsigned:
        return True
    signed = unsigned - 256 * sum(1 for byte in header if byte > 127)  # some old writers
    return recorded == signed


def _pax_records(data: bytes) -> dict[str, str]:
    """Return the `length key=value` records of a pax extended header."""
    records: dict[str, str] = {}
    at = 0
    while at < len(data):
        space = data.find(b" ", at)
        if space < 0:
            break
        try:
            length = int(data[at:space])
        except ValueError:
            break
        if length <= 0:
            break
        record = data[space + 1 : at + length - 1]  # without the final newline
        key, _, value = record.partition(b"=")
        records[key.decode("utf-8", "surrogateescape")] = value.decode("utf-8", "surrogateescape")
        at += length
    return records


class _TarReader:
    """Walk the members of a tar stream, one header and one member's data at a time.

    Damaged headers are skipped block by block until a good header is found again (as
    `tar --ignore-zeros` does); `damaged` counts the blocks skipped since it was read.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.damaged = 0
        self.first_damage = ""
        self._left = 0  # data and padding of the current member not read yet
        self._data_left = 0  # data of the current member not read yet

    def _read_exactly(self, size: int) -> bytes:
        data = self._stream.read(size)
        if len(data) != size:
            raise TarDamaged(f"tar archive is cut off: {size - len(data):,} bytes missing")
        return data

    def skip(self) -> None:
        """Skip what is left of the current member."""
        while self._left:
            chunk = self._stream.read(min(self._left, _READ_CHUNK))
            if not chunk:
                raise TarDamaged("tar archive is cut off in the middle of a member")
            self._left -= len(chunk)

    def read(self, size: int) -> bytes:
        """Read up to SIZE bytes of the current member's data (b"" at its end)."""
        want = min(size, self._data_left)
        if want <= 0:
            return b""
        data = self._stream.read(want)
        if len(data) != want:
            raise TarDamaged("tar archive is cut off in the middle of a member")
        self._data_left -= len(data)
        self._left -= len(data)
        return data

    def next(self) -> _TarEntry | None:
        """Return the next member's header (its data is then read with `read`), or None."""
        self.skip()
        long_name: str | None = None
        long_link: str | None = None
        pax: dict[str, str] = {}
        while True:
            header = self._stream.read(_BLOCK)
            if not header:
                return None
            if len(header) < _BLOCK:
                if header.strip(b"\0"):
                    raise TarDamaged("tar archive is cut off in a member header")
                return None
            if header == _ZEROS:
                continue  # the zero blocks at the end of an archive (or between two)
            if not _checksum_ok(header):
                if not self.damaged:
                    self.first_damage = "bad checksum"
                self.damaged += 1
                continue
            kind = header[156]
            try:
                size = _tar_number(header[124:136])
            except ValueError:
                self.damaged += 1
                self.first_damage = self.first_damage or "bad size field"
                continue
            if kind in (_GNU_LONG_NAME, _GNU_LONG_LINK, _PAX_HEADER, _PAX_GLOBAL):
                data = self._read_exactly(_padded(size))[:size]
                if kind == _GNU_LONG_NAME:
                    long_name = _tar_text(data)
                elif kind == _GNU_LONG_LINK:
                    long_link = _tar_text(data)
                elif kind == _PAX_HEADER:
                    pax.update(_pax_records(data))
                continue  # global pax headers set nothing a dump reader needs
            name = _tar_text(header[0:100])
            if header[257:262] == b"ustar" and header[345]:
                name = _tar_text(header[345:500]) + "/" + name
            name = pax.get("path", long_name if long_name is not None else name)
            linkname = ""
            if kind in _LINKS:  # read only where it means something
                linkname = pax.get(
                    "linkpath", long_link if long_link is not None else _tar_text(header[157:257])
                )
            if "size" in pax:
                with contextlib.suppress(ValueError):
                    size = int(pax["size"])
            has_data = kind not in _LINKS and kind not in _SPECIAL and kind != _DIRECTORY
            self._data_left = size if has_data else 0
            self._left = _padded(self._data_left)
            return _TarEntry(name, kind, self._data_left, linkname)


def _padded(size: int) -> int:
    return -(-size // _BLOCK) * _BLOCK


def _tar_members(
    path: str,
    relative: str,
    codec: str | None,
    pattern: str,
    max_size: int | None,
    source: Any = None,
) -> Iterator[Input]:
    """Yield the members of the tar at PATH (read from SOURCE, a file object, if given)."""
    from .compression import CompressionBomb, CorruptStream, open_decompressed

    try:
        raw = (
            source
            if source is not None
            else open(  # noqa: SIM115 - closed below
                path, "rb", buffering=1 << 16
            )
        )
    except OSError as error:
        from .reading import describe_os_error

        yield _archive_failure(
            path, relative, "NP108", f"cannot read file: {describe_os_error(error)}"
        )
        return
    current: _TarEntry | None = None  # the member being read, for a stream that breaks

    def reading() -> str:
        return member_name(path, _display(current.name)[0]) if current else "its start"

    try:
        stream: IO[bytes] = open_decompressed(raw, codec) if codec else raw
        reader = _TarReader(stream)
        while True:
            try:
                entry = reader.next()
            except TarDamaged as error:
                yield _archive_failure(
                    path,
                    relative,
                    "NP124",
                    f"{error} (after {reading()}); the members before it are read",
                )
                return
            if reader.damaged:
                where = (
                    f"before {member_name(path, _display(entry.name)[0])}"
                    if entry
                    else "at its end"
                )
                yield _archive_failure(
                    path,
                    relative,
                    "NP125",
                    f"damaged tar header {where} ({reader.first_damage}): "
                    f"{reader.damaged} block(s) of 512 bytes skipped",
                )
                reader.damaged, reader.first_damage = 0, ""
            if entry is None:
                return
            current = entry
            found = _tar_member(reader, entry, path, relative, pattern, max_size)
            if found is not None:
                yield found
    except CompressionBomb as error:
        yield _archive_failure(path, relative, "NP123", f"{error} (at {reading()})")
    except CorruptStream as error:
        yield _archive_failure(
            path, relative, "NP124", f"{error} (at {reading()}); the members before it are read"
        )
    finally:
        if source is None:
            raw.close()


def _tar_member(
    reader: _TarReader,
    entry: _TarEntry,
    path: str,
    relative: str,
    pattern: str,
    max_size: int | None,
) -> Input | None:
    if entry.type == _DIRECTORY or not _member_matches(entry.name, pattern):
        return None
    shown, bad_name = _display(entry.name)
    name = member_name(path, shown)
    where = _member_relative(relative, shown)
    warnings: list[Diagnostic] = []
    if bad_name:
        warnings.append(
            Diagnostic(
                name,
                1,
                1,
                "NP126",
                Severity.WARNING,
                "member name is not valid UTF-8; its bytes are shown as \\xNN",
            )
        )
    if entry.type in _LINKS:
        target, _ = _display(entry.linkname)
        return _skipped(name, where, path, f"{_LINKS[entry.type]} (to {target})")
    if entry.type in _SPECIAL:
        return _skipped(name, where, path, _SPECIAL[entry.type])
    if entry.type not in _REGULAR:
        return _member_failure(
            name,
            where,
            path,
            "NP127",
            f"member of tar type {chr(entry.type)!r} cannot be read; skipped",
        )
    if max_size is not None and entry.size > max_size:
        return _member_failure(
            name,
            where,
            path,
            "NP106",
            (
                f"member is {entry.size:,} bytes, over the limit of {max_size:,} (--max-size); "
                "not read"
            ),
        )
    try:
        # The size is known, and within the limit: one read.
        member = reader.read(entry.size)
    except TarDamaged as error:
        return _member_failure(name, where, path, "NP124", f"member is cut off: {error}")
    data, problems = _unwrap(member, name, max_size)
    return Input(name, where, data, (*warnings, *problems), path)


# --- Results --------------------------------------------------------------------------------


def _member_relative(relative: str, member: str) -> str:
    """Return where MEMBER's output goes: under the archive's own relative name."""
    return f"{relative}/{member}"


def _reason(error: BaseException) -> str:
    return str(error) or type(error).__name__


def _read_error(path: str, message: str) -> Diagnostic:
    return Diagnostic(path, 1, 1, "NP108", Severity.ERROR, message)


def _archive_failure(path: str, relative: str, code: str, message: str) -> Input:
    return Input(
        path, relative, None, (Diagnostic(path, 1, 1, code, Severity.ERROR, message),), path
    )


def _member_failure(name: str, relative: str, archive: str, code: str, message: str) -> Input:
    return Input(
        name, relative, None, (Diagnostic(name, 1, 1, code, Severity.ERROR, message),), archive
    )


def _skipped(name: str, relative: str, archive: str, kind: str) -> Input:
    code = "NP121" if "link" in kind else "NP122"
    return _member_failure(
        name, relative, archive, code, f"member is a {kind}, not a regular file; skipped"
    )


# --- Parsing --------------------------------------------------------------------------------


def parse_inputs(inputs: Iterable[Input], options: ParseOptions) -> Iterator[ParseResult]:
    """Parse each of INPUTS; one that could not be read gives its problems alone."""
    for _, result in _parse_named(inputs, options):
        yield result


def _parse_named(
    inputs: Iterable[Input], options: ParseOptions
) -> Iterator[tuple[str, ParseResult]]:
    from .api import parse
    from .model import ParseResult

    for found in inputs:
        if found.data is None:
            yield found.name, ParseResult(diagnostics=list(found.problems))
            continue
        result = parse(found.data, path=found.name, options=options)
        if found.problems:
            result.diagnostics[:0] = found.problems
        yield found.name, result


#: The name of standard input's members (`<stdin>!/a.txt`) when it carries a tar.
STDIN_NAME = "<stdin>"


def parse_standard_input(
    stream: BinaryIO | None, options: ParseOptions, *, pattern: str = DEFAULT_PATTERN
) -> Iterator[ParseResult]:
    """Parse STREAM (standard input) in pieces, decompressing it first when it is compressed.

    STREAM is None when the program was started with standard input closed (NP108).
    It is told by its magic bytes, as files are: a gzip, bzip2, xz or zstandard stream is
    decompressed as it is read (memory stays flat, bombs are refused: NP123), a cut-off or
    damaged one gives NP124 after what came before it; a tar (compressed or not) gives its
    members matching PATTERN, named `<stdin>!/member`. A zip, which can only be read with
    seeks, is refused with NP108.
    """
    from .api import parse_stream

    if stream is None:  # started with standard input closed (`<&-`): Python gives None
        yield _stdin_failure("NP108", "standard input is closed: there is nothing to read")
        return
    if _is_terminal(stream):  # typed text: nothing to sniff, and no EOF to read twice
        yield from parse_stream(stream, options=options)
        return
    head, stream = _peeked(stream)
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        yield _stdin_failure(
            "NP108",
            "standard input holds a zip archive, which can only be read from a file "
            "(its directory is at its end): give its path instead",
        )
        return
    codec = sniff_codec(head)
    guard = None
    if codec is not None:
        from .compression import open_decompressed

        guard = _Guarded(open_decompressed(stream, codec))
        decompressed: Any = io.BufferedReader(guard, 1 << 16)
        head, stream = _peeked(decompressed)
    if _is_tar(head):
        if guard is not None:
            guard.raising = True  # the tar reader says at which member the stream broke
        members = _tar_members(STDIN_NAME, STDIN_NAME, None, pattern, options.max_size, stream)
        yield from parse_inputs(members, options)
    else:
        yield from parse_stream(stream, options=options)
    if guard is not None and guard.error is not None:
        yield _stdin_failure(*guard.error)


def _is_terminal(stream: BinaryIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _peeked(stream: BinaryIO) -> tuple[bytes, BinaryIO]:
    """Return the first bytes of STREAM, and a stream that still starts with them."""
    peek = getattr(stream, "peek", None)
    if peek is not None:
        head = peek(_HEAD)
        if len(head) >= _HEAD or not head:  # enough to tell, or nothing at all
            return head[:_HEAD], stream
    pieces: list[bytes] = []
    got = 0
    while got < _HEAD:
        wanted = _HEAD - got
        piece = stream.read(wanted)
        pieces.append(piece)
        got += len(piece)
        if len(piece) < wanted:  # a short read of a stream that is not a terminal: its end
            break
    head = b"".join(pieces)
    prepended: Any = io.BufferedReader(_Prepended(head, stream), 1 << 16)
    return head, prepended


class _Prepended(io.RawIOBase):
    """HEAD, then the rest of STREAM: a stream whose first bytes were read already."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        if self._head:
            size = min(len(view), len(self._head))
            view[:size], self._head = self._head[:size], self._head[size:]
            return size
        data = self._stream.read(len(view))
        view[: len(data)] = data
        return len(data)


class _Guarded(io.RawIOBase):
    """A decompressed stream that ends where its data breaks, keeping why in `error`.

    Once `raising` is set, the error is raised instead.
    """

    raising = False

    def __init__(self, stream: BinaryIO) -> None:
        # One read of the decompressor at a time: what it gave before the damage is kept.
        self._read = getattr(stream, "read1", stream.read)
        self.error: tuple[str, str] | None = None

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        from .compression import CompressionBomb, CorruptStream

        if self.error is not None:
            return 0
        view = memoryview(buffer).cast("B")
        try:
            data = self._read(len(view))
        except CompressionBomb as error:
            if self.raising:
                raise
            self.error = ("NP123", str(error))
            return 0
        except CorruptStream as error:
            if self.raising:
                raise
            self.error = ("NP124", f"{error}; what came before it is read")
            return 0
        view[: len(data)] = data
        return len(data)


def _stdin_failure(code: str, message: str) -> ParseResult:
    from .model import ParseResult

    return ParseResult(diagnostics=[Diagnostic(None, 1, 1, code, Severity.ERROR, message)])


def parse_path(
    path: str, options: ParseOptions, *, pattern: str = DEFAULT_PATTERN
) -> Iterator[tuple[str, ParseResult]]:
    """Parse the file at PATH: (name, result) for a dump, or for each dump in an archive.

    A plain dump is read as `parse_file()` reads it: once, whole, with nothing else done.
    """
    from .api import parse_path as parse_any

    return parse_any(path, options, pattern=pattern)


def merge_results(results: Iterable[ParseResult]) -> ParseResult:
    """Return one result holding the articles and diagnostics of RESULTS, in order."""
    from .model import ParseResult

    articles, diagnostics, encoding = [], [], None
    for result in results:
        articles.extend(result.articles)
        diagnostics.extend(result.diagnostics)
        encoding = encoding or result.encoding
    return ParseResult(articles, diagnostics, encoding)


def parse_container(
    path: str,
    options: ParseOptions,
    *,
    head: bytes | None = None,
    pattern: str = DEFAULT_PATTERN,
    data: bytes | None = None,
) -> Iterator[ParseResult]:
    """Parse the compressed file or archive at PATH, one result per dump in it.

    DATA is what was read of PATH already (see `open_container()`).
    """
    relative = os.path.basename(path)
    yield from parse_inputs(
        open_container(
            path, relative, pattern=pattern, max_size=options.max_size, head=head, data=data
        ),
        options,
    )
