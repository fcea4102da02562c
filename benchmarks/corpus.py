"""A deterministic synthetic corpus of Romanian news dumps, in the proportions real scrapes show.

`generate(directory, n_files, seed)` writes `n_files` dumps; `stream_dumps(size, seed)` yields
concatenated dumps (bytes) up to a size without storing them, for memory runs. Run
`python benchmarks/corpus.py stream --size 1G` to write such a stream to stdout.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "NEAR_KINDS",
    "CorpusStats",
    "PlantedCorpus",
    "article",
    "dump",
    "generate",
    "generate_with_duplicates",
    "near_copy",
    "parse_size",
    "same_topic_article",
    "stream_dumps",
    "vary_like_real_dumps",
]

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
SHORT_MONTHS = [
    "ian.",
    "feb",
    "mart.",
    "apr.",
    "mai",
    "iun.",
    "Iul.",
    "aug.",
    "sept.",
    "oct.",
    "Noi",
    "dec.",
]
WEEKDAYS = ["luni", "Marţi", "miercuri", "joi", "vineri", "Sambata", "duminică"]
AUTHORS = [
    "newsreporter",
    "Ion Popescu",
    "Maria Ionescu-Popa",
    "Ștefan Țăranu",
    "Redacția",
    "Andrei Mureșan",
    "Ioana Mărgineanu",
    "Vasile Dumitrescu",
    "Elena Stănescu",
    "Mihai Vlădescu",
    "Cristina Sârbu",
    "Alexandru Tănase",
]
SOURCES = [
    ("stiripesurse", "#"),
    ("digi24", "#"),
    ("hotnews", "https://www.hotnews.ro/x"),
    ("Agerpres", "#"),
    ("economica.net", "https://www.economica.net/a"),
    ("mediafax", "#"),
    ("libertatea", "https://www.libertatea.ro/s"),
]
WORDS = (  # noqa: SIM905 - a word list reads better as text
    "președintele guvernul ministrul consiliul județean primăria Bucureștiului românia țara "
    "anunțat declarat transmis informat potrivit conform sursei oficiale săptămâna trecută "
    "luni marți miercuri joi vineri sâmbătă duminică proiectul legii bugetul finanțelor "
    "investiții infrastructură autostrada spitalul școala elevii profesorii medicii pacienții "
    "creșterea prețurilor inflația dobânda banca națională cursul euro leul economia piața "
    "energiei gazelor naturale facturile consumatorii companiile angajații salariile pensiile "
    "poliția jandarmeria accidentul incendiul pompierii salvatorii victimele martorii ancheta "
    "procurorii instanța dosarul decizia hotărârea ședința parlamentul senatul deputații "
    "partidul alegerile campania candidații sondajul opoziția coaliția reforma administrației "
    "vremea ninsori ploi temperaturi caniculă avertizare meteorologii nordul sudul estul vestul "
    "Moldovei Transilvaniei Munteniei Dobrogei Banatului orașul comuna satul locuitorii "
    "a fost au fost va fi vor fi este sunt care când unde pentru după înainte între până "
    "din în pe la cu de și sau dar iar că să nu mai foarte mult puțin multe alte această acest "
    "anul luna ziua ora minute milioane miliarde procente euro lei dolari prima doua treia"
).split()
PLAIN = str.maketrans("ăâîșşțţĂÂÎȘŞȚŢ", "aaissttAAISSTT")
LEGACY = ("cp1250", "iso8859_2", "iso8859_16")


@dataclass
class CorpusStats:
    """What `generate()` wrote."""

    files: int = 0
    articles: int = 0
    bytes: int = 0


def _sentence(rng: random.Random, plain: bool) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 24))]
    text = " ".join(words)
    if rng.random() < 0.15:
        text += f", a spus {rng.choice(AUTHORS)}"
    if rng.random() < 0.1:
        text = f"„{text}”" if not plain else f'"{text}"'
    text = text[0].upper() + text[1:] + rng.choice(".....!?")
    return text.translate(PLAIN) if plain else text


def _paragraph(rng: random.Random, plain: bool) -> str:
    return " ".join(_sentence(rng, plain) for _ in range(rng.randint(2, 4)))


def _date(rng: random.Random) -> str:
    """Return a byline date: mostly `15 august 2022, 09:13`, some of the other shapes."""
    year = rng.randint(2010, 2025)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    roll = rng.random()
    if roll < 0.75:
        return f"{day} {MONTHS[month - 1]} {year}, {hour:02d}:{minute:02d}"
    if roll < 0.80:
        return f"{rng.choice(WEEKDAYS)}, {day} {MONTHS[month - 1]} {year}, {hour:02d}:{minute:02d}"
    if roll < 0.84:
        return f"{day} {SHORT_MONTHS[month - 1]} {year}, {hour}:{minute:02d}"
    if roll < 0.87:
        return f"{day:02d}.{month:02d}.{year}, {hour:02d}:{minute:02d}"
    if roll < 0.89:
        return f"{day:02d}/{month:02d}/{year}"
    if roll < 0.92:
        return f"{day} {MONTHS[month - 1].upper()} {year} - ora {hour:02d}:{minute:02d}"
    if roll < 0.94:
        return f"{day} {MONTHS[month - 1]} {year}"
    if roll < 0.96:
        return f"{hour:02d}:{minute:02d}, {day} {SHORT_MONTHS[month - 1]} {year}"
    if roll < 0.98:
        return f"{SHORT_MONTHS[month - 1]} {day}, {year}, {hour:02d}:{minute:02d}"
    return f"{day} {SHORT_MONTHS[month - 1]} {year},, {hour:02d}:{minute:02d}"


def _byline(rng: random.Random) -> str:
    author = rng.choice(AUTHORS)
    date = _date(rng)
    roll = rng.random()
    if roll < 0.82:
        line = f"Scris de {author} pe {date}"
    elif roll < 0.88:
        line = f"Publicat de {author}, {date}"
    elif roll < 0.92:
        line = f"Articol de {author}, {date}"
    elif roll < 0.94:
        line = f"Articol editat de {author}, {date}"
    else:
        line = f"De {author} la {date}"
    if rng.random() < 0.05:
        line += f" / actualizat: {_date(rng)}"
    return line


def article(rng: random.Random, *, plain: bool | None = None) -> str:
    """Return one article of about 2-3 KB, without a final newline."""
    if plain is None:
        plain = rng.random() < 0.3  # diacritics lost, as in the reference dump
    lines = ["" for _ in range(rng.choice((0, 0, 0, 1, 2)))]
    lines += [_byline(rng), ""]
    title = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
    lines += [f"## {(title[0].upper() + title[1:]).translate(PLAIN) if plain else title}", ""]
    lines += [_paragraph(rng, plain), ""]
    if rng.random() < 0.7:
        stamp = rng.randint(10**17, 10**18)
        image = f"media-{stamp}{' (1)' if rng.random() < 0.5 else ''}.png"
        if rng.random() < 0.2:
            image = f"![Foto: {rng.choice(AUTHORS)}](media-{stamp}.jpg)"
        lines += ["", image, ""]
        if rng.random() < 0.8:
            lines += ["---", ""]
    size = sum(len(x) + 1 for x in lines)
    target = rng.randint(2000, 3000)
    while size < target:
        paragraph = _paragraph(rng, plain)
        roll = rng.random()
        if roll < 0.025:
            # Broken by the scrape: one sentence split over two blocks.
            words = paragraph.split(" ")
            cut = max(2, len(words) // 2)
            tail = " ".join(words[cut:])
            lines += [" ".join(words[:cut]).rstrip(".!?,"), "", tail[0].lower() + tail[1:], ""]
        elif roll < 0.05:
            lines += [f"### {_sentence(rng, plain).rstrip('.!?')}", ""]
        elif roll < 0.08:
            lines += [f"media-{rng.randint(10**9, 10**10)} ({rng.randint(2, 5)}).jpg", ""]
        else:
            lines += [paragraph, ""]
        if rng.random() < 0.1:
            lines.append("")
        size = sum(len(x) + 1 for x in lines)
    if rng.random() < 0.95:
        name, href = rng.choice(SOURCES)
        lines += [f"[{name}]({href})", ""]
    if rng.random() < 0.97:
        address = f"http://crct.ro/{rng.randint(0, 36**4):x}"
        lines.append(f"ADRESA: <{address}>" if rng.random() < 0.9 else f"ADRESA: {address}")
    text = "\n".join(lines)
    if rng.random() < 0.2:
        text = "\n".join(
            line + " " if line and rng.random() < 0.1 else line for line in text.split("\n")
        )
    return text


def dump(rng: random.Random, *, realistic: bool = False) -> tuple[bytes, int]:
    """Return one dump file's bytes and how many articles it holds.

    REALISTIC adds, at the rates real scrapes show them, what the classic corpus leaves
    out: other sites' dateline frames, relative dates, boilerplate lines, mojibake, mixed
    cedilla and comma letters, broken and malformed articles (`vary_like_real_dumps`).
    """
    roll = rng.random()
    count = 1 if roll < 0.88 else (2 if roll < 0.96 else 3)
    pieces = []
    for _ in range(count):
        text = article(rng)
        if realistic:
            text = vary_like_real_dumps(rng, text)
        # Mostly a final newline; some scrapes have none, which glues the next byline on.
        if rng.random() < 0.85:
            text += "\n"
        pieces.append(text)
    text = "".join(pieces)
    if rng.random() < 0.06:
        text = text.replace("\n", "\r\n")
    elif realistic and rng.random() < 0.02:  # a mix of line endings
        text = "".join(line + ("\r\n" if rng.random() < 0.5 else "\n") for line in text.split("\n"))
    encoding = rng.choice(LEGACY) if rng.random() < 0.04 else "utf-8"
    if encoding == "iso8859_16":
        text = text.replace("ş", "ș").replace("ţ", "ț").replace("Ş", "Ș").replace("Ţ", "Ț")
    elif encoding != "utf-8":
        text = text.replace("ș", "ş").replace("ț", "ţ").replace("Ș", "Ş").replace("Ț", "Ţ")
        text = text.replace("„", '"').replace("”", '"')
    data = text.encode(encoding, errors="replace")
    if encoding == "utf-8" and rng.random() < 0.03:
        data = b"\xef\xbb\xbf" + data
    if realistic and rng.random() < 0.004:  # binary junk from a broken scrape
        cut = rng.randrange(len(data))
        data = data[:cut] + bytes(rng.randrange(256) for _ in range(40)) + data[cut:]
    return data, count


#: Dateline frames of other sites, as they stand in a dump's byline slot (the date part
#: is filled in); the rates below are what a mixed corpus of scrapes shows.
_OTHER_FRAMES = (
    "Publicat: {date}, de {author}",
    "Data publicării: {date}",
    "Postat pe {date}",
    "{section} {date}",
    "Actualizat: {date}",
    "Autor: {author}",
    "De {author} la {date}",
)
_RELATIVE = (
    "acum 2 ore",
    "acum o oră",
    "ieri, 18:45",
    "azi, 09:12",
    "astăzi, 11:48",
    "acum 5 minute",
    "ieri la 22:22",
    "alaltăieri",
)
_ENGLISH = ("3 June 2023", "14 December 2022 09:30", "Oct 2, 2023", "aug. 17, 2024")
_BOILERPLATE = (
    "Citește și: {title}",
    "Vezi și: {title}",
    "Urmărește-ne pe Google News",
    "Foto: {author}",
    "Sursa foto: {author}",
    "Publicitate",
    "Abonează-te la newsletter",
    "Distribuie articolul pe Facebook",
)


def vary_like_real_dumps(rng: random.Random, text: str) -> str:
    """Return the article TEXT with the variations of real scrapes, each at a real rate."""
    lines = text.split("\n")
    byline = next(i for i, line in enumerate(lines) if line.strip())
    title = next((i for i, line in enumerate(lines) if line.startswith("## ")), None)
    roll = rng.random()
    if roll < 0.06:  # another site's dateline frame
        frame = rng.choice(_OTHER_FRAMES)
        lines[byline] = frame.format(
            date=_date(rng),
            author=rng.choice(AUTHORS),
            section=rng.choice(("Social", "Sport", "Economie")),
        )
    elif roll < 0.09:  # a relative date, as on a fresh article
        lines[byline] = f"Scris de {rng.choice(AUTHORS)} pe {rng.choice(_RELATIVE)}"
    elif roll < 0.10:
        lines[byline] = f"Scris de {rng.choice(AUTHORS)} pe {rng.choice(_ENGLISH)}"
    elif roll < 0.11:  # an impossible date
        lines[byline] = f"Scris de {rng.choice(AUTHORS)} pe 31 februarie 2022, 25:61"
    if title is not None and rng.random() < 0.08:  # boilerplate carried into the body
        body = [i for i in range(title + 1, len(lines)) if lines[i] and lines[i][0].isupper()]
        if body:
            where = rng.choice(body)
            line = rng.choice(_BOILERPLATE).format(
                title=lines[title][3:], author=rng.choice(AUTHORS)
            )
            lines[where:where] = [line, ""]
    if rng.random() < 0.01 and title is not None:  # text decoded twice: mojibake
        spot = rng.randrange(title + 1, len(lines))
        lines[spot] = lines[spot].encode("utf-8").decode("cp1252", errors="replace")
    if rng.random() < 0.03:  # cedilla and comma letters mixed in one article
        lines = [line.replace("ș", "ş") if rng.random() < 0.5 else line for line in lines]
    roll = rng.random()
    if roll < 0.01 and title is not None:  # no title
        del lines[title]
    elif roll < 0.015:  # cut off mid-sentence, footer lost
        text = "\n".join(lines)
        return text[: rng.randint(len(text) // 3, len(text) * 2 // 3)].rstrip(". \n")
    elif roll < 0.018:  # one enormous line
        lines.insert(len(lines) // 2, " ".join(rng.choice(WORDS) for _ in range(3000)))
    if rng.random() < 0.03:  # trailing tabs and spaces
        lines = [line + rng.choice(("\t", " \t", "  ")) if line else line for line in lines]
    return "\n".join(lines)


def generate(
    directory: str | os.PathLike[str], n_files: int, seed: int, *, realistic: bool = False
) -> CorpusStats:
    """Write N_FILES dumps into DIRECTORY (two levels deep), always the same for one SEED.

    REALISTIC makes the corpus as varied as real scrapes (see `dump`); the classic corpus
    stays as it was, so that figures taken on it remain comparable.
    """
    rng = random.Random(seed)
    root = Path(directory)
    stats = CorpusStats()
    for index in range(n_files):
        data, count = dump(rng, realistic=realistic)
        folder = root / f"{index // 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{index:06d}.txt").write_bytes(data)
        stats.files += 1
        stats.articles += count
        stats.bytes += len(data)
    return stats


# --- Planted duplicates -------------------------------------------------------------------

#: The ways a near copy differs from its original, as re-scrapes and agencies' stories do.
NEAR_KINDS = (
    "paragraph_added",
    "paragraph_removed",
    "title_changed",
    "typos_fixed",
    "intro_changed",
    "title_and_paragraph",
)
_STOCK_PHRASES = (
    "a declarat ministrul",
    "potrivit unui comunicat oficial",
    "în cursul zilei de luni",
    "au transmis reprezentanții instituției",
    "conform datelor publicate",
    "a precizat sursa",
    "în ședința de guvern",
    "la nivel național",
    "în ultimele luni",
    "a anunțat primarul",
)


def _body_lines(lines: list[str]) -> list[int]:
    """Return the indexes of LINES that are paragraph text (after the title, before links)."""
    title = next(i for i, line in enumerate(lines) if line.startswith("## "))
    found = []
    for index in range(title + 1, len(lines)):
        line = lines[index].strip()
        if not line or line.startswith(("#", "media-", "![", "---")):
            continue
        if line.startswith(("[", "ADRESA:")):
            break
        found.append(index)
    return found


def near_copy(rng: random.Random, text: str, kind: str) -> str:
    """Return a near copy of the article TEXT (from `article()`), changed the KIND way."""
    lines = text.split("\n")
    body = _body_lines(lines)
    plain = not any(ch in text for ch in "ăâîșşțţ")
    if kind in ("title_changed", "title_and_paragraph"):
        title = next(i for i, line in enumerate(lines) if line.startswith("## "))
        words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 12)))
        lines[title] = f"## {words[0].upper()}{words[1:]}"
    if kind in ("paragraph_added", "title_and_paragraph"):
        where = body[-1] + 1 if rng.random() < 0.5 else body[0] + 1
        lines[where:where] = ["", _paragraph(rng, plain)]
    elif kind == "paragraph_removed" and len(body) > 2:
        del lines[rng.choice(body[1:])]
    elif kind == "paragraph_removed":  # too short to lose one: its last words go instead
        words = lines[body[-1]].split(" ")
        lines[body[-1]] = " ".join(words[: max(1, len(words) * 2 // 3)])
    elif kind == "intro_changed":
        lines[body[0]] = _paragraph(rng, plain)
    elif kind == "typos_fixed":
        for _ in range(rng.randint(3, 6)):
            index = rng.choice(body)
            words = lines[index].split(" ")
            spot = rng.randrange(len(words))
            word = words[spot]
            cuts = [
                cut for cut in range(1, len(word) - 2) if word[cut].lower() != word[cut + 1].lower()
            ]
            if cuts:  # two different letters swapped, as a typo or its fix
                cut = rng.choice(cuts)
                words[spot] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
            else:
                words[spot] = word + "a"
            lines[index] = " ".join(words)
    return "\n".join(lines)


def exact_copy(rng: random.Random, text: str) -> str:
    """Return TEXT as another site or scrape shows the same article.

    Another byline, source line and address, and changes that do not count: diacritics
    lost or cedillas for commas, case, spacing and punctuation around the words.
    """
    lines = text.split("\n")
    body = _body_lines(lines)
    byline = next(i for i, line in enumerate(lines) if line.strip())
    lines[byline] = _byline(rng)
    roll = rng.random()
    for index in body:
        line = lines[index]
        if roll < 0.3:
            line = line.translate(PLAIN)
        elif roll < 0.6:
            line = line.replace("ș", "ş").replace("ț", "ţ")
        else:
            line = line.replace(", ", " , ").replace(". ", ".  ")
        lines[index] = line
    lines = [line for line in lines if not line.startswith(("[", "ADRESA:"))]
    name, href = rng.choice(SOURCES)
    lines += [f"[{name}]({href})", "", f"ADRESA: <http://crct.ro/{rng.randint(0, 36**4):x}>"]
    return "\n".join(lines)


def same_topic_article(rng: random.Random, topic: list[str]) -> str:
    """Return an article on the same topic as others made with TOPIC: shared words, new text."""
    lines = [_byline(rng), ""]
    title = " ".join(rng.choice(topic) for _ in range(8))
    lines += [f"## {title[0].upper()}{title[1:]}", ""]
    for _ in range(rng.randint(5, 8)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            words = [
                rng.choice(topic if rng.random() < 0.5 else WORDS)
                for _ in range(rng.randint(8, 16))
            ]
            words.insert(rng.randrange(len(words)), rng.choice(_STOCK_PHRASES))
            sentence = " ".join(words)
            sentences.append(sentence[0].upper() + sentence[1:] + ".")
        lines += [" ".join(sentences), ""]
    name, href = rng.choice(SOURCES)
    lines += [f"[{name}]({href})", "", f"ADRESA: <http://crct.ro/{rng.randint(0, 36**4):x}>"]
    return "\n".join(lines)


@dataclass
class PlantedCorpus:
    """What `generate_with_duplicates()` wrote, and which articles copy which."""

    stats: CorpusStats
    #: file name (relative) -> the file name of the original it copies, by kind.
    exact: dict[str, str]
    near: dict[str, tuple[str, str]]
    #: file names of same-topic articles that must not be clustered together.
    same_topic: list[str]


def generate_with_duplicates(
    directory: str | os.PathLike[str],
    n_files: int,
    seed: int,
    *,
    exact: float = 0.1,
    near: float = 0.1,
    same_topic: float = 0.05,
) -> PlantedCorpus:
    """Write N_FILES one-article dumps, some planted as exact or near copies of earlier ones.

    A fraction EXACT of the files copy an earlier original exactly (after normalisation),
    NEAR are near copies (one of NEAR_KINDS each), SAME_TOPIC are unrelated articles on a
    few shared topics; the rest are originals. Always the same for one SEED.
    """
    rng = random.Random(seed)
    root = Path(directory)
    stats = CorpusStats()
    originals: list[tuple[str, str]] = []
    planted = PlantedCorpus(stats, {}, {}, [])
    topics = [rng.sample(WORDS, 25) for _ in range(4)]
    for index in range(n_files):
        name = f"{index // 500:03d}/{index:06d}.txt"
        roll = rng.random()
        if originals and roll < exact:
            source, text = rng.choice(originals)
            text = exact_copy(rng, text)
            planted.exact[name] = source
        elif originals and roll < exact + near:
            source, text = rng.choice(originals)
            kind = rng.choice(NEAR_KINDS)
            text = near_copy(rng, text, kind)
            planted.near[name] = (source, kind)
        elif roll < exact + near + same_topic:
            text = same_topic_article(rng, rng.choice(topics))
            planted.same_topic.append(name)
        else:
            text = article(rng, plain=rng.random() < 0.3)
            originals.append((name, text))
        data = (text + "\n").encode("utf-8")
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        stats.files += 1
        stats.articles += 1
        stats.bytes += len(data)
    return planted


def stream_dumps(size: int, seed: int, *, pool: int = 400) -> Iterator[bytes]:
    """Yield UTF-8 dumps, concatenated as `cat` would, until SIZE bytes have been yielded.

    A pool of distinct dumps is generated once and cycled through, so the stream costs
    almost nothing to produce however long it is.
    """
    rng = random.Random(seed)
    dumps = []
    while len(dumps) < pool:
        data, _ = dump(rng)
        if data.startswith(b"\xef\xbb\xbf") or b"\r" in data:
            continue
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # one stream has one encoding
        dumps.append(data)
    sent = 0
    index = 0
    while sent < size:
        block = b"".join(dumps[index % pool : index % pool + 64])
        block = block[: size - sent]
        yield block
        sent += len(block)
        index += 64


def parse_size(text: str) -> int:
    """Read a size such as 1G, 250M, 64k or 1000 (bytes)."""
    units = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    text = text.strip().lower().rstrip("b")
    number = text.rstrip("kmg")
    return int(float(number) * units[text[len(number) :]])


def main(argv: list[str] | None = None) -> None:
    """Write a corpus to a directory, or a stream of concatenated dumps to stdout."""
    parser = argparse.ArgumentParser(description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="write N dumps into a directory")
    write.add_argument("directory")
    write.add_argument("-n", "--files", type=int, default=1000)
    write.add_argument("--seed", type=int, default=2022)
    stream = commands.add_parser("stream", help="write concatenated dumps to stdout")
    stream.add_argument("--size", default="250M")
    stream.add_argument("--seed", type=int, default=2022)
    args = parser.parse_args(argv)
    if args.command == "write":
        stats = generate(args.directory, args.files, args.seed)
        print(
            f"{stats.files} files, {stats.articles} articles, {stats.bytes:,} bytes",
            file=sys.stderr,
        )
        return
    out = sys.stdout.buffer
    try:
        for block in stream_dumps(parse_size(args.size), args.seed):
            out.write(block)
        out.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


if __name__ == "__main__":
    main()
