"""What answers are built from (qa.answer.compose): date order, numbering citations, the abstention."""

from __future__ import annotations

import numpy as np
from qa.answer.compose import ABSTAIN_TEXT, Scored, abstention, answer_order, build_answer, by_date
from qa.models import Chunk, Hit


def scored(doc_id: str, date: str | None, start: int, text: str, score: float, vec, chunk_id: int = 1) -> Scored:
    chunk = Chunk(doc_id, start, start + len(text), text, [(start, start + len(text))], 0, chunk_id, f"T {doc_id}", date, "S")
    return Scored(Hit(chunk_id, score, 0.5, 0.0), chunk, (start, start + len(text)), text, score, np.asarray(vec, dtype=np.float32), score)


def test_by_date_oldest_first_undated_last_reading_order_within():
    xs = [scored("b", None, 0, "b", 0.9, [1, 0]), scored("a", "2017-01-01", 50, "a2", 0.8, [1, 0]),
          scored("a", "2017-01-01", 10, "a1", 0.7, [1, 0]), scored("c", "2016-05-01", 0, "c", 0.1, [1, 0])]
    assert [s.text for s in by_date(xs)] == ["c", "a1", "a2", "b"]


def test_answer_order_likeliest_first_then_articles_by_date_likelier_first_within():
    xs = [scored("b", "2017-03-01", 0, "b", 0.9, [1, 0]), scored("a", "2017-01-01", 10, "a1", 0.2, [1, 0]),
          scored("u", None, 0, "u", 0.6, [1, 0]), scored("a", "2017-01-01", 50, "a2", 0.5, [1, 0]),
          scored("b", "2017-03-01", 90, "b2", 0.3, [1, 0]), scored("c", "2016-05-01", 0, "c", 0.1, [1, 0])]
    assert [s.text for s in answer_order(xs)] == ["b", "c", "a2", "a1", "b2", "u"]
    assert answer_order([]) == []


def test_build_answer_numbers_passages_in_order_of_first_use():
    a = scored("a", "2016-10-21", 0, "One.", 0.9, [1, 0], 7)
    b = scored("b", None, 0, "Two.", 0.8, [1, 0], 3)
    a2 = scored("a", "2016-10-21", 0, "One.", 0.95, [1, 0], 7)
    ans = build_answer("Q?", [a, b, a2])
    assert ans.answer == "One. [1] Two. [2] One. [1]"
    assert [(c.n, c.doc_id, c.score, len(c.quotes)) for c in ans.citations] == [(1, "a", 0.95, 2), (2, "b", 0.8, 1)]
    dated = build_answer("Q?", [a, b], dated=True)
    assert dated.answer == "2016-10-21: One. [1]\nundated: Two. [2]"


def test_abstention():
    ans = abstention("Q?", ["why"])
    assert (ans.question, ans.answer, ans.abstained, ans.citations, ans.notes) == ("Q?", ABSTAIN_TEXT, True, [], ["why"])
