"""Boilerplate lines that scrapes carry into article bodies: related links, credits, prompts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from ..patterns import compile_lazily
from .normalize import fold

TYPE_CHECKING = False  # typing costs milliseconds at start-up: read by type checkers only
if TYPE_CHECKING:
    from ..model import Block

__all__ = [
    "BOILERPLATE_KINDS",
    "classify_line",
    "first_candidate",
    "is_related_heading",
    "might_be_boilerplate",
]

#: Block kinds a boilerplate paragraph becomes.
BOILERPLATE_KINDS = ("related", "credit", "boilerplate")

# Every pattern is matched against the folded line (no diacritics, lower case, single
# spaces), so `Citește și`, `Citeşte şi`, `Citeste si` and `CITEȘTE ȘI` are one shape.
_NETWORK = (
    r"(?:google news|google stiri|facebook|instagram|twitter|tiktok|youtube|telegram|"
    r"whatsapp|linkedin|threads|canalul|pagina|newsletter|contul)"
)
_RELATED_PATTERN = (
    r"(?:"
    # `Citește și: ...`, `Vezi și`, `Citiți mai mult`, `Citește mai departe...`
    r"(?:citeste|cititi|vezi|vedeti|urmareste|urmariti)\s+(?:si|de asemenea)\b"
    r"|(?:citeste|cititi)\s+(?:mai\s+(?:mult|multe|departe)|tot|integral|articolul|"
    r"continuarea|aici|stirea)\b"
    r"|read\s+more\b|related\b"
    r"|(?:articole|stiri|materiale)\s+(?:similare|asemanatoare|recomandate|legate|conexe)\b"
    r"|(?:alte\s+stiri|mai\s+multe\s+stiri|noutatile\s+partenerilor|recomandarile\s+redactiei"
    r"|cele\s+mai\s+(?:citite|noi)\s+stiri|cele\s+mai\s+citite|recomandari|pe\s+aceeasi\s+tema"
    r"|iti\s+recomandam|va\s+recomandam|ti-ar\s+putea\s+placea|s-ar\s+putea\s+sa\s+te\s+intereseze)"
    r"\b"
    r"|the\s+post\s+.+\s+appeared\s+first\s+on\b"
    r")"
)
# Text that points elsewhere even in the middle of a short line.
_RELATED_ANYWHERE_PATTERN = r"\bciteste\s+(?:integral|mai\s+departe|articolul)\b"
_CREDIT_PATTERN = (
    r"(?:sursa\s+)?(?:foto(?:grafi[ei])?|photo|imagin[ei]|video|captura(?:\s+video)?"
    r"|ilustratie|grafica|infografie)(?:\s+(?:si\s+text|sursa|credit))?\s*(?::|/|-|©|\(c\))"
    r"\s*\S.{0,80}"
    r"|(?:sursa|source|editor|redactor|text|traducere|credit(?:e)?)\s*:\s*\S.{0,60}"
    r"|(?:©|\(c\)|copyright)\s*\S.{0,80}"
    # `Name, Foto: credit` under a photo
    r"|.{1,60},\s*(?:sursa\s+)?foto\s*:\s*\S.{0,60}"
)
_BOILERPLATE_PATTERN = (
    r"(?:"
    r"publicitate|reclama|advertisement|sponsorizat|continut\s+sponsorizat|articol\s+sponsorizat"
    r"|\[?e?advert\]?|anunt\s+publicitar|advertorial"
    r"|(?:aboneaza|abonati)-(?:te|va)\b.*"
    rf"|(?:urmareste|urmariti|fiti\s+la\s+curent|ramai\s+la\s+curent|ramaneti\s+la\s+curent"
    rf"|intra\s+pe|alatura-te|alaturati-va|descarca|abonati-va)\b.*\b{_NETWORK}\b.*"
    r"|(?:distribuie|distribuiti|share|trimite|tweet|comenteaza|comentati|comentarii"
    r"|lasa\s+un\s+(?:comentariu|raspuns)|adauga\s+un\s+comentariu|scrie\s+un\s+comentariu"
    r"|asculta\s+articol(?:ul)?|tipareste|printeaza|trimite\s+unui\s+prieten)"
    # (`Trimite-mi documentele` is prose: a prompt's verb stands alone)
    r"(?![\w-]).{0,120}"
    r"|(?:facebook|twitter|email|e-mail|whatsapp|linkedin|pinterest|telegram|messenger|x)"
    r"(?:[\s|,/•·]+(?:facebook|twitter|email|e-mail|whatsapp|linkedin|pinterest|telegram"
    r"|messenger|x|print|copy link))*"
    r"|google\s+(?:news|stiri)\b.*|embed\s+code\b.*|copiaza\s+codul\b.*"
    r"|cititi\s+(?:principiile|regulile)\b.*\bmoderare\b.*"
    r"|\[[a-z_]+(?:\s+[a-z_]+=[^\]]*)*\]"  # a WordPress shortcode left in: [nggallery id=1]
    r"|(?:ramai|ramaneti|stai|stati)\s+conectat[i]?"
    r"|sari\s+(?:direct\s+)?la\s+continut|connect\s+with\s+us|x\s+close|inchide"
    r"|poza\s+\d+\s*/\s*\d+|galerie\s+foto|\(?\d+\s+(?:foto|fotografii|poze)\)?"
    r"|setarile\s+tale\s+privind\s+cookie.*|.*\bfoloseste\s+cookie.*"
    r"|web\s+design\s+by\b.*|gazduire\s+web\b.*|toate\s+drepturile\s+rezervate\b.*"
    r")"
)
_END_OF_SENTENCE = frozenset(".!?…")
_RELATED_BRACKETED = compile_lazily(r"\[\s*(?:citeste|vezi)\s+si\s*:?\s*\]")
# How every shape above starts, as a lower-case line starts (with or without diacritics).
# fmt: off
_FIRST_WORDS = (
    "citește", "citeşte", "citeste", "citiți", "citiţi", "cititi", "vezi", "vedeți", "vedeţi",
    "vedeti", "urmărește", "urmăreşte", "urmareste", "urmăriți", "urmăriţi", "urmariti",
    "read", "related", "articole", "știri", "ştiri", "stiri", "materiale", "noutățile",
    "noutăţile", "noutatile", "recomand", "îți", "iţi", "iti", "ți-ar", "ţi-ar", "ti-ar",
    "s-ar", "foto", "photo", "imagin", "video", "captur", "ilustrați", "ilustraţi",
    "ilustrati", "grafic", "infografi", "editor", "redactor", "traducere", "credit", "©",
    "(c)", "copyright", "publicitate", "reclam", "advertisement", "sponsor", "conținut",
    "conţinut", "continut", "[eadvert]", "eadvert", "[advert]", "advert", "abonează",
    "abonați", "abonaţi", "abonati", "aboneaza", "fiți", "fiţi", "fiti", "rămâi", "ramai",
    "rămâneți", "rămâneţi", "ramaneti", "alătură", "alatura", "alăturați", "alaturati",
    "descarcă", "descarca", "distribui", "share", "trimite", "tweet", "comentea", "comentați",
    "comentaţi", "comentati", "comentarii", "lasă", "lasa", "adaugă", "adauga", "ascultă",
    "asculta", "tipărește", "tipăreşte", "tipareste", "printeaz", "facebook", "twitter",
    "email", "e-mail", "whatsapp", "linkedin", "pinterest", "telegram", "messenger", "sari",
    "connect", "închide", "inchide", "poza", "galerie", "setările", "setarile", "găzduire",
    "gazduire", "source", "mai multe", "mai mult", "pe aceeași", "pe aceeaşi", "pe aceeasi",
    "vă recomand", "va recomand", "the post", "scrie un", "x close", "x |", "x,", "web design",
    "anunț publicitar", "anunţ publicitar", "anunt publicitar", "intră pe", "intra pe",
    "alte știri", "alte ştiri", "alte stiri", "alte articole", "cele mai", "text:", "text și",
    "text şi", "text si", "sursa:", "sursa :", "sursa foto", "sursa imagin", "sursa video",
    "articol sponsorizat", "articole similare", "toate drepturile", "informatie preluata",
    "informație preluată", "informaţie preluată", "google news", "google știri", "google stiri",
    "embed code", "copiază codul", "copiaza codul", "stai conectat", "stați conectați",
)
# fmt: on
# The first one, two or three characters (lower case) of those shapes, with the bullets
# a line may start with: the quick test that rules out prose before a line is folded.
# (in the three spellings a line starts with: `citește`, `Citește`, `CITEȘTE`)
_FIRST3 = frozenset(
    variant
    for word in _FIRST_WORDS
    if len(word) >= 3
    for variant in (word[:3], word[:3].capitalize(), word[:3].upper())
)
_BULLETS = frozenset("-–—•*>|:[(©0123456789")
# Longer than this a line is prose, whatever it starts with.
MAX_LINE = 300
# The longest `Name, Foto: credit` line the credit pattern accepts.
_MAX_CREDIT = 130


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Compile the patterns on first use: compiling them costs start-up time."""
    return (
        re.compile(_RELATED_PATTERN),
        re.compile(_RELATED_ANYWHERE_PATTERN),
        re.compile(_CREDIT_PATTERN),
        re.compile(_BOILERPLATE_PATTERN),
    )


def might_be_boilerplate(text: str) -> bool:
    """Tell quickly whether TEXT may be boilerplate: False for almost every paragraph."""
    return _might_be(text)


def _might_be(
    text: str,
    _first3: frozenset[str] = _FIRST3,
    _bullets: frozenset[str] = _BULLETS,
    _first_words: tuple[str, ...] = _FIRST_WORDS,
) -> bool:
    if len(text) > MAX_LINE:
        return False
    if text[:3] in _first3:
        return text[:24].lower().startswith(_first_words)
    if text[:1] in _bullets:
        return True
    # `Name, Foto: credit` under a photo: a short line with `foto` in it.
    return len(text) <= _MAX_CREDIT and ("oto" in text or "OTO" in text)


def first_candidate(blocks: Sequence[Block]) -> int:
    """Return the index of the first paragraph block that might be boilerplate, or -1.

    This runs on every paragraph of every article: a look at the first characters (and,
    in a short line, for `foto`) rules out prose before any line is folded and matched.
    """
    # `_might_be`, inlined: a call per paragraph costs more than its tests.
    first3, bullets, first_words = _FIRST3, _BULLETS, _FIRST_WORDS
    for index, block in enumerate(blocks):
        text = block.text
        if text is None or len(text) > MAX_LINE or block.kind != "paragraph":
            continue
        if text[:3] in first3:
            if text[:24].lower().startswith(first_words):
                return index
        elif text[:1] in bullets or (len(text) <= _MAX_CREDIT and ("oto" in text or "OTO" in text)):
            return index
    return -1


def classify_line(text: str) -> str | None:
    """Return `related`, `credit` or `boilerplate` for a boilerplate line, None for prose."""
    if len(text) > MAX_LINE:
        return None
    # Most paragraphs are prose: a look at the first word (and at `foto` or `citește`
    # anywhere) rules them out before the whole line is folded and matched.
    if not might_be_boilerplate(text):
        return None
    key = fold(text).strip(" \t-–—•*>|:")
    if key.startswith("[") and key.endswith("]") and _RELATED_BRACKETED.fullmatch(key):
        return "related"  # `[citește și]`: a placeholder where a link box was
    if not key:
        return None
    related, related_anywhere, credit, boilerplate = _patterns()
    if boilerplate.fullmatch(key):
        return "boilerplate"
    if (related.match(key) and not _reads_as_sentence(key)) or related_anywhere.search(key):
        return "related"
    if credit.fullmatch(key) and _looks_like_credit(key):
        return "credit"
    return None


def _reads_as_sentence(key: str) -> bool:
    """Tell a sentence that starts like a link (`Vezi și tu cum...`) from a link line."""
    head = key[:30]
    return (
        ":" not in head and "»" not in head and key[-1] in _END_OF_SENTENCE and len(key.split()) > 8
    )


def _looks_like_credit(key: str) -> bool:
    """Tell a short credit (`Foto: Agerpres`) from a sentence that starts like one."""
    words = key.split()
    if len(words) > 12:
        return False
    # A credit names someone; it does not end a sentence after many words.
    return not (key[-1] in _END_OF_SENTENCE and len(words) > 6)


def is_related_heading(text: str) -> bool:
    """Tell whether TEXT only introduces a list of other headlines (`Citește și:`)."""
    key = fold(text).strip(" \t-–—•*>|")
    if not key.endswith(":") and len(key.split()) > 4:
        return False
    return bool(_patterns()[0].fullmatch(key.rstrip(": ")))
