"""Deterministic generator of small, varied dumps for the Dask and Parquet tests."""

from __future__ import annotations

import random
from pathlib import Path

AUTHORS = ["newsreporter", "Ana Popescu", "Ștefan Țurcanu", "redacția"]
MONTHS = [
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
]
WORDS = [
    "Președintele",
    "țara",
    "școală",
    "înșelătorie",
    "Bucureşti",
    "ţară",
    "guvernul",
    "a",
    "anunțat",
    "miercuri",
    "că",
    "bugetul",
    "crește",
    "„marea",
    "reformă”",
    "și",
    "primăria",
    "Iași",
    "Brașov",
    "Timișoara",
    "pentru",
    "cetățeni",
    "de",
    "la",
    "în",
]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(4, 14))]
    return " ".join(words).capitalize() + rng.choice([".", "!", "?"])


def byline(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.randint(2012, 2025)
    author = rng.choice(AUTHORS)
    time = f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"
    shape = rng.randrange(5)
    if shape == 0:
        return f"Scris de {author} pe {day} {month} {year}, {time}"
    if shape == 1:
        return f"Publicat de {author}, {day} {month} {year}"  # a date with no time
    if shape == 2:
        return (
            f"Articol de {author}, {day} {month} {year}, {time} / actualizat: "
            f"{day} {month} {year}, 23:59"
        )
    if shape == 3:
        return f"Scris de {author} pe {day}.{MONTHS.index(month) + 1:02d}.{year} ora {time}"
    return f"Scris de {author} pe {day} {month.upper()} {year}"


def article(rng: random.Random, index: int) -> str:
    lines = [byline(rng), "", f"## Titlul {index}: {sentence(rng)}", ""]
    for number in range(rng.randint(0, 4)):
        kind = rng.randrange(6)
        if kind == 0:
            lines += [f"media-{index}{number} (1).png", ""]
        elif kind == 1:
            lines += [f"![Foto: {rng.choice(WORDS)}](media-{index}-{number}.jpg)", ""]
        elif kind == 2:
            lines += ["---", ""]
        else:
            lines += [" ".join(sentence(rng) for _ in range(rng.randint(1, 3))), ""]
    if rng.random() < 0.7:
        lines += [f"[{rng.choice(['stiripesurse', 'agerpres', 'digi24'])}](#)", ""]
    if rng.random() < 0.8:
        lines.append(f"ADRESA: <http://crct.ro/a{index}>")
    return "\n".join(lines)


def dump(rng: random.Random, index: int) -> bytes:
    """Return the bytes of dump number INDEX: one or two articles, sometimes broken."""
    roll = rng.random()
    if roll < 0.02:
        return b""
    if roll < 0.04:
        return b"just some text with no byline\n"
    text = article(rng, index)
    if rng.random() < 0.2:
        text += "\n\n" + article(rng, index + 100_000)
    if rng.random() < 0.1:
        return text.replace("ș", "ş").replace("ț", "ţ").encode("cp1250", errors="replace")
    if rng.random() < 0.1:
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def write_dumps(directory: Path, count: int, *, seed: int = 8) -> list[Path]:
    """Write COUNT dumps under DIRECTORY (some in subfolders) and return their paths."""
    rng = random.Random(seed)
    paths = []
    for index in range(count):
        folder = directory / f"site{index % 3}" if index % 5 else directory
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{index:04d}_{rng.getrandbits(32):08x}.txt"
        path.write_bytes(dump(rng, index))
        paths.append(path)
    return paths
