"""Timelines (qa.answer.timeline, `qa timeline`): statements on a topic in date order (undated last), verbatim,
with what changed between articles; "how did … change" answers. On the test corpora with the fake encoder."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import corpora
from qa.answer.timeline import TimelineEntry, build_timeline, focus_terms
from qa.query.analyze import analyze

ENTRY_KEYS = {"date", "doc_id", "title", "source", "text", "start", "end", "score", "undated", "change"}
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}|undated): ")
TOPIC = "Varga on the Orlen dam"
VARGA_DATES = {"2016-10-21", "2016-11-15", "2017-01-24", "2017-05-12"}  # the articles that quote Varga on the dam


def date_key(date: str | None) -> tuple:
    return (date is None, date or "")


@pytest.fixture(scope="module")
def varga(news, news_corpus, news_index, qa_cli) -> list[dict]:
    """`qa timeline --json "Varga on the Orlen dam"` over the news corpus, one entry per line."""
    result = qa_cli("timeline", "--json", "--corpus", news_corpus, "--index", news_index, TOPIC)
    assert result.exit_code == 0, result.output[-2000:]
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.fixture(scope="module")
def salmon(news) -> list[TimelineEntry]:
    """A topic of a dated article (the BBC's) and an undated one (ZNA's)."""
    return build_timeline(news, "salmon count")


def test_timeline_entries_have_the_documented_keys(varga):
    assert varga
    assert all(set(e) == ENTRY_KEYS for e in varga)


def test_timeline_is_date_ordered_undated_last(varga, salmon):
    for entries in (varga, [e.to_dict() for e in salmon]):
        keys = [date_key(e["date"]) for e in entries]
        assert keys == sorted(keys)


def test_undated_entries_are_flagged(varga, salmon):
    assert all(e["undated"] == (e["date"] is None) for e in varga)
    assert all(e.undated == (e.date is None) for e in salmon)
    assert any(e.undated and e.doc_id == "zna_salmon_count" for e in salmon)  # the undated article speaks to it: listed last
    assert any(not e.undated for e in salmon)


def test_timeline_covers_the_articles_that_quote_varga(varga):
    assert {e["date"] for e in varga} == VARGA_DATES


def test_a_named_speaker_is_who_speaks_not_what_about(varga):
    """In "Varga on the Orlen dam" each statement must name the dam or the river; naming Varga is not enough."""
    assert all(re.search(r"\b(?:Orlen|dam)\b", e["text"]) for e in varga)


def test_timeline_entries_are_verbatim(varga, news_corpus):
    for e in varga:
        assert corpora.BY_ID[e["doc_id"]].text[e["start"] : e["end"]] == e["text"]


def test_timeline_entries_match_the_index(varga, news):
    for e in varga:
        art = news.article(e["doc_id"])
        assert (art["date"], art["title"], art["source"]) == (e["date"], e["title"], e["source"])


def test_change_info_from_the_second_article_on(varga):
    docs = list(dict.fromkeys(e["doc_id"] for e in varga))
    assert len(docs) >= 3
    first_entries = {d: next(e for e in varga if e["doc_id"] == d) for d in docs}
    assert first_entries[docs[0]]["change"] is None
    for prev, doc in zip(docs, docs[1:]):
        change = first_entries[doc]["change"]
        assert change is not None, doc
        assert change["previous"] == prev
        assert -1.0 <= change["similarity"] <= 1.0
        assert isinstance(change["new"], list) and isinstance(change["dropped"], list)
    seen = set()
    for e in varga:  # only an article's first statement carries the change
        assert e["change"] is None or e["doc_id"] not in seen
        seen.add(e["doc_id"])


def test_change_names_come_from_the_statements(varga):
    """'new' names occur in this article's statements, 'dropped' ones in the previous article's."""
    docs = list(dict.fromkeys(e["doc_id"] for e in varga))
    said = {d: " ".join(e["text"] for e in varga if e["doc_id"] == d) for d in docs}
    assert any(e["change"] and (e["change"]["new"] or e["change"]["dropped"]) for e in varga)
    for e in varga:
        if e["change"]:
            assert all(n in said[e["doc_id"]] for n in e["change"]["new"])
            assert all(n in said[e["change"]["previous"]] for n in e["change"]["dropped"])


def test_articles_appear_as_contiguous_groups(varga, salmon):
    for docs in ([e["doc_id"] for e in varga], [e.doc_id for e in salmon]):
        groups = [d for i, d in enumerate(docs) if i == 0 or docs[i - 1] != d]
        assert len(groups) == len(set(groups))


def test_build_timeline_in_process_matches_cli(varga, news):
    entries = [e.to_dict() for e in build_timeline(news, TOPIC)]
    assert [(e["doc_id"], e["start"], e["end"]) for e in entries] == [(e["doc_id"], e["start"], e["end"]) for e in varga]


def test_timeline_with_date_and_source_filters(news):
    entries = build_timeline(news, TOPIC, since="2016-11-01")
    assert entries and all(e.date is not None and e.date >= "2016-11-01" for e in entries)
    entries = build_timeline(news, TOPIC, source="Reuters")
    assert entries and {e.source for e in entries} == {"Reuters"}


def test_timeline_on_a_topic_nobody_covers(news):
    assert build_timeline(news, "FIFA World Cup final") == []


@pytest.mark.parametrize("topic", ["", "  ", None])
def test_empty_topic(news, topic):
    assert build_timeline(news, topic) == []


def test_change_summary_reads_the_change():
    e = TimelineEntry("2017-01-24", "b", "T", "AP", "x", 0, 1, 0.5, change={"previous": "a", "similarity": 0.512, "new": ["Geneva"], "dropped": ["Court", "Hague"]})
    assert e.change_summary() == "similarity to previous 0.51; new: Geneva; no longer: Court, Hague"
    assert e.to_dict()["score"] == 0.5 and set(e.to_dict()) == ENTRY_KEYS


@pytest.mark.parametrize(
    ("topic", "focus", "speaker"),
    [("Lavrov on Trump", ["trump"], True), ("Varga about the Orlen dam", ["orlen", "dam"], True), ("Orlen dam", ["orlen", "dam"], False),
     ("Varga on", ["varga"], False), ("statements on", [], False),
     ("How did Varga's position on the Orlen dam change in November 2016?", ["orlen", "dam"], True),
     ("How has the Orlen dam changed over time?", ["orlen", "dam"], False)],
)
def test_focus_terms(topic, focus, speaker):
    """From the Query: a date phrase or the asking words are never words a statement must name."""
    assert focus_terms(analyze(topic)) == (focus, speaker)


# ---- "how did ... change" through ask


@pytest.mark.parametrize(
    "question",
    [
        "How did Varga's position on the Orlen dam change?",
        "How did Varga's statements about the Orlen dam change over time?",
        "How has Varga's view of the Orlen dam evolved?",
    ],
)
def test_how_did_it_change_gives_a_dated_chronological_answer(news, question):
    ans = news.ask(question)
    assert not ans.abstained
    lines = ans.answer.splitlines()
    assert len(lines) == len(ans.sentences) >= 2
    prefixes = [DATE_PREFIX.match(line) for line in lines]
    assert all(prefixes), lines
    stated = [None if m.group(1) == "undated" else m.group(1) for m in prefixes]
    assert stated == [s["date"] for s in ans.sentences]
    assert [date_key(d) for d in stated] == sorted(date_key(d) for d in stated)
    assert len({d for d in stated if d}) >= 2
    assert len({s["doc_id"] for s in ans.sentences}) == len(ans.sentences)  # one statement per article
    for s, line in zip(ans.sentences, lines):
        assert line.endswith(f"{s['text']} [{s['n']}]")
        assert news.article(s["doc_id"])["text"][s["start"] : s["end"]] == s["text"]
    assert len(ans.notes) == len(ans.sentences) - 1 and all(" vs " in n and "similarity to previous" in n for n in ans.notes)


def test_a_change_question_nobody_answers_abstains(news):
    ans = news.ask("How did FIFA's position on the World Cup change?")
    assert ans.abstained and ans.citations == []


def test_one_strong_article_does_not_hide_the_others(news, monkeypatch):
    """A timeline lists every statement at least `cite_floor` likely, not only those near the likeliest (an answer's
    rule): with one passage at 0.9, a statement at 0.01 of another article is still listed."""
    scorer = news.answerer.scorer

    def one_strong(rows):
        return np.where(np.arange(len(rows)) == 0, 0.9, scorer.cite_floor * 2)

    baseline = {e.doc_id for e in build_timeline(news, TOPIC)}
    monkeypatch.setattr(scorer, "probability", one_strong)
    assert 0.9 * scorer.cite_ratio > scorer.cite_floor * 2  # the answers' rule would drop every other passage
    kept = {e.doc_id for e in build_timeline(news, TOPIC)}
    assert len(kept) >= 3 and kept >= baseline
