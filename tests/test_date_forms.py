"""Newsrooms abbreviate a month before a day ("Jan. 12", "Sept. 3") and questions write it in full, or with an
ordinal ("January 12th"): each finds the other (qa/text/calendar.py `date_forms`, qa/query/analyze.py)."""

import corpora

from qa.query.analyze import analyze
from qa.text.calendar import date_forms

TEXTS = {
    "burst": "Dam burst\n\nThe old dam on the Orlen river burst on Jan. 12, flooding three villages downstream, "
             "officials in Keldland said.\n",
    "vote": "Council vote\n\nThe council of Velmora voted in January to close the harbor for repairs, a spokesman said "
            "on Tuesday.\n",
    "storm": "Storm season\n\nForecasters in Zarnovia warned of a severe storm season, with heavy rain expected in "
             "October and November.\n",
}


def test_months_and_ordinal_days_have_their_news_forms():
    assert date_forms("january") == ["jan."] and date_forms("jan") == ["january"]
    assert date_forms("sept") == ["september", "sep."] and date_forms("march") == []
    assert date_forms("12th", with_month=True) == ["12"] and date_forms("12th") == []  # "the 12th Battalion"
    assert analyze("Who led the 1st Battalion?").alternatives == {}


def test_a_date_written_in_full_finds_the_abbreviated_one(tmp_path):
    a = corpora.small_assistant(tmp_path, TEXTS)
    for question in ("What happened on January 12th?", "What happened on Jan 12?"):
        assert a.search(question, k=1, mode="lexical")[0]["doc_id"] == "burst", question  # not January's vote
    ans = a.ask("What happened on Jan 12?")
    assert not ans.abstained and ans.citations[0].doc_id == "burst"
