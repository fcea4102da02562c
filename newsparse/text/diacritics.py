"""Put back lost Romanian diacritics with a word-form model built from wordfreq's Romanian list."""

from __future__ import annotations

import contextlib
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .normalize import has_diacritic, strip_diacritics, to_comma_below

__all__ = [
    "DiacriticsUnavailable",
    "Model",
    "build_model",
    "cache_path",
    "load_model",
    "restore_text",
]

#: Bumped whenever the model's layout or the way it is built changes, so caches refresh.
MODEL_VERSION = 7
# A written form replaces the bare one only when it is this many times more frequent:
# `fata` (girl) and `fată` (she gives birth) are close; `si` and `și` are not.
_MIN_RATIO = 1.0
# Suffix rules learnt from the known words (word list and lexicon), for words neither
# holds: the longest bare ending whose restored form is this sure among those ending so.
_SUFFIX_LENGTHS = (6, 5, 4, 3)
_SUFFIX_MIN_SHARE = 0.9
_SUFFIX_MIN_WORDS = 8
# Both `-a` and `-ă` forms count as a pair when the rarer is at least this share of the
# more frequent one.
_PAIR_SHARE = 0.05
_WORD = re.compile(r"[^\W\d_]+")
# An English word at least this frequent (Zipf 3.5) and unknown to the Romanian list is
# English where it occurs in Romanian text.
_ENGLISH_MIN_FREQUENCY = 3e-6
# A capitalised word opening a sentence is a name, and stays, when its bare form is longer
# than this and at least this frequent in English text (Zipf 3: `Maria`, `Sara`, `Roma`;
# names are shared across languages, Romanian inflected forms are not), or this many times
# more frequent bare than written in Romanian (`Oana` against `oană`; a form wordfreq
# knows only bare counts as such).
_NAME_MIN_LENGTH = 2
_NAME_ENGLISH_FREQUENCY = 1e-6
_NAME_RATIO = 10.0
# Words written bare in the list that context rules may still restore (`Va` -> `Vă`).
_DECIDED = frozenset(["ca", "sa", "va", "aceasta"])
# Prefixes that make new words of known ones without changing their diacritics.
_PREFIXES = (
    "ne",
    "in",
    "re",
    "pre",
    "auto",
    "sub",
    "supra",
    "anti",
    "contra",
    "dez",
    "post",
    "semi",
)
# Spans never touched: addresses, e-mails, handles, hashtags, and words glued to digits.
_PROTECTED = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\S+|[@#][\w.]+|\S*\.(?:ro|com|net|org|eu|md|info)\b\S*"
    r"|[^\W_]*\d[^\W_]*",
    re.IGNORECASE,
)


class DiacriticsUnavailable(RuntimeError):
    """The diacritics model needs the optional `wordfreq` package: newsparse[diacritics]."""


@dataclass(frozen=True, slots=True)
class Model:
    """Bare lower-case forms mapped to the written form to put back."""

    words: dict[str, str]
    suffixes: dict[str, str]
    source: str
    #: For bare forms ending in `a` whose `-a` and `-ă` spellings are both common (`lista`
    #: and `listă`, `elimina` and `elimină`): both forms, `-a` first; context picks one.
    pairs: dict[str, tuple[str, str]]
    #: Bare forms a capitalised word may be restored from: those whose written form is more
    #: frequent in wordfreq's list than the bare one (`romania`, `sambata`), not names the
    #: lexicon also knows as rare words (`maria`, `sara`).
    capital: frozenset[str] = frozenset()
    #: Bare forms outside `capital` that wordfreq's list knows, so that a capitalised one in
    #: the middle of a sentence may be a name and stays as written.
    known: frozenset[str] = frozenset()
    #: The forms of `known` that look like names even opening a sentence: frequent in
    #: English text too (`maria`, `sara`, `roma`) or far more frequent bare than written.
    names: frozenset[str] = frozenset()
    #: The forms of `pairs` that are nouns (`lista`/`listă`), not verbs (`elimina`/`elimină`).
    nouns: frozenset[str] = frozenset()
    #: The simplemma version whose lexicon went into the model, or "" for none.
    lexicon: str = ""

    def restore_word(self, bare: str) -> str | None:
        """Return the written form of the lower-case word BARE, or None to leave it."""
        found = self.words.get(bare)
        if found is not None:
            return found or None
        # A known word behind a prefix the list lacks it with: `nevalida` is `ne` + `validă`.
        for prefix in _PREFIXES:
            if bare.startswith(prefix) and len(bare) - len(prefix) > 3:
                rest = self.words.get(bare[len(prefix) :])
                if rest is not None:
                    return prefix + rest if rest else None
        for length in _SUFFIX_LENGTHS:
            if len(bare) > length + 1:
                ending = self.suffixes.get(bare[-length:])
                if ending is not None:
                    return bare[:-length] + ending
        return None


def _wordfreq_version() -> str:
    try:
        from importlib.metadata import version

        return version("wordfreq")
    except Exception:
        raise DiacriticsUnavailable(
            "restoring diacritics needs wordfreq: pip install 'newsparse[diacritics]'"
        ) from None


def _simplemma_version() -> str | None:
    try:
        from importlib.metadata import version

        return version("simplemma")
    except Exception:
        return None


_lemmas: dict[str, Mapping[str, str] | None] = {}


def _dictionary() -> Mapping[str, str] | None:
    """Return simplemma's Romanian dictionary (form to lemma), or None; once per build."""
    if "ro" not in _lemmas:
        try:
            from simplemma.strategies import DefaultDictionaryFactory

            _lemmas["ro"] = DefaultDictionaryFactory().get_dictionary("ro")
        except Exception:
            _lemmas["ro"] = None
    return _lemmas["ro"]


def _nouns(pairs: dict[str, tuple[str, str]]) -> frozenset[str]:
    """Return the pairs whose `-a` form is the noun of the `-ă` form with its article.

    simplemma gives `lista` the lemma `listă` (a noun), `elimină` the lemma `elimina` (a
    verb): a noun opening a sentence may be its subject, a verb there is not an infinitive.
    """
    mapping = _dictionary()
    if mapping is None:
        return frozenset()
    return frozenset(bare for bare, (in_a, in_ă) in pairs.items() if mapping.get(in_a) == in_ă)


def _lexicon() -> list[str]:
    """Return the lower-case Romanian word forms simplemma's dictionary holds, or none.

    wordfreq knows the frequent forms only; the lexicon knows some 340,000 inflected forms
    (`sintaxă`, `opțiunii`, `lacătul`), which tells which spellings of a bare form exist.
    """
    mapping = _dictionary()
    if mapping is None:
        return []
    # One pass over the whole list at once: normalising 340,000 strings one by one is slow.
    joined = to_comma_below("\n".join(mapping))
    return [
        _modern_spelling(word)
        for word in set(joined.split("\n"))
        if word.islower() and _WORD.fullmatch(word)
    ]


def check_available() -> None:
    """Raise DiacriticsUnavailable when the optional wordfreq package is missing."""
    _wordfreq_version()


def cache_path() -> Path:
    """Return where the model is cached: NEWSPARSE_CACHE_DIR, else the user cache folder."""
    folder = os.environ.get("NEWSPARSE_CACHE_DIR")
    if not folder:
        try:
            import platformdirs

            folder = platformdirs.user_cache_dir("newsparse", appauthor=False)
        except ImportError:
            base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
                os.path.expanduser("~"), ".cache"
            )
            folder = os.path.join(base, "newsparse")
    lexicon = _simplemma_version()
    with_lexicon = f"-simplemma-{lexicon}" if lexicon else ""
    name = f"diacritics-ro-v{MODEL_VERSION}-wordfreq-{_wordfreq_version()}{with_lexicon}.json"
    return Path(folder) / name


def build_model() -> Model:
    """Build the model from wordfreq's Romanian list and simplemma's lexicon (about a second)."""
    version = _wordfreq_version()
    import wordfreq

    frequencies = wordfreq.get_frequency_dict("ro", wordlist="small")
    forms: dict[str, dict[str, float]] = {}
    for word, frequency in frequencies.items():
        if not _WORD.fullmatch(word):
            continue
        written = _modern_spelling(to_comma_below(word))
        bare = strip_diacritics(written)
        if bare == written and not bare.isascii():
            continue  # another language's letters
        options = forms.setdefault(bare, {})
        options[written] = options.get(written, 0.0) + frequency
    listed = _lexicon()
    lexicon = set(listed)
    spellings: dict[str, set[str]] = {}
    stripped = strip_diacritics("\n".join(listed)).split("\n") if listed else []
    for written, bare in zip(listed, stripped, strict=True):
        if bare != written and len(bare) > 1 and bare.isascii():
            spellings.setdefault(bare, set()).add(written)
    words: dict[str, str] = {}
    pairs: dict[str, tuple[str, str]] = {}
    # A capitalised word may be a name (`Maria`, `Sara`): it changes only where wordfreq's
    # own list has a written form more frequent than the bare one, as a word.
    capital = frozenset(
        bare
        for bare, options in forms.items()
        if any(f != bare and q > options.get(bare, 0.0) for f, q in options.items())
    )
    for bare, options in forms.items():
        known = spellings.get(bare)
        choices = options
        if known and bare not in lexicon and len(bare) > 2:
            # The bare form is no Romanian word (`sir` is English; `șir` is Romanian):
            # its frequency comes from other languages, so only real spellings compete.
            choices = {form: options.get(form, 0.0) for form in known}
        best = max(choices, key=lambda form: (choices[form], form == bare, form.endswith("ă")))
        plain = choices.get(bare, 0.0)
        # An empty form marks a word known to be written bare, so no suffix rule fires.
        words[bare] = best if best != bare and choices[best] > plain * _MIN_RATIO else ""
        if bare.endswith("a"):
            in_a = max(
                (f for f in options if f.endswith("a")), key=options.__getitem__, default=None
            )
            in_ă = max(
                (f for f in options if f.endswith("ă")), key=options.__getitem__, default=None
            )
            if (
                in_a is not None
                and in_ă is not None
                and min(options[in_a], options[in_ă]) >= _PAIR_SHARE * options[best]
            ):
                pairs[bare] = (in_a, in_ă)
    # Forms only the lexicon knows: the one spelling it has, else the `-ă` of an `-a`/`-ă`
    # pair (the `-ă` form is the more frequent in 65% of wordfreq's pairs), context deciding.
    for bare, known in spellings.items():
        if bare in forms:
            continue
        if bare.endswith("a") and len(bare) > 3:
            in_ă = min((f for f in known if f.endswith("ă")), default=None)
            in_a = (
                bare if bare in lexicon else min((f for f in known if f[-1] == "a"), default=None)
            )
            if in_a is not None and in_ă is not None:
                pairs[bare] = (in_a, in_ă)
                words[bare] = in_ă
                continue
        if bare in lexicon:
            words[bare] = ""
        elif len(known) == 1:
            words[bare] = next(iter(known))
    suffixes = _learn_suffixes(words)
    # English words common in Romanian news (`command`, `trend`) that wordfreq's Romanian
    # list lacks are left as written: no rare lexicon form or suffix rule rewrites them.
    guess = Model(words=words, suffixes=suffixes, source="", pairs=pairs)
    english = wordfreq.get_frequency_dict("en", wordlist="small")
    for word, frequency in english.items():
        if (
            frequency >= _ENGLISH_MIN_FREQUENCY
            and word not in forms
            and word.isascii()
            and word.isalpha()
            and guess.restore_word(word)
        ):
            words[word] = ""
            pairs.pop(word, None)
    # Capitalised, a bare form wordfreq knows may be a name: in the middle of a sentence it
    # stays as written; opening one, it is taken as the word it is in lower case unless it
    # looks like a name there too.
    in_list = frozenset(
        bare
        for bare in forms
        if bare not in capital and (words.get(bare) or bare in pairs or bare in _DECIDED)
    )
    names = frozenset(
        bare
        for bare in in_list
        if (len(bare) > _NAME_MIN_LENGTH and english.get(bare, 0.0) >= _NAME_ENGLISH_FREQUENCY)
        or forms[bare].get(bare, 0.0)
        >= _NAME_RATIO * max((q for f, q in forms[bare].items() if f != bare), default=0.0)
    )
    nouns = _nouns(pairs) if lexicon else frozenset()
    _lemmas.clear()  # loaded once for the build, not kept in memory after it
    source = f"wordfreq {version}"
    used = ""
    if lexicon:
        used = _simplemma_version() or "unknown"
        source += f" + simplemma {used} ({len(lexicon)} forms)"
    return Model(
        words=words,
        suffixes=suffixes,
        source=source,
        pairs=pairs,
        capital=capital,
        lexicon=used,
        known=in_list,
        names=names,
        nouns=nouns,
    )


def _modern_spelling(word: str) -> str:
    """Write the `î` of the pre-1993 spelling inside a word as `â` (`stînga` -> `stânga`)."""
    if "î" not in word[1:-1]:
        return word
    return word[0] + word[1:-1].replace("î", "â") + word[-1]


def _learn_suffixes(words: dict[str, str]) -> dict[str, str]:
    """Learn, per bare ending, the restored ending the list's words almost always have."""
    suffixes: dict[str, str] = {}
    for length in _SUFFIX_LENGTHS:
        counts: dict[str, dict[str, int]] = {}
        for bare, written in words.items():
            if len(bare) <= length + 1:
                continue
            target = (written or bare)[-length:]
            endings = counts.setdefault(bare[-length:], {})
            endings[target] = endings.get(target, 0) + 1
        for ending, targets in counts.items():
            total = sum(targets.values())
            best = max(targets, key=targets.__getitem__)
            if (
                best != ending
                and total >= _SUFFIX_MIN_WORDS
                and targets[best] >= _SUFFIX_MIN_SHARE * total
            ):
                suffixes[ending] = best
    return suffixes


_loaded: Model | None = None


def load_model() -> Model:
    """Return the model: from memory, from the cache file, or built once and cached."""
    global _loaded
    if _loaded is not None:
        return _loaded
    path = cache_path()
    try:
        model = _model_from(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError):
        # Missing, unreadable or damaged (anything but the shape written): build anew.
        model = build_model()
        # The cache is named after the simplemma installed; a model built without its
        # lexicon (an import that failed) is not kept under that name, so the next run
        # tries the lexicon again instead of keeping the worse model for good.
        if model.lexicon == (_simplemma_version() or ""):
            _write_cache(path, model)
    _loaded = model
    return model


def _columns(table: object, width: int) -> list[list[str]]:
    """Return the WIDTH columns of a cached table; raise ValueError unless well formed.

    A table is `{"count": N, "columns": [text, ...]}`, each text N words joined by newlines:
    one string is read far faster than a JSON object of 200,000 keys.
    """
    if not isinstance(table, dict):
        raise ValueError("not a model")
    count, columns = table["count"], table["columns"]
    if (
        not isinstance(count, int)
        or not isinstance(columns, list)
        or len(columns) != width
        or not all(isinstance(column, str) for column in columns)
    ):
        raise ValueError("not a model")
    split = [column.split("\n") if count else [] for column in columns]
    if any(len(column) != count for column in split):
        raise ValueError("not a model")
    return split


def _table(*columns: list[str]) -> dict[str, object]:
    return {"count": len(columns[0]), "columns": ["\n".join(column) for column in columns]}


def _model_from(data: object) -> Model:
    """Return the model a cache file holds; raise ValueError unless it has the shape written."""
    if not isinstance(data, dict):
        raise ValueError("not a model")
    source, suffixes = data["source"], data["suffixes"]
    if not isinstance(source, str) or not (
        isinstance(suffixes, dict)
        and all(isinstance(k, str) and isinstance(v, str) for k, v in suffixes.items())
    ):
        raise ValueError("not a model")
    bare, written = _columns(data["words"], 2)
    paired, in_a, in_ă = _columns(data["pairs"], 3)
    [capital] = _columns(data["capital"], 1)
    [known] = _columns(data["known"], 1)
    [names] = _columns(data["names"], 1)
    [nouns] = _columns(data["nouns"], 1)
    lexicon = data["lexicon"]
    if not isinstance(lexicon, str):
        raise ValueError("not a model")
    return Model(
        words=dict(zip(bare, written, strict=True)),
        suffixes=suffixes,
        source=source,
        pairs=dict(zip(paired, zip(in_a, in_ă, strict=True), strict=True)),
        capital=frozenset(capital),
        known=frozenset(known),
        names=frozenset(names),
        nouns=frozenset(nouns),
        lexicon=lexicon,
    )


def _write_cache(path: Path, model: Model) -> None:
    """Write the cache atomically; a cache that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps(
                {
                    "source": model.source,
                    "words": _table(list(model.words), list(model.words.values())),
                    "suffixes": model.suffixes,
                    "pairs": _table(
                        list(model.pairs),
                        [pair[0] for pair in model.pairs.values()],
                        [pair[1] for pair in model.pairs.values()],
                    ),
                    "capital": _table(sorted(model.capital)),
                    "known": _table(sorted(model.known)),
                    "names": _table(sorted(model.names)),
                    "nouns": _table(sorted(model.nouns)),
                    "lexicon": model.lexicon,
                },
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError, UnboundLocalError):
            temporary.unlink()  # a half-written cache is never left behind


def _with_case(found: str, written: str) -> str:
    if found.islower():
        return written
    if found.isupper() and len(found) > 1:
        return written.upper()
    if found[0].isupper() and found[1:].islower():
        return written[0].upper() + written[1:]
    return found  # mixed case (`iPhone`): a name, left alone


def _context(tokens: list[str], index: int, step: int) -> str:
    """Return the lower-case word STEP places away (±1), or ''."""
    other = index + step
    return tokens[other].lower() if 0 <= other < len(tokens) else ""


# Context: the words around decide between spellings that are both frequent.  Each rule
# was kept only where benchmarks/diacritics.py measured a gain (figures in docs/text.md).
_PUNCTUATION = frozenset(",.;!?:")
# After these a noun takes no article (`o listă`, `această arhivă`): the `-ă` form.
_INDEFINITE = frozenset(
    [
        "o",
        "nicio",
        "vreo",
        "orice",
        "altă",
        "alta",
        "aceeasi",
        "aceeași",
        "această",
        "aceasta",
        "acea",
        "aceea",
        "fiecare",
        "oricare",
        "vreun",
        # An adjective with its article before the noun: `prima pagină`, `ultima comandă`.
        "prima",
        "ultima",
        "urmatoarea",
        "precedenta",
        "singura",
        "noua",
    ]
)
# Adjectives before a noun with the article on them: `noua pagină`, `ultima comandă`.
_ARTICLED_ADJECTIVES = frozenset(["prima", "ultima", "urmatoarea", "precedenta", "singura", "noua"])
# After these a verb is an infinitive (`a elimina`, `poate încărca`): the `-a` form.
_INFINITIVE = frozenset(
    [
        "a",
        "poate",
        "pot",
        "poti",
        "poți",
        "putem",
        "puteti",
        "puteți",
        "putea",
        "va",
        "vor",
        "vom",
        "veti",
        "veți",
        "vei",
        "voi",
        # `nu s-a putut încărca`, `ar elimina`: after `putut` and the conditional too
        "putut",
        "ar",
    ]
)
# Before a genitive a noun has its article: `lista lui`, `lista fișierelor`, `baza
# intervalului`.  (Not `sa` nor `sau`: bare, they are mostly `să` and `sau`, "or".)
_GENITIVE_NEXT = frozenset(["lui", "acestui", "acestei", "acestor", "lor"])
_GENITIVE_ENDINGS = ("ului", "ilor", "elor")
# Before a noun with its article (`fișierul`, `setările`) the word is a verb with its
# object: `elimină fișierul`, `schimbă setările`.
_OBJECT_ENDINGS = ("ul", "le")
# ... and so before an indefinite article: `elimină un pachet`, `creează o listă`.
_ARTICLE_NEXT = frozenset(["un", "o", "niste"])
# A noun opening a clause before its verb is its subject, with the article: `Parola a
# expirat`, `Lista conține`.
_SUBJECT_VERB_NEXT = frozenset(
    ["a", "au", "are", "va", "vor", "contine", "poate", "permite", "nu", "este", "e"]
)
# Conjunctions and prepositions ending in `-ă` are never nouns with an article: `dacă nu`.
_NO_ARTICLE = frozenset(["daca", "dupa", "fara"])
# After the preposition `de` a noun takes no article: `linia de comandă`, `nume de variabilă`.
# After `se` a verb is finite: `se elimină`, `se verifică`; after `nu` mostly so.
_FINITE_AFTER = frozenset(["se", "nu"])
# After these a word is a predicate, an adjective or a participle, all without article:
# `este necesară`, `a fost ștearsă`, `mai mică`, `trebuie specificată`.
_PREDICATE_AFTER = frozenset(
    [
        "este",
        "e",
        "sunt",
        "fi",
        "fost",
        "era",
        "devine",
        "pare",
        "mai",
        "prea",
        "foarte",
        "trebuie",
        "trebui",
    ]
)
# After these prepositions a noun with nothing after it takes no article (`din listă.`,
# `în pagină`); with a modifier after it, it does (`din lista de lucrări`).  `la` is left
# out: `la dreapta`, `la stânga`.
_PREPOSITIONS = frozenset(
    [
        "in",
        "din",
        "pe",
        "pentru",
        "prin",
        "fara",
        "spre",
        "sub",
        "despre",
        "dupa",
        "intr",
        "dintr",
        "printr",
        "catre",
    ]
)
_MODIFIER_NEXT = frozenset(["de", "din"])
_AFTER_ACEASTA = frozenset(
    [
        "este",
        "e",
        "a",
        "au",
        "nu",
        "se",
        "va",
        "vor",
        "poate",
        "pot",
        "are",
        "era",
        "fost",
        "înseamnă",
        "inseamna",
    ]
)


_CA_NEXT = frozenset(
    [
        "să",
        "sa",
        "si",
        "și",
        "un",
        "o",
        "pe",
        "atare",
        "fiind",
        "niste",
        "nişte",
        "nou",
        "noua",
        "nouă",
        "acum",
        "mai",
        "alt",
        "alta",
        "altă",
        "doar",
    ]
)
_CLAUSE_START = frozenset(
    [
        "nu",
        "este",
        "e",
        "sunt",
        "are",
        "au",
        "a",
        "se",
        "s",
        "ar",
        "va",
        "vor",
        "vom",
        "era",
        "erau",
        "am",
        "ai",
        "ați",
        "ati",
        "aveți",
        "aveti",
        "exista",
        "există",
        "trebuie",
        "poate",
        "pot",
        "puteți",
        "puteti",
        "această",
        "aceasta",
        "acesta",
        "acestea",
        "aceștia",
        "acestia",
        "el",
        "ea",
        "ei",
        "ele",
        "eu",
        "tu",
        "noi",
        "voi",
        "nimeni",
        "nimic",
        "totul",
        "toate",
        "toți",
        "toti",
        "tot",
        "deja",
        "doriți",
        "doriti",
        "vrei",
        "vreți",
        "vreti",
        "in",
        "în",
        "la",
        "dupa",
        "după",
        "daca",
        "dacă",
        "cel",
        "cea",
        "cei",
        "cele",
        "mi",
        "ți",
        "ti",
        "i",
        "le",
        "ne",
        "vă",
        "va",
    ]
)
# `a declarat că`, `spune că`, `și că`, `faptul că`.
_SAY = frozenset(
    [
        "spus",
        "zis",
        "transmis",
        "scris",
        "promis",
        "admis",
        "spune",
        "spun",
        "zice",
        "crede",
        "cred",
        "consideră",
        "considera",
        "știe",
        "stie",
        "știu",
        "stiu",
        "tem",
        "teme",
        "speră",
        "spera",
        "sper",
        "arată",
        "arata",
        "afirmă",
        "afirma",
        "susține",
        "sustine",
        "explică",
        "explica",
        "precizează",
        "preciza",
        "anunță",
        "anunta",
        "recunoaște",
        "recunoaste",
        "înțelegem",
        "intelegem",
        "vedem",
        "văzut",
        "vazut",
        "si",
        "și",
        "pentru",
        "asa",
        "așa",
        "fiindcă",
        "fiindca",
        "deoarece",
        "faptul",
        "fapt",
        "incat",
        "încât",
        "desi",
        "deși",
        "insa",
        "însă",
        "doar",
        "ci",
        # verbs and words of thinking and knowing: `înseamnă că`, `presupune că`, `sigur că`
        "inseamna",
        "insemna",
        "presupune",
        "presupunem",
        "observati",
        "observa",
        "amintiti",
        "sigur",
        "sigura",
        "probabil",
        "evident",
        "clar",
        "indicatie",
    ]
)
# `ca` before a subjunctive (`face ca fișierele să`, `cere ca guvernul să`) and in fixed
# comparisons (`la fel ca`, `atât ca ... cât și`).
_CA_SA_BEFORE = frozenset(
    [
        "fel",
        "atat",
        "face",
        "facut",
        "permite",
        "permis",
        "stabileste",
        "solicita",
        "solicitat",
        "cere",
        "cer",
        "cerut",
        "impune",
        "impus",
        "vrea",
        "vor",
        "vrut",
        "doreste",
        "dorit",
        "lasa",
        "asteapta",
        "asteptat",
        "posibil",
        "important",
        "necesar",
    ]
)
_PARTICIPLE = ("at", "it", "ut", "ât", "ăt")
# ... but `folosit ca`, `numit ca`: a role, not a clause.
_AS_ROLE = frozenset(
    f"{stem}{ending}"
    for stem in (
        "utilizat",
        "folosit",
        "reutilizat",
        "reprezentat",
        "definit",
        "setat",
        "salvat",
        "marcat",
        "tratat",
        "interpretat",
        "specificat",
        "afisat",
        "configurat",
        "instalat",
        "exportat",
        "importat",
        "desemnat",
        "numit",
        "angajat",
        "inregistrat",
        "recunoscut",
    )
    for ending in ("", "a", "e", "i")
)
_DEFINITE_ENDINGS = ("ul", "ului", "lui", "le", "lor", "ile", "ele", "iile")


#: The context rules by name; benchmarks/diacritics.py measures each by leaving it out.
RULES = (
    "ca-că",
    "ca-before-subjunctive",
    "sa-possessive",
    "vă-before-verb",
    "aceasta-această",
    "infinitive-a",
    "indefinite-ă",
    "definite-before-genitive",
    "ă-after-de",
    "verb-before-object",
    "finite-after-se-nu",
    "predicate-ă",
    "preposition",
    "alone-ă",
    "verb-before-article",
    "subject-before-verb",
    "object-after-verb",
    "function-word-ă",
    "adjective-before-noun",
    "definite-before-feminine-genitive",
    "ă-after-verbal-noun",
    "subject-before-later-verb",
    "subject-after-conjunction",
    "opening-ă",
    "capital-opening",
    "capital-unknown",
)


def _choose(
    model: Model,
    lower: str,
    before: str,
    after: str,
    after_capital: bool = False,
    skip: frozenset[str] = frozenset(),
    opening: bool = False,
    clause: tuple[str, ...] = (),
    label: bool = False,
) -> str | None:
    """Return the spelling of LOWER that its neighbours call for, or None for no opinion."""
    if lower == "ca" and "ca-că" not in skip:
        # `că` opens a clause (`că nu`, `că guvernul`, `că Ion`); `ca` compares or names a
        # role (`ca un`, `ca și`, `ca argument`, `salvează ca`).
        if after in _CA_NEXT:
            return "ca"
        if before in _CA_SA_BEFORE and "ca-before-subjunctive" not in skip:
            return "ca"
        if before in _AS_ROLE:
            return "ca"
        if before in _SAY or (len(before) > 3 and before.endswith(_PARTICIPLE)):
            return "că"
        if after in _CLAUSE_START or after.endswith(_DEFINITE_ENDINGS) or after_capital:
            return "că"
        return "ca"
    if lower == "sa" and "sa-possessive" not in skip:
        # `casa sa`, `fratele sa`: a possessive after a noun; `să` before a verb.
        if (
            before.endswith(("a", "ea", "ul", "le"))
            and before not in _FUNCTION_WORDS
            and (after in _PUNCTUATION or after in _AFTER_SA)
        ):
            return "sa"
        return None
    if lower == "va" and "vă-before-verb" not in skip:
        # `vă rugăm`, `vă puteți`: before a verb in the first or second person plural.
        if after.endswith(("am", "ăm", "ti", "ți")) or after in ("rog", "rugam", "rugăm"):
            return "vă"
        return None
    if lower == "aceasta" and "aceasta-această" not in skip:
        if after in _PUNCTUATION or after in _AFTER_ACEASTA or not after:
            return "aceasta"
        return "această"
    pair = model.pairs.get(lower) if len(lower) > 3 else None
    if pair is None:  # short words (`va`, `sa`, `la`) are function words, not these pairs
        return None
    in_a, in_ă = pair
    if lower in _NO_ARTICLE and "function-word-ă" not in skip:
        return in_ă
    if (
        lower in _ARTICLED_ADJECTIVES
        and before in ("", ".")
        and after
        and after not in _PUNCTUATION
        and "adjective-before-noun" not in skip
    ):
        return in_a  # `Noua pagină`, `prima listă`: the adjective takes the article
    if before in _INFINITIVE and "infinitive-a" not in skip:
        return in_a
    if before in _INDEFINITE and "indefinite-ă" not in skip:
        return in_ă
    if (
        after in _GENITIVE_NEXT or (len(after) > 5 and after.endswith(_GENITIVE_ENDINGS))
    ) and "definite-before-genitive" not in skip:
        return in_a
    if len(after) > 4 and after.endswith("ei") and "definite-before-feminine-genitive" not in skip:
        return in_a
    if before == "de" and after != "de" and "ă-after-de" not in skip:
        return in_ă
    if (
        len(after) > 3
        and after.endswith(_OBJECT_ENDINGS)
        and not after_capital  # `Echipa Farul`: a name follows, not the verb's object
        and "verb-before-object" not in skip
    ):
        return in_ă
    if after in _ARTICLE_NEXT and "verb-before-article" not in skip:
        return in_ă
    if before in ("", ".") and after in _SUBJECT_VERB_NEXT and "subject-before-verb" not in skip:
        return in_a
    if before in _FINITE_AFTER and "finite-after-se-nu" not in skip:
        return in_ă
    if before in _PREDICATE_AFTER and "predicate-ă" not in skip:
        return in_ă
    if before in _PREPOSITIONS and "preposition" not in skip:
        if after in _MODIFIER_NEXT:
            return in_a
        if after in _PUNCTUATION or not after:
            return in_ă
    if len(before) > 5 and before.endswith(("eaza", "este")) and "object-after-verb" not in skip:
        return in_a
    if (
        len(before) > 5
        and before.endswith(("are", "ere", "ire"))
        and "ă-after-verbal-noun" not in skip
    ):
        return in_ă
    if before in ("", ".") and (after in _PUNCTUATION or not after) and "alone-ă" not in skip:
        return in_ă
    if (
        opening
        and "subject-before-later-verb" not in skip
        and any(w in _LATER_VERB for w in clause)
    ):
        return in_a
    if (
        before in _CLAUSE_OPENERS
        and "subject-after-conjunction" not in skip
        and any(w in _LATER_VERB for w in clause)
    ):
        return in_a
    if (
        opening
        and "opening-ă" not in skip
        # a verb (`Elimină directoare`), or a noun in a label (`Parolă nouă`), not one that
        # opens a sentence as its subject (`Mașina era parcată.`); without the lexicon's
        # lemmas nouns and verbs are not told apart, and only labels qualify
        and (label or (model.lexicon and lower not in model.nouns))
    ):
        return in_ă
    return None


_FUNCTION_WORDS = frozenset(["ca", "sa", "la", "ea", "o", "a", "ba", "da", "nu"])
_AFTER_SA = frozenset(["și", "si", "iar", "dar", "sau", "care", "cu", "de", "din", "la"])


# A word after these (or a line break) opens a sentence, a label or a heading.
_SENTENCE_END = frozenset(".!?:")
# A noun opening a clause is its subject, with the article, when one of these verbs follows
# within a few words (`Baza de date este goală`), up to a word that opens another clause.
_LATER_VERB = frozenset(
    ["este", "e", "nu", "se", "sunt", "are", "au", "va", "vor", "poate", "trebuie", "a", "ar"]
)
_CLAUSE_WORDS = 5
# A label: a message of at most this many words from the word on, not ending as a sentence.
_LABEL_WORDS = 4
_LABEL_END = ".!?"
# After these a new clause opens, its subject first: `dacă fereastra ar trebui`.
_CLAUSE_OPENERS = frozenset(["daca", "cand", "unde", "deoarece", "iar", "incat"])
_CLAUSE_STOP = frozenset(
    ["daca", "ca", "cand", "si", "sau", "iar", "unde", "ce", "cum", "pana", "incat", "decat"]
)


def _clause(tokens: list[str], separators: list[str], index: int) -> tuple[str, ...]:
    """Return, lower-cased, the few words after word INDEX up to a punctuation mark."""
    found: list[str] = []
    for other in range(index + 1, min(index + 1 + _CLAUSE_WORDS, len(tokens))):
        if any(c in _PUNCTUATION for c in separators[other - 1]):
            break
        lower = tokens[other].lower()
        if lower in _CLAUSE_STOP:
            break  # another clause's verb: `Specifică dacă acțiunea este activată`
        found.append(lower)
    return tuple(found)


def _opens_sentence(text: str, spans: list[re.Match[str]], index: int) -> bool:
    """Tell whether word INDEX opens the text, a sentence or a line."""
    if index == 0:
        return True
    between = text[spans[index - 1].end() : spans[index].start()]
    stripped = between.rstrip()
    return "\n" in between or (bool(stripped) and stripped[-1] in _SENTENCE_END)


def restore_text(
    text: str,
    model: Model | None = None,
    *,
    context: bool = True,
    skip_rules: frozenset[str] = frozenset(),
) -> str:
    """Return TEXT with diacritics put back on the bare words the model knows.

    A word that carries a diacritic, a word in mixed case, a URL, an address, a handle
    and a word glued to digits are never changed. A capitalised word changes when wordfreq's
    list has its restored form more frequent than its bare one (`Romania`) or has never seen
    it (`Dezactiveaza`); else only opening a sentence or in capitals, as in lower case,
    unless it looks like a name (`Arhiva` -> `Arhivă`, but `Maria` stays).
    SKIP_RULES names context rules (of `RULES`) to leave out.
    """
    model = model or load_model()
    protected = [(m.start(), m.end()) for m in _PROTECTED.finditer(text)]
    spans = list(_WORD.finditer(text))
    tokens = [m.group() for m in spans]
    # Punctuation between words decides `sa` after a noun (`casa sa,`).
    separators = [
        text[spans[i].end() : spans[i + 1].start()].strip()
        if i + 1 < len(spans)
        else text[spans[i].end() :].strip()[:1]
        for i in range(len(spans))
    ]
    out: list[str] = []
    last = 0
    for index, match in enumerate(spans):
        word = match.group()
        start = match.start()
        if has_diacritic(word) or not word.isascii() or any(a <= start < b for a, b in protected):
            continue
        lower = word.lower()
        # Only capitalised words and `-a`/`-ă` pairs ask whether they open a sentence.
        opening = (word != lower or lower in model.pairs) and _opens_sentence(text, spans, index)
        if word != lower and lower not in model.capital:
            # Perhaps a name: `Maria`, `Sara`, `Roma`.
            if not context:
                continue
            if lower in model.known:
                if (
                    "capital-opening" in skip_rules
                    or lower in model.names
                    # in capitals, a word is a label or a heading, not a name's spelling
                    or not (opening or word.isupper())
                ):
                    continue
            elif "capital-unknown" in skip_rules:
                continue
        written = model.restore_word(lower)
        separator = separators[index]
        after = (
            separator[0]
            if separator and separator[0] in _PUNCTUATION
            else _context(tokens, index, 1)
        )
        before_separator = separators[index - 1] if index else ""
        before = (
            "."
            if before_separator and before_separator[-1] in _PUNCTUATION
            else _context(tokens, index, -1)
        )
        after_capital = (
            index + 1 < len(tokens)
            and tokens[index + 1][:1].isupper()
            and after not in _PUNCTUATION
        )
        choice = (
            _choose(
                model,
                lower,
                before,
                after,
                after_capital,
                skip_rules,
                opening,
                _clause(tokens, separators, index)
                if lower in model.pairs
                and (opening or _context(tokens, index, -1) in _CLAUSE_OPENERS)
                else (),
                # a label: a few words, no sentence (`Parolă nouă`, `Arhivă Tar`)
                len(tokens) - index <= _LABEL_WORDS and text.rstrip()[-1:] not in _LABEL_END,
            )
            if context
            else None
        )
        if choice is not None:
            written = choice
        elif (
            context
            and written
            and written[-1:] == "ă"
            and lower[-1:] == "a"
            and lower not in model.pairs
            and before in ("", ".")
            and after in _SUBJECT_VERB_NEXT
            and "subject-before-verb" not in skip_rules
        ):
            # A word the word lists lack (its `-ă` from a suffix rule) opening a clause
            # before its verb is its subject, with the article: `Fotbalista a marcat`.
            written = written[:-1] + "a"
        if not written or written == lower:
            continue
        replaced = _with_case(word, written)
        if replaced != word:
            out.append(text[last:start])
            out.append(replaced)
            last = match.end()
    if not out:
        return text
    out.append(text[last:])
    return unicodedata.normalize("NFC", "".join(out))
