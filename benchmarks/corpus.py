"""A deterministic synthetic corpus of Romanian news dumps, with the variants FORMAT.md lists.

Usage from another benchmark:

    from corpus import generate
    total_bytes = generate("benchmarks/corpus/20000", 20_000, seed=1)

or on the command line: `python benchmarks/corpus.py DIR --files 1000 --seed 1`.
"""

from __future__ import annotations

import argparse
import os
import random

__all__ = ["generate", "make_dump"]

MONTHS = ["ianuarie", "februarie", "martie", "aprilie", "mai", "iunie", "iulie", "august",
          "septembrie", "octombrie", "noiembrie", "decembrie"]
SHORT = ["ian.", "feb", "mart.", "apr.", "mai", "iun.", "iul.", "aug.", "sept.", "oct.", "Noi",
         "dec."]
WEEKDAYS = ["luni", "marti", "Miercuri", "joi", "vineri", "Sambata", "duminică"]
AUTHORS = ["newsreporter", "Ana Popescu", "Mihai Ionescu", "redactia", "Ioana Dumitrescu",
           "Radu Georgescu", "Elena Stan"]
SOURCES = ["stiripesurse", "Agerpres", "Mediafax", "Digi24", "HotNews", "Adevarul"]
# Words with and without diacritics, cedilla (ş ţ) and comma-below (ș ț) forms alike.
WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list
    "presedintele guvernul ministrul declarat joi potrivit sursei bugetul anului proiectul "
    "legii parlamentul romania bucuresti orasul primarul consiliul judetean investitii "
    "drumuri spitale scoli cetatenii economia inflatia cresterea salariile pensiile taxele "
    "Președintele Guvernul țării județean școli spitalele cetățenii economiei creșterea "
    "şedinţa ţara preşedintele înţelegere acordul semnat întâlnire relațiile bilaterale "
    "cooperare europeană Comisia Bruxelles fonduri proiecte autostrada energie gaze "
    "prețurile consumatorii sondaj alegeri partidul coaliția opoziția votul senatorii "
    "deputații reforma justiției instanța dosarul procurorii ancheta poliția accident"
).split()
HOSTS = ["crct.ro", "bit.ly", "stiri.ro"]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    words[0] = words[0].capitalize()
    text = " ".join(words)
    if rng.random() < 0.15:
        text += f', a declarat {rng.choice(AUTHORS)}: „{rng.choice(WORDS)} {rng.choice(WORDS)}”'
    elif rng.random() < 0.1:
        text += f' "{rng.choice(WORDS)}"'
    return text + "."


def _byline(rng: random.Random) -> str:
    year = rng.randint(2010, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    author = rng.choice(AUTHORS)
    time = f"{hour:02}:{minute:02}" if rng.random() < 0.7 else f"{hour}:{minute:02}"
    long_date = f"{day} {MONTHS[month - 1]} {year}"
    if rng.random() < 0.2:
        long_date = long_date.upper() if rng.random() < 0.3 else long_date.capitalize()
    short_date = f"{day} {SHORT[month - 1]} {year}"
    choice = rng.random()
    if choice < 0.45:
        return f"Scris de {author} pe {long_date}, {time}"
    if choice < 0.55:
        return f"Scris de {author} pe {rng.choice(WEEKDAYS)}, {long_date}, {time}"
    if choice < 0.65:
        return f"Publicat de {author}, {short_date}, {time}"
    if choice < 0.72:
        return f"Articol de {author}, {day:02}.{month:02}.{year} - {time}"
    if choice < 0.78:
        return f"Articol editat de {author}, {time}, {short_date}"
    if choice < 0.84:
        return f"De {author} la {day}/{month:02}/{year}, ora {time}"
    if choice < 0.90:
        return (f"Scris de {author} pe {long_date}, {time} / actualizat: "
                f"{long_date}, {min(hour + 1, 23):02}:{minute:02}")
    if choice < 0.95:
        return f"Scris de {author} pe {short_date},, {time}"
    return f"Scris de {author} pe {long_date}"


def _article(rng: random.Random, index: int) -> list[str]:
    """Return the lines of one article of about 2 to 3 KB."""
    lines = [_byline(rng), "", "## " + " ".join(rng.choice(WORDS) for _ in range(
        rng.randint(5, 12))).capitalize(), ""]
    target = rng.randint(2000, 3000)
    size = sum(len(line) + 1 for line in lines)
    paragraph = 0
    while size < target:
        text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 4)))
        if rng.random() < 0.08 and " " in text:
            cut = text.index(" ", len(text) // 2)
            block = [text[:cut], "", text[cut + 1:]]  # a paragraph broken by the scrape
        else:
            block = [text]
        lines += block + [""] * rng.choice((1, 1, 1, 2, 3))
        size += sum(len(line) + 1 for line in block) + 2
        paragraph += 1
        if paragraph == 1:
            stamp = rng.randrange(10**17, 10**18)
            if rng.random() < 0.7:
                lines += [f"media-{stamp}{rng.choice(['', ' (1)', ' (2)'])}.png", ""]
            elif rng.random() < 0.5:
                lines += [f"![{rng.choice(WORDS)} {rng.choice(WORDS)}](media-{stamp}.jpg)", ""]
            if rng.random() < 0.8:
                lines += ["---", ""]
    if rng.random() < 0.9:
        lines += [f"[{rng.choice(SOURCES)}](#)", ""]
    code = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
                   for _ in range(4))
    url = f"http://{rng.choice(HOSTS)}/{code}{index % 10}"
    if rng.random() < 0.93:
        lines.append(f"ADRESA: <{url}>" if rng.random() < 0.8 else f"ADRESA: {url}")
    return lines


def make_dump(rng: random.Random, index: int) -> bytes:
    """Return one dump file: 1 to 3 articles, in one of the encodings and line endings."""
    count = rng.choices((1, 2, 3), weights=(85, 12, 3))[0]
    lines: list[str] = [""] * rng.choice((0, 0, 1, 2))
    for number in range(count):
        if number:
            lines += [""] * rng.choice((1, 2))
        lines += _article(rng, index)
    text = "\n".join(lines)
    if rng.random() < 0.7:
        text += "\n"  # the reference dump has no final newline; most have one
    if rng.random() < 0.1:
        text = "\n".join(line + " " if line and rng.random() < 0.1 else line
                         for line in text.split("\n"))
    newline = rng.choices(("\n", "\r\n"), weights=(85, 15))[0]
    text = text.replace("\n", newline)
    encoding = rng.choices(("utf-8", "utf-8-sig", "cp1250", "iso8859_16"),
                           weights=(85, 5, 6, 4))[0]
    if encoding == "cp1250":
        text = text.translate(str.maketrans("șțȘȚ„”", "şţŞŢ\"\""))
    elif encoding == "iso8859_16":
        text = text.translate(str.maketrans("şţŞŢ", "șțȘȚ"))
    return text.encode(encoding, errors="replace")


def generate(directory: str | os.PathLike[str], n_files: int, seed: int = 1) -> int:
    """Write N_FILES dumps under DIRECTORY (1,000 per folder); return the bytes written.

    The same N_FILES and SEED always give the same files, byte for byte.
    """
    rng = random.Random(seed)
    total = 0
    for index in range(n_files):
        folder = os.path.join(os.fspath(directory), f"{index // 1000:03}")
        if index % 1000 == 0:
            os.makedirs(folder, exist_ok=True)
        data = make_dump(rng, index)
        name = f"{index:06}_{rng.getrandbits(64):016x}.txt"
        with open(os.path.join(folder, name), "wb") as stream:
            stream.write(data)
        total += len(data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory")
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    total = generate(args.directory, args.files, args.seed)
    print(f"{args.files} dumps, {total / 1e6:.1f} MB in {args.directory}")


if __name__ == "__main__":
    main()
