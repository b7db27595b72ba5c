"""qa.corpus.dates: publication-date resolution and how it was found."""

from __future__ import annotations

import datetime as dt

import pytest

from qa.corpus.dates import explicit_years, resolve_date

CORPUS = [2016, 2017]


def test_explicit_years() -> None:
    text = "In April 2016 talks stalled; date 2017-01-25. Resolution 2254, 2 million people, 1850, 2100."
    assert explicit_years(text) == [2016, 2017]
    assert explicit_years("nothing here") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("MOSCOW, October 21. /TASS/. Russia is alarmed by a refusal. Lavrov said on Friday.", "2016-10-21"),
        ("ATHENS, November 2. /TASS/. Moscow still expects Washington, Lavrov said on Wednesday.", "2016-11-02"),
        ("MOSCOW, September 8. /TASS/. Moscow shares Paris' concern, Lavrov said on Friday.", "2017-09-08"),
        ("Title\n\nWASHINGTON, Sept 3 (Reuters) - Officials said on Sunday.", "2017-09-03"),
        ("BEIRUT, Dec. 19. /TASS/. The envoy arrived on Monday.", "2016-12-19"),
        ("GENEVA, March 14. /TASS/. Talks resumed on Tuesday.", "2017-03-14"),
        ("MOSCOW, july 4. /TASS/. The minister said on Monday.", "2016-07-04"),
    ],
)
def test_dateline_weekday(text: str, expected: str) -> None:
    assert resolve_date(text, corpus_years=CORPUS) == (expected, "dateline+weekday")


def test_explicit_header_date_beats_dateline() -> None:
    text = " date 2017-01-25 Back to Main page\nRussian Aerospace Forces\nMOSCOW, January 25. /TASS/. said on Wednesday"
    assert resolve_date(text, corpus_years=CORPUS) == ("2017-01-25", "explicit")


@pytest.mark.parametrize(
    "header",
    ["Posted January 25, 2017 by TASS", "Posted 25 January 2017", "Posted Jan. 25, 2017", "Updated 25th Jan 2017"],
)
def test_explicit_formats(header: str) -> None:
    assert resolve_date(header + "\nBody text.") == ("2017-01-25", "explicit")


def test_ambiguous_and_body_dates_are_not_explicit() -> None:
    assert resolve_date("Posted 25.01.2017\nBody text.") == (None, "unknown")
    assert resolve_date("In April 2016 the committee suspended talks.") == (None, "unknown")
    assert resolve_date("January 25, 14:44 UTC+3\nBody") == (None, "unknown")


def test_explicit_only_in_header() -> None:
    text = "x" * 700 + " Posted January 25, 2017"
    assert resolve_date(text) == (None, "unknown")
    assert resolve_date(text, header_chars=800) == ("2017-01-25", "explicit")


def test_tie_is_ambiguous() -> None:
    # October 21 was a Friday in 2016 and 2022, both 3 years from 2019.
    text = "MOSCOW, October 21. /TASS/. Lavrov said on Friday."
    assert resolve_date(text, corpus_years=[2019]) == (None, "unknown")


def test_no_weekday_never_invents_a_year() -> None:
    text = "MOSCOW, October 21. /TASS/. Lavrov said the talks would continue."
    assert resolve_date(text, corpus_years=CORPUS) == (None, "unknown")


def test_weekday_too_far_after_dateline() -> None:
    text = "MOSCOW, October 21. /TASS/. " + "Talks. " * 100 + "He said on Friday."
    assert resolve_date(text, corpus_years=CORPUS) == (None, "unknown")


def test_reference_years_from_article_when_corpus_empty() -> None:
    text = "MOSCOW, October 21. /TASS/. Lavrov said on Friday. In April 2016 the talks stalled."
    assert resolve_date(text) == ("2016-10-21", "dateline+weekday")
    assert resolve_date(text, corpus_years=[]) == ("2016-10-21", "dateline+weekday")
    assert resolve_date("MOSCOW, October 21. /TASS/. Lavrov said on Friday.") == (None, "unknown")


def test_dateline_needs_capitalised_place() -> None:
    text = "Moscow, October 21. Lavrov said on Friday."
    assert resolve_date(text, corpus_years=CORPUS) == (None, "unknown")


def test_metadata_wins_over_text() -> None:
    text = " date 2017-01-25 Back to Main page\nMOSCOW, January 25. /TASS/. said on Wednesday"
    assert resolve_date(text, metadata_date="2016-03-01", corpus_years=CORPUS) == ("2016-03-01", "metadata")


@pytest.mark.parametrize(
    "value",
    ["2017-01-25", "2017-01-25T14:44:00+03:00", "2017-01-25T23:30:00Z", "Wed, 25 Jan 2017 14:44:00 +0300",
     "January 25, 2017", "25 January 2017"],
)
def test_metadata_formats(value: str) -> None:
    assert resolve_date("no date here", metadata_date=value) == ("2017-01-25", "metadata")


@pytest.mark.parametrize("value", ["not a date", "", "   ", "January 2017", "2017", "yesterday"])
def test_unparseable_metadata_falls_through(value: str) -> None:
    text = "MOSCOW, October 21. /TASS/. Lavrov said on Friday."
    assert resolve_date(text, metadata_date=value, corpus_years=CORPUS) == ("2016-10-21", "dateline+weekday")


def test_feb_29_only_in_leap_years() -> None:
    monday = resolve_date("MOSCOW, February 29. /TASS/. He said on Monday.", corpus_years=CORPUS)
    assert monday == ("2016-02-29", "dateline+weekday")
    for weekday in ("Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        date, method = resolve_date(f"MOSCOW, February 29. /TASS/. He said on {weekday}.", corpus_years=CORPUS)
        assert method == "dateline+weekday" and date is not None
        parsed = dt.date.fromisoformat(date)
        assert (parsed.month, parsed.day) == (2, 29) and parsed.strftime("%A") == weekday
    assert resolve_date("Posted February 29, 2017\nBody") == (None, "unknown")
    assert resolve_date("Posted February 29, 2016\nBody") == ("2016-02-29", "explicit")


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # other outlets' plain-text pages: the publication date wherever the header puts it
        ("Trump signs order\nMarch 7, 2017 / 2:15 PM\nWASHINGTON (Reuters) - President Donald Trump on Tuesday signed.", "2017-03-07"),
        ("Business News | Tue Mar 7, 2017 | 2:15pm EST\nTrump signs order\nWASHINGTON (Reuters) - Trump signed.", "2017-03-07"),
        ("Trump signs order\nWASHINGTON, March 7, 2017 (Reuters) - Trump signed an order.", "2017-03-07"),
        ("Talks resume\n1 March 2017\nThe talks resumed in Geneva.", "2017-03-01"),
        ("Scotland vote\nBy Jane Smith\nBBC News\n12 March 2017\nThe first minister said.", "2017-03-12"),
        ("Scotland vote\nBy Jane Smith BBC News 12 March 2017\nThe first minister said.", "2017-03-12"),
        ("Story\nUpdated 1:32 PM ET, Tue March 7, 2017\n(CNN) The president said.", "2017-03-07"),
        ("Story\nPublished: 14:02 GMT, 2 March 2017 | Updated: 16:40 GMT, 3 March 2017\nText.", "2017-03-02"),
        ("Story\nPublished on the 7th of March 2017\nText.", "2017-03-07"),
        ("Story\nTuesday 7 March 2017\nText.", "2017-03-07"),
    ],
)
def test_header_dates_of_other_outlets(text: str, expected: str) -> None:
    assert resolve_date(text) == (expected, "explicit")


@pytest.mark.parametrize(
    "text",
    [  # never invent a date: the story's own dates and self-contradicting ones are not the publication date
        "Trump signs order\nWASHINGTON (Reuters) - Trump signed an order on January 20, 2017, his first day.",
        "LONDON (Reuters) - Britain will trigger Article 50 on March 29, 2017, May's spokesman said.",
        "Story\n(CNN) The summit on 7 March 2017 was cancelled.",
        "Story\n(CNN)The summit on 7 March 2017 was cancelled.",
        "Story\nUpdated 1:32 PM ET, Wed March 7, 2017\n(CNN) The president said.",  # March 7, 2017 was a Tuesday
        "MOSCOW, October 21. /TASS/. The talks of January 25, 2017 went well.",
    ],
)
def test_story_dates_and_contradictions_are_not_publication_dates(text: str) -> None:
    assert resolve_date(text) == (None, "unknown")
