"""Corpus figures: exact quantiles from histograms, one pass, the same with workers."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsparse
from newsparse.dedupe import DedupeOptions
from newsparse.filters import FilterOptions
from newsparse.stats import (
    Histogram,
    Stats,
    StatsOptions,
    collect_stats,
    month_range,
    split_diagnostics,
)
from newsparse.stats_html import render_html

from .conftest import DATA, SAMPLES

CORPUS = DATA / "filters_corpus.txt"


def nearest_rank(values: list[int], q: float) -> int:
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * round(q * 100) // 100))
    return ordered[rank - 1]


@given(st.lists(st.integers(min_value=0, max_value=300), min_size=1, max_size=200))
def test_histogram_quantiles_equal_the_sorted_values(values: list[int]) -> None:
    histogram = Histogram()
    for value in values:
        histogram.add(value)
    assert histogram.quantile(0.5) == nearest_rank(values, 0.5)
    assert histogram.quantile(0.9) == nearest_rank(values, 0.9)
    assert histogram.summary() == {
        "median": nearest_rank(values, 0.5),
        "p90": nearest_rank(values, 0.9),
        "max": max(values),
        "total": sum(values),
    }


def test_an_empty_histogram_has_no_quantiles() -> None:
    assert Histogram().summary() == {"median": None, "p90": None, "max": None, "total": 0}


def test_month_range_crosses_years() -> None:
    assert month_range("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]


def test_diagnostics_belong_to_the_article_they_follow() -> None:
    result = newsparse.parse(CORPUS.read_bytes())
    per_article, outside = split_diagnostics(result.articles, result.diagnostics)
    assert outside == []
    # The article without a byline (line 45) is the fifth: NP201 is its own.
    assert [[d.code for d in found] for found in per_article] == [[], [], [], [], ["NP201"], [], []]


def test_figures_of_the_golden_corpus() -> None:
    figures = collect_stats([str(CORPUS)]).to_dict(top=3)
    assert figures["files"] == 1
    assert figures["articles"] == 7
    assert figures["dates"] == {
        "first": "2022-08-15T09:13:00+03:00",
        "last": "2023-04-01T08:00:00+03:00",
        "undated": 1,
    }
    assert list(figures["months"]) == month_range("2022-08", "2023-04")
    assert figures["months"]["2023-01"] == 2
    assert figures["months"]["2022-09"] == 0
    # AGERPRES and Agerpres are one source, named as first spelled.
    assert figures["sources"][0] == {"name": "Agerpres", "articles": 3}
    assert figures["authors"][:2] == [
        {"name": "Ion Popescu", "articles": 2},
        {"name": "Ştefan Ţăranu", "articles": 2},
    ]
    assert figures["without_author"] == 1
    assert figures["images"] == {"total": 1, "articles_with_images": 1}
    assert figures["paragraphs"]["max"] == 2
    assert figures["diagnostics"] == {"NP201": {"count": 1, "severity": "error"}}
    assert figures["articles_with_errors"] == 1
    assert figures["files_with_errors"] == 1


def test_filters_drop_articles_and_their_diagnostics() -> None:
    options = StatsOptions(filters=FilterOptions(since=dt.date(2023, 1, 1)))
    figures = collect_stats([str(CORPUS)], options).to_dict(filtered=True)
    assert figures["articles"] == 4
    assert figures["filters"] == {"seen": 7, "kept": 4, "dropped": 3, "undated": 1}
    assert figures["diagnostics"] == {}  # NP201 was the undated article's


def test_workers_give_the_same_figures() -> None:
    inputs = [str(SAMPLES), str(DATA)]
    alone = collect_stats(inputs).to_dict()
    assert collect_stats(inputs, StatsOptions(jobs=2)).to_dict() == alone
    assert alone["files"] == len(list(SAMPLES.rglob("*.txt"))) + len(list(DATA.rglob("*.txt")))


def test_standard_input_is_one_input(monkeypatch: pytest.MonkeyPatch) -> None:
    data = CORPUS.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    from_stdin = collect_stats(["-"], StatsOptions(jobs=2)).to_dict()
    assert from_stdin == collect_stats([str(CORPUS)]).to_dict()


def test_an_unreadable_input_is_counted_not_raised(tmp_path: Path) -> None:
    figures = collect_stats([str(tmp_path / "missing.txt"), str(CORPUS)]).to_dict()
    assert figures["files"] == 2
    assert figures["files_with_errors"] == 2  # the missing one, and NP201 in the corpus
    assert figures["diagnostics"]["NP108"]["count"] == 1


def test_progress_sees_the_running_figures() -> None:
    seen: list[int] = []
    collect_stats([str(DATA)], progress=lambda stats: seen.append(stats.files))
    assert seen == sorted(seen) and seen[-1] == len(list(DATA.rglob("*.txt")))


def test_merge_keeps_the_extremes() -> None:
    early, late = Stats(), Stats()
    early.add_article(newsparse.Article("a", published=dt.date(2020, 1, 5)))
    late.add_article(newsparse.Article("b", published=dt.datetime(2021, 3, 1, 10, 0)))
    early.merge(late)
    assert (early.first, early.last) == (dt.date(2020, 1, 5), dt.datetime(2021, 3, 1, 10, 0))
    assert len(early.monthly()) == 15


def test_html_has_one_bar_per_month_and_needs_nothing_else() -> None:
    stats = collect_stats([str(CORPUS)])
    page = render_html(stats)
    bars = re.findall(r'<rect class="bar" data-month="(\d{4}-\d\d)"', page)
    assert bars == month_range("2022-08", "2023-04")
    assert '<a href="docs/diagnostics.md#np201">NP201</a>' in page
    assert not re.search(r"<script|<link|<img|src=|url\(|@import", page)


def test_html_escapes_names() -> None:
    stats = Stats()
    stats.add_article(newsparse.Article("t", source="<script>alert(1)</script>", author="A & B"))
    page = render_html(stats)
    assert "<script>" not in page
    assert "&lt;script&gt;" in page and "A &amp; B" in page


@given(st.text(alphabet=st.sampled_from(list("ab ăș\t\n\r\xa0\u2028\u3000\x1c.")), max_size=40))
def test_word_count_is_that_of_split(text: str) -> None:
    from newsparse.stats import _count_words

    assert _count_words(text) == len(text.split())


# --- duplicates ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    import corpus

    root = tmp_path_factory.mktemp("planted") / "dumps"
    return root, corpus.generate_with_duplicates(root, 150, 11)


def copies_left_out(figures: dict[str, Any], root: Path) -> dict[str, str]:
    """Return {copy: first copy} from the clusters `to_dict` lists (files relative to ROOT)."""
    return {
        Path(copy["file"]).relative_to(root).as_posix(): Path(cluster["file"])
        .relative_to(root)
        .as_posix()
        for cluster in figures["duplicates"]["clusters"]
        for copy in cluster["copies"]
    }


def test_dedupe_leaves_the_planted_copies_out(planted: tuple[Path, Any]) -> None:
    root, truth = planted
    everything = collect_stats([str(root)], StatsOptions(jobs=1)).to_dict()
    exact = collect_stats([str(root)], StatsOptions(dedupe=DedupeOptions(mode="exact")))
    figures = exact.to_dict()
    assert truth.exact and copies_left_out(figures, root) == truth.exact
    duplicates = figures["duplicates"]
    assert duplicates["left_out"] == duplicates["exact"] == len(truth.exact)
    assert duplicates["near"] == 0 and duplicates["mode"] == "exact"
    assert (
        duplicates["cluster_count"] == len(duplicates["clusters"]) == len(set(truth.exact.values()))
    )
    assert figures["articles"] == everything["articles"] - len(truth.exact) == duplicates["kept"]
    assert figures["diagnostics"]["NP501"] == {"count": len(truth.exact), "severity": "warning"}
    assert figures["files"] == everything["files"]  # copies are left out, not their files
    near = collect_stats([str(root)], StatsOptions(dedupe=DedupeOptions(mode="near"))).to_dict()
    found = copies_left_out(near, root)
    planted_copies = set(truth.exact) | set(truth.near)
    assert set(found) == planted_copies  # no same-topic article among them
    assert near["duplicates"]["near"] == len(truth.near)
    assert near["articles"] == everything["articles"] - len(planted_copies)


@pytest.mark.parametrize("mode", ["exact", "near"])
def test_dedupe_gives_the_same_figures_with_workers(planted: tuple[Path, Any], mode: str) -> None:
    root, _ = planted
    inputs = [str(root), str(DATA)]
    alone = collect_stats(inputs, StatsOptions(dedupe=DedupeOptions(mode=mode))).to_dict()
    workers = StatsOptions(jobs=2, dedupe=DedupeOptions(mode=mode))
    assert collect_stats(inputs, workers).to_dict() == alone
    assert alone["duplicates"]["left_out"] > 0


def test_a_corpus_and_its_copy_count_once(planted: tuple[Path, Any], tmp_path: Path) -> None:
    root, _ = planted
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    options = StatsOptions(jobs=2, dedupe=DedupeOptions(mode="exact"))
    once = collect_stats([str(root)], options).to_dict()
    twice = collect_stats([str(root), str(copy)], options).to_dict()
    articles_only = {"dates", "months", "sources", "authors", "words", "paragraphs", "images"}
    assert {k: twice[k] for k in articles_only} == {k: once[k] for k in articles_only}
    assert twice["articles"] == once["articles"] and twice["files"] == 2 * once["files"]
    # Every article of the copy is a copy: those ROOT keeps and those it leaves out.
    read_once = once["articles"] + once["duplicates"]["exact"]
    assert twice["duplicates"]["exact"] == once["duplicates"]["exact"] + read_once
    # Each copy names the first in input order: the file under ROOT.
    assert all(cluster["file"].startswith(str(root)) for cluster in twice["duplicates"]["clusters"])


def test_dedupe_reads_standard_input_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    data = CORPUS.read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    options = StatsOptions(jobs=2, dedupe=DedupeOptions(mode="exact"))
    figures = collect_stats([str(CORPUS), "-"], options).to_dict()
    assert figures["articles"] == collect_stats([str(CORPUS)]).to_dict()["articles"]
    assert figures["duplicates"]["left_out"] == figures["articles"]
    firsts = {cluster["file"] for cluster in figures["duplicates"]["clusters"]}
    copies = {c["file"] for cluster in figures["duplicates"]["clusters"] for c in cluster["copies"]}
    assert (firsts, copies) == ({str(CORPUS)}, {None})  # standard input has no file name


def test_the_filters_choose_before_dedupe_does(tmp_path: Path) -> None:
    # The first copy is before --since: the later one, in range, is kept and counted.
    def dump(day: str) -> str:
        return (
            f"Scris de ana pe {day}, 10:00\n\n## Ninge la munte\n\n"
            "Drumurile spre cabane sunt închise de două zile.\n\n"
            "[digi24](#)\n\nADRESA: <http://a.ro/1>\n"
        )

    for name, day in (("a", "1 mai 2020"), ("b", "3 mai 2023"), ("c", "9 iunie 2024")):
        (tmp_path / f"{name}.txt").write_text(dump(day), "utf-8")
    options = StatsOptions(
        filters=FilterOptions(since=dt.date(2022, 1, 1)), dedupe=DedupeOptions(mode="exact")
    )
    figures = collect_stats([str(tmp_path)], options).to_dict(filtered=True)
    assert figures["articles"] == 1 and figures["months"] == {"2023-05": 1}
    assert figures["filters"]["dropped"] == 1
    (cluster,) = figures["duplicates"]["clusters"]
    assert cluster["file"] == str(tmp_path / "b.txt")
    assert [c["file"] for c in cluster["copies"]] == [str(tmp_path / "c.txt")]


def test_without_dedupe_there_are_no_duplicate_figures() -> None:
    assert collect_stats([str(CORPUS)]).to_dict()["duplicates"] is None


def test_html_counts_the_copies_left_out(planted: tuple[Path, Any]) -> None:
    root, truth = planted
    stats = collect_stats([str(root)], StatsOptions(dedupe=DedupeOptions(mode="exact")))
    page = render_html(stats)
    assert f"<b>{len(truth.exact):,}</b><span>copies left out</span>" in page
    assert "copies left out" not in render_html(collect_stats([str(root)]))
