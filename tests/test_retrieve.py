"""Retrieval (qa.search.hybrid, through Assistant.query/retrieve/search): date, source and document filters
applied inside both searches; reciprocal-rank fusion of dense and BM25 rankings."""

from __future__ import annotations

import numpy as np
import pytest

from qa.models import Filters
from qa.search.hybrid import Retriever, match_any, shared_ranks

VARGA = "What did Varga say about the Orlen dam?"
BOATS = "How many fishing boats may each country license on the lower Orlen?"


def in_window(date: str | None, since: str | None, until: str | None) -> bool:
    return date is not None and (since is None or date >= since) and (until is None or date <= until)


@pytest.mark.parametrize(
    ("since", "until"),
    [("2016-10-01", "2016-10-31"), ("2016-11-01", "2016-11-30"), (None, "2016-12-31"), ("2017-01-01", None)],
)
def test_since_until_restrict_citations(news, since, until):
    ans = news.ask(VARGA, since=since, until=until)
    assert not ans.abstained
    assert ans.citations
    assert all(in_window(c.date, since, until) for c in ans.citations), [(c.doc_id, c.date) for c in ans.citations]
    assert all(in_window(s["date"], since, until) for s in ans.sentences)
    assert (ans.period.since, ans.period.until, ans.period.label) == (since, until, f"{since or 'the beginning'} to {until or 'now'}")


def test_date_filter_applies_inside_the_search(news):
    """The best passages overall include 2017 ones; filtered to 2016 we still get k passages, all from then."""
    store = news.index.store
    query = news.query(VARGA)
    _, hits = news.retrieve(query, k=4)
    assert any(not in_window(c.date, None, "2016-12-31") for c in store.chunks([h.chunk_id for h in hits]).values())
    for mode in ("hybrid", "dense"):
        _, hits = news.retrieve(news.query(VARGA, until="2016-12-31"), k=4, mode=mode)
        rows = store.chunks([h.chunk_id for h in hits])
        assert len(hits) == 4, mode
        assert all(in_window(c.date, None, "2016-12-31") for c in rows.values()), mode


def test_lexical_search_respects_filters(news):
    query = news.query(VARGA, since="2016-11-01", until="2016-11-30")
    _, hits = news.retrieve(query, k=10, mode="lexical")
    rows = news.index.store.chunks([h.chunk_id for h in hits])
    assert hits
    assert {c.doc_id for c in rows.values()} == {"reuters_orlen_court"}


def test_retriever_takes_terms_vector_and_filters(news):
    """The Retriever on its own: topic terms for BM25, the question's vector for dense search."""
    query = news.query(VARGA)
    qvec = news.encoder.encode_query([query.text])[0]
    retriever = Retriever(news.index)
    hits = retriever.search(query.terms, qvec, k=5, filters=Filters(doc_ids=("guardian_orlen_treaty",)))
    assert hits and {c.doc_id for c in news.index.store.chunks([h.chunk_id for h in hits]).values()} == {"guardian_orlen_treaty"}
    assert retriever.search([], qvec, k=5, mode="lexical") == []
    assert [h.chunk_id for h in retriever.search(query.lexical_terms(), qvec, k=5, speaker=query.speaker)] == [
        h.chunk_id for h in news.retrieve(query, k=5)[1]]


def test_search_with_dates(news):
    rows = news.search(VARGA, k=8, since="2017-01-01", until="2017-12-31")
    assert rows and all(in_window(r["date"], "2017-01-01", "2017-12-31") for r in rows)


def test_doc_ids_filter(news):
    ans = news.ask(VARGA, doc_ids=["guardian_orlen_treaty"])
    assert not ans.abstained
    assert {c.doc_id for c in ans.citations} == {"guardian_orlen_treaty"}


def test_date_in_the_question_filters(news):
    ans = news.ask("What did Varga say about the Orlen dam in November 2016?")
    assert not ans.abstained and (ans.period.since, ans.period.until, ans.period.label) == ("2016-11-01", "2016-11-30", "November 2016")
    assert ans.citations and all(in_window(c.date, "2016-11-01", "2016-11-30") for c in ans.citations)


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
def test_filter_matching_nothing_abstains(news, filters):
    ans = news.ask(VARGA, **filters)
    assert ans.abstained
    assert ans.citations == [] and ans.sentences == []
    assert ans.answer.strip()
    if "since" in filters or "until" in filters:  # a period: said so, and nothing from outside it cited
        assert ans.notes[0].startswith(f"No article from {ans.period.label} answers this")
        after = filters.get("since", "") > news.answerer.store.archive_end()  # after the archive: why, said in it
        assert ("the articles cannot report" in ans.notes[0]) == after
    else:
        assert ans.notes[-1] == "searched only the filtered articles"
    assert news.search(VARGA, **filters) == []


# ---- sources


def test_sources_are_listed(news):
    assert news.sources() == ["AP", "BBC", "CNN", "Reuters", "TASS", "The Guardian", "ZNA"]


@pytest.mark.parametrize("source", ["Reuters", "reuters", "REUTERS"])
def test_source_filter_keeps_only_that_source(news, source):
    ans = news.ask(VARGA, source=source)
    assert not ans.abstained
    assert {c.source for c in ans.citations} == {"Reuters"}


def test_source_filter_excludes_other_sources(news):
    ans = news.ask(VARGA, source="TASS")
    assert not ans.abstained
    assert {c.source for c in ans.citations} == {"TASS"}


def test_several_sources(news):
    rows = news.search(VARGA, k=30, source=["Reuters", "TASS"])
    assert {r["source"] for r in rows} == {"Reuters", "TASS"}


def test_source_and_dates_combine(news):
    ans = news.ask(VARGA, source=["AP", "The Guardian", "TASS"], since="2017-01-01", until="2017-03-31")
    assert not ans.abstained
    assert {(c.source, c.date) for c in ans.citations} == {("AP", "2017-01-24")}


# ---- ranking


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_search_modes_rank_unique_passages(news, mode):
    rows = news.search(BOATS, k=10, mode=mode)
    assert rows
    assert len({r["id"] for r in rows}) == len(rows)
    scores = [r["score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert "no more than 400 fishing boats" in " ".join(r["text"] for r in rows[:3])


def test_lexical_scores_are_zero_in_dense_mode(news):
    assert all(r["lexical"] == 0.0 for r in news.search(BOATS, k=5, mode="dense"))


def test_search_rows_carry_the_chunk_and_its_article(news):
    (row,) = news.search(BOATS, k=1)
    assert set(row) >= {"id", "doc_id", "start", "end", "text", "sentences", "ordinal", "title", "date", "source", "score", "dense", "lexical"}
    assert news.article(row["doc_id"])["text"][row["start"] : row["end"]] == row["text"]


def test_hybrid_fuses_the_two_rankings_by_reciprocal_rank(news):
    query = news.query(BOATS)
    qvec, hits = news.retrieve(query, k=50)
    retriever = Retriever(news.index)
    dense = retriever.dense(qvec, 50, None)
    lexical = retriever.lexical(query.terms, 50, Filters())
    expected: dict[int, float] = {}
    for ranking in (dense, lexical):
        for cid, score in ranking:  # rank: how many score higher (equal scores share a rank)
            rank = sum(other > score for _, other in ranking)
            expected[cid] = expected.get(cid, 0.0) + 1 / (retriever.rrf_k + rank + 1)
    assert {h.chunk_id: h.score for h in hits} == pytest.approx(expected)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    lex = dict(lexical)
    for h in hits:
        # every hit carries its cosine to the question, lexical-only hits too (from the stored vector)
        assert h.dense == pytest.approx(float(news.index.vectors.vector(h.chunk_id) @ qvec), abs=1e-5)
        assert h.lexical == lex.get(h.chunk_id, 0.0)


def test_retrieve_encodes_the_question_text(news):
    query = news.query(BOATS)
    qvec, _ = news.retrieve(query, k=3)
    assert np.allclose(qvec, news.encoder.encode_query([BOATS])[0])


def test_match_any_quotes_each_term(news):
    assert match_any(["orlen", "dam"]) == '"orlen" OR "dam"'
    odd = match_any(['ab"c', "NEAR", "OR", "*"])
    assert odd.count('"') % 2 == 0 and " OR ".join(['"NEAR"']) in odd  # a quote inside a term cannot end it early
    assert isinstance(news.index.store.bm25(odd, 5), list)
    hits = news.index.store.bm25(match_any(["orlen", "salmon"]), 50)
    assert hits and len(hits) == news.index.store.doc_freq('"orlen" OR "salmon"')


@pytest.mark.parametrize("terms", [['"'], ["AND"], ["NEAR("], ["*"], ["дамба"]])
def test_odd_terms_never_break_bm25(news, terms):
    qvec = news.encoder.encode(["x"])[0]
    assert isinstance(Retriever(news.index).search(terms, qvec, k=3, mode="lexical"), list)


SPOKEN = [
    ("petrak.txt", "Zarnovia names a new negotiator\n\nGENEVA (Reuters) - Zarnovian Foreign Minister Ivan Petrak arrived in "
     "Geneva on Monday for a week of talks with Keldland on the future of the Orlen river.\n\nHe met the mediator "
     "before the first session and toured the old customs house by the lake with his delegation and the press.\n\n"
     "The minister said the new salmon quota was unacceptable and that Zarnovia would challenge it in court."),
    ("union.txt", "Fishermen protest the salmon quota\n\nVELMORA (AP) - The fishermen's union marched on Tuesday against "
     "the salmon quota, which it says halves the catch.\n\nThe salmon quota is the lowest in twenty years, the union's "
     "leader Marta Olsen said, and the salmon quota must go.\n\nBoats stayed in port as the salmon quota took effect."),
]


def test_a_speakers_words_are_found_where_the_passage_does_not_name_them(tmp_path):
    """"What did Petrak say about the salmon quota?": the passage where "the minister" (Petrak, named earlier in the
    article) speaks on it is a candidate through the third list, ahead of where BM25 alone puts it."""
    from corpora import fake_settings

    from qa.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in SPOKEN:
        (corpus / name).write_text(text, encoding="utf-8")
    a = Assistant(settings=fake_settings(corpus, tmp_path / "index", chunk_words=20))
    query = a.query("What did Petrak say about the salmon quota?")
    assert query.speaker and "Petrak" in query.speaker
    qvec = a.encoder.encode_query([query.text])[0]
    retriever = Retriever(a.index)
    store = a.index.store

    def texts(ids: list[int]) -> list[str]:
        rows = store.chunks(ids)
        return [rows[i].text for i in ids]

    def rank(ids: list[int]) -> int:
        """Where the minister's passage is (len(ids) when missing)."""
        return next((n for n, t in enumerate(texts(ids)) if "The minister said" in t), len(ids))

    spoken = [cid for cid, _ in retriever.spoken(query.speaker, query.lexical_terms(), 5, query.filters)]
    assert spoken and all("The minister said" in t for t in texts(spoken)), "only the passage where Petrak speaks"
    with_speaker = [h.chunk_id for h in retriever.search(query.lexical_terms(), qvec, k=5, speaker=query.speaker)]
    without = [h.chunk_id for h in retriever.search(query.lexical_terms(), qvec, k=5)]
    assert rank(with_speaker) == 0 < rank(without)


def test_equal_scores_share_a_rank_whatever_their_order():
    ranking = [(7, 0.9), (3, 0.5), (5, 0.5), (1, 0.2)]
    assert shared_ranks(ranking) == {7: 0, 3: 1, 5: 1, 1: 3}
    assert shared_ranks([ranking[0], ranking[2], ranking[1], ranking[3]]) == shared_ranks(ranking)
    assert shared_ranks([]) == {}


AMPERSAND = [
    ("markets.txt", "Stocks slip as oil falls\n\nNEW YORK (AP) — The S&P 500 fell 0.9 percent on Friday, its worst day in a "
     "month, as oil prices slid and bank shares lost ground.\n\nBond yields rose."),
    ("speedway.txt", "Rookie tops practice at the 500\n\nINDIANAPOLIS, May 19 (Reuters) - A rookie set the fastest lap on "
     "Friday in practice for the Indianapolis 500, the 500-mile race on Sunday. Friday's session drew 500 fans to the "
     "500 stands on Friday, the speedway said on Friday."),
    ("council.txt", "Council approves budget\n\nBy a staff reporter\n\nThe city council approved next year's budget on "
     "Tuesday after a long debate over road repairs."),
    ("weather.txt", "Storm warning for the coast\n\nLONDON (BBC) - Forecasters warned of gales along the coast, with "
     "ferries cancelled and trains delayed."),
    ("harvest.txt", "Farmers count the cost of drought\n\nMADRID, Aug 2 (Reuters) - Spanish farmers said the wheat "
     "harvest was the smallest in a decade."),
]


def test_an_ampersand_acronym_in_the_question_is_searched_for(tmp_path):
    """"How did the S&P 500 do on Friday?": "S&P" is a term (its letters alone are dropped), so the index's market
    report answers, not the race story that writes "500" and "Friday" more often."""
    from corpora import fake_settings

    from qa.api import Assistant

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in AMPERSAND:
        (corpus / name).write_text(text, encoding="utf-8")
    a = Assistant(settings=fake_settings(corpus, tmp_path / "index"))
    assert "s&p" in a.query("How did the S&P 500 do on Friday?").lexical_terms()
    top = a.search("How did the S&P 500 do on Friday?", k=1, mode="lexical")
    assert top and "S&P 500 fell" in top[0]["text"]
