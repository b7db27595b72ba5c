"""Other names for what a question names: the alias table, acronyms the corpus defines, and the rarity rule."""

from __future__ import annotations

import pytest

from qa.query.analyze import PREFERRED, alternatives, analyze
from qa.text import aliases


@pytest.mark.parametrize(
    ("text", "phrase", "expected"),
    [
        ("What did Lavrov say about the United States?", "united states", "us"),
        ("Has the US changed its view?", "us", "united states"),
        ("What did the U.S. envoy say?", "u.s.", "united states"),
        ("What does NATO plan?", "nato", "north atlantic treaty organization"),
        ("Where did Daesh attack?", "daesh", "islamic state"),
    ],
)
def test_find_names_the_other_names(text, phrase, expected):
    found = aliases.find(text)
    assert phrase in found and expected in found[phrase]


@pytest.mark.parametrize("text", ["Did he tell us anything?", "Who said it?", "It is up to us."])
def test_lower_case_us_and_who_are_words_not_names(text):
    assert aliases.find(text) == {}


def test_contains_matches_whole_words_and_capitals_for_ambiguous_names():
    assert aliases.contains("Kerry told US reporters", ["us"])
    assert not aliases.contains("Kerry told us", ["us"])
    assert aliases.contains("the United Nations said", ["united nations"])
    assert not aliases.contains("Unitedstates", ["united states"])


def test_acronyms_the_text_defines():
    text = ("Members of the North Atlantic Treaty Organization (NATO) met. The Syrian Democratic Forces (SDF) "
            "advanced. A group (XYZ) of people.")
    assert aliases.acronyms_in(text) == [("north atlantic treaty organization", "nato"), ("syrian democratic forces", "sdf")]


@pytest.mark.parametrize("text, pairs", [
    ("Growth in gross domestic product (GDP) slowed.", [("gross domestic product", "gdp")]),  # in lower case
    ("Sales of all-terrain vehicles (ATVs) rose in the province.", [("all-terrain vehicles", "atv")]),
    ("The WADA (World Anti-Doping Agency) said the tests were clean.", [("world anti-doping agency", "wada")]),  # acronym first
    ("It fell under the new rules (TNR) of the club.", []),  # "the new rules" spell NR: no name starts with "that"
    ("He said that the new rules (TNR) apply.", []),
    ("Prices rose (CPI) in May.", []),
])
def test_acronyms_defined_in_lower_case_or_after_the_acronym(text, pairs):
    assert aliases.acronyms_in(text) == pairs


def test_acronyms_whose_words_a_slash_or_a_hyphen_joins_are_found_and_matched_however_joined():
    text = "Design began of a Command/Service Module (CSM). The Anti-Ballistic Missile (ABM) treaty lapsed."
    assert aliases.acronyms_in(text) == [("command/service module", "csm"), ("anti-ballistic missile", "abm")]
    assert aliases.contains("the Anti Ballistic Missile treaty", ["anti-ballistic missile"])
    assert aliases.contains("the command service module", ["command/service module"])
    assert not aliases.contains("the command and service module", ["command/service module"])


def test_corpus_acronyms_extend_the_table():
    q = analyze("What did the SDF say about Raqqa?", known_aliases=[("syrian democratic forces", "sdf")])
    assert q.alternatives["sdf"] == ["s.d.f.", "syrian democratic forces"]


def test_another_name_is_searched_only_where_the_corpus_prefers_it():
    counts = {"united states": 0, "us": 40, "u.s.": 3, "washington": 9, "america": 0}
    got = alternatives("What did Lavrov say about the United States?", ["lavrov", "united", "states"], None,
                       lambda p: counts.get(p, 0))
    assert set(got) == {"united", "states"}
    assert got["united"] == ["us", "u.s.", "washington"]
    counts["united states"] = 9  # the corpus writes the question's own name often enough
    kept = alternatives("about the United States?", ["united", "states"], None, lambda p: counts.get(p, 0))
    assert all(counts[a] > PREFERRED * 9 for alts in kept.values() for a in alts)
    assert kept == {"united": ["us"], "states": ["us"]}


def test_lexical_terms_add_the_other_names_once():
    q = analyze("What did Lavrov say about the United States?")
    terms = q.lexical_terms()
    assert terms[:3] == ["lavrov", "united", "states"] and terms.count("us") == 1


def test_a_stop_word_written_in_capitals_is_a_name():
    from qa.text.words import content_terms

    assert content_terms("How did Lavrov's position on the US change?") == ["lavrov", "us"]
    assert content_terms("Did he tell us?") == []
    assert content_terms("WHAT DID THE PRESIDENT SAY?") == ["president"]  # shouting is not naming


@pytest.mark.parametrize("text, pairs", [
    ("The head of the Keldish Tennis Federation spoke. Everyone at the KTF wishes her well.", [("keldish tennis federation", "ktf")]),
    ("The Department of Homeland Security said so. A DHS official agreed.", [("department of homeland security", "dhs")]),
    ("The Zarnovian People's Army marched. The ZPA's tanks followed.", [("zarnovian people's army", "zpa")]),
    ("Repeal of the Keldish Care Act's rules failed. The KCA stays.", [("keldish care act", "kca")]),  # not the act's
    ("KEB ELECTIONS: Varga won. The Keldish Electoral Board counted.", []),  # a shouted headline word is no acronym
    ("The Keldish Tennis Federation met. The KTB did not.", []),  # initials that spell another acronym
])
def test_an_acronym_used_beside_a_name_whose_initials_spell_it_is_learnt(text, pairs):
    """News spells a name out once, then abbreviates it without brackets ("the Asian Infrastructure Investment Bank
    … the AIIB"): the article teaches the acronym all the same."""
    assert aliases.acronyms_in(text) == pairs
