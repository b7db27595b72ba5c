"""A body as the asked speaker ("What did the Pentagon say …", qa.text.speakers.asked_body): its own word first, given by
whoever speaks for it (qa.answer.attribution.speaks_for); where it gives none, whatever answers, as for any question."""

from __future__ import annotations

import corpora
import pytest

from qa.answer.attribution import speaks_for
from qa.query.analyze import analyze

PORT = ("Port strike ends\n\nVELMORA (Reuters) - Dock workers in Velmora ended their strike on Friday. \"The strike cost the "
        "port millions,\" said Anna Kovac, a union organiser. The Port Authority said the strike had delayed 40 ships and "
        "that wages would rise by 5 percent.\n")
DAM = ("Dam opens\n\nORLEN, Keldland (AP) — The Orlen dam opened on Monday. Officials of the Port Authority attended the "
       "ceremony, the mayor said.\n")


@pytest.mark.parametrize(
    ("question", "speaker", "body", "topic"),
    [
        ("What did the Pentagon say about Mosul?", "Pentagon", True, ["pentagon", "mosul"]),
        ("What did the Velmora Port Authority say about the strike?", "Velmora Port Authority", True, ["velmora", "port", "authority", "strike"]),
        ("What did Lavrov say about Aleppo?", "Lavrov", False, ["aleppo"]),
        ("What did the Keldish president Varga say about the dam?", "Varga", False, ["dam"]),
    ],
)
def test_a_body_is_asked_for_by_the(question, speaker, body, topic):
    q = analyze(question)
    assert (q.speaker, q.body, q.topic_terms()) == (speaker, body, topic)


def test_who_speaks_for_a_body():
    assert speaks_for("Kremlin spokesman Dmitry Peskov said the talks went well.", "Kremlin")
    assert speaks_for("A Pentagon statement said 20 militants were killed.", "Pentagon")
    assert speaks_for("Rates will stay low, according to the Bank of England.", "Bank of England")
    assert speaks_for("The White House said the order would be signed.", "White House")
    assert speaks_for("Pope Francis said migrants must be welcomed.", "Pope")
    assert not speaks_for("Critics of the Kremlin said the vote was rigged.", "Kremlin")
    assert not speaks_for("The Pentagon papers were published in 1971.", "Pentagon")
    assert not speaks_for("Kremlin critic Alexei Navalny said he would run.", "Kremlin")


def test_a_bodys_own_word_is_cited(tmp_path):
    a = corpora.small_assistant(tmp_path, {"port": PORT, "dam": DAM})
    ans = a.ask("What did the Port Authority say about the strike?")
    assert not ans.abstained and ans.answer.startswith("The Port Authority said the strike had delayed 40 ships")
    assert "Kovac" not in ans.answer  # a union organiser's words are not the authority's


def test_a_body_that_gives_no_word_on_it_is_answered_as_any_question(tmp_path):
    a = corpora.small_assistant(tmp_path, {"port": PORT, "dam": DAM})
    ans = a.ask("What did the Orlen Dam Board say about the opening?")
    assert not any("do not quote" in n for n in ans.notes)
