"""Whether quoted sentences are the asked speaker's (qa.answer.attribution): a speaker carried forward to a quotation
counts only where a reader can check it, named shortly before the quotation."""

from __future__ import annotations

from qa.answer.attribution import NAMED_WITHIN, names_person, said_by
from qa.models import Chunk

QUOTE = '"It becomes the will of the parliament of Keldland."'
FILLER = "The debate went on for two days in the chamber, where members spoke at length. " * 20


def passage(before: str, speaker: str = "Theresa May") -> tuple[Chunk, str]:
    """A one-sentence passage quoting QUOTE, the index having carried `speaker` forward to it, after `before`."""
    start = len(before)
    chunk = Chunk("doc", start, start + len(QUOTE), QUOTE, [(start, start + len(QUOTE))], speakers=[speaker])
    return chunk, before[-NAMED_WITHIN:]


def test_a_speaker_named_just_before_the_quotation_says_it():
    chunk, before = passage(FILLER + "Mrs May argues that the vote must wait. She said: ")
    assert said_by(chunk, 0, 0, "Theresa May", before)


def test_a_speaker_named_long_before_is_not_checkable():
    chunk, before = passage("Mrs May argues that the vote must wait. But the party leader told delegates otherwise. " + FILLER)
    assert len(FILLER) > NAMED_WITHIN
    assert not said_by(chunk, 0, 0, "Theresa May", before)


def test_a_month_or_a_verb_is_not_the_speaker_named():
    assert not names_person("in line with the mandate secured at last May's election, we will ask", "Theresa May")
    assert not names_person("Brexit may be the trigger for the vote.", "Theresa May")
    assert names_person("Responding, Mrs May said it would not be fair.", "Theresa May")
    chunk, before = passage(FILLER + "She said: in line with the mandate secured at last May's election, we will act. ")
    assert not said_by(chunk, 0, 0, "Theresa May", before)


def test_a_role_that_speaks_is_checkable_without_the_name():
    text = '"Keldland is a sovereign country," the foreign minister said.'
    chunk = Chunk("doc", 2000, 2000 + len(text), text, [(2000, 2000 + len(text))], speakers=["Anna Varga"])
    assert said_by(chunk, 0, 0, "Anna Varga", FILLER[-NAMED_WITHIN:])
