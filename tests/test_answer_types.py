"""What kind of answer a question asks for, and whether a passage offers one (features of the fitted scorer)."""

from __future__ import annotations

import pytest

from qa.answer.features import phrase
from qa.text.answer_types import asked_type, offers


@pytest.mark.parametrize("question, kind", [
    ("How many boats may each country license?", "number"),
    ("How much did the dam cost?", "number"),
    ("What percentage of voters backed the treaty?", "number"),
    ("When was the treaty signed?", "date"),
    ("In what year did the dispute start?", "date"),
    ("Who signed the Orlen treaty?", "person"),
    ("Whose boats were seized?", "person"),
    ("Where did the ministers meet?", "place"),
    ("In which city is the commission based?", "place"),
    ("What did the foreign minister say about the river?", ""),
    ("Why was the vote delayed?", ""),
])
def test_asked_type(question, kind):
    assert asked_type(question) == kind


def test_offers_each_kind():
    assert offers("number", "Each country may license no more than 400 boats.", "How many boats?")
    assert offers("number", "Seven ministers attended.", "How many ministers?")
    assert not offers("number", "The ministers attended the ceremony.", "How many ministers?")
    assert offers("date", "The treaty was signed in May 2017.", "When was it signed?")
    assert not offers("date", "The treaty was signed at the border.", "When was it signed?")
    # a name the question already says is not an answer to "who"
    assert not offers("person", "The treaty was signed by officials of Zarnovia.", "Who signed for Zarnovia?")
    assert offers("person", "The treaty was signed by Anna Velk for Zarnovia.", "Who signed for Zarnovia?")
    # the capital that starts a sentence is no name
    assert not offers("place", "Officials met there. Talks went on.", "Where did officials meet?")


def test_phrase_counts_neighbouring_terms():
    assert phrase(["orlen", "river", "treaty"], "The Orlen river treaty was signed.") == 1.0
    assert phrase(["orlen", "treaty"], "Orlen fishing licences were cut; months later, after a long dispute, a treaty.") == 0.0
    assert phrase(["orlen", "treaty"], "the Orlen fishing treaty") == 1.0  # within three words
    assert phrase(["treaty"], "any text") == 0.5  # one term: no pair to judge
