"""An outlet named as whose reporting a question asks for (qa.query.outlets): "What did TASS say about …" reads TASS's
articles, not TASS as a speaker or a topic word."""

from __future__ import annotations

import pytest

from qa.query.outlets import asked_outlet

OUTLETS = ["ABC News", "AP", "BBC", "DW", "Reuters", "TASS", "The Guardian"]


@pytest.mark.parametrize(
    ("question", "outlet", "words"),
    [
        ("What did TASS say about the Orlen dam?", "TASS", "TASS"),
        ("what did tass report about the dam", "TASS", "tass"),
        ("What did the BBC report about the salmon?", "BBC", "BBC"),
        ("According to Reuters, when will the dam be finished?", "Reuters", "Reuters"),
        ("According to the Associated Press, who mediates?", "AP", "Associated Press"),
        ("What does Deutsche Welle write about Keldland?", "DW", "Deutsche Welle"),
        ("How was the BBC's coverage of the talks?", "BBC", "BBC"),
        ("What did ABC News report on the dam?", "ABC News", "ABC News"),
        ("What did Varga say about the dam?", None, None),
        ("What did the minister tell the BBC?", None, None),  # told to the BBC: the minister's words
        ("What did Reuters' Anna Kovac write?", None, None),
        ("What did CNN say about the dam?", None, None),  # no CNN article in this corpus
    ],
)
def test_the_outlet_a_question_asks_for(question, outlet, words):
    found = asked_outlet(question, OUTLETS)
    assert (found and found[0], found and found[1]) == (outlet, words) if outlet else found is None


def test_an_outlets_reporting_is_its_articles(news):
    query = news.query("What did TASS say about the Orlen dam?")
    assert query.outlet == "TASS" and query.speaker is None and "tass" not in query.terms
    answer = news.ask("What did TASS say about the Orlen dam?")
    assert not answer.abstained and {c.source for c in answer.citations} == {"TASS"}
    assert any("Only TASS's articles" in n for n in answer.notes)


def test_a_source_the_caller_chose_wins(news):
    query = news.query("What did TASS say about the Orlen dam?", source="Reuters")
    assert query.outlet is None and query.filters.sources == ("Reuters",)


@pytest.mark.parametrize("outlets", [[], [""], [" "], ["The"], ["(AP)"], ["A+B News"]])
def test_odd_source_names_never_break_a_question(outlets):
    assert asked_outlet("What did the AP say about the dam?", outlets) is None
