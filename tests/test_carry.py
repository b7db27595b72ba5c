"""Answers carried out of the app (qa/carry.py): Markdown for "Copy answer", the conversation export and
`qa ask --markdown`; quotation marks balanced in what is shown; the permalink; the corpus line (ui/orient.py)."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from qa.carry import answer_markdown, conversation_markdown, dated_entries, locator, permalink_query, quoted_text
from qa.text.quotes import balance, balanced

TEXT = "Head\n\n“We will not give up,” Varga said. “The dam must stop. Now.” Fishermen agreed."
Q1 = (TEXT.index("“We"), TEXT.index(" Fishermen"))
MID = TEXT.index("The dam")  # a passage that starts inside a quotation


def cit(n=1, start=6, end=len(TEXT), quotes=(Q1,), **kw) -> dict:
    return {"n": n, "doc_id": f"d{n}", "title": f"Title {n}", "date": "2017-01-02", "source": "TASS",
            "text": TEXT[start:end], "start": start, "end": end, "score": 0.9, "quotes": [list(q) for q in quotes], **kw}


@pytest.mark.parametrize("text, shown", [
    ("“We will not give up,” Varga said.", "“We will not give up,” Varga said."),
    ("The dam must stop.” Fishermen agreed.", "“…The dam must stop.” Fishermen agreed."),
    ("“We will not give up. We will", "“We will not give up. We will…”"),
    ('"We will not give up. We will', '"We will not give up. We will…"'),
    ('must stop," Varga said.', '"…must stop," Varga said.'),
    ("No quotation here.", "No quotation here."),
])
def test_balance_marks_a_cut_quotation(text, shown):
    assert balance(text) == shown
    assert balanced(shown) and shown.count('"') % 2 == 0


def test_quoted_text_is_the_quoted_sentences_balanced():
    assert quoted_text(cit()) == "“We will not give up,” Varga said. “The dam must stop. Now.”"
    cut = cit(start=MID, end=len(TEXT), quotes=())
    assert quoted_text(cut) == "“…The dam must stop. Now.” Fishermen agreed."


def test_answer_markdown_has_markers_and_a_numbered_source_list():
    ans = {"question": "What did Varga say?", "asked": "What did Varga say?", "answer": "The dam must stop.” Fishermen agreed. [1] X said. [2]",
           "abstained": False, "period": None, "notes": [], "outside_period": [],
           "sentences": [{"text": "The dam must stop.” Fishermen agreed.", "n": 1}, {"text": "X said.", "n": 2}],
           "citations": [cit(1, start=MID, quotes=((MID, len(TEXT)),)), cit(2, url="u")]}
    md = answer_markdown(ans, {"d1": "https://example.org/a", "d2": None}.get)
    lines = md.splitlines()
    assert lines[0] == "**Q: What did Varga say?**"
    assert "“…The dam must stop.” Fishermen agreed. [1] X said. [2]" in lines  # balanced in the answer too
    assert "[1] **Title 1**, TASS, 2017-01-02 — https://example.org/a" in lines
    assert "> “…The dam must stop. Now.” Fishermen agreed." in lines
    assert "[2] **Title 2**, TASS, 2017-01-02" in lines  # no location known: none invented
    assert lines.index("Sources:") < lines.index("[1] **Title 1**, TASS, 2017-01-02 — https://example.org/a")
    assert "doc_id" not in md and "0.9" not in md and str(MID) not in md  # no internals


def test_a_wrong_period_answer_says_so_and_labels_the_suggestions():
    notice = "No article from March 2010 answers this. Articles from other dates do: see the suggestions."
    ans = {"question": "q?", "answer": "The articles do not answer this question.", "abstained": True, "citations": [],
           "period": {"since": "2010-03-01", "until": "2010-03-31", "text": "in March 2010", "label": "March 2010"},
           "notes": [notice], "outside_period": [cit(1)], "sentences": []}
    md = answer_markdown(ans)
    assert f"> **{notice}**" in md and "_Period: March 2010_" in md
    assert "Suggestions from other dates (outside the period, not an answer):" in md
    assert "- **Title 1**, TASS, 2017-01-02" in md and "Sources:" not in md


def test_a_change_over_time_answer_is_a_dated_list_with_what_changed():
    ans = {"question": "How did it change?", "abstained": False, "citations": [cit(1), cit(2)], "period": None,
           "answer": "2016-10-21: First. [1]\n2016-11-15: Second. [2]\nundated: Third. [2]",
           "notes": ["2016-11-15 vs 2016-10-21: similarity to previous 0.51; new: ICJ", "undated vs 2016-11-15: similarity to previous 0.20", "other"]}
    entries, rest = dated_entries(ans)
    assert [(e["date"], e["text"], e["n"], e["previous"]) for e in entries] == [
        ("2016-10-21", "First.", 1, None), ("2016-11-15", "Second.", 2, "2016-10-21"), ("undated", "Third.", 2, "2016-11-15")]
    assert entries[1]["change"] == "similarity to previous 0.51; new: ICJ" and rest == ["other"]
    md = answer_markdown(ans)
    assert "- **2016-11-15**: Second. [2]\n  - what changed since 2016-10-21: similarity to previous 0.51; new: ICJ" in md
    assert dated_entries({**ans, "answer": "2016-10-21: only one line [1]"}) is None


def test_conversation_markdown_and_locator():
    a1 = {"question": "One?", "answer": "A. [1]", "abstained": False, "citations": [cit(1)], "notes": [], "sentences": []}
    a2 = {"question": "Two?", "answer": "The articles do not answer this question.", "abstained": True, "citations": [], "notes": []}
    looked = []
    locate = locator(lambda d: looked.append(d) or {"path": f"/corpus/{d}.txt", "url": ""})
    md = conversation_markdown([a1, a2], locate)
    assert md.startswith("# News QA conversation") and md.index("## 1. One?") < md.index("## 2. Two?")
    assert "— /corpus/d1.txt" in md and "The articles do not answer this question." in md
    assert "**Q:" not in md  # the heading already names the question
    locate("d1")
    assert looked == ["d1"]  # each article looked up once


def test_permalink_query_round_trips():
    q = permalink_query("What did Varga say about the Orlen dam & the treaty?", "2016-11-01", "", "TASS")
    assert parse_qs(q[1:]) == {"q": ["What did Varga say about the Orlen dam & the treaty?"], "since": ["2016-11-01"], "source": ["TASS"]}
    assert permalink_query("", None, None, None) == ""


def test_corpus_line():
    from ui.orient import corpus_line

    docs = [{"source": "TASS", "date": "2016-04-03"}, {"source": "AP", "date": "2017-03-30"}, {"source": "TASS", "date": None}]
    assert corpus_line(docs) == "3 articles from 2 outlets, Apr 2016 – Mar 2017 (1 undated)"
    assert corpus_line(docs[:1]) == "1 article from 1 outlet, Apr 2016"
    assert corpus_line([{"source": "TASS", "date": "2016-04-03"}] * 3781) == "3,781 articles from 1 outlet, Apr 2016"
    assert corpus_line([]).startswith("No articles yet")


def test_cli_ask_markdown(qa_cli, news_copy):
    corpus, index = news_copy
    out = qa_cli("ask", "--markdown", "--corpus", corpus, "--index", index, "What did Varga say about the Orlen dam?").output
    assert out.startswith("**Q: What did Varga say about the Orlen dam?**")
    assert "\nSources:\n" in out and "\n[1] **" in out and "[1]" in out.split("Sources:")[0]
    assert "tass_orlen_dam.txt" in out  # where the article is
