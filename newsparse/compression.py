"""Compressed streams (gzip, bzip2, xz, zstandard): told by their magic bytes, read, written."""

from __future__ import annotations

import contextlib
import io
import os

from .errors import NewsparseError

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import IO, Any, BinaryIO

__all__ = [
    "CODECS",
    "CODEC_INITIALS",
    "EXTENSIONS",
    "MAX_LAYERS",
    "MAX_RATIO",
    "CompressionBomb",
    "CorruptStream",
    "DecompressingReader",
    "codec_for_path",
    "compress_bytes",
    "compressed_writer",
    "compressing",
    "could_be_container",
    "open_decompressed",
    "sniff_codec",
    "strip_extension",
    "write_compressed_atomically",
]

#: The codecs newsparse reads and writes, by the extension their files carry.
EXTENSIONS = {"gz": ".gz", "bz2": ".bz2", "xz": ".xz", "zst": ".zst"}
CODECS = tuple(EXTENSIONS)
_BY_EXTENSION = {".gz": "gz", ".tgz": "gz", ".bz2": "bz2", ".xz": "xz", ".zst": "zst"}
#: A stream that gives more than this many bytes out per byte in is refused as a bomb
#: (text compresses 3 to 15 times; deflate cannot pass 1032, bzip2 and xz go far beyond).
MAX_RATIO = 200
#: ... once it gave this much: tiny inputs have no meaningful ratio.
_RATIO_FLOOR = 1 << 20
#: Compressed bytes fed to a decompressor at a time. zstandard's decompressor cannot cap its
#: output, and one byte of a zstandard RLE block can stand for 32 KiB: small feeds keep
#: the output of one call within 8 MiB, even for a bomb, before the ratio check refuses it.
_ZSTD_FEED = 256
#: Decompressed bytes one step makes at most (before one more feed's worth) with zstandard.
_ZSTD_PIECE = 1 << 18
_FEED = 64 * 1024
#: Layers of compression taken off one stream (`a.txt.gz.gz`, `dumps.tar.gz.xz`). More is
#: refused as a bomb: a gzip quine, for one, decompresses to itself for ever.
MAX_LAYERS = 4
#: Decompressed bytes looked at to tell whether they are compressed again (sniff_codec).
_SNIFF = 16


class CorruptStream(NewsparseError, OSError):
    """Compressed data that cannot be decompressed: damaged, or cut off before its end."""


class CompressionBomb(NewsparseError, OSError):
    """A stream that decompresses to far more than any text compresses from."""


def sniff_codec(head: bytes) -> str | None:
    """Return the codec whose magic bytes HEAD starts with ("gz", "bz2", "xz", "zst"), or None."""
    if head[:2] == b"\x1f\x8b":
        return "gz"
    if head[:4] == b"\x28\xb5\x2f\xfd":
        return "zst"
    if head[:6] == b"\xfd7zXZ\x00":
        return "xz"
    if head[:3] == b"BZh" and head[3:4].isdigit() and head[4:10] in (b"1AY&SY", b"\x17rE8P\x90"):
        return "bz2"
    return None


#: The first byte of every stream `sniff_codec` knows: a head starting otherwise is not
#: compressed.
CODEC_INITIALS = frozenset(b"\x1f\x28\xfdB")


def could_be_container(head: bytes) -> bool:
    """Tell, from a file's first bytes, whether it may be compressed or an archive (zip, tar)."""
    return (
        head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
        or sniff_codec(head) is not None
        or head[257:262] == b"ustar"
    )


def codec_for_path(path: str) -> str | None:
    """Return the codec a file name's extension asks for (`out.jsonl.gz` gives "gz"), or None."""
    return _BY_EXTENSION.get(os.path.splitext(path)[1].lower())


def strip_extension(name: str) -> str:
    """Return NAME without its compression extension (`a.txt.gz` gives `a.txt`)."""
    stem, extension = os.path.splitext(name)
    if extension.lower() == ".tgz":
        return stem + ".tar"
    return stem if extension.lower() in _BY_EXTENSION else name


def _decompressor(codec: str) -> Any:
    if codec == "gz":
        import zlib

        return zlib.decompressobj(wbits=31)
    if codec == "bz2":
        import bz2

        return bz2.BZ2Decompressor()
    if codec == "xz":
        import lzma

        return lzma.LZMADecompressor()
    import zstandard

    return zstandard.ZstdDecompressor().decompressobj()


def _errors() -> tuple[type[BaseException], ...]:
    import lzma
    import zlib

    found: list[type[BaseException]] = [zlib.error, lzma.LZMAError, OSError, EOFError]
    try:
        import zstandard
    except ImportError:  # pragma: no cover - a declared dependency
        pass
    else:
        found.append(zstandard.ZstdError)
    return tuple(found)


class DecompressingReader(io.RawIOBase):
    """Read the decompressed bytes of RAW, a CODEC stream, refusing bombs and cut-off data.

    Memory stays flat whatever the stream holds: output is made a bounded piece at a time.
    Concatenated streams (`cat a.gz b.gz`) read as one. Reading raises CorruptStream for
    damaged or truncated data and CompressionBomb past MAX_RATIO; `compressed` and
    `decompressed` count the bytes so far.
    """

    def __init__(
        self,
        raw: IO[bytes] | io.RawIOBase,
        codec: str,
        *,
        max_ratio: int = MAX_RATIO,
        origin: DecompressingReader | None = None,
    ) -> None:
        self._raw = raw
        # A layer inside another (`a.txt.gz.gz`) is measured against the outermost input:
        # layers that each expand within MAX_RATIO must not add up to a bomb.
        self._origin = origin or self
        self.codec = codec
        self.max_ratio = max_ratio
        self.compressed = 0
        self.decompressed = 0
        self._decompressor: Any = _decompressor(codec)
        self._capped = codec != "zst"  # its decompress() takes max_length
        self._pending = b""  # compressed bytes read but not yet fed
        self._surplus = b""  # decompressed bytes made but not yet read
        self._raw_done = False
        self._finished = False
        self._error_types = _errors()
        self._deferred: BaseException | None = None  # an error to raise at the next step

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._surplus or self._read(len(view))
        # zstandard's output is not capped: keep what does not fit for the next read.
        data, self._surplus = data[: len(view)], data[len(view) :]
        view[: len(data)] = data
        return len(data)

    def _read(self, size: int) -> bytes:
        while not self._finished:
            try:
                data = self._step(size)
            except self._error_types as error:
                if isinstance(error, NewsparseError):
                    raise
                raise CorruptStream(f"{self._label()} data is damaged: {error}") from None
            if data:
                self.decompressed += len(data)
                compressed = self._origin.compressed
                if self.decompressed > _RATIO_FLOOR and self.decompressed > self.max_ratio * max(
                    compressed, 1
                ):
                    raise CompressionBomb(
                        f"{self._origin._label()} stream expands more than {self.max_ratio} "
                        f"times ({compressed:,} bytes gave {self.decompressed:,}): refused "
                        "as a decompression bomb"
                    )
                return data
        return b""

    def _step(self, size: int) -> bytes:
        """Feed the decompressor once; return what it gave (maybe nothing)."""
        decompressor = self._decompressor
        if decompressor.eof:
            rest = decompressor.unused_data + self._pending
            self._pending = b""
            while not rest.strip(b"\0"):  # zero padding after a stream is allowed
                rest = self._fill()
                if not rest:
                    self._finished = True
                    return b""
            self._decompressor = _decompressor(self.codec)  # a concatenated stream
            self._pending = rest.lstrip(b"\0")
            return b""
        if self._capped:
            tail = getattr(decompressor, "unconsumed_tail", b"")
            if not tail and getattr(decompressor, "needs_input", True) and not self._pending:
                self._pending = self._fill()
                if not self._pending:
                    return self._at_end()
            if tail:
                feed, self._pending = tail + self._pending, b""
            else:
                feed, self._pending = self._pending, b""
            return bytes(decompressor.decompress(feed, size))
        if self._deferred is not None:  # met after the output already returned
            error, self._deferred = self._deferred, None
            raise error
        if not self._pending:
            self._pending = self._fill()
            if not self._pending:
                return self._at_end()
        # Feed after feed until a piece of output is made: a memoryview walks the pending
        # bytes (slicing bytes would copy what is left after each feed). What one call
        # makes stays within _ZSTD_PIECE plus one feed's worth.
        pending = memoryview(self._pending)
        wanted = min(size, _ZSTD_PIECE)
        pieces: list[bytes] = []
        made = at = 0
        while at < len(pending) and made < wanted:
            try:
                piece = decompressor.decompress(pending[at : at + _ZSTD_FEED])
            except self._error_types as error:
                if not pieces:
                    raise
                self._deferred = error  # what came before the damage is returned first
                at = len(pending)
                break
            at += _ZSTD_FEED
            if piece:
                pieces.append(piece)
                made += len(piece)
            if decompressor.eof:  # the rest of this feed is in unused_data
                break
        self._pending = bytes(pending[at:]) if at < len(pending) else b""
        return b"".join(pieces)

    def _fill(self) -> bytes:
        if self._raw_done:
            return b""
        data = self._raw.read(_FEED)
        if not data:
            self._raw_done = True
        self.compressed += len(data)
        return bytes(data)

    def _at_end(self) -> bytes:
        """The input ended: fine between streams, an error inside one."""
        decompressor = self._decompressor
        if self.codec == "gz" and not decompressor.eof:
            leftover = decompressor.flush()
            if leftover:
                return bytes(leftover)
        if not decompressor.eof:
            raise CorruptStream(
                f"{self._label()} data is cut off: the stream ends after "
                f"{self.compressed:,} compressed bytes, before its end marker"
            )
        self._finished = True
        return b""

    def _label(self) -> str:
        return {"gz": "gzip", "bz2": "bzip2", "xz": "xz", "zst": "zstandard"}[self.codec]


class _Unwrapped(io.RawIOBase):
    """What OUTER decompresses to, with every further layer of compression taken off too.

    The layers are found at the first read, from the magic bytes each one starts with, so
    that their errors come from reading, as a single layer's do.
    """

    def __init__(self, outer: DecompressingReader) -> None:
        self.layers = [outer]
        self._source: io.RawIOBase | None = None  # the innermost bytes, once found

    @property
    def codec(self) -> str:
        """The codec of the outermost layer."""
        return self.layers[0].codec

    @property
    def compressed(self) -> int:
        """The bytes read from the input so far."""
        return self.layers[0].compressed

    @property
    def decompressed(self) -> int:
        """The bytes the innermost layer gave so far."""
        return self.layers[-1].decompressed

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._source is None:
            self._source = self._innermost()
        return self._source.readinto(buffer)

    def _innermost(self) -> io.RawIOBase:
        while True:
            layer = self.layers[-1]
            head, error = _read_head(layer)
            codec = sniff_codec(head) if error is None else None
            if codec is None:
                return _Prepended(head, layer, error)
            if len(self.layers) >= MAX_LAYERS:
                raise CompressionBomb(
                    f"{self.layers[0]._label()} stream is compressed more than {MAX_LAYERS} "
                    "times over: refused as a decompression bomb"
                )
            self.layers.append(
                DecompressingReader(
                    _Prepended(head, layer), codec, max_ratio=layer.max_ratio, origin=self.layers[0]
                )
            )


def _read_head(layer: io.RawIOBase) -> tuple[bytes, BaseException | None]:
    """Read the first _SNIFF bytes of LAYER; an error after some of them comes back with them."""
    head = bytearray()
    piece = bytearray(_SNIFF)
    while len(head) < _SNIFF:
        try:
            got = layer.readinto(piece)
        except NewsparseError as error:
            if not head:
                raise
            return bytes(head), error  # the bytes before the damage are read first
        if not got:
            break
        head += piece[:got]
    return bytes(head), None


class _Prepended(io.RawIOBase):
    """HEAD, then the rest of LAYER (or ERROR, raised where LAYER broke)."""

    def __init__(
        self, head: bytes, layer: io.RawIOBase, error: BaseException | None = None
    ) -> None:
        self._head = head
        self._layer = layer
        self._error = error

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            view = memoryview(buffer).cast("B")
            size = min(len(view), len(self._head))
            view[:size], self._head = self._head[:size], self._head[size:]
            return size
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        return self._layer.readinto(buffer)


def open_decompressed(raw: IO[bytes], codec: str, *, max_ratio: int = MAX_RATIO) -> BinaryIO:
    """Return a buffered reader of RAW's decompressed bytes (see DecompressingReader).

    A stream compressed more than once (`a.txt.gz.gz`, `dumps.tar.gz.xz`) is decompressed
    layer after layer, up to MAX_LAYERS; past that, reading raises CompressionBomb.
    """
    reader = _Unwrapped(DecompressingReader(raw, codec, max_ratio=max_ratio))
    buffered: Any = io.BufferedReader(reader, 1 << 18)
    return buffered  # type: ignore[no-any-return]


# --- Writing ------------------------------------------------------------------------------


def compress_bytes(data: bytes | memoryview, codec: str) -> bytes:
    """Return DATA compressed with CODEC, whole."""
    if codec == "gz":
        import gzip

        return gzip.compress(data, compresslevel=6, mtime=0)
    if codec == "bz2":
        import bz2

        return bz2.compress(data)
    if codec == "xz":
        import lzma

        return lzma.compress(data)
    import zstandard

    return zstandard.ZstdCompressor().compress(data)


class _CompressingWriter(io.RawIOBase):
    """Compress what is written into TARGET; `close()` writes the end of the stream."""

    def __init__(self, target: IO[bytes], codec: str) -> None:
        self._target = target
        self._compress: Callable[[bytes], bytes]
        self._flush: Callable[[], bytes]
        if codec == "gz":
            import zlib

            compressor: Any = zlib.compressobj(6, zlib.DEFLATED, 31)
        elif codec == "bz2":
            import bz2

            compressor = bz2.BZ2Compressor()
        elif codec == "xz":
            import lzma

            compressor = lzma.LZMACompressor()
        else:
            import zstandard

            compressor = zstandard.ZstdCompressor().compressobj()
        self._compress, self._flush = compressor.compress, compressor.flush

    def writable(self) -> bool:
        return True

    abandoned = False  # set when the output is given up: closing then writes nothing more

    def write(self, data: Any) -> int:
        view = memoryview(data)
        if self.abandoned:
            return len(view)
        out = self._compress(bytes(view))
        if out:
            self._target.write(out)
        return len(view)

    def close(self) -> None:
        if not self.closed and not self.abandoned:
            self._target.write(self._flush())
        super().close()


@contextlib.contextmanager
def compressing(
    target: IO[bytes], codec: str, *, binary: bool, bom: bool = False
) -> Iterator[IO[Any]]:
    """Yield a stream compressing with CODEC into TARGET (text in UTF-8 unless BINARY).

    The end of the compressed stream is written when the block succeeds; TARGET stays open.
    """
    raw = _CompressingWriter(target, codec)
    writer = io.BufferedWriter(raw, 1 << 16)
    stream: Any = writer
    if not binary:
        stream = io.TextIOWrapper(writer, encoding="utf-8-sig" if bom else "utf-8", newline="")
    try:
        yield stream
    except BaseException:
        raw.abandoned = True  # the output is discarded: write nothing more into it
        stream.close()
        raise
    stream.close()


@contextlib.contextmanager
def write_compressed_atomically(
    path: str, codec: str, *, binary: bool = False, bom: bool = False
) -> Iterator[IO[Any]]:
    """Like `output.write_atomically`, compressing with CODEC what the block writes."""
    from .output import write_atomically

    with (
        write_atomically(path, binary=True) as target,
        compressing(target, codec, binary=binary, bom=bom) as stream,
    ):
        yield stream


def compressed_writer(target: IO[bytes], codec: str) -> IO[bytes]:
    """Return a binary stream compressing with CODEC into TARGET; close it to finish the stream.

    Closing it does not close TARGET.
    """
    writer: Any = io.BufferedWriter(_CompressingWriter(target, codec), 1 << 16)
    return writer  # type: ignore[no-any-return]
