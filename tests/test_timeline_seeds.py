"""Timelines on the seeds with the real model (slow): Aleppo in date order, verbatim, with what changed; "how did … change"."""

from __future__ import annotations

import json
import re

import pytest

from qa.answer.timeline import build_timeline

pytestmark = pytest.mark.slow

ENTRY_KEYS = {"date", "doc_id", "title", "source", "text", "start", "end", "score", "undated", "change"}
DATE_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}|undated): ")


def date_key(date: str | None) -> tuple:
    return (date is None, date or "")


@pytest.fixture(scope="module")
def aleppo(run_qa, assistant, seed_corpus, seed_index) -> list[dict]:
    """`qa timeline --json Aleppo` over the seeds, one entry per line."""
    proc = run_qa("timeline", "--json", "--corpus", seed_corpus, "--index", seed_index, "Aleppo")
    assert proc.returncode == 0, proc.stderr[-2000:]
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_timeline_entries_have_the_documented_keys(aleppo):
    assert aleppo
    assert all(set(e) == ENTRY_KEYS for e in aleppo)


def test_timeline_is_date_ordered_undated_last(aleppo):
    keys = [date_key(e["date"]) for e in aleppo]
    assert keys == sorted(keys)


def test_undated_entries_are_flagged(aleppo):
    assert all(e["undated"] == (e["date"] is None) for e in aleppo)
    assert any(e["undated"] for e in aleppo)  # 000_* has no date but speaks of Aleppo


def test_timeline_covers_the_aleppo_articles(aleppo):
    dates = {e["date"] for e in aleppo}
    assert {"2016-10-21", "2016-11-02", "2017-01-25"} <= dates


def test_timeline_entries_are_verbatim(aleppo, seed_corpus):
    for e in aleppo:
        text = (seed_corpus / f"{e['doc_id']}.txt").read_bytes().decode("utf-8-sig")
        assert text[e["start"] : e["end"]] == e["text"]


def test_timeline_entries_match_the_index(aleppo, assistant):
    for e in aleppo:
        art = assistant.article(e["doc_id"])
        assert (art["date"], art["title"], art["source"]) == (e["date"], e["title"], e["source"])


def test_change_info_from_the_second_article_on(aleppo):
    docs = list(dict.fromkeys(e["doc_id"] for e in aleppo))
    assert len(docs) >= 3
    first_entries = {d: next(e for e in aleppo if e["doc_id"] == d) for d in docs}
    assert first_entries[docs[0]]["change"] is None
    for prev, doc in zip(docs, docs[1:]):
        change = first_entries[doc]["change"]
        assert change is not None, doc
        assert change["previous"] == prev
        assert -1.0 <= change["similarity"] <= 1.0
        assert isinstance(change["new"], list) and isinstance(change["dropped"], list)


def test_change_names_come_from_the_statements(aleppo):
    """'new' names occur in this article's statements, 'dropped' ones in the previous article's."""
    docs = list(dict.fromkeys(e["doc_id"] for e in aleppo))
    said = {d: " ".join(e["text"] for e in aleppo if e["doc_id"] == d) for d in docs}
    for e in aleppo:
        if e["change"]:
            assert all(n in said[e["doc_id"]] for n in e["change"]["new"])
            assert all(n in said[e["change"]["previous"]] for n in e["change"]["dropped"])


def test_articles_appear_as_contiguous_groups(aleppo):
    docs = [e["doc_id"] for e in aleppo]
    groups = [d for i, d in enumerate(docs) if i == 0 or docs[i - 1] != d]
    assert len(groups) == len(set(groups))


def test_build_timeline_in_process_matches_cli(aleppo, assistant):
    entries = [e.to_dict() for e in build_timeline(assistant, "Aleppo")]
    assert [(e["doc_id"], e["start"], e["end"]) for e in entries] == [(e["doc_id"], e["start"], e["end"]) for e in aleppo]


def test_timeline_with_date_filter(assistant):
    entries = build_timeline(assistant, "Aleppo", since="2016-11-01")
    assert entries
    assert all(e.date is not None and e.date >= "2016-11-01" for e in entries)


def test_timeline_on_a_topic_nobody_covers(assistant):
    assert build_timeline(assistant, "FIFA World Cup final") == []


def test_empty_topic(assistant):
    assert build_timeline(assistant, "  ") == []


# ---- "how did ... change" through ask


@pytest.mark.parametrize(
    "question",
    [
        "How did Russia's position on Aleppo change?",
        "How did Lavrov's statements about Aleppo change over time?",
        "How has Lavrov's view of Aleppo evolved?",
    ],
)
def test_how_did_it_change_gives_a_dated_chronological_answer(assistant, question):
    ans = assistant.ask(question)
    assert not ans.abstained
    lines = ans.answer.splitlines()
    assert len(lines) == len(ans.sentences) >= 2
    prefixes = [DATE_PREFIX.match(line) for line in lines]
    assert all(prefixes), lines
    stated = [None if m.group(1) == "undated" else m.group(1) for m in prefixes]
    assert stated == [s["date"] for s in ans.sentences]
    assert [date_key(d) for d in stated] == sorted(date_key(d) for d in stated)
    assert len({d for d in stated if d}) >= 2
    for s, line in zip(ans.sentences, lines):
        assert line.endswith(f"{s['text']} [{s['n']}]")
        assert assistant.article(s["doc_id"])["text"][s["start"] : s["end"]] == s["text"]
