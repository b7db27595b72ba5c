"""News spreads one fact over short paragraphs: when the likeliest passage lacks words of the question that the
passage next to it names, or is a short paragraph whose neighbour the scorer finds at all likely, the answer quotes
both (qa.answer.neighbours)."""

import corpora

from qa.answer import neighbours

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
    monkeypatch.setattr(neighbours, "NEIGHBOUR_GAIN", float("inf"))  # both rules off: the fake encoder's ranking alone
    monkeypatch.setattr(neighbours, "BESIDE_RATIO", float("inf"))
    assert not any("lining the streets" in t for t in cited(a, question))


def test_a_likeliest_passage_that_names_everything_is_not_completed(tmp_path):
    a = corpora.small_assistant(tmp_path, {"torch": TORCH, "harbor": corpora.HARBOR})
    texts = cited(a, "Who carried the torch through Makhachkala, the capital of Dagestan?")
    assert not any("lining the streets" in t for t in texts), texts


STATEMENT = ("PARIS (CNN) -- Prosecutors in Toulouse said on Sunday that the gunman who killed seven people in March had planned "
             "the shootings for months and had not acted alone, and that charges of complicity would follow. Investigators "
             "have spent weeks reading his telephone records, his travel documents and the messages he left on several "
             "computers seized in the flat.")
CHARGED = ("Abdelkader Merah, the gunman's older brother, was charged on Sunday over the shootings and faces an anti-terror "
           "judge, the prosecutor's office told CNN.")
FAMILY = "The brothers grew up in a working-class district of the city, where neighbours described a quiet family."
COMPLICITY = "Who was charged with complicity in the Toulouse shootings?"


def test_a_short_paragraph_next_to_the_quoted_one_is_quoted_too(tmp_path, monkeypatch):
    """News tells a story in short paragraphs: the one after the paragraph that matches the question holds the answer."""
    story = f"Toulouse gunman's brother charged\n\n{STATEMENT}\n\n{CHARGED}\n\n{FAMILY}\n"
    a = corpora.small_assistant(tmp_path, {"merah": story, "harbor": corpora.HARBOR})
    texts = cited(a, COMPLICITY)
    assert texts[0].startswith("PARIS") and any("Abdelkader Merah" in t for t in texts), texts
    assert not any("quiet family" in t for t in texts), texts  # next to the added paragraph, not to a quoted one
    monkeypatch.setattr(neighbours, "BESIDE_RATIO", float("inf"))  # the rule off
    assert not any("Abdelkader Merah" in t for t in cited(a, COMPLICITY))


def test_a_passage_cut_from_a_long_paragraph_is_not_a_paragraph_beside(tmp_path, monkeypatch):
    """Wikipedia's long paragraphs are cut into several passages: the next passage is no paragraph of its own."""
    monkeypatch.setattr(neighbours, "BESIDE_RATIO", 0.0)  # any probability would do: only the layout can refuse it
    article = f"Toulouse gunman's brother charged\n\n{STATEMENT} {CHARGED} {FAMILY}\n"
    a = corpora.small_assistant(tmp_path, {"merah": article, "harbor": corpora.HARBOR})
    passages = a._live().store.chunks(list(range(1, 10))).values()
    assert sum(c.doc_id == "merah" for c in passages) == 2  # the paragraph is cut in two passages
    texts = cited(a, COMPLICITY)
    assert texts[0].startswith("PARIS") and not any("Abdelkader Merah" in t for t in texts), texts
