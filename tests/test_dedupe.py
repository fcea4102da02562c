"""Duplicate detection: normalisation, exact fingerprints, near-duplicate signatures, order."""

from __future__ import annotations

import pickle
import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsparse
from newsparse import dedupe
from newsparse.dedupe import (
    DuplicateFinder,
    article_fingerprint,
    drop_duplicates,
    find_duplicates,
    fingerprint,
    normalized_text,
    normalized_tokens,
    record_fingerprint,
    similarity,
)
from newsparse.errors import InvalidOption

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus


def one(text: str, path: str = "a.txt") -> newsparse.Article:
    (article,) = newsparse.parse(text, path=path).articles
    return article


def dump(
    title: str,
    *paragraphs: str,
    byline: str = "Scris de ana pe 1 mai 2020, 10:00",
    source: str = "[digi24](#)",
) -> str:
    body = "\n\n".join(paragraphs)
    return f"{byline}\n\n## {title}\n\n{body}\n\n{source}\n\nADRESA: <http://a.ro/1>\n"


# --- normalisation ------------------------------------------------------------------------


def canonical_text(text: str) -> bytes:
    """The definition: the letters and digits of fold(text), nothing else."""
    return "".join(dedupe._WORD.findall(dedupe._fold(text))).encode("utf-8", "surrogatepass")


def canonical_tokens(text: str) -> list[bytes]:
    return [w.encode("utf-8", "surrogatepass") for w in dedupe._WORD.findall(dedupe._fold(text))]


ROMANIAN = "aăâbcdeéfghiîjklmnopqrsșştțţuvwxyzAĂÂÎȘŞȚŢ „”“«»–—…’‘\xa0,.;:!?-_()0123456789\n\t"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(ROMANIAN), max_size=60) | st.text(max_size=30))
def test_the_fast_path_folds_exactly_as_fold_does(text: str) -> None:
    assert normalized_text(text) == canonical_text(text)
    assert normalized_tokens(text) == canonical_tokens(text)


@pytest.mark.parametrize(
    "variant",
    [
        "PREȘEDINTELE a anunțat: „Brașov”, azi!",  # case
        "Președintele   a\tanunțat:\n„Brașov”,   azi!",  # whitespace
        "Președintele a anunțat Brașov azi",  # punctuation
        "Preşedintele a anunţat: „Braşov”, azi!",  # cedillas
        'Presedintele a anuntat: "Brasov", azi!',  # diacritics lost
    ],
)
def test_exact_normalisation_ignores_what_a_copy_changes(variant: str) -> None:
    original = "Președintele a anunțat: „Brașov”, azi!"
    assert normalized_text(variant) == normalized_text(original) == b"presedinteleaanuntatbrasovazi"
    assert fingerprint("T", [variant]).digest == fingerprint("t", [original]).digest


def test_different_words_give_different_fingerprints() -> None:
    assert fingerprint("T", ["Ana are mere."]).digest != fingerprint("T", ["Ana are pere."]).digest
    assert fingerprint("T", ["Ana"]).digest != fingerprint("Ta", ["na"]).digest
    assert len(fingerprint("T", ["x"]).digest) == 16


def test_fingerprints_of_articles_and_their_records_agree() -> None:
    article = one(
        dump("Un titlu", "Primul paragraf, cu text.", "### Subtitlu", "Al doilea paragraf.")
    )
    record = article.to_dict()
    assert record_fingerprint(record, near=True) == article_fingerprint(article, near=True)
    assert pickle.loads(pickle.dumps(article_fingerprint(article))) == article_fingerprint(article)


def test_signatures_are_the_same_in_every_process() -> None:
    import subprocess

    text = "Guvernul a anunțat azi un nou proiect de lege pentru bugetul pe anul viitor."
    code = (
        "from newsparse.dedupe import fingerprint; import sys; "
        f"sys.stdout.write(fingerprint('t', [{text!r}], near=True).signature.hex())"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert outputs == {fingerprint("t", [text], near=True).signature.hex()}


# --- exact duplicates -----------------------------------------------------------------------


def test_the_later_copy_names_the_first() -> None:
    finder = DuplicateFinder()
    first = one(dump("Titlu", "Un paragraf."), "a.txt")
    copy = one(dump("TITLU", "Un  paragraf!", byline="Publicat de ion, 2 mai 2020"), "b.txt")
    assert finder.check(first) is None
    match = finder.check(copy)
    assert match is not None and match.kind == "exact"
    diagnostic = match.diagnostic(copy.file, copy.line)
    assert diagnostic.format() == "b.txt:1:1: NP501 same article as a.txt:1"
    assert diagnostic.severity is newsparse.Severity.WARNING
    assert finder.summary() == {
        "mode": "exact",
        "threshold": None,
        "kept": 1,
        "exact": 1,
        "near": 0,
        "clusters": 1,
    }
    (cluster,) = finder.clusters()
    assert cluster.to_dict() == {
        "file": "a.txt",
        "line": 1,
        "size": 2,
        "copies": [{"file": "b.txt", "line": 1, "kind": "exact", "similarity": 1.0}],
    }


def test_an_article_an_earlier_run_kept_is_not_its_own_copy() -> None:
    article = one(dump("Titlu", "Un paragraf."))
    finder = DuplicateFinder()
    finder.seed(article_fingerprint(article), "a.txt", 1)
    assert finder.check(article) is None  # same file and line: read again, not a copy
    copy = one(dump("Titlu", "Un paragraf."), "b.txt")
    match = finder.check(copy)
    assert match is not None and (match.file, match.line) == ("a.txt", 1)
    with pytest.raises(ValueError, match="before"):
        finder.seed(article_fingerprint(article), "c.txt", 1)


def test_an_input_read_twice_in_one_run_is_a_copy() -> None:
    finder = DuplicateFinder()
    article = one(dump("Titlu", "Un paragraf."))
    assert finder.check(article) is None
    assert finder.check(article) is not None
    assert finder.duplicate_count == 1


def test_find_duplicates_annotates_or_drops_later_copies() -> None:
    text = dump("Titlu", "Un paragraf.") + dump("Altul", "Alt text.") + dump("titlu", "Un paragraf")
    results = [newsparse.parse(text, path="a.txt")]
    kept = list(find_duplicates(results, DuplicateFinder(), drop=False))
    assert [a.title for a in kept[0].articles] == ["Titlu", "Altul", "titlu"]
    assert [d.format() for d in kept[0].diagnostics if d.code.startswith("NP5")] == [
        "a.txt:19:1: NP501 same article as a.txt:1"
    ]
    finder = DuplicateFinder()
    dropped = list(find_duplicates(results, finder, drop=True))
    assert [a.title for a in dropped[0].articles] == ["Titlu", "Altul"]
    assert finder.exact_count == 1
    assert [a.title for a in drop_duplicates(results[0].articles, DuplicateFinder())] == [
        "Titlu",
        "Altul",
    ]


def test_finder_options_are_checked() -> None:
    with pytest.raises(InvalidOption, match="exact or near"):
        DuplicateFinder("fuzzy")
    with pytest.raises(InvalidOption, match="threshold"):
        DuplicateFinder("near", threshold=1.5)
    with pytest.raises(InvalidOption, match="threshold"):
        DuplicateFinder("near", threshold=0)


def test_memory_per_article_is_flat() -> None:
    """Each article kept costs the same few hundred bytes, whatever its length."""
    import tracemalloc

    def cost(words: int) -> float:
        finder = DuplicateFinder()
        prints = [fingerprint(None, [f"cuvant{n} " * words + str(n)]) for n in range(2000)]
        tracemalloc.start()
        for n, print_ in enumerate(prints):
            finder.add(print_, "dir/file.txt", n)
        used = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return used / len(prints)

    short, long = cost(5), cost(500)
    assert short < 200 and long < 200, (short, long)


# --- near duplicates ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", corpus.NEAR_KINDS)
def test_near_copies_of_each_kind_are_found(kind: str) -> None:
    rng = random.Random(kind)
    found = 0
    for _ in range(20):
        text = corpus.article(rng)
        finder = DuplicateFinder("near")
        assert finder.check(one(text, "a.txt")) is None
        match = finder.check(one(corpus.near_copy(rng, text, kind), "b.txt"))
        if match is not None:
            found += 1
            assert match.file == "a.txt"
            assert match.kind == "near"  # the title or the words differ: never exact
    assert found == 20


def test_near_copy_message_and_code() -> None:
    rng = random.Random(5)
    text = corpus.article(rng)
    finder = DuplicateFinder("near", threshold=0.5)
    finder.check(one(text, "a.txt"))
    copy = one(corpus.near_copy(rng, text, "paragraph_added"), "b.txt")
    match = finder.check(copy)
    assert match is not None and match.kind == "near"
    line = match.diagnostic(copy.file, copy.line).format()
    assert line.startswith(f"b.txt:{copy.line}:1: NP502 near copy of a.txt:")
    assert f"(similarity {match.similarity:.2f})" in line
    assert finder.summary()["near"] == 1


def test_unrelated_articles_on_one_topic_are_not_clustered() -> None:
    rng = random.Random(11)
    topic = rng.sample(corpus.WORDS, 25)
    finder = DuplicateFinder("near")
    for number in range(60):
        assert finder.check(one(corpus.same_topic_article(rng, topic), f"{number}.txt")) is None
    for number in range(60):
        assert finder.check(one(corpus.article(rng), f"other{number}.txt")) is None
    assert finder.clusters() == []


def test_similarity_estimates_jaccard() -> None:
    words = [f"w{n}" for n in range(600)]
    a = fingerprint(None, [" ".join(words[:400])], near=True).signature
    b = fingerprint(None, [" ".join(words[200:600])], near=True).signature
    assert a is not None and b is not None
    # 198 shared shingles of 598 in all: Jaccard 0.33.
    assert abs(similarity(a, b) - 198 / 598) < 0.12
    assert similarity(a, a) == 1.0


def test_short_and_empty_bodies_have_signatures() -> None:
    for body in ([], [""], ["Un"], ["Doua cuvinte"]):
        signature = fingerprint("T", body, near=True).signature
        assert signature is not None and len(signature) == dedupe.BINS


def test_fingerprints_stay_what_databases_already_store() -> None:
    # Digests and signatures are stored by `-f sqlite --dedupe` and compared by later runs:
    # a faster way of computing them must give the same bytes.
    import hashlib

    body = [
        "Ninge în munți de două zile, iar drumurile spre cabane sunt închise.",
        "Salvamontiștii cer „turiștilor” să rămână acasă — până mâine.",
    ]
    made = fingerprint("Vreme rea la Brașov", body, near=True)
    assert made.digest.hex() == "65ad56bcf7a29b08fe809fe0576b3f03"
    assert made.signature is not None
    assert hashlib.sha256(made.signature).hexdigest() == (
        "081f08bf6e52c290475259702e6910329da7b1f514e726ed4b6af986b073b4f8"
    )
    assert fingerprint("Vreme rea la Brașov", body).digest == made.digest
    other = fingerprint(None, ["Москва și Ελλάδα: o știre fără diacritice simple."], near=True)
    assert other.digest.hex() == "af6c06ec76655152a2ed9b3b3e5e2bc2"  # the fold() path
    assert other.signature is not None
    assert hashlib.sha256(other.signature).hexdigest() == (
        "5992c5c448ec2a0c01be9557e1899b4daf8b829f3dfe83ff39367993d2b8fc32"
    )


@pytest.mark.parametrize("mode", ["exact", "near"])
def test_check_decides_as_add_does_with_the_whole_fingerprint(mode: str) -> None:
    # check() leaves out the signature of an exact copy; the decisions must not change.
    rng = random.Random(5)
    texts = [corpus.article(rng) for _ in range(12)]
    articles = []
    for number in range(60):
        text = rng.choice(texts)
        if number % 3 == 1:
            text = corpus.near_copy(rng, text, rng.choice(corpus.NEAR_KINDS))
        articles.append(one(text, f"{number}.txt"))
    checked, added = DuplicateFinder(mode), DuplicateFinder(mode)
    seed = article_fingerprint(articles[0], near=mode == "near")
    checked.seed(seed, "0.txt", 1)
    added.seed(seed, "0.txt", 1)
    by_check = [checked.check(article) for article in articles]
    by_add = [
        added.add(article_fingerprint(article, near=mode == "near"), article.file, article.line)
        for article in articles
    ]
    assert by_check == by_add
    assert {match.kind for match in by_check if match is not None} == (
        {"exact", "near"} if mode == "near" else {"exact"}
    )
    assert checked.summary() == added.summary()
    assert [c.to_dict() for c in checked.clusters()] == [c.to_dict() for c in added.clusters()]
