"""Boilerplate lines that scrapes carry into article bodies: related links, credits, prompts."""

from __future__ import annotations

import re
from functools import lru_cache

from .normalize import fold

__all__ = ["BOILERPLATE_KINDS", "classify_line", "is_related_heading"]

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
    r"|asculta\s+articol(?:ul)?|tipareste|printeaza|trimite\s+unui\s+prieten)\b.{0,120}"
    r"|(?:facebook|twitter|email|e-mail|whatsapp|linkedin|pinterest|telegram|messenger|x)"
    r"(?:[\s|,/•·]+(?:facebook|twitter|email|e-mail|whatsapp|linkedin|pinterest|telegram"
    r"|messenger|x|print|copy link))+"
    r"|sari\s+(?:direct\s+)?la\s+continut|connect\s+with\s+us|x\s+close|inchide"
    r"|poza\s+\d+\s*/\s*\d+|galerie\s+foto|\(?\d+\s+(?:foto|fotografii|poze)\)?"
    r"|setarile\s+tale\s+privind\s+cookie.*|.*\bfoloseste\s+cookie.*"
    r"|web\s+design\s+by\b.*|gazduire\s+web\b.*|toate\s+drepturile\s+rezervate\b.*"
    r")"
)
_END_OF_SENTENCE = frozenset(".!?…")
# Longer than this a line is prose, whatever it starts with.
_MAX_LINE = 300


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """Compile the patterns on first use: compiling them costs start-up time."""
    return (
        re.compile(_RELATED_PATTERN),
        re.compile(_RELATED_ANYWHERE_PATTERN),
        re.compile(_CREDIT_PATTERN),
        re.compile(_BOILERPLATE_PATTERN),
    )


def classify_line(text: str) -> str | None:
    """Return `related`, `credit` or `boilerplate` for a boilerplate line, None for prose."""
    if len(text) > _MAX_LINE:
        return None
    key = fold(text).strip(" \t-–—•*>|:")
    if not key:
        return None
    related, related_anywhere, credit, boilerplate = _patterns()
    if boilerplate.fullmatch(key):
        return "boilerplate"
    if related.match(key) or related_anywhere.search(key):
        return "related"
    if credit.fullmatch(key) and _looks_like_credit(key):
        return "credit"
    return None


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
