"""How well --restore-diacritics puts back lost diacritics, measured on real Romanian text.

The text is read at run time, never copied into the repository: the Romanian gettext
catalogues Debian installs under /usr/share/locale/ro (any Debian or Ubuntu machine has
dozens: coreutils, apt, bash...), and those of Django when it is installed
(`pip install 'newsparse[bench]'`), plus news-style sentences written for this benchmark.
Each text is stripped of its diacritics, restored, and compared word by word with the
original (cedillas counted as the comma-below letters they stand for).

The catalogues are split by a hash of their name into a development half, whose errors,
contexts and per-rule gains are printed to study, and a held-out half, of which only the
figures are printed: rules are written looking at the first, and measured on the second.

    python benchmarks/diacritics.py [--show-errors N] [--show-contexts N] [--rule-gains]
                                    [--no-context] [--no-lexicon] [--development-only]
"""

from __future__ import annotations

import argparse
import collections
import gettext
import glob
import hashlib
import os
import re
import sys
import time

from newsparse.text.diacritics import (
    _PREFIXES,
    RULES,
    Model,
    build_model,
    load_model,
    restore_text,
)
from newsparse.text.normalize import has_diacritic, strip_diacritics, to_comma_below

_WORD = re.compile(r"[^\W\d_]+")
_PLACEHOLDER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[a-zA-Z]|%\([^)]*\)[a-z]|\{[^}]*\}|&")

# News-style sentences written for this benchmark (not taken from any site).
NEWS = """\
Președintele a declarat că guvernul va prezenta în această săptămână bugetul pentru anul viitor.
Ministrul Educației a anunțat că școlile din județul Iași își vor relua cursurile de luni.
Potrivit primăriei, lucrările de pe strada principală vor fi finalizate până la sfârșitul lunii.
Polițiștii au oprit șoferul după ce acesta a trecut pe roșu la intersecția din centrul orașului.
În ședința de joi, consilierii locali au votat proiectul privind noile parcări din cartier.
Medicii spun că pacientul se află în stare stabilă și că va fi externat în câteva zile.
Temperaturile vor scădea ușor în weekend, iar în zonele de munte va ninge.
Echipa națională a câștigat meciul de aseară și s-a calificat în semifinale.
Prețul energiei a crescut cu aproape zece la sută față de luna trecută, arată datele oficiale.
Autoritățile au transmis un mesaj de avertizare pentru locuitorii din zonele inundate.
Directorul spitalului a explicat că secția de urgență a primit aparatură nouă.
Candidatul și-a prezentat programul în fața alegătorilor într-o sală plină.
Pompierii au intervenit rapid și au reușit să stingă incendiul înainte să se extindă.
Sindicaliștii cer creșterea salariilor și amenință cu grevă dacă nu primesc un răspuns.
Într-o conferință de presă, purtătorul de cuvânt a spus că ancheta este abia la început.
Țăranii din sat se plâng că drumul spre câmp nu a mai fost reparat de ani de zile.
Procurorii au deschis un dosar penal după ce mai mulți cetățeni au depus plângeri.
Noul pod peste râu va scurta drumul spre Brașov cu aproape o jumătate de oră.
Elevii care au obținut note mari la examen vor primi burse din partea consiliului județean.
Ea a spus că nu știe încă ce va face, dar că vrea să rămână în țară.
Deputații au respins moțiunea, iar premierul a mulțumit colegilor pentru sprijin.
Fermierii se tem că seceta va afecta recolta de grâu și porumb din această vară.
Casa sa din centrul orașului a fost vândută la un preț mai mic decât se aștepta.
Trebuie să înțelegem că situația este gravă și că avem nevoie de soluții rapide.
Mai mulți turiști străini au vizitat mănăstirile din Bucovina în ultimele luni.
A fost o zi grea pentru toată lumea, a mărturisit antrenorul după înfrângere.
Banca centrală a menținut dobânda de politică monetară la nivelul actual.
Locuitorii au ieșit în stradă pentru a cere demisia primarului.
Femeia a fost găsită după două zile de căutări, obosită, dar teafără.
Rezultatele finale ale alegerilor vor fi anunțate mâine dimineață de biroul electoral.
"""


def _catalogue_files() -> list[tuple[str, str]]:
    """Return (name, path) of each Romanian catalogue found; the name is stable across machines."""
    files = [
        (os.path.basename(path), path)
        for path in sorted(glob.glob("/usr/share/locale/ro/LC_MESSAGES/*.mo"))
    ]
    try:
        import django

        root = os.path.dirname(django.__file__)
        files += [
            ("django/" + os.path.relpath(path, root), path)
            for path in sorted(glob.glob(f"{root}/**/locale/ro/LC_MESSAGES/*.mo", recursive=True))
        ]
    except ImportError:
        pass
    return files


def half_of(name: str) -> str:
    """Return the half a catalogue belongs to, decided by a hash of its name alone."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8).digest()
    return HELD_OUT if digest[0] & 1 else DEVELOPMENT


DEVELOPMENT = "development"
HELD_OUT = "held-out"


def _catalogue_texts() -> dict[str, tuple[list[str], list[str]]]:
    """Return, per half, the Romanian messages found and the catalogues they came from.

    A message seen in an earlier catalogue is counted once only, so the same string never
    sits in both halves.
    """
    seen: set[str] = set()
    halves: dict[str, tuple[list[str], list[str]]] = {DEVELOPMENT: ([], []), HELD_OUT: ([], [])}
    for name, path in _catalogue_files():
        try:
            with open(path, "rb") as handle:
                catalogue = gettext.GNUTranslations(handle)
        except Exception:
            continue
        texts, used = halves[half_of(name)]
        count = 0
        for value in catalogue._catalog.values():
            if not isinstance(value, str) or not value.strip():
                continue
            text = to_comma_below(_PLACEHOLDER.sub(" ", value))
            if text not in seen and has_diacritic(text):
                seen.add(text)
                texts.append(text)
                count += 1
        if count:
            used.append(name)
    return halves


def _source(model: Model, bare: str, by_context: bool) -> str:
    """Name what decided a restored word: a context rule, the word list, a prefix, a suffix."""
    if by_context:
        return "context rule"
    if bare in model.words:
        return "word list"
    if any(bare.startswith(p) and bare[len(p) :] in model.words for p in _PREFIXES):
        return "prefix + word list"
    return "suffix rule"


class Score:
    """Word counts for one corpus."""

    def __init__(self) -> None:
        self.words = self.right = self.needing = self.needing_right = 0
        self.bare = self.broken = 0
        self.by_letter: collections.Counter[str] = collections.Counter()
        self.by_letter_right: collections.Counter[str] = collections.Counter()
        self.errors: collections.Counter[tuple[str, str]] = collections.Counter()
        # Words written bare in the original that the restoration gave a diacritic.
        self.broken_words: collections.Counter[tuple[str, str]] = collections.Counter()
        # Each wrong word with the words around it, to study the errors by kind.
        self.contexts: list[str] = []
        # Words the restoration changed, by what decided them: (changed, right).
        self.by_source: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])

    def add(
        self, gold: str, restored: str, model: Model | None = None, unigram: str | None = None
    ) -> None:
        gold_words, restored_words = _WORD.findall(gold), _WORD.findall(restored)
        if model is not None and unigram is not None:
            bare_words, plain_words = _WORD.findall(strip_diacritics(gold)), _WORD.findall(unigram)
            for bare, got, plain, want in zip(
                bare_words, restored_words, plain_words, gold_words, strict=True
            ):
                if got == bare:
                    continue
                counts = self.by_source[_source(model, bare.lower(), got != plain)]
                counts[0] += 1
                counts[1] += got == want
        if len(gold_words) != len(restored_words):
            raise AssertionError(f"word boundaries moved: {gold!r} -> {restored!r}")
        for index, (want, got) in enumerate(zip(gold_words, restored_words, strict=True)):
            self.words += 1
            ok = want == got
            self.right += ok
            if has_diacritic(want):
                self.needing += 1
                self.needing_right += ok
                for letter in set(want.lower()) & set("ăâîșț"):
                    self.by_letter[letter] += 1
                    self.by_letter_right[letter] += ok
            else:
                self.bare += 1
                self.broken += not ok
                if not ok:
                    self.broken_words[(got, want)] += 1
            if not ok:
                self.errors[(got, want)] += 1
                left = " ".join(gold_words[max(index - 3, 0) : index])
                right = " ".join(gold_words[index + 1 : index + 4])
                self.contexts.append(f"{left} [{got} -> {want}] {right}")

    def report(self, name: str, show: int, contexts: int = 0) -> None:
        def share(part: int, whole: int) -> str:
            return f"{100 * part / whole:.1f}%" if whole else "n/a"

        print(f"\n{name}")
        print(f"  words                    {self.words:>8}")
        print(
            f"  right, all words         {share(self.right, self.words):>8}"
            f"  ({self.right}/{self.words})"
        )
        print(
            f"  right, needing diacritic {share(self.needing_right, self.needing):>8}"
            f"  ({self.needing_right}/{self.needing})"
        )
        print(
            f"  broken (bare and right, changed) {self.broken} of {self.bare}"
            f" ({share(self.broken, self.bare)})"
        )
        for letter in "ăâîșț":
            right = share(self.by_letter_right[letter], self.by_letter[letter])
            print(f"    words with {letter}: {right:>7}  of {self.by_letter[letter]}")
        if self.by_source:
            print("  restored words by what decided them (share of restored words, right):")
            changed = sum(c for c, _ in self.by_source.values())
            for source, (count, right) in sorted(self.by_source.items()):
                print(
                    f"    {source:<22} {share(count, changed):>7}  right {share(right, count):>7}"
                    f"  ({right}/{count})"
                )
        if show:
            print("  most frequent errors (restored -> original):")
            for (got, want), count in self.errors.most_common(show):
                print(f"    {count:>5}  {got} -> {want}")
            print("  most frequent words broken that were right (restored -> original):")
            for (got, want), count in self.broken_words.most_common(show):
                print(f"    {count:>5}  {got} -> {want}")
        if contexts:
            print(
                f"  {contexts} errors in context (every {len(self.contexts) // contexts or 1}th):"
            )
            step = max(len(self.contexts) // contexts, 1)
            for line in self.contexts[::step][:contexts]:
                print(f"    {line}")

    def summary(self) -> tuple[float, float, float]:
        """Return the shares right of all words and of those needing one, and broken."""
        return (
            100 * self.right / max(self.words, 1),
            100 * self.needing_right / max(self.needing, 1),
            100 * self.broken / max(self.bare, 1),
        )


def _score(corpus: list[str], model: Model, context: bool, skip: frozenset[str]) -> Score:
    score = Score()
    for gold in corpus:
        bare = strip_diacritics(gold)
        score.add(
            gold,
            restore_text(bare, model, context=context, skip_rules=skip),
            model,
            restore_text(bare, model, context=False),
        )
    return score


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show-errors",
        type=int,
        default=15,
        help="list the N most frequent errors (development half and own sentences only)",
    )
    parser.add_argument(
        "--show-contexts",
        type=int,
        default=0,
        help="list N errors of the development half with the words around them",
    )
    parser.add_argument(
        "--no-context",
        action="store_true",
        help="the most frequent form of each word only, no context rules",
    )
    parser.add_argument(
        "--rule-gains",
        action="store_true",
        help="measure what each context rule adds, by running without it",
    )
    parser.add_argument(
        "--development-only",
        action="store_true",
        help="measure the development half and the own sentences only, to study rules "
        "without looking at the held-out figures",
    )
    parser.add_argument(
        "--no-lexicon",
        action="store_true",
        help="build the model from wordfreq alone, without simplemma's lexicon",
    )
    args = parser.parse_args()

    import newsparse.text.diacritics as module

    if args.no_lexicon:
        module._lexicon = list  # type: ignore[assignment]
    started = time.perf_counter()
    model = build_model()
    built = time.perf_counter() - started
    load_model()  # writes the cache when missing
    module._loaded = None
    started = time.perf_counter()
    load_model()
    loaded = time.perf_counter() - started
    print(
        f"model: {model.source}, {sum(1 for v in model.words.values() if v)} restorable forms, "
        f"{len(model.suffixes)} suffix rules; built in {built * 1000:.0f} ms, "
        f"loaded from cache in {loaded * 1000:.0f} ms"
    )

    halves = _catalogue_texts()
    for half, (texts, used) in halves.items():
        print(f"catalogues, {half} half: {len(used)} files, {len(texts)} messages with diacritics")
    corpora = (
        (
            "gettext catalogues, development half (errors studied here)",
            halves[DEVELOPMENT][0],
            True,
        ),
        (
            "gettext catalogues, held-out half (figures only: the closing measure)",
            halves[HELD_OUT][0],
            False,
        ),
        ("news-style sentences (written for this benchmark)", NEWS.splitlines(), True),
    )
    context = not args.no_context
    for corpus_name, corpus, studied in corpora:
        if args.development_only and corpus is halves[HELD_OUT][0]:
            print(f"\n{corpus_name}: not measured (--development-only)")
            continue
        if not corpus:
            print(f"\n{corpus_name}: none found")
            continue
        started = time.perf_counter()
        score = _score(corpus, model, context, frozenset())
        elapsed = time.perf_counter() - started
        score.report(
            corpus_name,
            args.show_errors if studied else 0,
            args.show_contexts if studied and corpus is halves[DEVELOPMENT][0] else 0,
        )
        print(f"  restored {score.words / elapsed:,.0f} words/s")
        if args.rule_gains and context and studied:
            print("  gain of each context rule (right words with it minus without it):")
            for rule in RULES:
                without = _score(corpus, model, context, frozenset([rule]))
                print(
                    f"    {rule:<34} all {score.right - without.right:>+6}"
                    f"  needing {score.needing_right - without.needing_right:>+6}"
                    f"  broken {score.broken - without.broken:>+5}"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
