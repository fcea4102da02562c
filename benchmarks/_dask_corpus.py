"""A deterministic corpus of realistic dumps (about 2 KB each) for the Dask benchmark."""

from __future__ import annotations

import random
from pathlib import Path

_MONTHS = (
    "ianuarie",
    "februarie",
    "martie",
    "aprilie",
    "mai",
    "iunie",
    "iulie",
    "august",
    "septembrie",
    "octombrie",
    "noiembrie",
    "decembrie",
)
_WORDS = (
    "Președintele",
    "guvernul",
    "a",
    "anunțat",
    "că",
    "bugetul",
    "pentru",
    "anul",
    "viitor",
    "va",
    "crește",
    "cu",
    "cinci",
    "la",
    "sută",
    "iar",
    "ministrul",
    "finanțelor",
    "susține",
    "măsurile",
    "în",
    "ședința",
    "de",
    "miercuri",
    "Bucureşti",
    "școlile",
    "spitalele",
    "primăria",
    "țara",
    "și",
    "noile",
    "investiții",
    "din",
)


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."


def dump_text(rng: random.Random, index: int) -> str:
    """Return one dump: byline, title, lead image, separator, paragraphs, source, footer."""
    day, month, year = rng.randint(1, 28), rng.choice(_MONTHS), rng.randint(2015, 2025)
    lines = [
        f"Scris de autor{index % 37} pe {day} {month} {year}, "
        f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}",
        "",
        f"## {_sentence(rng)}",
        "",
        " ".join(_sentence(rng) for _ in range(2)),
        "",
        f"media-{index:012d} (1).png",
        "",
        "---",
        "",
    ]
    for _ in range(rng.randint(4, 9)):
        lines += [" ".join(_sentence(rng) for _ in range(rng.randint(1, 3))), ""]
    lines += ["[stiripesurse](#)", "", f"ADRESA: <http://crct.ro/b{index}>"]
    return "\n".join(lines)


def write_corpus(directory: Path, count: int, *, seed: int = 2022) -> list[Path]:
    """Write COUNT dumps into 10 subfolders of DIRECTORY (once: kept for reruns)."""
    marker = directory / f".complete-{count}-{seed}"
    paths = [directory / f"d{index % 10}" / f"{index:06d}.txt" for index in range(count)]
    if marker.exists():
        return paths
    rng = random.Random(seed)
    for index, path in enumerate(paths):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_text(rng, index), encoding="utf-8")
    marker.touch()
    return paths
