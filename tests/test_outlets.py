"""An outlet named as whose reporting a question asks for (qa.query.outlets): "What did TASS say about …" reads TASS's
articles, not TASS as a speaker or a topic word."""

from __future__ import annotations

import pytest

from qa.query.outlets import asked_outlet

OUTLETS = ["ABC News", "AP", "BBC", "DW", "Reuters", "TASS", "The Guardian"]


@pytest.mark.parametrize(
    ("question", "outlet", "words"),
    [
        ("What did TASS say about the Orlen dam?", "TASS", "TASS say"),
        ("what did tass report about the dam", "TASS", "tass report"),
        ("What did the BBC report about the salmon?", "BBC", "BBC report"),
        ("According to Reuters, when will the dam be finished?", "Reuters", "Reuters"),
        ("According to the Associated Press, who mediates?", "AP", "Associated Press"),
        ("What does Deutsche Welle write about Keldland?", "DW", "Deutsche Welle write"),
        ("How was the BBC's coverage of the talks?", "BBC", "BBC's coverage"),
        ("What did ABC News report on the dam?", "ABC News", "ABC News report"),
        ("What did Varga say about the dam?", None, None),
        ("What did the minister tell the BBC?", None, None),  # told to the BBC: the minister's words
        ("What did Reuters' Anna Kovac write?", None, None),
        ("What did CNN say about the dam?", None, None),  # no CNN article in this corpus
    ],
)
def test_the_outlet_a_question_asks_for(question, outlet, words):
    found = asked_outlet(question, OUTLETS)
    assert (found and found[0], found and found[1]) == ([outlet], words) if outlet else found is None


@pytest.mark.parametrize(
    ("question", "outlets", "words"),
    [
        ("What did the BBC and Reuters report about the dam?", ["BBC", "Reuters"], "BBC and Reuters report"),
        ("What did AP, Reuters or TASS say about the dam?", ["AP", "Reuters", "TASS"], "AP, Reuters or TASS say"),
        ("How was the BBC's and the Guardian's coverage of the talks?", ["BBC", "The Guardian"], "BBC's and the Guardian's coverage"),
        ("According to Reuters and the Associated Press, who mediates?", ["Reuters", "AP"], "Reuters and the Associated Press"),
    ],
)
def test_several_outlets_a_question_asks_for(question, outlets, words):
    assert asked_outlet(question, OUTLETS) == (outlets, words)


def test_several_outlets_reporting_is_their_articles(news):
    query = news.query("What did TASS and Reuters report about the Orlen dam?")
    assert query.filters.sources == ("TASS", "Reuters") and query.outlet == "TASS and Reuters"
    assert query.terms == ["orlen", "dam"]  # whose reporting, not what about
    answer = news.ask("What did TASS and Reuters report about the Orlen dam?")  # each one's reporting, in turn
    assert not answer.abstained and {c.source for c in answer.citations} == {"TASS", "Reuters"}
    assert answer.notes[0] == "Asked of each in turn: TASS, then Reuters."
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


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
