"""When a date in a question restricts the articles (publication dates) and when it is about the event."""

from __future__ import annotations

import datetime as dt

import pytest

import corpora
from qa.query.analyze import analyze

FIRST, LATEST = dt.date(2016, 10, 1), dt.date(2017, 9, 30)


@pytest.mark.parametrize(
    ("question", "restricts"),
    [
        ("What did Lavrov say in May 2016?", True),  # what was said: publication dates, even outside the corpus' range
        ("How did the position on Aleppo change between October and December 2016?", True),
        ("What happened in Aleppo in November 2016?", True),  # within the corpus' dates
        ("Who won the 1998 election?", False),  # an event long before the articles
        ("What was built in 1950 near the river?", False),
        ("Who won the election in May 2018?", True),  # after the newest article: nothing can report it
        ("What happened in 2020?", True),
        ("Who was expected to win the election in May 2018?", False),  # what was expected then: earlier articles say
        ("Who will win the election in May 2018?", False),
        ("What is planned for 2019?", False),
    ],
)
def test_a_dated_corpus(question, restricts):
    q = analyze(question, reference=LATEST, earliest=FIRST, archive_end=LATEST)
    assert (q.period is not None) == restricts
    assert (q.filters.since or q.filters.until) if restricts else not (q.filters.since or q.filters.until)


def test_a_mostly_undated_corpus_has_no_end():
    """One article of many dated (a date found in its text): a later year is still the event's, not after the archive."""
    q = analyze("How many teams were in the league in 1999?", reference=dt.date(1949, 9, 21), earliest=dt.date(1949, 9, 21),
                published_within=lambda since, until: False, archive_end=None)
    assert q.period is None and "1999" in q.terms


def test_the_archive_ends_at_its_newest_article_only_when_most_articles_are_dated(tmp_path, news):
    from qa.api import Assistant

    assert news.answerer.store.archive_end() == news.answerer.store.date_range()[1]
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "dated.txt").write_text("Title: Bridge opens\nDate: 2016-05-02\n\nThe bridge over the Orlen opened on Monday.\n")
    for i, topic in enumerate(("salmon return to the river", "the tram line reopens", "a museum adds a wing")):
        (corpus / f"undated{i}.txt").write_text(f"Notes {i}\n\nIn the valley, {topic}, residents said.\n")
    a = Assistant(settings=corpora.fake_settings(corpus, tmp_path / "index"))
    store = a.answerer.store
    assert store.date_range()[1] == "2016-05-02" and store.archive_end() is None
    assert a.query("Who opened the bridge in 2019?").period is None  # the year is the event's
    assert not any("newest article" in n for n in a.ask("Who opened the bridge in 2019?").notes)


def test_a_few_dated_articles_never_hide_the_undated_rest(tmp_path):
    """Mostly undated texts (dates found in a few of them, as in pages or feeds without metadata): a period the
    question names is the event's, so the undated article that answers stays searchable (it was filtered out)."""
    a = corpora.small_assistant(tmp_path, {
        "dated": "Title: Bridge opens\nDate: 2016-05-02\n\nThe bridge over the Orlen opened on Monday.\n",
        "tram": "Tram line reopens\n\nIn May 2016 the tram line to Velmora reopened after repairs, "
                "and the transport office said 4,000 riders used it on the first day.\n",
        "museum": "Museum wing\n\nThe museum in Keldmouth added a wing for river maps.\n"})
    for question in ("How many riders used the tram line in May 2016?", "What did the transport office say in May 2016?"):
        query = a.query(question)
        assert query.period is None and not query.filters.since, question
        ans = a.ask(question)
        assert not ans.abstained and ans.citations[0].doc_id == "tram", question
    assert a.query("What opened in May 2016?", since="2016-05-01", until="2016-05-31").filters.since == "2016-05-01"


def test_an_undated_corpus_never_filters_by_a_date_in_the_question():
    q = analyze("What did the council decide in 1998?", reference=None, earliest=None, corpus_dated=False)
    assert q.period is None and "1998" in q.terms


def test_explicit_dates_always_restrict():
    q = analyze("Who won the 1998 election?", since="2016-01-01", reference=None, earliest=None, corpus_dated=False)
    assert q.filters.since == "2016-01-01" and q.period is not None


def test_a_year_no_article_was_published_in_is_about_the_event():
    """An archive whose few dated articles lie decades apart: a year between them with no article is the event's."""
    first, latest = dt.date(1943, 1, 7), dt.date(2016, 2, 7)
    published = {"2013"}  # the only year between those with an article

    def within(since, until):
        return any((since or "") <= f"{y}-06-01" <= (until or "9999") for y in published)

    q = analyze("What was NTL Telewest re-branded to in 2007?", reference=latest, earliest=first, published_within=within)
    assert q.period is None and "2007" in q.terms and not q.filters.since
    q = analyze("How many drugs were approved in 2013?", reference=latest, earliest=first, published_within=within)
    assert q.period is not None and q.filters.since == "2013-01-01"
    q = analyze("What did the minister say in 2007?", reference=latest, earliest=first, published_within=within)
    assert q.period is not None  # what was said then: publication dates, even with no article from then


def test_the_store_knows_whether_an_article_was_published_in_a_period(news):
    store = news.index.store
    first, latest = store.date_range()
    assert store.published_within(first, first) and store.published_within(None, latest)
    assert not store.published_within("1901-01-01", "1901-12-31")


def test_a_time_after_the_newest_article_is_said(news):
    latest = news.answerer.store.date_range()[1]
    later = int(latest[:4]) + 2
    ans = news.ask(f"What happened to the Orlen dam in {later}?")
    assert ans.abstained and not ans.citations  # nothing in the archive can report what happened then
    notice = f"No article from {later} answers this: the newest is from {latest}, and the articles cannot report what happened then."
    assert ans.notes[0] == notice + " What they said before: see the suggestions.", ans.notes
    assert not any(n.startswith("The newest article") for n in ans.notes)  # said once
    assert ans.outside_period and all(c.date is None or c.date <= latest for c in ans.outside_period)  # what they said before
    changed = news.ask(f"How did Varga's position on the Orlen dam change in {later}?")  # one reason, not a speaker's
    assert changed.abstained and changed.notes == [changed.notes[0]] and "cannot report what was said" in changed.notes[0]
    said = news.ask(f"What did the minister say about the Orlen dam in {later}?")
    assert said.abstained and "the articles cannot report what was said then." in said.notes[0], said.notes
    expected = news.ask(f"What was expected for the Orlen dam in {later}?")  # what was expected: written before then
    assert any(n.startswith(f"The newest article is from {latest}, before {later}: what they say") for n in expected.notes)
    assert not any("newest article" in n for n in news.ask("What happened to the Orlen dam?").notes)
    assert not any("newest article" in n for n in news.ask(f"What happened to the Orlen dam in {latest[:4]}?").notes)
