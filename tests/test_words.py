"""qa.text.words: the tokenizer, the one stop-word list, and the topic terms of a text."""

from __future__ import annotations

import pytest

from qa.text.words import ASKING_WORDS, CHANGE_WORDS, FUNCTION_WORDS, STOPWORDS, content_terms, normalise, words


def test_stopwords_are_function_asking_and_change_words():
    assert STOPWORDS == FUNCTION_WORDS | ASKING_WORDS | CHANGE_WORDS
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


def test_words_keep_inner_apostrophes_and_hyphens():
    text = "Keldland’s two-thirds share, the U.N.'s envoy (al-Nusra) — 400,000 homes."
    assert words(text) == ["Keldland’s", "two-thirds", "share", "the", "U", "N", "s", "envoy", "al-Nusra", "400", "000", "homes"]
