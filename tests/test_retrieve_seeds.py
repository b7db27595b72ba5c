"""Retrieval on the seeds with the real model (slow): filters inside the search, a second source, hybrid ranking quality."""

from __future__ import annotations

import json
import shutil

import pytest

from qa.api import Assistant

pytestmark = pytest.mark.slow

ALEPPO = "What did Lavrov say about Aleppo?"
ZONES = "Which de-escalation zones are operating?"
REUTERS_ROW = {
    "id": "reuters_aleppo_pause",
    "title": "Russia says Aleppo pause could be extended if rebels do not regroup",
    "date": "2016-10-20",
    "source": "Reuters",
    "url": "https://www.reuters.com/article/mideast-crisis-syria-aleppo-pause",
    "text": (
        "Russian Foreign Minister Sergei Lavrov said on Thursday that the humanitarian pause in Aleppo could be extended "
        "if rebels in the east of the city did not use it to regroup.\n\n"
        "Lavrov told reporters that Moscow expected Washington to persuade the rebel groups it backs to leave eastern Aleppo "
        "and to separate themselves from the Nusra Front fighters.\n\n"
        "The pause in Russian and Syrian air strikes on eastern Aleppo began on Thursday morning, the Russian Defence Ministry said."
    ),
}


def in_window(date: str | None, since: str | None, until: str | None) -> bool:
    return date is not None and (since is None or date >= since) and (until is None or date <= until)


@pytest.mark.parametrize(
    ("since", "until"),
    [("2016-10-01", "2016-10-31"), ("2016-11-01", "2016-11-30"), (None, "2016-10-31"), ("2016-11-01", None)],
)
def test_since_until_restrict_citations(assistant, since, until):
    ans = assistant.ask(ALEPPO, since=since, until=until)
    assert not ans.abstained
    assert ans.citations
    assert all(in_window(c.date, since, until) for c in ans.citations), [(c.doc_id, c.date) for c in ans.citations]
    assert all(in_window(s["date"], since, until) for s in ans.sentences)


def test_date_filter_applies_inside_the_search(assistant):
    """The best 5 passages overall are from 2017; filtered to October 2016 we still get 5, all from then."""
    store = assistant.index.store
    _, hits = assistant.retrieve(assistant.query(ZONES), k=5)
    unfiltered = store.chunks([h.chunk_id for h in hits])
    assert not any(in_window(c.date, None, "2016-10-31") for c in unfiltered.values())
    for mode in ("hybrid", "dense"):
        _, hits = assistant.retrieve(assistant.query(ZONES, until="2016-10-31"), k=5, mode=mode)
        rows = store.chunks([h.chunk_id for h in hits])
        assert len(hits) == 5, mode
        assert all(in_window(c.date, None, "2016-10-31") for c in rows.values()), mode


def test_lexical_search_respects_filters(assistant):
    _, hits = assistant.retrieve(assistant.query(ALEPPO, since="2016-11-01", until="2016-11-30"), k=10, mode="lexical")
    rows = assistant.index.store.chunks([h.chunk_id for h in hits])
    assert hits
    assert {c.doc_id for c in rows.values()} == {"004_5c9cc7032a8f1c3d"}


def test_search_with_dates(assistant):
    rows = assistant.search(ALEPPO, k=8, since="2016-10-01", until="2016-10-31")
    assert rows and all(in_window(r["date"], "2016-10-01", "2016-10-31") for r in rows)


def test_doc_ids_filter(assistant):
    ans = assistant.ask(ALEPPO, doc_ids=["004_5c9cc7032a8f1c3d"])
    assert not ans.abstained
    assert {c.doc_id for c in ans.citations} == {"004_5c9cc7032a8f1c3d"}


def test_date_in_the_question_filters(assistant):
    ans = assistant.ask("What did Lavrov say about Aleppo in November 2016?")
    assert not ans.abstained and ans.period
    assert all(in_window(c.date, "2016-11-01", "2016-11-30") for c in ans.citations)


@pytest.mark.parametrize(
    "filters",
    [
        {"since": "2030-01-01"},
        {"until": "1999-12-31"},
        {"since": "2017-01-01", "until": "2016-01-01"},
        {"source": "Nobody Press"},
        {"doc_ids": ["no_such_article"]},
    ],
    ids=["future", "past", "inverted", "source", "doc_ids"],
)
def test_filter_matching_nothing_abstains(assistant, filters):
    ans = assistant.ask(ALEPPO, **filters)
    assert ans.abstained
    assert ans.citations == [] and ans.sentences == []
    assert ans.answer.strip()
    assert assistant.search(ALEPPO, **filters) == []


# ---- a second source


@pytest.fixture(scope="module")
def mixed(tmp_path_factory, seed_corpus, seed_index, assistant):
    """The seeds (TASS) plus one Reuters article from a JSONL file; the index starts from the seed index."""
    base = tmp_path_factory.mktemp("mixed")
    shutil.copytree(seed_corpus, base / "corpus")
    shutil.copytree(seed_index, base / "index", ignore=shutil.ignore_patterns(".lock"))
    (base / "corpus" / "wire.jsonl").write_text(json.dumps(REUTERS_ROW) + "\n", encoding="utf-8")
    a = Assistant(corpus=base / "corpus", index=base / "index")
    assert a.last_report.added == [REUTERS_ROW["id"]]
    return a


def test_sources_are_listed(mixed):
    assert mixed.sources() == ["Reuters", "TASS"]


@pytest.mark.parametrize("source", ["Reuters", "reuters"])
def test_source_filter_keeps_only_that_source(mixed, source):
    ans = mixed.ask(ALEPPO, source=source)
    assert not ans.abstained
    assert {c.source for c in ans.citations} == {"Reuters"}


def test_source_filter_excludes_other_sources(mixed):
    ans = mixed.ask(ALEPPO, source="TASS")
    assert not ans.abstained
    assert {c.source for c in ans.citations} == {"TASS"}


def test_several_sources(mixed):
    rows = mixed.search(ALEPPO, k=20, source=["Reuters", "TASS"])
    assert {r["source"] for r in rows} == {"Reuters", "TASS"}


def test_source_and_dates_combine(mixed):
    ans = mixed.ask(ALEPPO, source="TASS", since="2016-10-01", until="2016-10-31")
    assert not ans.abstained
    assert {(c.source, c.date) for c in ans.citations} == {("TASS", "2016-10-21")}


# ---- ranking


def test_hybrid_finds_the_le_drian_article(assistant):
    q = "What concern does Moscow share with Paris?"
    top = assistant.search(q, k=5, mode="hybrid")
    assert top[0]["doc_id"] == "002_2faade04ba6bd5e4"
    assert "Le Drian" in top[0]["text"]
    ans = assistant.ask(q)
    assert not ans.abstained
    assert ans.citations[0].doc_id == "002_2faade04ba6bd5e4"


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_search_modes_rank_unique_passages(assistant, mode):
    rows = assistant.search(ZONES, k=10, mode=mode)
    assert rows
    assert len({r["id"] for r in rows}) == len(rows)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert "Three de-escalation zones are operating" in " ".join(r["text"] for r in rows[:3])


def test_lexical_scores_are_zero_in_dense_mode(assistant):
    assert all(r["lexical"] == 0.0 for r in assistant.search(ZONES, k=5, mode="dense"))
