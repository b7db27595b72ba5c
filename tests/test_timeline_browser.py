"""The Timeline tab in a real Chromium (Debian's /usr/bin/chromium, driven by Playwright): the chart of statements per
period matches the statements listed under it, a topic nobody covers gets a sentence, and nothing reads "NaN".
Screenshots go to /tmp/shots/ (QA_SHOTS)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = Path(os.environ.get("QA_SHOTS", "/tmp/shots"))
T = 60_000  # ms: generous for a loaded 2-core machine


@pytest.fixture(scope="module")
def page(chromium, ui_server):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.set_default_timeout(T)
    pg.goto(ui_server.url)
    pg.get_by_role("tab", name="Timeline").click()
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield pg
    context.close()


def build(page, topic: str) -> None:
    """Type a topic, build its timeline, wait until the statements list shows this topic."""
    page.fill("#qa-topic textarea", topic)
    page.click("#qa-timeline-btn")
    page.wait_for_function("t => document.querySelector('#qa-timeline').innerText.includes(t)", arg=topic, timeout=T)


def bucket_start(day: str, bucket: str) -> str:
    d = dt.date.fromisoformat(day)
    if bucket == "week":
        d -= dt.timedelta(days=d.weekday())
    elif bucket == "month":
        d = d.replace(day=1)
    return d.isoformat()


def no_nan(page) -> None:
    assert "NaN" not in page.locator("body").inner_text()
    assert "NaN" not in page.locator("#qa-plot").inner_html()


def test_chart_has_one_bar_per_period_and_outlet_of_the_listed_statements(page):
    build(page, "humanitarian pause in Aleppo")
    page.locator("#qa-timeline .qa-entry").first.wait_for(state="visible")
    page.locator("#qa-plot rect.qa-bar").first.wait_for(state="visible")
    dates = page.locator("#qa-timeline .qa-date").all_inner_texts()
    outlets = [m.split(" · ")[0] for m in page.locator("#qa-timeline .qa-meta").all_inner_texts()]
    dated = [(d, o) for d, o in zip(dates, outlets) if d != "undated"]
    assert len(dated) >= 2
    chart = page.locator("#qa-plot .qa-chart")
    bucket = chart.get_attribute("data-bucket")
    assert int(chart.get_attribute("data-total")) == len(dated)
    bars = page.locator("#qa-plot rect.qa-bar")
    drawn = [(b.get_attribute("data-period"), b.get_attribute("data-series"), int(b.get_attribute("data-count")))
             for b in bars.all()]
    by_outlet = 1 < len({o for _, o in dated}) <= 6
    expected: dict[tuple[str, str], int] = {}
    for d, o in dated:
        key = (bucket_start(d, bucket), o if by_outlet else "statements")
        expected[key] = expected.get(key, 0) + 1
    assert {(p, s): c for p, s, c in drawn} == expected and len(drawn) == len(expected)
    labels = page.locator("#qa-plot text.qa-xtick").all()
    boxes = [lb.bounding_box() for lb in labels]
    assert boxes and all(a["x"] + a["width"] <= b["x"] for a, b in zip(boxes, boxes[1:]))  # no label overlaps the next
    assert page.locator("#qa-plot svg").bounding_box()["height"] > 100
    no_nan(page)
    page.screenshot(path=str(SHOTS / "timeline_chart.png"), full_page=True)


def test_a_question_naming_a_speaker_is_charted_by_that_speaker(page):
    build(page, "How did Lavrov's position on Aleppo change?")
    page.locator("#qa-plot rect.qa-bar").first.wait_for(state="visible")
    series = {b.get_attribute("data-series") for b in page.locator("#qa-plot rect.qa-bar").all()}
    assert series == {"Lavrov"}
    assert "Lavrov" in page.locator("#qa-plot .qa-legend").first.text_content()
    dated = [d for d in page.locator("#qa-timeline .qa-date").all_inner_texts() if d != "undated"]
    assert sum(int(b.get_attribute("data-count")) for b in page.locator("#qa-plot rect.qa-bar").all()) == len(dated)
    no_nan(page)


def test_a_topic_nobody_covers_gets_a_clear_message(page):
    build(page, "FIFA World Cup final")
    page.wait_for_function("() => document.querySelector('#qa-plot .qa-empty') !== null", timeout=T)
    assert "No dated statement on “FIFA World Cup final”" in page.locator("#qa-plot").inner_text()
    assert "No article speaks to" in page.locator("#qa-timeline").inner_text()
    assert page.locator("#qa-plot rect.qa-bar").count() == 0 and page.locator("#qa-plot svg").count() == 0
    no_nan(page)
    page.screenshot(path=str(SHOTS / "timeline_empty.png"), full_page=True)
