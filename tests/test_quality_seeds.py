"""Regression check on the five seed articles (never used for fitting): the labelled questions keep their answers.

Floors, not exact figures: the scorer is fitted on third-party data, and the seeds only check that it did not
lose what the hand-tuned composer had (47 answerable questions, 20 out-of-corpus and near-miss ones).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
EVAL = [json.loads(x) for x in (Path(__file__).parent / "data" / "eval.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
ANSWERABLE = [r for r in EVAL if r["answerable"]]
OUT_OF_CORPUS = [r for r in EVAL if not r["answerable"]]


def test_answerable_questions_cite_a_right_article_in_the_first_three(assistant):
    right = [bool({c.doc_id for c in assistant.ask(r["question"]).citations[:3]} & set(r["docs"])) for r in ANSWERABLE]
    # 45 of 47 with the scorer and reader fitted on third-party data (44 with the fit before the reader; 46 with an older
    # one that cited fewer passages: with more cited, a right but undated article can sort after the dated ones)
    assert sum(right) >= 44, [r["question"] for r, ok in zip(ANSWERABLE, right) if not ok]


def test_out_of_corpus_questions_abstain(assistant):
    abstained = [assistant.ask(r["question"]).abstained for r in OUT_OF_CORPUS]
    assert sum(abstained) >= 14, [r["question"] for r, a in zip(OUT_OF_CORPUS, abstained) if not a]  # 14 of 20 with the reader, 15 before


@pytest.mark.parametrize("question", ["What is the weather in Paris tomorrow?", "Who won the 2018 FIFA World Cup?",
                                      "What did Lavrov say about Ukraine?", "What did Putin say about Venezuela?"])
def test_questions_about_what_the_articles_never_mention_abstain(assistant, question):
    ans = assistant.ask(question)
    assert ans.abstained and ans.citations == []


def test_the_united_states_is_found_where_the_articles_write_us(assistant):
    ans = assistant.ask("What did Lavrov say about the United States?")
    assert not ans.abstained
    us = re.compile(r"\b(?:US|U\.S\.|United States|Washington|American?s?)\b")
    assert all(us.search(assistant.article(c.doc_id)["text"]) for c in ans.citations)
    assert any(us.search(s["text"]) for s in ans.sentences)
