"""Rule-based rewriting of chat follow-ups into stand-alone questions (qa.query.followup): the period, speaker and
topic of the previous question carry over unless the follow-up replaces them, and every rewrite is grammatical."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from qa.query.followup import Conversation, Followup, condense, is_followup, key_terms, names, rewrite
from qa.query.followup_rules import base_form, is_person, swap_question_word

REF = dt.date(2017, 9, 8)  # the corpus' latest article date
LAVROV = "What did Lavrov say about Aleppo in November 2016?"
LAVROV_TURKEY = "What did Lavrov say about Turkey in November 2016?"
KERRY_TURKEY = "What did Kerry say about Turkey in November 2016?"
LAVROV_SYRIA = "What did Lavrov say about Syria?"
PAUSE = "Why was the humanitarian pause near Aleppo initiated?"
HAPPENED = "What happened in Aleppo in November 2016?"

# (history, follow-up, the stand-alone question that is answered)
TABLE = [
    # the period carries over when the topic is replaced
    ([LAVROV], "and about Turkey?", LAVROV_TURKEY),
    ([LAVROV], "what about the US?", "What did Lavrov say about the US in November 2016?"),
    ([LAVROV], "Turkey?", LAVROV_TURKEY),
    ([LAVROV], "how about Mosul?", "What did Lavrov say about Mosul in November 2016?"),
    (["In November 2016, what did Lavrov say about Aleppo?"], "and about Turkey?", LAVROV_TURKEY),
    # a period of the follow-up's own replaces it (a year-less month takes the previous year)
    ([LAVROV], "and in December?", "What did Lavrov say about Aleppo in December 2016?"),
    ([LAVROV], "what about December?", "What did Lavrov say about Aleppo in December 2016?"),
    ([LAVROV], "and in 2017?", "What did Lavrov say about Aleppo in 2017?"),
    ([LAVROV], "and before that?", "What did Lavrov say about Aleppo before November 2016?"),
    ([LAVROV], "and since then?", "What did Lavrov say about Aleppo since November 2016?"),
    ([LAVROV], "and about Turkey in early December?", "What did Lavrov say about Turkey in early December 2016?"),
    # the speaker carries over, or is replaced
    ([LAVROV], "and Kerry?", "What did Kerry say about Aleppo in November 2016?"),
    ([LAVROV], "What did Kerry say?", "What did Kerry say about Aleppo in November 2016?"),
    ([LAVROV], "and Kerry in December?", "What did Kerry say about Aleppo in December 2016?"),
    ([LAVROV], "what about Kerry on Turkey?", KERRY_TURKEY),
    (["What did Sergey Lavrov say?"], "and Sergey Shoigu?", "What did Sergey Shoigu say?"),
    (["What did Sergey Lavrov say?"], "what about Turkey?", "What did Sergey Lavrov say about Turkey?"),
    (["What did Lavrov say about Aleppo last month?"], "and Kerry?", "What did Kerry say about Aleppo last month?"),
    # pronoun follow-ups
    ([LAVROV], "what did he say about Turkey?", LAVROV_TURKEY),
    ([LAVROV_SYRIA], "What did he say?", LAVROV_SYRIA),
    ([LAVROV], "what was his position?", "What was Lavrov's position on Aleppo in November 2016?"),
    ([LAVROV], "What did Kerry say about it?", "What did Kerry say about Aleppo in November 2016?"),
    ([LAVROV], "did he mention Turkey?", "Did Lavrov mention Turkey in November 2016?"),
    ([LAVROV], "What happened there?", HAPPENED),
    ([LAVROV], "what else?", "What else did Lavrov say about Aleppo in November 2016?"),
    (["What did Russia say about the rebels in 2016?"], "what did they say about Turkey?", "What did Russia say about Turkey in 2016?"),
    (["What did Lavrov say about the rebels?"], "what do they want?", "What do the rebels want?"),
    # the question word swapped, grammatically
    ([LAVROV], "when was that?", "When did Lavrov say that about Aleppo in November 2016?"),
    ([LAVROV], "why?", "Why did Lavrov say that about Aleppo in November 2016?"),
    ([LAVROV], "and why did he say that?", "Why did Lavrov say that about Aleppo in November 2016?"),
    ([PAUSE], "when was that?", "When was the humanitarian pause near Aleppo initiated?"),
    ([PAUSE], "And when was that?", "When was the humanitarian pause near Aleppo initiated?"),
    (["When was the Geneva meeting of military experts held?"], "Where was it?", "Where was the Geneva meeting of military experts held?"),
    ([HAPPENED], "why?", "Why did that happen in Aleppo in November 2016?"),
    (["Which countries backed the resolution on Syria?"], "when?", "When did those countries back the resolution on Syria?"),
    (["How many civilians died in Aleppo?"], "why?", "Why did those civilians die in Aleppo?"),
    (["What is Russia doing in Syria?"], "and why?", "Why is Russia doing that in Syria?"),
    (["What did Lavrov talk about in Geneva?"], "why?", "Why did Lavrov talk about that in Geneva?"),
    (["Did Lavrov criticise Turkey in 2016?"], "how come?", "Why did Lavrov criticise Turkey in 2016?"),
    (["Lavrov warned the US about the Nusra front"], "why?", "Why did Lavrov warn the US about the Nusra front?"),
    # the topic replaced in questions that are not about speech
    (["What is the capital of France?"], "and Germany?", "What is the capital of Germany?"),
    ([HAPPENED], "and in Mosul?", "What happened in Mosul in November 2016?"),
    ([PAUSE], "what about Mosul?", "Why was the humanitarian pause near Mosul initiated?"),
    # chains of three or more (rewritten history, and raw history rewritten in turn)
    ([LAVROV, LAVROV_TURKEY], "and Kerry?", KERRY_TURKEY),
    ([LAVROV, LAVROV_TURKEY, KERRY_TURKEY], "and in December?", "What did Kerry say about Turkey in December 2016?"),
    ([LAVROV, "and about Turkey?", "and Kerry?"], "why?", "Why did Kerry say that about Turkey in November 2016?"),
    ([HAPPENED, "What happened in Mosul in November 2016?"], "why?", "Why did that happen in Mosul in November 2016?"),
    # not follow-ups: unchanged, the period not carried
    ([LAVROV], "What did Kerry say about Turkey?", "What did Kerry say about Turkey?"),
    ([LAVROV], "Who is Lavrov?", "Who is Lavrov?"),
    ([LAVROV], "Where did the military experts meet?", "Where did the military experts meet?"),
    ([LAVROV], "What will Moscow do if Islamic State militants move from Mosul to Syria?",
     "What will Moscow do if Islamic State militants move from Mosul to Syria?"),
    ([LAVROV_SYRIA], "What is the capital of France?", "What is the capital of France?"),
]

QUESTION_START = re.compile(
    r"^(?:What|When|Where|Why|Who|Whom|Whose|Which|How|Did|Does|Do|Is|Was|Are|Were|Has|Have|Had|Will|Would|Can|Could|Should)\b"
)
GARBLED = re.compile(r"\b(?:is|was|are|were)\s+(?:[A-Z]\w+|he|she|they)\s+(?:say|tell|think|mention|mean)\b")


def assert_grammatical_question(text: str) -> None:
    """What the table can check of grammar: a question word or auxiliary first, one "?" at the end, no "When was
    Lavrov say", no doubled word, no bracketed key terms, no preposition without its object."""
    assert QUESTION_START.match(text), text
    assert text.endswith("?") and text.count("?") == 1, text
    assert not GARBLED.search(text), text
    assert "(" not in text and "  " not in text and " ?" not in text, text
    words = text.lower().rstrip("?").split()
    assert all(a != b for a, b in zip(words, words[1:])), text
    assert words[-1] not in ("about", "on", "regarding", "in", "of", "for"), text
    assert not re.search(r"\b(?:about|on|regarding)\s+(?:about|on|regarding)\b", text), text


@pytest.mark.parametrize("history, question, expected", TABLE)
def test_table(history, question, expected):
    assert_grammatical_question(expected)
    assert rewrite(question, history, REF).text == expected


def test_table_is_large_and_covers_each_rule():
    assert len(TABLE) >= 25
    assert sum(len(h) >= 2 for h, _, _ in TABLE) >= 3  # chains


@pytest.mark.parametrize("history, question, expected", TABLE)
def test_a_rewrite_is_stand_alone(history, question, expected):
    """Asked again (or passed back as history), a rewrite is left as it is: chains keep their context."""
    assert rewrite(expected, history, REF).text == expected


def test_what_was_carried_is_said():
    f = rewrite("and about Turkey?", [LAVROV], REF)
    assert f == Followup(LAVROV_TURKEY, ["period: in November 2016", "speaker: Lavrov"], True)
    f = rewrite("and in December?", [LAVROV], REF)
    assert f.carried == ["year: 2016", "speaker: Lavrov", "topic: Aleppo"]
    f = rewrite("and Kerry?", [LAVROV], REF)
    assert f.carried == ["period: in November 2016", "topic: Aleppo"]
    f = rewrite("and before that?", [LAVROV], REF)
    assert "period: before November 2016" in f.carried
    f = rewrite("Who is Lavrov?", [LAVROV], REF)
    assert f == Followup("Who is Lavrov?", [], False)


def test_known_speakers_decide_who_a_bare_name_is():
    speakers = ["Sergey Lavrov", "John Kerry"]
    assert rewrite("and Kerry?", [LAVROV], REF, speakers=speakers).text == "What did Kerry say about Aleppo in November 2016?"
    assert rewrite("and Putin?", [LAVROV], REF, speakers=speakers).text == "What did Lavrov say about Putin in November 2016?"
    assert rewrite("and Putin?", [LAVROV], REF).text == "What did Putin say about Aleppo in November 2016?"
    assert rewrite("and President Putin?", [LAVROV], REF, speakers=speakers).text.startswith("What did President Putin say")


def test_a_conversation_typed_in_lower_case_keeps_its_speakers():
    """"what did may say about it?": with the corpus' speakers known, May is who speaks, as if typed with capitals."""
    speakers = ["Theresa May", "Nicola Sturgeon", "Sergey Lavrov", "John Kerry"]
    asked = "What did Sturgeon say about a second referendum?"
    assert rewrite("what did may say about it?", [asked], REF, speakers=speakers).text == "What did May say about a second referendum?"
    assert rewrite("and kerry?", ["what did lavrov say about aleppo"], REF, speakers=speakers).text == "What did Kerry say about aleppo?"
    assert rewrite("what may happen to it?", [asked], REF, speakers=speakers).text.startswith("what may happen")


def test_condense_is_the_text_of_rewrite():
    assert condense("and about Turkey?", [LAVROV]) == LAVROV_TURKEY
    assert condense("and what about Turkey?", [LAVROV_SYRIA]) == "What did Lavrov say about Turkey?"
    assert condense("how about the United States?", ["What did Lavrov say in Athens about the Syrian opposition?"]) == (
        "What did Lavrov say in Athens about the United States?"
    )


def test_no_history_means_no_change():
    assert condense("and what about Turkey?", []) == "and what about Turkey?"
    assert condense("when was that?", None) == "when was that?"
    assert condense("  ", [LAVROV_SYRIA]) == ""
    assert rewrite("and then?", [LAVROV]) == Followup("and then?", [], False)


def test_uses_the_latest_user_turn_from_messages_or_pairs():
    history = [
        {"role": "user", "content": "What did Lavrov say about Aleppo?"},
        {"role": "assistant", "content": "He said ... [1]"},
        {"role": "user", "content": LAVROV_SYRIA},
        {"role": "assistant", "content": "Something about Syria [1]"},
    ]
    assert condense("what about Turkey?", history) == "What did Lavrov say about Turkey?"
    assert condense("what about Turkey?", [(LAVROV_SYRIA, "an answer")]) == "What did Lavrov say about Turkey?"


def test_a_conversation_keeps_the_rewritten_questions():
    chat = Conversation(reference=REF)
    asked = [chat.ask(q).text for q in (LAVROV, "and about Turkey?", "and Kerry?", "and in December?", "why?")]
    assert asked == [LAVROV, LAVROV_TURKEY, KERRY_TURKEY, "What did Kerry say about Turkey in December 2016?",
                     "Why did Kerry say that about Turkey in December 2016?"]
    assert chat.history == asked


def test_vague_followup_keeps_context():
    out = condense("why?", ["Lavrov warned the US about the Nusra front"])
    assert "Lavrov" in out and "Nusra" in out


def test_an_unknown_shape_still_gets_a_grammatical_question():
    out = rewrite("why?", ["Aleppo ceasefire talks"], REF).text
    assert_grammatical_question(out)
    assert "Aleppo" in out


@pytest.mark.parametrize(
    "previous, wh, expected",
    [
        ("What did Lavrov say about Aleppo?", "why", "Why did Lavrov say that about Aleppo?"),
        ("Who attacked the aid convoy?", "why", "Why did those involved attack the aid convoy?"),
        ("Who did Lavrov criticise?", "why", "Why did Lavrov criticise them?"),
        ("What has Russia proposed for Aleppo?", "how", "How has Russia proposed that for Aleppo?"),
        ("What has happened in Aleppo?", "why", "Why has that happened in Aleppo?"),
        ("What will Moscow do if the talks fail?", "when", "When will Moscow do that if the talks fail?"),
        ("The ceasefire was agreed in Geneva", "when", "When was the ceasefire agreed in Geneva?"),
    ],
)
def test_question_word_swaps(previous, wh, expected):
    assert_grammatical_question(expected)
    assert swap_question_word(previous, wh) == expected


def test_base_forms():
    pairs = "said:say warned:warn proposed:propose agreed:agree happened:happen attacked:attack stopped:stop " \
            "called:call initiated:initiate declared:declare visited:visit invited:invite decided:decide opened:open " \
            "developed:develop died:die used:use occurred:occur required:require argued:argue criticised:criticise " \
            "happens:happen says:say tries:try watches:watch"
    for pair in pairs.split():
        word, base = pair.split(":")
        assert base_form(word) == base, word


def test_people_and_places():
    assert is_person("Kerry") and is_person("Sergey Shoigu") and is_person("President Putin")
    assert not is_person("Turkey") and not is_person("the US") and not is_person("Islamic State") and not is_person("NATO")
    assert not is_person("Mosul") and not is_person("Kremlin")


def test_helpers():
    assert names("What did Sergey Lavrov say in Geneva?") == ["Sergey", "Lavrov", "Geneva"]
    assert key_terms("When was the humanitarian pause initiated?") == ["humanitarian", "pause", "initiated"]
    assert is_followup("and what about Turkey?")
    assert is_followup("when was that?")
    assert is_followup("what did they say?")
    assert is_followup("and in December?")
    assert not is_followup("What did Lavrov say about the humanitarian pause in Aleppo?")
    assert not is_followup("Who is Lavrov?")
