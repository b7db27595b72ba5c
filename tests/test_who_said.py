"""“Who said "…"?” (qa.answer.who_said): the quotation checked against the corpus, answered with the sentences that
write it, each cited verbatim, and who says it in each."""

from __future__ import annotations

import pytest

from qa.answer.who_said import asked_quote

QUOTE = "Zarnovia will never accept the Orlen dam"


@pytest.mark.parametrize(
    ("question", "quote"),
    [
        (f'Who said "{QUOTE}"?', QUOTE),
        (f"who said “{QUOTE}”", QUOTE),
        (f"Who first said ‘{QUOTE}’?", QUOTE),
        ("Which minister said 'we can't wait'?", "we can't wait"),
        (f'Who is quoted as saying "{QUOTE}"?', QUOTE),
        (f'Who said "{QUOTE}" in October 2016?', QUOTE),  # the period filters (the question's own)
        (f'Who said "{QUOTE}", before the talks?', QUOTE),
        ("Who said that Keldland would finish the dam?", None),  # no quotation: an ordinary question
        ('Who wrote "The Hidden Prosperity of the Poor"?', None),  # a work's author, not whose words
        ('What did Varga say about "the dam"?', None),
        ('Who said ""?', None),
    ],
)
def test_a_who_said_question_names_its_quotation(question, quote):
    assert asked_quote(question) == quote


def test_who_said_cites_the_sentences_that_write_it_and_who_says_them(news):
    answer = news.ask(f'Who said "{QUOTE}"?')
    assert not answer.abstained and answer.citations
    assert any("Varga" in n for n in answer.notes), answer.notes
    for c in answer.citations:  # each citation is the article's own characters
        assert news.article(c.doc_id)["text"][c.start:c.end] == c.text and QUOTE.lower() in c.text.lower()
    dates = [c.date for c in answer.citations if c.date]
    assert dates == sorted(dates)


def test_who_said_abstains_when_no_article_writes_it(news):
    answer = news.ask('Who said "the moon is made of green cheese"?')
    assert answer.abstained and any("No article writes" in n for n in answer.notes)


def test_who_said_keeps_to_the_filters(news):
    """"The Orlen dam" is written in every outlet: asked of one outlet, or of a period, only those are cited."""
    everywhere = news.ask('Who said "the Orlen dam"?')
    assert len({c.source for c in everywhere.citations}) > 2
    only = news.ask('Who said "the Orlen dam"?', source="Reuters")
    assert only.citations and {c.source for c in only.citations} == {"Reuters"}
    later = news.ask('Who said "the Orlen dam"?', since="2017-01-01")
    assert later.citations and all(c.date and c.date >= "2017-01-01" for c in later.citations)


def test_who_said_in_a_period_cites_only_that_period(news):
    later = news.ask('Who said "the Orlen dam" in 2017?')
    assert later.citations and all(c.date and c.date.startswith("2017") for c in later.citations)
