"""Quotations are kept whole: which sentences one spans, and whether a text leaves one open."""

from __future__ import annotations

from qa.text.quotes import balanced, open_at, quotation_sentences

TEXT = 'He said: "We are alarmed. This is bad. We will act." Then he left. "Short." And “curly one. Two.” End.'
PARTS = ['He said: "We are alarmed.', "This is bad.", 'We will act."', "Then he left.", '"Short."', "And “curly one.", "Two.”", "End."]


def spans(text: str = TEXT, parts: list[str] = PARTS) -> list[tuple[int, int]]:
    """Where each of the parts lies in the text, in order."""
    out, at = [], 0
    for p in parts:
        s = text.index(p, at)
        out.append((s, s + len(p)))
        at = s + len(p)
    return out


def test_each_sentence_maps_to_its_whole_quotation():
    got = [quotation_sentences(TEXT, spans(), i) for i in range(len(PARTS))]
    assert got == [(0, 2), (0, 2), (0, 2), (3, 3), (4, 4), (5, 6), (5, 6), (7, 7)]


def test_offsets_may_be_absolute():
    base = 1000
    shifted = [(s + base, e + base) for s, e in spans()]
    assert quotation_sentences(TEXT, shifted, 1, base) == (0, 2)


def test_open_and_balanced():
    assert open_at(TEXT, 0, spans()[1][1]) and not open_at(TEXT, 0, spans()[2][1])
    assert balanced("“One.” And \"two.\"") and not balanced("“One. And two.")


def test_a_passage_that_starts_by_closing_a_quotation_does_not_open_one():
    """A chunk cut after a quotation's opening mark starts with its closing one: the sentences after it are no quote."""
    text = '" Von der Leyen replied on Friday. Merkel spoke next. Trump said he "reiterated support. And more." End.'
    parts = ['" Von der Leyen replied on Friday.', "Merkel spoke next.", 'Trump said he "reiterated support.', 'And more."', "End."]
    sp = spans(text, parts)
    assert [quotation_sentences(text, sp, i) for i in range(len(parts))] == [(0, 0), (1, 1), (2, 3), (2, 3), (4, 4)]


def test_a_quotation_continued_in_a_new_paragraph_ends_where_its_last_part_closes():
    """Newspapers leave a quoted paragraph open and open the next one again: the quotation ends at its final mark."""
    text = 'She added: "The process is under way. "This is a historic moment." She said Britain would decide. End.'
    parts = ['She added: "The process is under way.', '"This is a historic moment."', "She said Britain would decide.", "End."]
    sp = spans(text, parts)
    assert [quotation_sentences(text, sp, i) for i in range(len(parts))] == [(0, 1), (0, 1), (2, 2), (3, 3)]


def test_a_damaged_closing_mark_opens_no_quotation():
    """Some feeds write ” as '"?': "… is small "?all parties …" opens nothing, so the sentences after it are no quote."""
    text = 'The chance is small "?all parties ruled it out. Wilders vowed to fight on. Rutte said: "We will see." End.'
    parts = ['The chance is small "?all parties ruled it out.', "Wilders vowed to fight on.", 'Rutte said: "We will see."', "End."]
    sp = spans(text, parts)
    assert [quotation_sentences(text, sp, i) for i in range(len(parts))] == [(0, 0), (1, 1), (2, 2), (3, 3)]
