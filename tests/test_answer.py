"""Answers (qa.answer, through Assistant.ask): every sentence quoted verbatim and cited, abstention on what the corpus
does not cover, date order, the period fallback, the JSON contract. (The composer's parts: tests/test_compose.py.)

`check_verbatim` is shared with tests/test_answer_seeds.py (the same checks on the seeds with the real model).
"""

from __future__ import annotations

import json
import re

import pytest

import corpora
from qa.answer import answerer_for
from qa.api import Assistant

ANSWERABLE = [r for r in corpora.QUESTIONS if r["answerable"]]
UNANSWERABLE = [r["question"] for r in corpora.QUESTIONS if not r["answerable"]]
VARGA = "What did Varga say about the Orlen dam?"
ABSTAIN_TEXT = "The articles do not answer this question."  # what README and the web app show
ANSWER_KEYS = {"question", "answer", "abstained", "citations", "period", "notes", "sentences", "outside_period", "nearest", "asked"}
CITATION_KEYS = {"n", "doc_id", "title", "date", "source", "text", "start", "end", "score", "quotes"}


def short(q: str) -> str:
    return re.sub(r"\W+", "_", q)[:50]


def date_key(date: str | None) -> tuple:
    return (date is None, date or "")


def check_verbatim(ans, article) -> None:
    """Citations and answer sentences are exact source spans; sentences sit inside their passage; [n] markers match."""
    numbers = [c.n for c in ans.citations]
    assert numbers == list(range(1, len(numbers) + 1))
    by_n = {c.n: c for c in ans.citations}
    for c in ans.citations:
        art = article(c.doc_id)
        assert art is not None
        assert art["text"][c.start : c.end] == c.text
        assert (art["title"], art["date"], art["source"]) == (c.title, c.date, c.source)
    for s in ans.sentences:
        art = article(s["doc_id"])
        assert art["text"][s["start"] : s["end"]] == s["text"]
        assert s["n"] in by_n, f"sentence marked [{s['n']}] but the citations are {sorted(by_n)}"
        c = by_n[s["n"]]
        assert c.doc_id == s["doc_id"]
        assert c.start <= s["start"] and s["end"] <= c.end
        assert s["text"] in c.text
        assert (s["start"], s["end"]) in [tuple(q) for q in c.quotes]
        assert f"{s['text']} [{s['n']}]" in ans.answer
    markers = {int(m) for m in re.findall(r"\[(\d+)\]", ans.answer)}
    assert markers == set(by_n)
    assert {s["n"] for s in ans.sentences} == set(by_n)


def check_likeliest_first_then_by_date(ans) -> None:
    """README: "when several articles answer, the answer cites them, the likeliest first and the others in date order"."""
    if ans.citations:
        assert ans.citations[0].score == max(c.score for c in ans.citations)
    assert [date_key(c.date) for c in ans.citations[1:]] == sorted(date_key(c.date) for c in ans.citations[1:])
    for before, after in zip(ans.citations[1:], ans.citations[2:]):  # within an article, the likelier first
        assert before.doc_id != after.doc_id or before.score >= after.score
    later = [s for s in ans.sentences if s["n"] != 1]
    assert [s["n"] for s in ans.sentences] == sorted(s["n"] for s in ans.sentences)  # numbered in order of use
    assert [date_key(s["date"]) for s in later] == sorted(date_key(s["date"]) for s in later)


@pytest.fixture(scope="module")
def answers(news):
    return {q: news.ask(q) for q in [r["question"] for r in corpora.QUESTIONS] + [VARGA]}


@pytest.mark.parametrize("row", ANSWERABLE, ids=lambda r: short(r["question"]))
def test_answer_is_verbatim_and_cites_the_answering_article(answers, news, row):
    ans = answers[row["question"]]
    assert not ans.abstained and ans.citations and ans.sentences
    check_verbatim(ans, news.article)
    assert any(c.doc_id in row["docs"] and any(p in c.text for p in row["phrases"]) for c in ans.citations)


@pytest.mark.parametrize("question", UNANSWERABLE, ids=short)
def test_off_topic_question_abstains_and_names_the_unknown_words(answers, question):
    ans = answers[question]
    assert ans.abstained, f"answered with {[(c.doc_id, c.text[:60]) for c in ans.citations]}"
    assert ans.citations == [] and ans.sentences == []
    assert ans.answer == ABSTAIN_TEXT and "[" not in ans.answer
    assert len(ans.notes) == 1 and ans.notes[0].startswith("no passage in the corpus answers this (unknown words:")


def test_no_left_out_text_ever_cited(answers, news):
    left_out = [p for s in corpora.STORIES for p in s.left_out]
    for q, ans in answers.items():
        for c in ans.citations:
            art = news.article(c.doc_id)
            assert not any(p in c.text for p in left_out), (q, c.text[:80])
            assert not any(s < c.end and c.start < e for s, e, kind in art["stripped"]), (q, c.start, c.end)
            assert any(s <= c.start and c.end <= e for s, e in art["body"]), (q, c.start, c.end)


def test_answer_from_several_articles_cites_the_likeliest_first_then_by_date(answers, news):
    ans = answers[VARGA]
    check_verbatim(ans, news.article)
    assert len({c.doc_id for c in ans.citations}) >= 3 and len({c.date for c in ans.citations if c.date}) >= 3
    check_likeliest_first_then_by_date(ans)


@pytest.mark.parametrize("k", [1, 2])
def test_k_limits_citations_without_dangling_markers(news, k):
    ans = news.ask(VARGA, k=k)
    assert not ans.abstained
    assert 1 <= len(ans.citations) <= k
    check_verbatim(ans, news.article)


@pytest.mark.parametrize("question", ["", "   ", None])
def test_empty_question_abstains(news, question):
    ans = news.ask(question)
    assert ans.abstained and ans.citations == [] and ans.answer == "Please ask a question."


@pytest.mark.parametrize(
    "question",
    ["???", "'; DROP TABLE chunks; --", "AND OR NOT NEAR", 'Orlen* OR "Varga', "NEAR(Orlen Varga)", "Орлен Варга",
     "What about Keldland's dam?", "\x00 Orlen", "x" * 5000],
    ids=["punct", "sql", "fts-ops", "fts-syntax", "fts-near", "cyrillic", "apostrophe", "nul", "long"],
)
def test_odd_questions_never_crash(news, question):
    ans = news.ask(question)
    check_verbatim(ans, news.article)
    assert ans.abstained == (ans.citations == [])


def test_ask_many_answers_in_order(news):
    qs = [ANSWERABLE[0]["question"], UNANSWERABLE[0]]
    out = news.ask_many(qs)
    assert [a.question for a in out] == qs
    assert [a.abstained for a in out] == [False, True]


@pytest.mark.parametrize(
    ("question", "filters", "label"),
    [("What did Varga say about the Orlen dam in 1999?", {}, "1999"),  # before the archive (after it: test_period_scope)
     ("What did Varga say about the Orlen dam?", {"until": "1999-12-31"}, "the beginning to 1999-12-31")],
    ids=["asked", "given"],
)
def test_a_period_nobody_reported_on_is_kept_and_other_dates_only_suggested(news, question, filters, label):
    """Nothing outside the period is cited; the articles from other dates that answer are offered as suggestions."""
    ans = news.ask(question, **filters)
    assert ans.abstained and ans.citations == [] and ans.sentences == []
    assert ans.period.label == label
    assert ans.outside_period and all(c.date and c.date >= "2016" for c in ans.outside_period)
    assert ans.notes[0] == f"No article from {label} answers this. Articles from other dates do: see the suggestions."
    d = ans.to_dict()
    assert d["period"]["label"] == label and [c["doc_id"] for c in d["outside_period"]] == [c.doc_id for c in ans.outside_period]


def test_answer_to_dict_is_json(answers):
    d = answers[VARGA].to_dict()
    assert set(d) == ANSWER_KEYS
    assert all(set(c) == CITATION_KEYS for c in d["citations"])
    assert all(set(s) == {"text", "n", "doc_id", "start", "end", "date"} for s in d["sentences"])
    assert json.loads(json.dumps(d)) == d


def test_only_known_answerers(news, tmp_path):
    assert callable(answerer_for(news.settings, news.index.store, news.encoder).compose)
    s = corpora.fake_settings(tmp_path / "c", tmp_path / "i", answerer="abstractive")
    with pytest.raises(ValueError, match="unknown answerer 'abstractive'"):
        answerer_for(s, news.index.store, news.encoder)


def test_an_unknown_answerer_in_the_settings_fails_on_the_first_question(news_copy):
    corpus, index = news_copy
    a = Assistant(settings=corpora.fake_settings(corpus, index, answerer="abstractive"))
    with pytest.raises(ValueError, match="unknown answerer"):
        a.ask(VARGA)


def test_the_words_that_only_ask_are_never_listed_as_unknown(news):
    """"stand" and "acronym" ask; "Quorvath" names what the articles never mention."""
    ans = news.ask("What does the acronym QVX stand for in Quorvath?")
    assert ans.abstained
    listed = ans.notes[0] if ans.notes else ""
    assert "quorvath" in listed.lower() and "stand" not in listed and "acronym" not in listed


def test_a_question_typed_in_lower_case_asks_for_the_speakers_words(news):
    """"what did varga say about the orlen dam": typed without capitals, still Varga's words, as when capitalised."""
    lower, typed = news.query("what did varga say about the orlen dam"), news.query("What did Varga say about the Orlen dam?")
    assert lower.speaker == typed.speaker == "Varga" and "varga" in lower.names
    assert news.query("what may happen to the orlen dam").speaker is None
    a, b = news.ask(lower.text), news.ask(typed.text)
    assert not a.abstained and [c.doc_id for c in a.citations] == [c.doc_id for c in b.citations]
