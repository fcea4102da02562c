"""The article filters select exactly the expected articles of a golden set."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsparse
from newsparse.errors import InvalidOption
from newsparse.filters import ArticleFilter, FilterCounts, FilterOptions, filter_articles, parse_day
from newsparse.text.normalize import fold

from .conftest import DATA

CORPUS = DATA / "filters_corpus.txt"
SELECTIONS = json.loads((DATA / "filters_corpus.selections.json").read_text(encoding="utf-8"))


def options_from(spec: dict[str, Any]) -> FilterOptions:
    return FilterOptions(
        since=parse_day(spec["since"]) if "since" in spec else None,
        until=parse_day(spec["until"]) if "until" in spec else None,
        authors=tuple(spec.get("authors", ())),
        sources=tuple(spec.get("sources", ())),
        match=spec.get("match"),
    )


def short_titles(articles: list[newsparse.Article]) -> list[str]:
    """Return the titles cut to what the selections file names them by."""
    names = [s for case in SELECTIONS for s in case["titles"]]
    found = []
    for article in articles:
        assert article.title is not None
        found.append(next(n for n in names if article.title.startswith(n)))
    return found


@pytest.mark.parametrize("case", SELECTIONS, ids=lambda case: json.dumps(case["options"]))
def test_filters_select_exactly_the_expected_articles(case: dict[str, Any]) -> None:
    articles = newsparse.parse(CORPUS.read_bytes()).articles
    assert len(articles) == 7
    counts = FilterCounts()
    kept = list(filter_articles(articles, options_from(case["options"]), counts=counts))
    assert short_titles(kept) == case["titles"]
    assert counts.to_dict() == {
        "seen": 7,
        "kept": len(case["titles"]),
        "dropped": case["dropped"],
        "undated": case["undated"],
    }


def test_no_options_keep_everything_lazily() -> None:
    articles = newsparse.parse(CORPUS.read_bytes()).articles
    kept = filter_articles(iter(articles))
    assert next(kept) is articles[0]
    assert list(kept) == articles[1:]


def test_the_day_is_the_one_the_byline_wrote() -> None:
    # 23:59 on 31 December in Bucharest is already 1 January in some zones: not here.
    article = newsparse.Article(
        "t", published=dt.datetime(2022, 12, 31, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    )
    selector = ArticleFilter(FilterOptions(until=dt.date(2022, 12, 31)))
    assert selector.keep(article)
    assert not ArticleFilter(FilterOptions(since=dt.date(2023, 1, 1))).keep(article)


def test_a_bare_date_is_compared_as_a_day() -> None:
    article = newsparse.Article("t", published=dt.date(2023, 1, 1))
    assert ArticleFilter(FilterOptions(since=dt.date(2023, 1, 1), until=dt.date(2023, 1, 1))).keep(
        article
    )


def test_wildcards_are_the_only_pattern_characters() -> None:
    article = newsparse.Article("t", author="A.B. (ed)")
    assert ArticleFilter(FilterOptions(authors=("a.b. (ed)",))).keep(article)
    assert not ArticleFilter(FilterOptions(authors=("a?b*",))).keep(article)
    assert ArticleFilter(FilterOptions(authors=("a.b*",))).keep(article)


def test_articles_without_the_name_are_dropped() -> None:
    article = newsparse.Article("t")
    assert not ArticleFilter(FilterOptions(authors=("*",))).keep(article)
    assert not ArticleFilter(FilterOptions(sources=("*",))).keep(article)


@pytest.mark.parametrize("text", ["15.08.2022", "2022-13-01", "ieri", ""])
def test_a_date_that_is_not_iso_is_refused(text: str) -> None:
    with pytest.raises(InvalidOption, match="ISO date"):
        parse_day(text, option="--since")


def test_since_after_until_is_refused_before_any_article() -> None:
    with pytest.raises(InvalidOption, match="after --until"):
        filter_articles([], FilterOptions(since=dt.date(2023, 2, 1), until=dt.date(2023, 1, 1)))


def test_the_description_names_the_undated() -> None:
    counts = FilterCounts(seen=7, kept=4, dropped=3, undated=1)
    assert counts.describe() == "3 of 7 articles dropped by the filters (1 without a date)"


_SPELLINGS = {"s": "sSșȘşŞ", "t": "tTțȚţŢ", "a": "aAăĂâÂ", "i": "iIîÎ"}


@given(
    st.sampled_from(["Ștefan Țăranu", "Ioana Mărgineanu", "Agerpres", "Cristina Sârbu"]), st.data()
)
def test_any_spelling_of_a_name_finds_it(name: str, data: st.DataObject) -> None:
    spelled = "".join(
        data.draw(st.sampled_from(_SPELLINGS.get(fold(ch), ch + ch.upper()))) for ch in name
    )
    article = newsparse.Article("t", author=name, source=name)
    assert ArticleFilter(FilterOptions(authors=(spelled,))).keep(article)
    assert ArticleFilter(FilterOptions(sources=(spelled[:3] + "*",))).keep(article)
    assert not ArticleFilter(FilterOptions(authors=(spelled[:-1],))).keep(article)


@given(st.lists(st.sampled_from(range(7)), max_size=20), st.sampled_from(SELECTIONS))
def test_counts_add_up_and_the_kept_are_a_subsequence(
    picks: list[int], case: dict[str, Any]
) -> None:
    pool = newsparse.parse(CORPUS.read_bytes()).articles
    articles = [pool[i] for i in picks]
    counts = FilterCounts()
    kept = list(filter_articles(articles, options_from(case["options"]), counts=counts))
    assert counts.seen == len(articles) == counts.kept + counts.dropped
    assert counts.undated <= counts.dropped and len(kept) == counts.kept
    iterator = iter(articles)
    assert all(any(a is b for b in iterator) for a in kept)
