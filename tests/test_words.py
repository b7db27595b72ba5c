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


@pytest.mark.parametrize(
    ("text", "word"),
    [("AT&T said on Monday", "AT&T"), ("the S&P 500 rose", "S&P"), ("Texas A&M won", "A&M"), ("AT&T's chief", "AT&T's"),
     ("R&D spending and M&As", "M&As")],
)
def test_an_ampersand_acronym_is_one_word(text, word):
    assert word in words(text)


def test_an_ampersand_acronym_is_one_term_not_lost():
    """Its letters alone are one-letter words and stop words ("AT", "T", "S", "P"): the question would lose it."""
    assert content_terms("How did the S&P 500 close on Friday?") == ["s&p", "500", "close", "friday"]
    assert content_terms("What did AT&T's chief say?") == ["at&t", "chief"]
    assert "&" not in "".join(content_terms("Tom & Jerry and rock & roll"))  # spaced: no acronym


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("What did Time Warner say about the merger?", "time"),
        ("What did the State Department say about Aleppo?", "state"),
        ("What did Secretary of State Tillerson say about North Korea?", "state"),
        ("Who does Edward Said say is attacked?", "said"),
        ("What are the coordinates of the Empire State Building?", "state"),
    ],
)
def test_an_asking_word_capitalised_inside_a_name_is_part_of_it(text, kept):
    assert kept in content_terms(text)


@pytest.mark.parametrize(
    "text",
    ["What did Varga say about the state of the dam over time?", "What Did Varga Say About The State Of The Dam?",
     "State what Varga said about the dam."],
)
def test_asking_words_stay_asking_words_outside_names(text):
    """Lower case, a title capitalising every word, or the first word alone: no name of theirs ("What did Varga Say …",
    capitalised after a name, would be read as "Edward Said" is)."""
    terms = content_terms(text)
    assert "say" not in terms and "state" not in terms and "time" not in terms, terms
