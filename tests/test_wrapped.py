"""Plain text hard-wrapped at a fixed column (e-mail, wire feeds, Reuters-21578) is read as the paragraphs its lines
were cut from: every sentence indexed, whole, and cited as the source writes it (qa/corpus/wrapped.py)."""

import textwrap

import corpora
import pytest

from qa.corpus.layout import lines_with_offsets
from qa.corpus.wrapped import paragraphs, starts_paragraph, width

LEAD = ("Prosecutors in Toulouse said on Sunday that the gunman who killed seven people in March had planned the "
        "shootings for months and had not acted alone. Charges of complicity would follow, they said.")
CHARGED = ("Abdelkader Merah, the gunman's older brother, was charged on Sunday over the shootings and faces an "
           "anti-terror judge, the prosecutor's office told reporters on Sunday evening.")
FAMILY = "The brothers grew up in a working-class district of the city, where neighbours described a quiet family."


def blank_lines(columns: int) -> str:
    return "Toulouse gunman's brother charged\n\n" + "\n\n".join(textwrap.fill(p, columns) for p in (LEAD, CHARGED, FAMILY)) + "\n"


def indented(columns: int) -> str:
    """Reuters-21578's layout: a capitalised headline, then paragraphs opened by indentation, no blank lines."""
    return "TOULOUSE GUNMAN'S BROTHER CHARGED\n" + "\n".join("    " + textwrap.fill(p, columns) for p in (LEAD, CHARGED, FAMILY)) + "\n"


def stored(assistant, doc_id):
    chunks = assistant._live().store.chunks(list(range(1, 20)))
    return sorted((c for c in chunks.values() if c.doc_id == doc_id), key=lambda c: c.ordinal)


@pytest.mark.parametrize("text", [blank_lines(60), blank_lines(72), indented(65)], ids=["60 columns", "72 columns", "indented"])
def test_every_sentence_of_a_hard_wrapped_article_is_indexed_whole(tmp_path, text):
    a = corpora.small_assistant(tmp_path, {"wrapped": text})
    article = a._live().store.article("wrapped")
    assert article["title"].lower() == "toulouse gunman's brother charged"
    chunks = stored(a, "wrapped")
    sentences = [" ".join(c.sentence_text(s).split()) for c in chunks for s in c.sentences]
    assert sentences == [LEAD.split(". ")[0] + ".", LEAD.split(". ")[1], CHARGED, FAMILY]
    assert all(article["text"][c.start : c.end] == c.text for c in chunks)


def test_a_hard_wrapped_article_answers_with_its_own_characters(tmp_path):
    a = corpora.small_assistant(tmp_path, {"wrapped": blank_lines(60), "harbor": corpora.HARBOR})
    ans = a.ask("Who was charged over the shootings in Toulouse?")
    assert not ans.abstained and any("Abdelkader Merah" in c.text for c in ans.citations)
    source = a._live().store.article("wrapped")["text"]
    assert all(source[c.start : c.end] == c.text for c in ans.citations)


def test_lines_that_are_paragraphs_are_left_as_they_are():
    text = "\n".join([LEAD, CHARGED, FAMILY]) + "\n"  # one paragraph a line, as most feeds write
    lines = lines_with_offsets(text)
    assert width(text, lines) == 0 and paragraphs(text, lines) == lines


def test_short_lines_of_a_masthead_are_not_joined():
    text = "By Anna Roe\nReuters\nMarch 3, 2017\n\n" + LEAD + "\n"
    lines = lines_with_offsets(text)
    assert paragraphs(text, lines) == lines


def test_a_line_break_inside_a_wrapped_paragraph_opens_no_paragraph():
    text = blank_lines(60)
    inside = text.index("\n", text.index("Prosecutors")) + 1  # the second line of the first paragraph
    assert not starts_paragraph(text, inside)
    assert starts_paragraph(text, text.index("Abdelkader")) and starts_paragraph(text, text.index("Prosecutors"))
    assert starts_paragraph(indented(65), indented(65).index("Abdelkader"))
    one_a_line = "\n".join([LEAD, CHARGED]) + "\n"
    assert starts_paragraph(one_a_line, one_a_line.index("Abdelkader"))


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["Windows", "old Mac"])
def test_line_breaks_as_other_platforms_write_them(tmp_path, newline):
    from pathlib import Path

    from qa.api import Assistant

    corpus = Path(tmp_path) / "corpus"
    corpus.mkdir()
    (corpus / "wrapped.txt").write_bytes(blank_lines(60).replace("\n", newline).encode())
    a = Assistant(settings=corpora.fake_settings(corpus, Path(tmp_path) / "index"))
    assert a._live().store.article("wrapped")["title"] == "Toulouse gunman's brother charged"
    sentences = [" ".join(c.sentence_text(s).split()) for c in stored(a, "wrapped") for s in c.sentences]
    assert sentences == [LEAD.split(". ")[0] + ".", LEAD.split(". ")[1], CHARGED, FAMILY]


def test_a_quote_from_a_wrapped_article_reads_as_one_line_and_is_cited_exactly(tmp_path):
    a = corpora.small_assistant(tmp_path, {"wrapped": blank_lines(60), "harbor": corpora.HARBOR})
    ans = a.ask("Who was charged over the shootings in Toulouse?")
    assert CHARGED in ans.answer  # the answer's prose: the sentence as written, without the column's line breaks
    source = a._live().store.article("wrapped")["text"]
    quote = next(s for s in ans.sentences if "Abdelkader" in s["text"])
    assert "\n" in quote["text"] and source[quote["start"] : quote["end"]] == quote["text"]  # the quote: the source's own


def test_a_long_headline_right_above_the_wrapped_text_stays_the_title(tmp_path):
    headline = "Toulouse Gunman's Older Brother Charged Over the March Shootings"  # as long as the wrapped lines
    text = headline + "\n" + textwrap.fill(LEAD, 64) + "\n\n" + textwrap.fill(CHARGED, 64) + "\n"
    a = corpora.small_assistant(tmp_path, {"wrapped": text})
    assert a._live().store.article("wrapped")["title"] == headline
    sentences = [" ".join(c.sentence_text(s).split()) for c in stored(a, "wrapped") for s in c.sentences]
    assert sentences == [LEAD.split(". ")[0] + ".", LEAD.split(". ")[1], CHARGED]
