"""qa.text.names: capitalised words and runs of them, as questions and statements write them."""

from __future__ import annotations

import pytest

from qa.text.names import capitalised_words, cased, entities, full_names, name_terms, named_through


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("What did Ilse Varga say in Geneva?", ["Ilse", "Varga", "Geneva"]),
        ("Varga met Brenner in Velmora", ["Brenner", "Velmora"]),  # the first word may be capitalised only as an opener
        ("What did Varga's ministry say on Friday in March?", ["Varga"]),  # weekdays and months are no names
        ("Did The Guardian and THE Guardian report it?", ["Guardian"]),  # function words, whatever their case, and repeats
        ("what about the dam?", []),
    ],
)
def test_capitalised_words(text, expected):
    assert capitalised_words(text) == expected


def test_name_terms_are_lower_cased_as_topic_terms_write_them():
    assert name_terms("What did Ilse Varga’s office say about Keldland?") == {"ilse", "varga", "keldland"}
    assert name_terms("Who won?") == set()


def test_entities_are_verbatim_runs_of_names():
    text = "On Friday Zarnovian Foreign Minister Ilse Varga told the International Court of Justice that Keldland’s dam, which The Guardian saw in May, was illegal."
    found = entities(text)
    assert "Zarnovian Foreign Minister Ilse Varga" in found
    assert "International Court of Justice" in found
    assert "Keldland" in found  # the possessive is dropped
    assert "Guardian" in found  # "The" opens the run: left out
    assert all(e in text for e in found)
    assert not any(e in ("Friday", "May", "On", "The") for e in found)


def test_entities_keep_particles_and_drop_repeats():
    text = "Russia's President Vladimir Putin met Jabhat al-Nusra envoys in Aleppo, and The minister agreed. ALEPPO, aleppo and Aleppo again."
    names = entities(text)
    assert "Vladimir Putin" in " ".join(names) and "Aleppo" in names
    assert any("al-Nusra" in n for n in names)
    assert all(n in text for n in names)
    assert len([n for n in names if n.lower() == "aleppo"]) == 1


def test_full_names_are_the_names_holding_the_term_written_in_full():
    text = "Maj. Nidal Malik Hasan is accused. The Carolina Panthers won. Hasan's lawyer and the Bank of England spoke."
    assert full_names("hasan", text) == [frozenset({"nidal", "malik", "hasan"})]
    assert full_names("panthers", text) == [frozenset({"carolina", "panthers"})]
    assert full_names("england", text) == [] and full_names("lawyer", text) == []


def test_a_surname_names_the_first_name_its_article_writes_with_it():
    article = "Maj. Nidal Malik Hasan is accused of the shooting. The Carolina Panthers lost."
    names = lambda t: full_names(t, article)  # noqa: E731
    assert named_through(["nidal"], "A memo by Hasan's supervisor says Hasan showed poor judgment.", names) == {"nidal"}
    assert named_through(["carolina"], "The Panthers finished 15-1.", names) == {"carolina"}
    assert named_through(["nidal"], "The supervisor wrote a memo.", names) == set()  # no part of the name
    assert named_through(["nidal"], "A memo by Hasan's supervisor.", lambda t: []) == set()  # never written in full


QUOTED = {"varga", "may", "brenner"}.__contains__  # surnames a corpus quotes


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("what did varga say about the dam", "what did Varga say about the dam"),
        ("What did varga say about the dam?", "What did Varga say about the dam?"),
        ("what did may say about scotland?", "what did May say about scotland?"),  # a function word where a speaker stands
        ("what may happen to the dam?", "what may happen to the dam?"),  # ... and not elsewhere
        ("how did brenner's position change", "how did Brenner's position change"),
        ("What did Varga say about brenner?", "What did Varga say about brenner?"),  # capitals typed: the writer's own
        ("varga", "varga"),  # the first word stays as typed
    ],
)
def test_a_question_typed_in_lower_case_names_whom_the_corpus_quotes(typed, read):
    assert cased(typed, QUOTED) == read
    assert cased(typed, None) == typed
