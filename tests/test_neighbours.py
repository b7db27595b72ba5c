"""News spreads one fact over short paragraphs: when the likeliest passage lacks words of the question that the
passage next to it names, the answer quotes both (ExtractiveAnswerer.complement)."""

import corpora

from qa.answer import extractive

TORCH = (
    "Torch relay reaches Dagestan\n\n"
    "The Olympic torch relay reached the Caucasus on Tuesday, its organisers said, after a week of ceremonies in the "
    "south of the country and a long flight across the steppe. A runner carried the torch through Makhachkala, the "
    "capital of Dagestan, a region troubled by an insurgency for more than a decade. Officials had closed the port.\n\n"
    "The event went off without a hitch, with police at every corner and hundreds of cheering supporters lining the "
    "streets of the old town. Schoolchildren waved small flags and a brass band played near the harbour while the "
    "runner passed. The organisers thanked the volunteers and the city council for the arrangements.\n"
)


def cited(assistant, question):
    ans = assistant.ask(question)
    assert not ans.abstained, ans.notes
    return [c.text for c in ans.citations]


def test_the_paragraph_that_completes_the_likeliest_one_is_quoted_too(tmp_path, monkeypatch):
    a = corpora.small_assistant(tmp_path, {"torch": TORCH, "harbor": corpora.HARBOR})
    question = "Who was lining the streets when the torch was carried through Makhachkala?"
    texts = cited(a, question)
    assert any("Makhachkala" in t for t in texts) and any("lining the streets" in t for t in texts), texts
    monkeypatch.setattr(extractive, "NEIGHBOUR_GAIN", float("inf"))  # the rule off: the fake encoder's ranking alone
    assert not any("lining the streets" in t for t in cited(a, question))


def test_a_likeliest_passage_that_names_everything_is_not_completed(tmp_path):
    a = corpora.small_assistant(tmp_path, {"torch": TORCH, "harbor": corpora.HARBOR})
    texts = cited(a, "Who carried the torch through Makhachkala, the capital of Dagestan?")
    assert not any("lining the streets" in t for t in texts), texts
