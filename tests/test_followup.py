"""Rule-based condensing of chat follow-ups into stand-alone questions."""

import pytest

from qa.query.followup import condense, is_followup, key_terms, names

LAVROV_SYRIA = "What did Lavrov say about Syria?"
PAUSE = "Why was the humanitarian pause near Aleppo initiated?"


@pytest.mark.parametrize(
    "question, previous, expected",
    [
        # "what about X" / "and X": X replaces the topic of the previous question
        ("and what about Turkey?", LAVROV_SYRIA, "What did Lavrov say about Turkey?"),
        ("What about Turkey?", LAVROV_SYRIA, "What did Lavrov say about Turkey?"),
        ("how about the United States?", "What did Lavrov say in Athens about the Syrian opposition?", "What did Lavrov say in Athens about the United States?"),
        ("Turkey?", LAVROV_SYRIA, "What did Lavrov say about Turkey?"),
        ("and Sergey Shoigu?", "What did Sergey Lavrov say?", "What did Sergey Shoigu say?"),
        # no "about ..." phrase: the last name is the topic
        ("what about Mosul?", PAUSE, "Why was the humanitarian pause near Mosul initiated?"),
        # "when was that?": the question word is swapped, the rest kept
        ("when was that?", PAUSE, "When was the humanitarian pause near Aleppo initiated?"),
        ("And when was that?", PAUSE, "When was the humanitarian pause near Aleppo initiated?"),
        ("Where was it?", "When was the Geneva meeting of military experts held?", "Where was the Geneva meeting of military experts held?"),
    ],
)
def test_followups_are_rewritten(question, previous, expected):
    assert condense(question, [previous]) == expected


def test_pronoun_followup_gets_previous_key_terms():
    out = condense("What did he say?", [LAVROV_SYRIA])
    assert out.startswith("What did he say")
    assert "Lavrov" in out and "Syria" in out


def test_vague_followup_keeps_context():
    out = condense("why?", ["Lavrov warned the US about the Nusra front"])
    assert "Lavrov" in out and "Nusra" in out


@pytest.mark.parametrize(
    "question",
    [
        "Who is Lavrov?",
        "What is the capital of France?",
        "Where did the military experts meet?",
        "What will Moscow do if Islamic State militants move from Mosul to Syria?",
    ],
)
def test_standalone_questions_are_untouched(question):
    assert not is_followup(question) or names(question)
    assert condense(question, [LAVROV_SYRIA]) == question


def test_no_history_means_no_change():
    assert condense("and what about Turkey?", []) == "and what about Turkey?"
    assert condense("when was that?", None) == "when was that?"
    assert condense("  ", [LAVROV_SYRIA]) == ""


def test_uses_the_latest_user_turn_from_messages():
    history = [
        {"role": "user", "content": "What did Lavrov say about Aleppo?"},
        {"role": "assistant", "content": "He said ... [1]"},
        {"role": "user", "content": LAVROV_SYRIA},
        {"role": "assistant", "content": "Something about Syria [1]"},
    ]
    assert condense("what about Turkey?", history) == "What did Lavrov say about Turkey?"


def test_chained_followups_keep_the_topic():
    history = [LAVROV_SYRIA]
    second = condense("and what about Turkey?", history)
    history.append(second)
    third = condense("and Iran?", history)
    assert third == "What did Lavrov say about Iran?"


def test_helpers():
    assert names("What did Sergey Lavrov say in Geneva?") == ["Sergey", "Lavrov", "Geneva"]
    assert key_terms("When was the humanitarian pause initiated?") == ["humanitarian", "pause", "initiated"]
    assert is_followup("and what about Turkey?")
    assert is_followup("when was that?")
    assert is_followup("what did they say?")
    assert not is_followup("What did Lavrov say about the humanitarian pause in Aleppo?")
