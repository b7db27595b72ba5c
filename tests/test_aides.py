"""A question for someone's aide ("What did Putin's spokesman say about Aleppo?") is answered by what the aide said for
them, never by their own words as if they were the aide's (qa/query/aides.py, qa/answer/attribution.py)."""

import corpora

from qa.query.aides import asked_aide

PUTIN = ("Putin on Aleppo\n\nMOSCOW, Oct 12 (Reuters) - President Vladimir Putin said on Wednesday that Aleppo's rebels had "
         "refused every offer of a ceasefire in Aleppo and that Russia would go on supporting the Syrian army around Aleppo.\n")
PESKOV = ("Kremlin on criticism\n\nMOSCOW, Oct 13 (Reuters) - Putin's spokesman, Dmitry Peskov, said the Kremlin regretted the "
          "Western criticism of the operation in Aleppo but would not change course.\n")
MARKETS = "Markets\n\nShares in Moscow fell on Wednesday as oil prices dropped, traders said.\n"


def test_the_aides_asked_for():
    assert asked_aide("What did Putin's spokesman say about Aleppo?") == "Putin's spokesman"
    assert asked_aide("What did Trump’s lawyers tell the court?") == "Trump's lawyers"
    assert asked_aide("According to Erdogan's spokesman, who planned the coup?") == "Erdogan's spokesman"
    assert asked_aide("What did Putin say about Aleppo?") is None
    assert asked_aide("What did the victim's mother say?") is None  # nobody named
    assert asked_aide("What did Tesla's teachers believe he was doing?") is None  # no aide


def test_an_aides_words_not_the_principals(tmp_path):
    a = corpora.small_assistant(tmp_path, {"putin": PUTIN, "peskov": PESKOV, "markets": MARKETS})
    query = a.query("What did Putin's spokesman say about Aleppo?")
    assert (query.speaker, query.body) == ("Putin's spokesman", True)
    ans = a.ask("What did Putin's spokesman say about Aleppo?")
    assert not ans.abstained and ans.sentences
    assert all("Peskov" in s["text"] for s in ans.sentences), ans.answer  # never "Putin said …" as the spokesman's
    own = a.ask("What did Putin say about Aleppo?")
    assert own.sentences and "President Vladimir Putin said" in own.sentences[0]["text"], own.answer


def test_what_is_said_for_a_body_or_an_aide():
    from qa.answer.attribution import speaks_for

    assert speaks_for("According to the Pentagon, the strike hit a depot.", "Pentagon")  # at a sentence's start
    assert speaks_for("Putin’s spokesman said the Kremlin would respond.", "Putin's spokesman")
    assert speaks_for("Trump's lawyers said the report was false.", "Trump's lawyer")
    assert not speaks_for("Putin said the Kremlin would respond.", "Putin's spokesman")  # his own words
    assert not speaks_for("Near the Pentagon, Russia said, the drills went on.", "Pentagon")
