"""Duplicate articles: exact fingerprints, near-duplicate signatures, and who came first.

Exact duplicates share a 16-byte BLAKE2b digest of their normalised title and body
(case, whitespace, punctuation, cedilla or comma, diacritics do not count). Near
duplicates are found by MinHash over word shingles: each body gets a signature of
`BINS` values by one-permutation hashing (one hash per shingle, binned, with
densification for empty bins), and an LSH index of `BANDS` bands finds the earlier
articles worth comparing. The fraction of equal bins estimates the Jaccard similarity
of the two shingle sets.

Deciding is kept apart from fingerprinting: `fingerprint()` is pure and runs anywhere
(a worker process, a Dask task), `DuplicateFinder.add()` runs in one place and sees the
fingerprints in input order, so the first copy always wins, however the work was split.
"""

from __future__ import annotations

import codecs
import functools
import itertools
import operator
import re
import struct
import zlib
from array import array
from dataclasses import dataclass, field

from .model import DEFAULT_DEDUPE_THRESHOLD, Article, Diagnostic, ParseResult, Severity

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator, Sequence
    from typing import Any, Literal

    Mode = Literal["exact", "near"]

__all__ = [
    "BANDS",
    "BINS",
    "DEFAULT_THRESHOLD",
    "MODES",
    "Cluster",
    "DedupeOptions",
    "DuplicateFinder",
    "Fingerprint",
    "Match",
    "article_fingerprint",
    "check_mode",
    "drop_duplicates",
    "find_duplicates",
    "find_duplicates_fingerprinted",
    "fingerprint",
    "normalized_text",
    "normalized_tokens",
    "record_fingerprint",
    "similarity",
]

MODES = ("exact", "near")
#: Jaccard similarity of two bodies' word shingles from which they are near duplicates;
#: chosen by measurement (docs/dedupe.md): a re-scrape with a paragraph added, removed or
#: rewritten scores 0.6-0.95, unrelated articles on the same topic below 0.1.
DEFAULT_THRESHOLD = DEFAULT_DEDUPE_THRESHOLD
#: Words per shingle.
SHINGLE = 3
#: Values in a near-duplicate signature.
BINS = 128
#: LSH bands (of BINS // BANDS values each): two articles whose similarity is 0.5 share
#: a band with probability 0.87, at 0.6 with 0.99, at 0.2 with 0.05.
BANDS = 32
_ROWS = BINS // BANDS
_BIN_MASK = BINS - 1
_BIN_NUMBERS = range(BINS)
#: What an empty bin holds: above every hash (they are below 2**63).
_EMPTY = 1 << 63
_BANDS_LAYOUT = struct.Struct(f"<{BANDS}I")

# --- Normalisation -----------------------------------------------------------------------

# Most article text is ASCII plus a few dozen letters and punctuation marks (Romanian
# letters with either cedilla or comma, typographic quotes and dashes, Western letters with
# accents). They are given one byte each by a charmap codec made here, which encodes in C;
# one byte table then folds case, letters and punctuation at once. Text with any other
# character takes `fold()`; both give the same words (tests/test_dedupe.py checks it).
_WORD = re.compile(r"[^\W_]+")
_FIRST_CHARACTERS = (
    "ăâîșşțţĂÂÎȘŞȚŢ„”“«»–—…’‘‚\xa0·¡¿§°±×÷"
    + "".join(map(chr, range(0xC0, 0x180)))  # Latin-1 letters and Latin Extended-A
)
_codec: tuple[Any, bytes, bytes] | None = None


def _fast_codec() -> tuple[Any, bytes, bytes]:
    """Return the charmap of the fast path and its folding table (made on first use)."""
    global _codec
    if _codec is None:
        decoding = [chr(code) for code in range(128)]
        folding = bytearray(
            b if chr(b).isascii() and chr(b).isalnum() else 0x20 for b in range(128)
        )
        folding[ord("A") : ord("Z") + 1] = b"abcdefghijklmnopqrstuvwxyz"
        for character in _FIRST_CHARACTERS:
            if len(decoding) == 256:
                break
            folded = _fold(character)
            if not _WORD.fullmatch(folded or " "):
                target = 0x20  # punctuation: a word boundary
            elif len(folded) == 1 and folded in _ALNUM_TEXT:
                target = ord(folded)
            else:
                continue  # ß, æ, ²: more than one ASCII letter, or none
            if character in decoding:
                continue
            decoding.append(character)
            folding.append(target)
        decoding += ["\ufffe"] * (256 - len(decoding))  # unused bytes: never encoded
        folding += b" " * (256 - len(folding))
        boundaries = bytes(code for code in range(256) if folding[code] == 0x20)
        _codec = (codecs.charmap_build("".join(decoding)), bytes(folding), boundaries)
    return _codec


_ALNUM_TEXT = "0123456789abcdefghijklmnopqrstuvwxyz"


def normalized_text(text: str) -> bytes:
    """Return the letters and digits of TEXT folded: no case, diacritics or cedillas.

    Whitespace and punctuation are dropped: `Brașov, „AZI”` and `brasov azi` both give
    `b"brasovazi"`. This is what exact duplicates are compared on.
    """
    charmap, folding, boundaries = _codec or _fast_codec()
    try:
        encoded = (
            text.encode("ascii")
            if text.isascii()
            else codecs.charmap_encode(text, "strict", charmap)[0]
        )
    except UnicodeEncodeError:
        return "".join(_WORD.findall(_fold(text))).encode("utf-8", "surrogatepass")
    return encoded.translate(folding, boundaries)


def normalized_tokens(text: str) -> list[bytes]:
    """Return the words of TEXT folded as `normalized_text` folds them (UTF-8 bytes)."""
    charmap, folding, _ = _codec or _fast_codec()
    try:
        encoded = (
            text.encode("ascii")
            if text.isascii()
            else codecs.charmap_encode(text, "strict", charmap)[0]
        )
    except UnicodeEncodeError:
        return [word.encode("utf-8", "surrogatepass") for word in _WORD.findall(_fold(text))]
    return encoded.translate(folding).split()


def _fold(text: str) -> str:
    """Return `newsparse.text.normalize.fold(TEXT)`, imported on first use."""
    from .text.normalize import fold

    return fold(text)


# --- Fingerprints ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What duplicate detection keeps of an article: small, picklable, fixed size."""

    #: 16-byte digest of the normalised title and body.
    digest: bytes
    #: The near-duplicate signature (BINS bytes), when asked for.
    signature: bytes | None = None


def fingerprint(title: str | None, body: Sequence[str], *, near: bool = False) -> Fingerprint:
    """Return the fingerprint of an article given as its TITLE and BODY texts."""
    if not near:
        head = normalized_text(title) + b"\x00" if title else b"\x00"
        text = normalized_text("\n".join(body))
        return Fingerprint(_blake2b(head + text, digest_size=16).digest())
    digest, words = _digest_and_words(title, body)
    return Fingerprint(digest, _signature(words))


def _digest_and_words(title: str | None, body: Sequence[str]) -> tuple[bytes, list[bytes]]:
    """Return the exact digest of an article and the words of its BODY, folded.

    The words joined are the letters the digest is made of (`normalized_text` is
    `b"".join(normalized_tokens(...))`), so the text is encoded and folded only once.
    """
    head = normalized_text(title) + b"\x00" if title else b"\x00"
    words = normalized_tokens("\n".join(body))
    return _blake2b(head + b"".join(words), digest_size=16).digest(), words


def _blake2b(data: bytes, *, digest_size: int) -> Any:
    """Return `hashlib.blake2b(DATA)`; hashlib (it loads OpenSSL) is imported on first use."""
    global _blake2b
    from hashlib import blake2b

    _blake2b = blake2b  # type: ignore[assignment]  # from now on, straight to hashlib
    return blake2b(data, digest_size=digest_size)


def article_fingerprint(article: Article, *, near: bool = False) -> Fingerprint:
    """Return the fingerprint of ARTICLE (its paragraphs and headings are the body)."""
    body = [block.text for block in article.blocks if block.text]
    return fingerprint(article.title, body, near=near)


def record_fingerprint(record: dict[str, Any], *, near: bool = False) -> Fingerprint:
    """Return the fingerprint of an article given as its JSON object (`to_dict()`)."""
    blocks = record.get("blocks")
    if blocks is None:
        body = list(record.get("paragraphs") or ())
    else:
        body = [block["text"] for block in blocks if block.get("text")]
    return fingerprint(record.get("title"), body, near=near)


def _signature(words: list[bytes]) -> bytes:
    """Return the one-permutation MinHash signature of the shingles of WORDS.

    Words of up to three letters (`a`, `de`, `la`, `si`, `din`, `sau`...) are left out
    first: they are nearly half of Romanian text, say little about which article it is,
    and cost as much to hash.
    """
    content = [word for word in words if len(word) > 3] or words
    hashes = list(map(zlib.crc32, content))
    if len(hashes) >= SHINGLE:
        shingles: Iterable[tuple[int, ...]] = zip(
            *(hashes[i:] for i in range(SHINGLE)), strict=False
        )
    else:
        shingles = [tuple(hashes)]  # a body shorter than one shingle: one set element
    # A tuple of ints hashes the same in every process (no salt) and in C; a plain loop
    # keeps the smallest of each bin faster than sorting and building a dict would.
    # Hashes are below 2**63: the sentinel is above all of them, and no bin is left
    # at it once a value has reached it.
    bins: list[Any] = [_EMPTY] * BINS
    for value in map(hash, shingles):
        bin_ = value & _BIN_MASK
        if value < bins[bin_]:
            bins[bin_] = value
    if _EMPTY in bins:
        # Densification: an empty bin takes the value of the next full bin to its right,
        # marked by the distance, so that two empty bins agree only when their donors do.
        full = list(bins)
        for index in range(BINS):
            if full[index] is _EMPTY:
                distance = 1
                while full[(index + distance) & _BIN_MASK] is _EMPTY:
                    distance += 1
                bins[index] = full[(index + distance) & _BIN_MASK] ^ (distance << 20)
    # One byte of each value (bits 16-23, clear of the bin number): 128 bytes in all; two
    # unrelated bins agree by chance once in 256, which the estimate can afford.
    return array("q", bins).tobytes()[2::8]


def similarity(a: bytes, b: bytes) -> float:
    """Return the estimated Jaccard similarity of two signatures (equal bins / all bins)."""
    return sum(map(int.__eq__, a, b)) / BINS


# --- Deciding ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """An article found to copy an earlier one."""

    kind: str  # "exact" or "near"
    #: Where the first copy is (its file, None for standard input, and line).
    file: str | None
    line: int
    #: Estimated Jaccard similarity of the bodies (1.0 for exact copies).
    similarity: float
    #: Number of the first copy among the articles kept (its cluster's id).
    first: int

    def message(self) -> str:
        """Return the diagnostic message naming the first copy."""
        where = f"{self.file or '<stdin>'}:{self.line}"
        if self.kind == "exact":
            return f"same article as {where}"
        return f"near copy of {where} (similarity {self.similarity:.2f})"

    def diagnostic(self, file: str | None, line: int) -> Diagnostic:
        """Return the warning on the later copy at FILE:LINE (NP501 exact, NP502 near)."""
        code = "NP501" if self.kind == "exact" else "NP502"
        return Diagnostic(file, line, 1, code, Severity.WARNING, self.message())


@dataclass
class Cluster:
    """An article and its later copies (exact or near)."""

    file: str | None
    line: int
    #: (file, line, kind, similarity) of each later copy, in input order.
    copies: list[tuple[str | None, int, str, float]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON object of this cluster."""
        return {
            "file": self.file,
            "line": self.line,
            "size": 1 + len(self.copies),
            "copies": [
                {"file": file, "line": line, "kind": kind, "similarity": round(score, 4)}
                for file, line, kind, score in self.copies
            ],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class DedupeOptions:
    """Which duplicates to find: exact copies, or near copies too, from what similarity."""

    mode: str = "exact"
    threshold: float = DEFAULT_THRESHOLD

    def finder(self) -> DuplicateFinder:
        """Return a new DuplicateFinder for these options."""
        return DuplicateFinder(self.mode, threshold=self.threshold)


def check_mode(mode: str, threshold: float) -> None:
    """Raise InvalidOption for an unknown mode or a threshold outside (0, 1]."""
    from .errors import InvalidOption

    if mode not in MODES:
        raise InvalidOption(f"unknown dedupe mode {mode!r} (choose exact or near)")
    if not 0.0 < threshold <= 1.0:
        raise InvalidOption(f"the near-duplicate threshold must be in (0, 1], not {threshold}")


class DuplicateFinder:
    """Decide, in input order, which articles copy an earlier one.

    Give it every article's fingerprint in input order (`add`); it remembers the first
    copy of each: per article kept, a 16-byte digest and a position (exact), plus a
    128-byte signature and BANDS index entries (near). Later copies are not remembered,
    only counted and listed in their cluster.
    """

    def __init__(self, mode: str = "exact", *, threshold: float = DEFAULT_THRESHOLD) -> None:
        check_mode(mode, threshold)
        self.mode = mode
        self.near = mode == "near"
        self.threshold = threshold
        self._digests: dict[bytes, int] = {}
        self._files: list[str | None] = []
        self._file_numbers: dict[str | None, int] = {}
        self._file_of = array("I")
        self._line_of = array("Q")
        self._signatures: list[bytes] = []
        self._bands: list[dict[int, int | list[int]]] = [{} for _ in range(BANDS)]
        self._clusters: dict[int, list[tuple[str | None, int, str, float]]] = {}
        self._seeded = 0
        self._added = False
        #: Later copies seen, by kind.
        self.exact_count = 0
        self.near_count = 0

    @property
    def duplicate_count(self) -> int:
        """Later copies seen (exact and near)."""
        return self.exact_count + self.near_count

    @property
    def kept_count(self) -> int:
        """Articles that copy no earlier one."""
        return len(self._file_of)

    def seed(self, print_: Fingerprint, file: str | None, line: int) -> None:
        """Remember an article kept by an earlier run (a database being appended to).

        Reading that same article again (same file and line) is then not a copy: it
        replaces what the earlier run wrote.
        """
        if self._added:
            raise ValueError("seed() comes before every add()")
        if print_.digest not in self._digests:
            self._remember(print_, file, line)
            self._seeded = self.kept_count

    def check(self, article: Article) -> Match | None:
        """Fingerprint ARTICLE and `add` it (the same as `add(article_fingerprint(...))`)."""
        return self.check_fingerprinted(article)[0]

    def check_fingerprinted(self, article: Article) -> tuple[Match | None, Fingerprint | None]:
        """Do `check(ARTICLE)`; also return its fingerprint, or None when not made whole.

        The fingerprint is what `article_fingerprint(ARTICLE, near=self.near)` returns,
        for a caller that stores it (SQLite) to reuse. It is None for an exact copy in
        near mode, whose signature is never computed.
        """
        if not self.near:
            print_ = article_fingerprint(article)
            return self.add(print_, article.file, article.line), print_
        body = [block.text for block in article.blocks if block.text]
        digest, words = _digest_and_words(article.title, body)
        if digest in self._digests:  # an exact copy: its signature is never looked at
            return self.add(Fingerprint(digest), article.file, article.line), None
        print_ = Fingerprint(digest, _signature(words))
        return self.add(print_, article.file, article.line), print_

    def add(self, print_: Fingerprint, file: str | None, line: int) -> Match | None:
        """Record the article at FILE:LINE; return the match when it copies an earlier one."""
        self._added = True
        number = self._digests.get(print_.digest)
        if number is not None:
            if number < self._seeded and self._position(number) == (file, line):
                return None  # an input written before and read again: not a copy
            self.exact_count += 1
            return self._matched("exact", number, file, line, 1.0)
        candidate = None
        if self.near and print_.signature is not None:
            candidate = self._nearest(print_.signature)
            if candidate is not None and not (
                candidate[0] < self._seeded and self._position(candidate[0]) == (file, line)
            ):
                self.near_count += 1
                return self._matched("near", candidate[0], file, line, candidate[1])
        self._remember(print_, file, line)
        return None

    def _position(self, number: int) -> tuple[str | None, int]:
        return self._files[self._file_of[number]], self._line_of[number]

    def _matched(self, kind: str, number: int, file: str | None, line: int, score: float) -> Match:
        self._clusters.setdefault(number, []).append((file, line, kind, score))
        first_file, first_line = self._position(number)
        return Match(kind, first_file, first_line, score, number)

    def _remember(self, print_: Fingerprint, file: str | None, line: int) -> None:
        number = len(self._file_of)
        self._digests[print_.digest] = number
        file_number = self._file_numbers.get(file)
        if file_number is None:
            file_number = self._file_numbers[file] = len(self._files)
            self._files.append(file)
        self._file_of.append(file_number)
        self._line_of.append(line)
        if not self.near:
            return
        signature = print_.signature or bytes(BINS)
        self._signatures.append(signature)
        keys = _band_keys(signature)
        # Most keys are new: setdefault files them in C; the few taken become lists.
        found = list(map(dict.setdefault, self._bands, keys, itertools.repeat(number)))
        if found.count(number) == BANDS:
            return  # every key was new (the usual case): nothing left to do in Python
        for band, key, earlier in zip(self._bands, keys, found, strict=True):
            if earlier == number:
                continue
            if isinstance(earlier, int):
                band[key] = [earlier, number]
            else:
                earlier.append(number)

    def _nearest(self, signature: bytes) -> tuple[int, float] | None:
        """Return the earliest remembered article at least THRESHOLD similar, and its score."""
        # Most bands find nothing: they are left out in C.
        taken = list(filter(_is_not_none, map(dict.get, self._bands, _band_keys(signature))))
        if not taken:
            return None
        candidates: set[int] = set()
        for found in taken:
            if isinstance(found, int):
                candidates.add(found)
            else:
                candidates.update(found)  # type: ignore[arg-type]  # no None is left
        for number in sorted(candidates):
            score = similarity(signature, self._signatures[number])
            if score >= self.threshold:
                return number, score
        return None

    def clusters(self) -> list[Cluster]:
        """Return every article that has later copies, with them, in input order."""
        return [
            Cluster(*self._position(number), copies=list(copies))
            for number, copies in sorted(self._clusters.items())
        ]

    def summary(self) -> dict[str, Any]:
        """Return the counts: articles kept, exact and near copies, clusters."""
        return {
            "mode": self.mode,
            "threshold": self.threshold if self.near else None,
            "kept": self.kept_count,
            "exact": self.exact_count,
            "near": self.near_count,
            "clusters": len(self._clusters),
        }


_is_not_none = functools.partial(operator.is_not, None)


def _band_keys(signature: bytes) -> tuple[int, ...]:
    """Return one key per band: its 4 bytes as one number (each band has its own index)."""
    return _BANDS_LAYOUT.unpack(signature)


def drop_duplicates(articles: Iterable[Article], finder: DuplicateFinder) -> Iterator[Article]:
    """Yield the ARTICLES that copy no earlier one (FINDER counts the others)."""
    for article in articles:
        if finder.check(article) is None:
            yield article


def find_duplicates(
    results: Iterable[ParseResult], finder: DuplicateFinder, *, drop: bool = False
) -> Iterator[ParseResult]:
    """Yield RESULTS with a warning on each later copy (NP501, NP502); DROP leaves it out.

    What `validate`, `parse --dedupe` and `stats` run over the parsed inputs, in order.
    """
    for result, _ in find_duplicates_fingerprinted(results, finder, drop=drop):
        yield result


def find_duplicates_fingerprinted(
    results: Iterable[ParseResult], finder: DuplicateFinder, *, drop: bool = False
) -> Iterator[tuple[ParseResult, list[Fingerprint | None]]]:
    """Do `find_duplicates`, yielding with each result the fingerprints of its articles.

    They are those `DuplicateFinder.check_fingerprinted` made, one per article yielded
    (None where it made none), so that a database storing them computes none again.
    """
    for result in results:
        kept: list[Article] = []
        prints: list[Fingerprint | None] = []
        found: list[Diagnostic] = []
        for article in result.articles:
            match, print_ = finder.check_fingerprinted(article)
            if match is not None:
                found.append(match.diagnostic(article.file, article.line))
            if match is None or not drop:
                kept.append(article)
                prints.append(print_)
        if not found:
            yield result, prints
            continue
        diagnostics = sorted([*result.diagnostics, *found], key=_position)
        yield ParseResult(kept, diagnostics, result.encoding), prints


def _position(diagnostic: Diagnostic) -> tuple[int, int]:
    return diagnostic.line, diagnostic.column
