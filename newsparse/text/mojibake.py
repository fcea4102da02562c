"""Mojibake: text decoded with the wrong code page, found per line and repaired with ftfy."""

from __future__ import annotations

import re

from ..patterns import compile_lazily

__all__ = ["Damage", "find_damage", "looks_damaged", "repair_line"]

# A UTF-8 lead byte read as Windows-1252 or Latin-1 (`Ã Ä Å È ...`) followed by a
# continuation byte read the same way (C1 controls, `™ › ƒ ‚ Ž ¢ ®`...): how `ș ț ă î â`
# look after UTF-8 was decoded as a single-byte code page, once or more.
_UTF8_AS_SINGLE_BYTE = compile_lazily(
    "[\u00c2-\u00df][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030"
    "\u2039\u203a\u20ac\u2122]"
)
# Windows-1250 (or ISO-8859-2) bytes read as Windows-1252 (or Latin-1): `ş ţ Ş Ţ` show as
# `º þ ª Þ` inside words, `ă` as `ã`.
_CP1250_AS_CP1252 = compile_lazily(r"(?<=[^\W\d_])[ºþªÞã]|[ºþªÞ](?=[^\W\d_])")
# A leading character class lets the regular expression engine scan fast; the lookbehind
# of the Windows-1250 pattern does not, so its rare letters are found first.
_CP1250_LETTER = compile_lazily("[ºþªÞã]")


def _suspect(text: str) -> bool:
    """Tell whether TEXT holds a sequence that mojibake produces."""
    if _UTF8_AS_SINGLE_BYTE.search(text):
        return True
    for match in _CP1250_LETTER.finditer(text):
        # Matching at a position still sees the letter before it (unlike slicing).
        if _CP1250_AS_CP1252.match(text, match.start()):
            return True
    return False


_WORD = compile_lazily(r"\S+")
# The Romanian letters that Windows-1252 has no place for (`î â` it shares).
_NOT_IN_CP1252 = frozenset("ășțşţĂȘȚŞŢ")


class Damage:
    """How one line was damaged and what it reads as once repaired."""

    __slots__ = ("example", "example_repaired", "how", "repaired")

    def __init__(self, how: str, repaired: str, example: str, example_repaired: str) -> None:
        self.how = how  # a short phrase for the diagnostic
        self.repaired = repaired
        self.example = example  # the first damaged word as found
        self.example_repaired = example_repaired

    def __repr__(self) -> str:
        return f"Damage({self.how!r}, {self.example!r} -> {self.example_repaired!r})"


# Every damaged Romanian text holds one of these: the lead byte of `ă â î ș ț ş ţ` read as
# Windows-1252 (`Ä Ã È Å`, once or more), or `ş ţ` of Windows-1250 as Windows-1252 shows
# them. Testing for six characters is many times faster than scanning with a pattern, so
# clean text costs almost nothing.
_TELLTALES = ("Ã", "È", "Ä", "Å", "º", "þ")


def looks_damaged(text: str) -> bool:
    """Tell cheaply whether TEXT may hold mojibake (a pre-filter: `find_damage` decides)."""
    for telltale in _TELLTALES:
        if telltale in text:
            return _suspect(text)
    return False


def _utf8_repair(line: str) -> str | None:
    repaired = _plain_utf8_repair(line)
    if repaired is None:
        import ftfy  # loaded only for a line damaged in a way not read above

        repaired = ftfy.fix_encoding(line)
    return repaired if repaired != line else None


# `ă î â Ș Â` in UTF-8 read as Windows-1252, or `ș ț Ă` so read before a letter: what
# ftfy takes for mojibake wherever it stands (`È™` alone it leaves as it is, `ÈšA` too).
_ROMANIAN_AS_CP1252 = re.compile("Äƒ|Ã®|Ã¢|È˜|Ã‚|(?:È[™›]|Ä‚)[A-Za-z]")
# `”` (E2 80 9D) read as Windows-1252, which has no 9D: its last byte became U+FFFD.
_LOST_QUOTE = "â€\ufffd"
# What a line repaired here may hold besides ASCII: Romanian letters and punctuation.
_PLAIN_REPAIRED = frozenset("ăâîșşțţĂÂÎȘŞȚŢ„”«»–—…’‘\ufffd")
# No single-byte code page has the comma-below letters: text holding one cannot be
# read back as mojibake of anything.
_COMMA_BELOW = ("ș", "ț", "Ș", "Ț")
# Of those, the ones that would begin a UTF-8 sequence of two or three bytes if their
# line were mojibake, and what would continue one (a space may stand for a no-break
# space): ftfy repairs such sequences again, one by one.
_LEADS_OF_TWO = frozenset("ĂÂÎŞŢ")
_LEADS_OF_THREE = frozenset("ăâî")
_CONTINUING = frozenset(" şŞ„”«»–—…’‘")


def _plain_utf8_repair(line: str) -> str | None:
    """Return what `ftfy.fix_encoding` gives for the common damage, or None to ask ftfy.

    The common damage is Romanian text in UTF-8 read once as Windows-1252, with each `”`
    turned into `â€` and U+FFFD. Its repair is the exact reverse: encode as
    Windows-1252, decode as UTF-8, a lost `”` becoming U+FFFD, as ftfy does. ftfy stops
    there when the repaired text holds only ASCII, Romanian letters (one with a comma
    below at least) and Romanian punctuation, and no letter that would lead a UTF-8
    sequence before what would continue it: such text cannot be read back as mojibake,
    so ftfy changes nothing more.
    tests/test_text_repairs.py checks this against ftfy itself. Importing ftfy takes
    about 50 ms: a dump with one damaged line would otherwise pay them.
    """
    if _ROMANIAN_AS_CP1252.search(line) is None:
        return None
    try:
        data = b"\xef\xbf\xbd".join(piece.encode("cp1252") for piece in line.split(_LOST_QUOTE))
        repaired = data.decode("utf-8")
    except UnicodeError:
        return None
    if b"\xed" in data or b"\xc0" in data or b"\x1a" in data:
        return None
    if not any(letter in repaired for letter in _COMMA_BELOW):
        return None
    end = len(repaired)
    for index, ch in enumerate(repaired):
        if ch < "\x80":
            continue
        if ch not in _PLAIN_REPAIRED:
            return None
        follows = repaired[index + 1 : index + 3]
        if ch in _LEADS_OF_TWO and follows[:1] in _CONTINUING and index + 1 < end:
            return None
        if ch in _LEADS_OF_THREE and len(follows) == 2 and _CONTINUING.issuperset(follows):
            return None
    return repaired


def _cp1250_repair(line: str) -> str | None:
    if not _CP1250_AS_CP1252.search(line):
        return None
    for read_as, written_in in (("cp1252", "cp1250"), ("latin-1", "iso8859-2")):
        try:
            repaired = line.encode(read_as).decode(written_in)
        except UnicodeError:
            continue
        # Only a line that had none of these letters and gains some is taken: a Portuguese
        # `São` alone is not enough.
        if (
            _NOT_IN_CP1252.isdisjoint(line)
            and not _NOT_IN_CP1252.isdisjoint(repaired)
            and not _suspect(repaired)
            and (sum(ch in "ºþªÞ" for ch in line) or line.count("ã") >= 2)
        ):
            return repaired
    return None


def find_damage(line: str) -> Damage | None:
    """Return how LINE was damaged and its repair, or None when it reads as written."""
    if not _suspect(line):
        return None
    how, repaired = "UTF-8 read as Windows-1252 or Latin-1", None
    if _UTF8_AS_SINGLE_BYTE.search(line):
        repaired = _utf8_repair(line)
    if repaired is None:
        how, repaired = "Windows-1250 read as Windows-1252", _cp1250_repair(line)
    if repaired is None:
        return None
    example = example_repaired = ""
    found, fixed = _WORD.findall(line), _WORD.findall(repaired)
    if len(found) == len(fixed):
        for before, after in zip(found, fixed, strict=True):
            if before != after:
                example, example_repaired = before, after
                break
    if not example:
        example, example_repaired = line[:40], repaired[:40]
    return Damage(how, repaired, example, example_repaired)


def repair_line(line: str) -> str:
    """Return LINE with its mojibake repaired; a line that reads as written is returned as is."""
    damage = find_damage(line)
    return line if damage is None else damage.repaired
