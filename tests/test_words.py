"""qa.text.words: the tokenizer, the one stop-word list, and the topic terms of a text."""

from __future__ import annotations

import pytest

from qa.text.words import ASKING_WORDS, CHANGE_WORDS, FUNCTION_WORDS, HONORIFICS, STOPWORDS, acronyms, content_terms, normalise, words


def test_stopwords_are_function_asking_and_change_words_and_titles():
    assert STOPWORDS == FUNCTION_WORDS | ASKING_WORDS | CHANGE_WORDS | HONORIFICS
    assert {"the", "what", "did"} <= FUNCTION_WORDS
    assert {"say", "said", "position"} <= ASKING_WORDS
    assert {"change", "evolve", "timeline"} <= CHANGE_WORDS


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("What did Varga say about the Orlen dam?", ["varga", "orlen", "dam"]),
        ("How did Varga's position on the Orlen dam change over time?", ["varga", "orlen", "dam"]),
        ("Keldland’s dam, Keldland's turbines", ["keldland", "dam", "turbines"]),
        ("Who controls the de-escalation zones in 2017?", ["controls", "de-escalation", "zones", "2017"]),
        ("a I x y z", []),
        ("", []),
    ],
)
def test_content_terms(text, terms):
    assert content_terms(text) == terms


def test_content_terms_keep_first_occurrence_order_and_take_a_stop_list():
    assert content_terms("dam river dam Dam RIVER salmon") == ["dam", "river", "salmon"]
    assert content_terms("the dam and the river", stop=frozenset({"dam"})) == ["the", "and", "river"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("Varga's", "varga"), ("Keldland’s", "keldland"), ("'quoted'", "quoted"), ("-dash-", "dash"), ("DAM", "dam"), ("al-Nusra", "al-nusra")],
)
def test_normalise(word, expected):
    assert normalise(word) == expected


def test_a_dotted_acronym_is_one_word_and_one_term():
    assert words("The F.B.I. and the U.N.'s envoy") == ["The", "F.B.I.", "and", "the", "U.N.'s", "envoy"]
    assert content_terms("What did the F.B.I. find at the U.N.'s office?") == ["fbi", "find", "un", "office"]
    assert acronyms("Did the F.B.I. or the CIA act?") == {"fbi": "f.b.i.", "cia": "c.i.a."}


def test_a_title_before_a_name_is_house_style_not_a_topic():
    """NYT-style "Mr. Trump", "Ms. Clinton", "Sen. McConnell": the name is the topic, the title is not."""
    assert content_terms("What did Mr. Trump and Ms. Clinton tell Sen. McConnell?") == ["trump", "clinton", "mcconnell"]
    assert content_terms("What did the US say?") == ["us"] and content_terms("the US's envoy") == ["us", "envoy"]


def test_words_keep_inner_apostrophes_and_hyphens():
    text = "Keldland’s two-thirds share, the U.N.'s envoy (al-Nusra) — 400,000 homes."
    assert words(text) == ["Keldland’s", "two-thirds", "share", "the", "U.N.'s", "envoy", "al-Nusra", "400", "000", "homes"]
