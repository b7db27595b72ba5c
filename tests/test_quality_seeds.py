"""Regression check on the five seed articles (never used for fitting): the labelled questions keep their answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
EVAL = [json.loads(x) for x in (Path(__file__).parent / "data" / "eval.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.mark.parametrize("row", [r for r in EVAL if r["answerable"]], ids=lambda r: r["question"][:50])
def test_answerable_questions_cite_a_right_article_in_the_first_three(assistant, row):
    ans = assistant.ask(row["question"])
    assert not ans.abstained, ans.notes
    assert {c.doc_id for c in ans.citations[:3]} & set(row["docs"])


@pytest.mark.parametrize("row", [r for r in EVAL if not r["answerable"]], ids=lambda r: r["question"][:50])
def test_out_of_corpus_questions_abstain(assistant, row):
    assert assistant.ask(row["question"]).abstained


def test_the_united_states_is_found_where_the_articles_write_us(assistant):
    ans = assistant.ask("What did Lavrov say about the United States?")
    assert not ans.abstained
    us = re.compile(r"\b(?:US|U\.S\.|United States|Washington|American?s?)\b")
    assert all(us.search(assistant.article(c.doc_id)["text"]) for c in ans.citations)
    assert any(us.search(s["text"]) for s in ans.sentences)
