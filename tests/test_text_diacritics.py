"""Restoring lost diacritics: what changes, what never does, the model's cache."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsparse
from newsparse.cli import main
from newsparse.errors import InvalidOption

pytest.importorskip("wordfreq", reason="--restore-diacritics needs newsparse[diacritics]")

from newsparse.text import diacritics
from newsparse.text.diacritics import restore_text


def test_common_words_get_their_diacritics_back() -> None:
    assert (
        restore_text("Presedintele a spus ca orasul are nevoie de scoli si spitale.")
        == "Președintele a spus că orașul are nevoie de școli și spitale."
    )


def test_context_picks_between_two_common_spellings() -> None:
    assert (
        restore_text("Vrea sa plece, ca sa ajunga la timp.")
        == "Vrea să plece, ca să ajungă la timp."
    )
    assert restore_text("A declarat ca nu stie.") == "A declarat că nu știe."


@pytest.mark.parametrize(
    "text",
    [
        "https://exemplu.ro/stiri/scoala-si-tara",
        "www.exemplu.ro/scoala",
        "presa@exemplu.ro",
        "#scoala @tara",
        "modelul A320 si 3tara",
        "iPhone",
    ],
)
def test_urls_addresses_handles_numbers_and_mixed_case_are_never_changed(text: str) -> None:
    restored = restore_text(text)
    for protected in text.split():
        if protected not in ("si", "la"):
            assert protected in restored


def test_a_word_that_has_a_diacritic_is_kept() -> None:
    assert restore_text("Școala si orasul") == "Școala și orașul"
    assert restore_text("orașul orasul") == "orașul orașul"


def test_capitalised_words_change_only_when_the_lower_case_form_is_known() -> None:
    assert restore_text("Romania si Brasov") == "România și Brașov"
    assert restore_text("Zzyzxescu a venit") == "Zzyzxescu a venit"
    assert restore_text("ROMANIA") == "ROMÂNIA"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Voluntarii de la Crucea Rosie au sosit.", "Voluntarii de la Crucea Roșie au sosit."),
        ("Exporturile spre America Latina cresc.", "Exporturile spre America Latină cresc."),
        ("Copiii il asteapta pe Mos Craciun.", "Copiii îl așteaptă pe Moș Crăciun."),
    ],
)
def test_capitalised_words_of_a_name_mid_sentence_are_restored(text: str, expected: str) -> None:
    # Names of institutions and places hold common words with their diacritics: a rule
    # keeping capitalised bare forms as written (for surnames such as `Costa`) must not
    # take these along.
    assert restore_text(text) == expected


def test_only_articles_without_any_diacritic_are_restored() -> None:
    options = newsparse.ParseOptions(restore_diacritics=True)
    body = "Presedintele a vizitat scoala.\n\nUn singur cuvânt are diacritice."
    text = f"Scris de ana pe 1 mai 2023\n\n## Vizita la scoala\n\n{body}\n"
    article = newsparse.parse(text, options=options).articles[0]
    assert article.paragraphs[0] == "Presedintele a vizitat scoala."
    assert article.title_original is None and article.paragraphs_original is None


def test_the_text_as_found_is_kept_and_reported() -> None:
    options = newsparse.ParseOptions(restore_diacritics=True)
    text = (
        "Scris de ana pe 1 mai 2023\n\n## Presedintele viziteaza orasul\n\n"
        "Presedintele a vizitat scoala.\n"
    )
    result = newsparse.parse(text, options=options)
    article = result.articles[0]
    assert article.title == "Președintele vizitează orașul"
    assert article.paragraphs == ["Președintele a vizitat școala."]
    record = article.to_dict()
    assert record["title_original"] == "Presedintele viziteaza orasul"
    assert record["paragraphs_original"] == ["Presedintele a vizitat scoala."]
    assert "captions_original" not in record
    assert [d.code for d in result.diagnostics if d.code == "NP404"] == ["NP404"]


def test_the_model_is_cached_and_loads_fast(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSPARSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diacritics, "_loaded", None)
    built = diacritics.load_model()
    [cached] = tmp_path.iterdir()
    assert cached == diacritics.cache_path()
    assert json.loads(cached.read_text(encoding="utf-8"))["source"].startswith("wordfreq")
    monkeypatch.setattr(diacritics, "_loaded", None)
    started = time.perf_counter()
    loaded = diacritics.load_model()
    assert time.perf_counter() - started < 1.0
    assert loaded.words == built.words and loaded.pairs == built.pairs


def test_a_damaged_cache_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSPARSE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(diacritics, "_loaded", None)
    monkeypatch.setattr(diacritics, "_lexicon", list)  # the cache matters here, not the model
    monkeypatch.setattr(diacritics, "_simplemma_version", lambda: None)
    diacritics.cache_path().write_text("{not json", encoding="utf-8")
    assert diacritics.load_model().words["si"] == "și"
    assert json.loads(diacritics.cache_path().read_text(encoding="utf-8"))["words"]


def test_without_wordfreq_the_option_is_a_clear_usage_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing() -> str:
        raise diacritics.DiacriticsUnavailable(
            "restoring diacritics needs wordfreq: pip install 'newsparse[diacritics]'"
        )

    monkeypatch.setattr(diacritics, "_wordfreq_version", missing)
    with pytest.raises(InvalidOption, match="newsparse\\[diacritics\\]"):
        newsparse.parse("text", options=newsparse.ParseOptions(restore_diacritics=True))
    result = CliRunner().invoke(main, ["parse", "--restore-diacritics", "-"], input="x\n")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "newsparse[diacritics]" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_benchmark_counts_right_needing_and_broken_words() -> None:
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import diacritics as benchmark

    score = benchmark.Score()
    # six words, two need a diacritic; one of them left bare, one right bare word broken
    score.add("Țara și casa lui e mare", "Țara si casă lui e mare")
    assert (score.words, score.right) == (6, 4)
    assert (score.needing, score.needing_right) == (2, 1)
    assert (score.bare, score.broken) == (4, 1)
    assert score.errors[("si", "și")] == 1 and score.errors[("casă", "casa")] == 1
    assert score.broken_words[("casă", "casa")] == 1 and ("si", "și") not in score.broken_words
    assert score.contexts == ["Țara [si -> și] casa lui e", "Țara și [casă -> casa] lui e mare"]
    halves = benchmark._catalogue_texts()
    assert set(halves) == {benchmark.DEVELOPMENT, benchmark.HELD_OUT}
    seen: set[str] = set()
    for texts, used in halves.values():
        if used:  # Debian's catalogues (or Django's) are on this machine
            assert texts and all(diacritics_in(text) for text in texts[:50])
        assert all(benchmark.half_of(name) in halves for name in used)
        assert not seen & set(texts)  # no message is in both halves
        seen |= set(texts)


def test_the_benchmark_splits_catalogues_by_name_alone() -> None:
    import sys

    from .conftest import ROOT

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import diacritics as benchmark

    names = [f"catalogue{n}.mo" for n in range(200)]
    halves = [benchmark.half_of(name) for name in names]
    assert halves == [benchmark.half_of(name) for name in names]  # the same every run
    assert 60 < halves.count(benchmark.HELD_OUT) < 140  # about half each
    assert benchmark.half_of("coreutils.mo") == benchmark.half_of("coreutils.mo")


def diacritics_in(text: str) -> bool:
    from newsparse.text import has_diacritic

    return has_diacritic(text)


@pytest.mark.parametrize(
    ("bare", "restored"),
    [
        # the indefinite form after `o`, `de`, `prima`; the article before a genitive
        ("A gasit o lista veche.", "A găsit o listă veche."),
        ("Linia de comanda", "Linia de comandă"),
        ("Lista candidatilor a fost publicata.", "Lista candidaților a fost publicată."),
        # a verb before its object, after `se`; an infinitive after `a`
        ("Se elimina fisierul vechi.", "Se elimină fișierul vechi."),
        ("Primaria vrea a elimina taxa.", "Primăria vrea a elimina taxa."),
        # a word alone is a label: the indefinite form, capitalised too
        ("arhiva", "arhivă"),
        ("Arhiva", "Arhivă"),
        # `ca` before a subjunctive, `că` after a verb of saying
        (
            "Primarul a cerut ca lucrarile sa fie gata.",
            "Primarul a cerut ca lucrările să fie gata.",
        ),
        ("Ministrul a spus ca va demisiona.", "Ministrul a spus că va demisiona."),
    ],
)
def test_grammar_picks_between_the_a_and_ă_forms(bare: str, restored: str) -> None:
    assert restore_text(bare) == restored


@pytest.mark.parametrize(
    ("bare", "restored"),
    [
        # opening a message, a capitalised word is the word it is in lower case: a verb
        # before its object, a label, a subject before its verb further on
        ("Elimina fisierele vechi din dosar.", "Elimină fișierele vechi din dosar."),
        ("Eticheta noua", "Etichetă nouă"),
        ("Dosarul e gol. Sterge arhiva veche", "Dosarul e gol. Șterge arhiva veche"),
        ("Parola de acces nu a fost schimbata.", "Parola de acces nu a fost schimbată."),
        # a noun opening a sentence is its subject, with the article, whatever its verb;
        # only in a label (a few words, no full stop) does it go without
        ("Masina era parcata pe trotuar.", "Mașina era parcată pe trotuar."),
        ("Ancheta continua.", "Ancheta continuă."),
        ("Victima avea patruzeci de ani.", "Victima avea patruzeci de ani."),
        # ... but a verb of another clause is not its verb
        ("Specifica daca actiunea este activa", "Specifică dacă acțiunea este activă"),
        # the adjective before a noun takes the article: `Noua pagină`
        ("Noua pagina a fost publicata.", "Noua pagină a fost publicată."),
        # a conjunction in `-ă` takes no article before a verb
        ("Daca nu vine, plecam.", "Dacă nu vine, plecăm."),
        # in capitals a word is a label or a heading; a name in capitals stays
        ("ARHIVA", "ARHIVĂ"),
        ("MARIA A CASTIGAT", "MARIA A CÂȘTIGAT"),
        # mid-sentence, a capitalised word wordfreq knows may be a name and stays; one it
        # has never seen is restored as the word it is
        ("Vreau sa apas pe Lista acum", "Vreau să apăs pe Lista acum"),
        ("Apasati butonul Salveaza acum", "Apăsați butonul Salvează acum"),
        # a name opening a sentence stays
        ("Ieri a plouat. Maria a plecat, Elena nu.", "Ieri a plouat. Maria a plecat, Elena nu."),
    ],
)
def test_a_capitalised_word_opening_a_sentence_is_an_ordinary_word(
    bare: str, restored: str
) -> None:
    assert restore_text(bare) == restored
    first = bare.split()[0]
    if first != restored.split()[0] and first.lower() not in diacritics.load_model().capital:
        # without the rules on capitals that first word stays as written
        skip = frozenset(["capital-opening", "capital-unknown"])
        assert restore_text(bare, skip_rules=skip).split()[0] == first


@pytest.mark.parametrize(
    ("bare", "restored"),
    [
        # the infinitive after `putut` and after the conditional `ar`
        ("Nu s-a putut incarca fisierul.", "Nu s-a putut încărca fișierul."),
        ("Ministrul ar elimina taxa.", "Ministrul ar elimina taxa."),
        # the object of a verb in `-ează`/`-ește` has its article
        ("Programul afiseaza lista de fisiere.", "Programul afișează lista de fișiere."),
        # the article before a feminine genitive
        ("Masina a ramas in afara casei.", "Mașina a rămas în afara casei."),
        # A name after the noun is not the object of a verb: the noun keeps its article.
        ("Echipa Dunarea Calarasi a castigat.", "Echipa Dunărea Călărași a câștigat."),
        ("Echipa Farul a pierdut aseara.", "Echipa Farul a pierdut aseară."),
        # A word the lists lack, before its verb, is a subject with the article too.
        ("Handbalista a marcat zece goluri.", "Handbalista a marcat zece goluri."),
        # a noun after a verbal noun in `-are` takes none: `Schimbare parolă`
        ("Schimbare parola", "Schimbare parolă"),
        # after `dacă`, `când`... a noun before its verb is the subject, with the article;
        # a verb there is not
        (
            "Verifica daca fereastra ar trebui inchisa.",
            "Verifică dacă fereastra ar trebui închisă.",
        ),
        ("Vezi daca elimina fisierul.", "Vezi dacă elimină fișierul."),
    ],
)
def test_more_grammar_for_the_a_and_ă_forms(bare: str, restored: str) -> None:
    assert restore_text(bare) == restored


def test_the_lexicon_tells_nouns_from_verbs() -> None:
    pytest.importorskip("simplemma", reason="the lemmas come from simplemma")
    model = diacritics.load_model()
    assert {"lista", "masina", "arhiva"} <= model.nouns
    assert not {"elimina", "schimba"} & model.nouns
    assert {"lista", "elimina"} <= set(model.pairs)


def test_forms_only_the_lexicon_knows_are_restored() -> None:
    pytest.importorskip("simplemma", reason="the lexicon comes from simplemma")
    assert diacritics.load_model().source.startswith("wordfreq")
    assert "simplemma" in diacritics.load_model().source
    # `sintaxă` and `opțiunii` are not in wordfreq's Romanian list
    assert restore_text("o eroare de sintaxa") == "o eroare de sintaxă"
    assert restore_text("valoarea optiunii") == "valoarea opțiunii"


def test_common_english_words_are_left_as_written() -> None:
    assert restore_text("un command nou si un trend") == "un command nou și un trend"


def test_each_context_rule_can_be_left_out_by_name() -> None:
    text = "A gasit o lista veche."
    assert restore_text(text, skip_rules=frozenset(diacritics.RULES)) == restore_text(
        text, context=False
    )
    assert restore_text(text, skip_rules=frozenset(["indefinite-ă"])) != restore_text(text)
    assert len(set(diacritics.RULES)) == len(diacritics.RULES)


@pytest.mark.parametrize(
    ("bare", "restored"),
    [
        # first names the lexicon also holds as rare words (`măria`, `sară`, `elenă`,
        # `mărin`, `romă`): opening a sentence, in the middle, and as a caption
        ("Maria si Sara au castigat", "Maria și Sara au câștigat"),
        (
            "Elena a spus ca Marin si Sara vin la Roma.",
            "Elena a spus că Marin și Sara vin la Roma.",
        ),
        ("Sara, Irina si Dana la scoala din Arad", "Sara, Irina și Dana la școala din Arad"),
        ("Foto: Maria Marin", "Foto: Maria Marin"),
        ("Laura Ana Elena", "Laura Ana Elena"),
        # capitalised words wordfreq knows better with diacritics are still restored
        ("Sambata, la Iasi, a plouat.", "Sâmbătă, la Iași, a plouat."),
        ("Romania a castigat la Brasov.", "România a câștigat la Brașov."),
        ("Stefan a ajuns la Timisoara", "Ștefan a ajuns la Timișoara"),
        ("Foto: Stefan in Romania", "Foto: Ștefan în România"),
    ],
)
def test_names_change_only_where_wordfreq_knows_the_written_form_better(
    bare: str, restored: str
) -> None:
    assert restore_text(bare) == restored


def test_rare_lexicon_forms_still_restore_lower_case_words() -> None:
    pytest.importorskip("simplemma", reason="the lexicon comes from simplemma")
    # the capital rule keeps names: the lexicon still serves words in lower case
    assert restore_text("o eroare de sintaxa") == "o eroare de sintaxă"
    assert "maria" not in diacritics.load_model().capital
    assert "romania" in diacritics.load_model().capital
