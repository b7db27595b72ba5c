"""A quote that repeats another (the same wire sentence in two outlets) is cited once (qa.text.repeats)."""

from __future__ import annotations

import corpora
from qa.text.repeats import repeats

WIRE = ("Varga insisted on her support for the river treaty but repeated that both sides must share the cost of the dam "
        "and warned it is not her job to pay for Keldland.")


def test_the_same_sentence_with_a_headline_glued_before_it_repeats():
    glued = "Keldland calls for 'a new spirit' Varga in her speech insisted on her support for the river treaty, but " \
            "repeated that both sides must share the cost of the dam and warned it is not her job to pay for Keldland."
    assert repeats(WIRE, glued) and repeats(glued, WIRE)


def test_sentences_that_share_some_words_do_not_repeat():
    other = "Varga insisted on her support for the fishing quota and said the dam would open in the spring."
    assert not repeats(WIRE, other)
    assert not repeats("The dam opened.", "The dam opened.")  # too short to tell by words: left to the vectors


def test_an_answer_cites_a_wire_sentence_once(tmp_path):
    glued = ("Keldland calls for 'a new spirit' Varga in her speech insisted on her support for the river treaty, but "
             "repeated that both sides must share the cost of the dam and warned it is not her job to pay for Keldland.")
    a = corpora.small_assistant(tmp_path, {
        "wire": f"Varga on the treaty\n\n{WIRE}\n",
        "paper": f"Varga speaks in Velmora\n\nThe minister spoke in Velmora on Monday. {glued}\n",
        "harbor": corpora.HARBOR})
    ans = a.ask("Who must share the cost of the dam?")
    assert not ans.abstained
    texts = [s["text"] for s in ans.sentences]
    assert sum("must share the cost of the dam" in t for t in texts) == 1, texts
