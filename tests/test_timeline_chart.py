"""The Timeline chart: statements per day/week/month from the library (`statement_counts`), drawn by
ui/timeline_chart.py; readable with one statement or three hundred, a sentence when there is nothing to draw."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from qa.answer.timeline import statement_counts
from ui.timeline_chart import CHAR_PX, chart_html

OUTLETS = ["BBC", "CNN", "TASS", "DW", "Al Jazeera", "ABC News", "RTÉ", "HuffPost"]


def entries(n: int, first: str, days: int, outlets: list[str], seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    start = dt.date.fromisoformat(first)
    return [{"date": (start + dt.timedelta(days=rnd.randrange(days + 1))).isoformat(), "source": rnd.choice(outlets),
             "doc_id": f"d{i}", "text": "x", "start": 0, "end": 1, "score": 0.5, "undated": False, "change": None}
            for i in range(n)]


def bars(html: str) -> list[dict]:
    return [dict(zip(("x", "width", "series", "count"), (float(m[0]), float(m[1]), m[2], int(m[3]))))
            for m in re.findall(r'<rect class="qa-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="[\d.]+" fill="[^"]+" '
                                r'data-period="[^"]+" data-series="([^"]*)" data-count="(\d+)"', html)]


def xlabels(html: str) -> list[tuple[float, str]]:
    return [(float(x), t) for x, t in re.findall(r'<text class="qa-xtick" x="([\d.]+)"[^>]*>([^<]*)</text>', html)]


@pytest.mark.parametrize(
    ("days", "bucket", "periods"),
    [(0, "day", 1), (20, "day", 21), (90, "week", None), (364, "month", 12)],
)
def test_bucket_follows_the_span(days, bucket, periods):
    got = statement_counts(entries(40, "2016-04-01", days, OUTLETS[:3]) + [{"date": "2016-04-01", "source": "BBC"}])
    assert got["bucket"] == bucket
    assert periods is None or len(got["periods"]) == periods
    assert sum(p["total"] for p in got["periods"]) == 41
    starts = [p["start"] for p in got["periods"]]
    assert starts == sorted(starts) and all(p["start"] <= p["end"] for p in got["periods"])
    if bucket == "week":
        assert all(dt.date.fromisoformat(s).weekday() == 0 for s in starts)


def test_series_by_speaker_outlet_or_one():
    few = entries(10, "2017-03-01", 10, OUTLETS[:3])
    assert statement_counts(few, "Lavrov")["series"] == ["Lavrov"]
    assert statement_counts(few)["by"] == "outlet" and set(statement_counts(few)["series"]) <= set(OUTLETS[:3])
    many = statement_counts(entries(50, "2017-03-01", 10, OUTLETS))
    assert many["by"] == "all" and many["series"] == ["statements"]
    undated = statement_counts([{"date": None, "source": "BBC"}])
    assert undated["periods"] == [] and undated["undated"] == 1


@pytest.mark.parametrize(("n", "days", "outlets"), [(1, 0, OUTLETS[:1]), (300, 364, OUTLETS), (300, 120, OUTLETS[:4]), (300, 30, OUTLETS[:2])])
def test_chart_is_readable_with_one_or_three_hundred_statements(n, days, outlets):
    counts = statement_counts(entries(n, "2016-04-01", days, outlets))
    html = chart_html(counts, "sanctions")
    drawn = bars(html)
    assert sum(b["count"] for b in drawn) == n
    assert len(drawn) == sum(1 for p in counts["periods"] for c in p["counts"].values() if c)
    labels = xlabels(html)
    assert labels and labels[0][1] == counts["periods"][0]["label"]
    for (x1, t1), (x2, t2) in zip(labels, labels[1:]):  # no two labels overlap
        assert x2 - x1 >= (len(t1) + len(t2)) / 2 * CHAR_PX, (t1, t2)
    assert "NaN" not in html and "undefined" not in html and "None" not in html
    assert all(b["width"] >= 1 for b in drawn)


def test_legend_names_each_series_once():
    html = chart_html(statement_counts(entries(30, "2017-03-01", 20, OUTLETS[:3])), "Syria")
    legend = re.findall(r'<g class="qa-legend">.*?<text[^>]*>([^<]*)</text></g>', html)
    assert sorted(legend) == sorted(set(legend)) and set(legend) <= set(OUTLETS[:3])
    one = chart_html(statement_counts(entries(30, "2017-03-01", 20, OUTLETS)), "Syria")
    assert 'class="qa-legend"' not in one


@pytest.mark.parametrize("counts", [None, {"periods": [], "undated": 0}, statement_counts([])])
def test_an_empty_topic_gets_a_sentence_not_a_chart(counts):
    html = chart_html(counts, "FIFA World Cup final")
    assert "<svg" not in html and "No dated statement" in html and "NaN" not in html
    assert "<svg" not in chart_html(None, "") and "Enter a topic" in chart_html(None, "")
    assert "2 from undated articles" in chart_html({"periods": [], "undated": 2}, "x")


def test_markup_in_a_topic_or_outlet_is_text():
    html = chart_html(statement_counts([{"date": "2017-03-01", "source": "<b>X</b>"}, {"date": "2017-03-02", "source": "Y"}]), "<i>t</i>")
    assert "<b>" not in html and "<i>" not in html and "&lt;b&gt;" in html


def test_the_timeline_tab_charts_the_statements_it_lists(news):
    """Handlers.timeline_view over the news corpus (fake encoder): the bars count exactly the dated statements listed."""
    from ui.handlers import Handlers

    h = Handlers(news)
    chart, listing = h.timeline_view("Varga on the Orlen dam", "", "", "All sources")
    dated = re.findall(r'<span class="qa-date">(\d{4}-\d{2}-\d{2})</span>', listing)
    assert dated and sum(b["count"] for b in bars(chart)) == len(dated)
    assert f'data-total="{len(dated)}"' in chart and "NaN" not in chart
    speaker_chart, _ = h.timeline_view("How did Varga's position on the Orlen dam change?", "", "", "All sources")
    assert {b["series"] for b in bars(speaker_chart)} == {"Varga"}
    empty, listing = h.timeline_view("FIFA World Cup final", "", "", "All sources")
    assert "No dated statement" in empty and "<svg" not in empty and "No article speaks" in listing
    _, error = h.timeline_view("Orlen", "someday", "", None)
    assert "qa-error" in error and "not a date like" in error


def test_the_statement_list_keeps_ids_offsets_and_scores_behind_details():
    from ui.render import timeline_html

    html = timeline_html([{**e, "title": "Sanctions stay"} for e in entries(2, "2017-03-01", 3, ["TASS"])], "sanctions")
    visible = re.sub(r"<details.*?</details>", "", html, flags=re.S)
    assert "TASS" in visible and "d0" not in visible and "score" not in visible
    assert re.search(r'<details class="qa-internals"><summary>details</summary><span class="qa-ids">d0 0–1 · score 0.500', html)
