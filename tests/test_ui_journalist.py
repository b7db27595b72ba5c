"""The app a journalist keeps open, in a real Chromium (Debian's /usr/bin/chromium, Playwright): a first screen that
orients, answers carried out as Markdown, a permalink, a conversation that survives a reload, sources once,
honest periods, a dated list for change over time, an upload answerable at once, a 390 px phone, the keyboard.

Each test opens its own browser context (its own localStorage); all share the session's server (`ui_server`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = Path(os.environ.get("QA_SHOTS", "/tmp/shots"))
T = 60_000
MOSUL = "What will Moscow do if Islamic State militants move from Mosul to Syria?"
MOSUL_TITLE = "Moscow to take steps if Islamic State moves from Mosul to Syria — Lavrov"
PAUSE = "Why was the humanitarian pause near Aleppo initiated?"
TARVESK = """Tarvesk opens its first cable-stayed bridge

TARVESK, June 3, 2017 (Coastal Wire). The city of Tarvesk opened the Halden bridge on Saturday, its first cable-stayed bridge over the Vinna river.

The Halden bridge is 740 metres long and carries four lanes of traffic and a tram line, the mayor of Tarvesk said at the opening.

Construction of the Halden bridge took six years and cost 210 million euros.
"""


@pytest.fixture
def open_page(chromium, ui_server):
    """open_page(query="", width=1400, height=1000, context=None) -> a page on the app (a new context unless given)."""
    contexts = []

    def _open(query: str = "", width: int = 1400, height: int = 1000, context=None):
        if context is None:
            context = chromium.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
            context.grant_permissions(["clipboard-read", "clipboard-write"], origin=ui_server.url.rstrip("/"))
            contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(T)
        page.goto(ui_server.url + query)
        page.wait_for_selector("html[data-qa-ready='1']")  # the kept conversation (or the permalink's answer) is shown
        return page

    SHOTS.mkdir(parents=True, exist_ok=True)
    yield _open
    for c in contexts:
        c.close()


def answers(page):
    return page.locator("#qa-chat .qa-answer")


def ask(page, question: str, press_enter: bool = False):
    """Type a question and send it; wait for the new answer; returns its locator."""
    before = answers(page).count()
    page.fill("#qa-question textarea", question)
    if press_enter:
        page.press("#qa-question textarea", "Enter")
    else:
        page.click("#qa-ask")
    page.wait_for_function("n => document.querySelectorAll('#qa-chat .qa-answer').length > n", arg=before, timeout=T)
    page.wait_for_function("() => location.search.includes('q=')", timeout=T)  # the page has caught up with the answer
    return answers(page).nth(before)


def bottom(locator) -> float:
    box = locator.bounding_box()
    return box["y"] + box["height"]


def test_the_first_screen_orients(open_page):
    page = open_page()
    line = page.locator("#qa-corpus-line").inner_text()
    m = re.search(r"(\d[\d,]*) articles from (\d+) outlets?, ([A-Z][a-z]{2} \d{4}) – ([A-Z][a-z]{2} \d{4})", line)
    assert m, line
    page.get_by_role("tab", name="Corpus").click()
    summary = page.locator("#tab-corpus").inner_text()
    assert f"{m.group(1)} articles" in summary  # the same count as the corpus list
    page.get_by_role("tab", name="Chat").click()
    examples = page.locator("#qa-examples button")
    assert examples.count() == 3 and all(t.strip().endswith("?") for t in examples.all_inner_texts())
    for sel in ("#qa-corpus-line", "#qa-question", "#qa-since", "#qa-until", "#qa-source", "#qa-examples"):
        assert page.locator(sel).is_visible() and bottom(page.locator(sel)) <= 1000, f"{sel} is below the fold"
    page.screenshot(path=str(SHOTS / "first_screen.png"))


def test_copy_answer_puts_markdown_with_numbered_sources_on_the_clipboard(open_page, ui_server):
    page = open_page()
    answer = ask(page, MOSUL)
    answer.locator("a.qa-copy").click()
    page.wait_for_function("() => document.querySelector('#qa-chat a.qa-copy').textContent.includes('Copied')")
    md = page.evaluate("() => navigator.clipboard.readText()")
    assert md == page.evaluate("() => window.qaAnswerMarkdown(0)")
    lines = md.splitlines()
    assert lines[0] == f"**Q: {MOSUL}**"
    assert not re.search(r"<(div|a|mark|span|br)\b", md)  # Markdown, not the chat's HTML
    body = md.split("\nSources:\n")[0]
    assert "Moscow will take military measures" in body and "[1]" in body
    sources = [ln for ln in lines if re.match(r"^\[\d+\] \*\*", ln)]
    assert sources and sources[0].startswith(f"[1] **{MOSUL_TITLE}**, TASS, undated — ")
    assert sources[0].endswith("000_3ba5d7d03a34b568.txt")  # where the article is
    quote = lines[lines.index(sources[0]) + 1]
    assert quote.startswith("> ") and quote[2:].split(" … ")[0] in ui_server.article_text("000_3ba5d7d03a34b568")
    with page.expect_download() as dl:
        page.click("#qa-export")
    exported = Path(dl.value.path()).read_text(encoding="utf-8")
    assert dl.value.suggested_filename.endswith(".md")
    assert exported.startswith("# News QA conversation") and f"## 1. {MOSUL}" in exported and sources[0] in exported


def test_a_permalink_reopens_the_answer(open_page):
    page = open_page()
    page.fill("#qa-since textarea", "2016-10-01")
    first = ask(page, PAUSE).locator(".qa-text").inner_text()
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": [PAUSE], "since": ["2016-10-01"]}
    other = open_page("?" + urlsplit(page.url).query)  # a new browser context: nothing kept, only the link
    assert answers(other).count() == 1
    assert other.locator("#qa-chat .qa-answer .qa-text").inner_text() == first
    assert other.input_value("#qa-since textarea") == "2016-10-01"
    assert PAUSE in other.locator("#qa-chat").inner_text()


def test_the_conversation_survives_a_reload(open_page):
    page = open_page()
    ask(page, MOSUL)
    ask(page, "and when was that?")
    before = answers(page).all_inner_texts()
    panel = page.locator("#qa-sources").inner_text()
    page.reload()
    page.wait_for_selector("html[data-qa-ready='1']")
    page.wait_for_timeout(1000)  # nothing else arrives: the link in the address bar is not asked again
    assert answers(page).all_inner_texts() == before
    assert page.locator("#qa-sources").inner_text() == panel
    page.click("#qa-clear")
    page.wait_for_function("() => !document.querySelector('#qa-chat .qa-answer')")
    page.reload()
    page.wait_for_selector("html[data-qa-ready='1']")
    assert answers(page).count() == 0 and "q=" not in page.url


def test_sources_are_shown_once_with_internals_behind_details(open_page):
    page = open_page()
    answer = ask(page, MOSUL)
    numbers = sorted({int(n) for n in re.findall(r"\[(\d+)\]", answer.locator(".qa-text").inner_text())})
    assert numbers
    assert MOSUL_TITLE not in page.locator("#qa-chat").inner_text()  # the chat links to the panel, no source list
    panel = page.locator("#qa-sources")
    assert panel.locator(".qa-src").count() == len(numbers)
    assert panel.inner_text().count(MOSUL_TITLE) == len(numbers)  # one card per cited passage, nothing else
    card = panel.locator("#qa-src-0-1")
    assert "000_3ba5d7d03a34b568" not in card.inner_text() and "score" not in card.inner_text()
    card.locator(".qa-internals summary").click()
    assert "000_3ba5d7d03a34b568" in card.inner_text() and "score" in card.inner_text()
    page.screenshot(path=str(SHOTS / "answer.png"))


def test_wrong_period_and_change_over_time_answers(open_page):
    page = open_page()
    wrong = ask(page, "What did Lavrov say about Aleppo in March 2017?")
    banner = wrong.locator(".qa-outside")
    assert banner.is_visible() and "No article from March 2017 answers this" in banner.inner_text()
    suggestions = wrong.locator(".qa-suggestions")
    assert "not an answer" in suggestions.inner_text().lower() and suggestions.locator("li").count() >= 1
    change = ask(page, "How did the position on the humanitarian pause in Aleppo change?")
    entries = change.locator("li.qa-dated-entry")
    assert entries.count() >= 2
    assert change.locator(".qa-change").first.inner_text().startswith("What changed since")
    page.wait_for_timeout(300)
    chat = page.locator("#qa-chat").bounding_box()
    first = entries.first.bounding_box()
    assert chat["y"] <= first["y"] < chat["y"] + chat["height"]  # a long answer is shown from its first line
    page.screenshot(path=str(SHOTS / "change_over_time.png"))


def test_an_uploaded_article_answers_the_next_question(open_page, tmp_path):
    page = open_page()
    path = tmp_path / "tarvesk_bridge.txt"
    path.write_text(TARVESK, encoding="utf-8")
    page.get_by_role("tab", name="Corpus").click()
    page.set_input_files("#qa-upload input[type=file]", str(path))
    page.wait_for_function("() => document.querySelector('#qa-upload').innerText.includes('tarvesk_bridge.txt')")  # uploaded
    page.click("#qa-add")
    added = "() => (document.querySelector('#qa-status') || {}).innerText?.includes('Added')"
    page.wait_for_function(added, timeout=2 * T)  # indexing on a loaded 2-core machine
    page.get_by_role("tab", name="Chat").click()
    answer = ask(page, "How long is the Halden bridge in Tarvesk?")
    assert "740 metres" in answer.inner_text()
    assert "Tarvesk opens its first cable-stayed bridge" in page.locator("#qa-sources").inner_text()


def test_a_390px_phone(open_page):
    page = open_page(width=390, height=844)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    question = page.locator("#qa-question textarea")
    box = question.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["width"] >= 180
    answer = ask(page, PAUSE)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
    assert answer.bounding_box()["width"] >= 250
    chat, sources, filters = page.locator("#qa-chat"), page.locator("#qa-sources"), page.locator("#qa-since")
    assert sources.bounding_box()["y"] >= bottom(chat) - 1  # the sources come under the answer ...
    assert sources.bounding_box()["y"] < filters.bounding_box()["y"]  # ... before the filters
    assert sources.bounding_box()["width"] >= 330
    link = answer.locator(".qa-text a.qa-cite").first
    n = link.inner_text().strip("[]")
    link.click()
    focused = page.locator("#qa-sources .qa-src.qa-focus")
    focused.wait_for(state="visible")
    assert focused.get_attribute("id").endswith(f"-{n}")
    fb = focused.bounding_box()
    assert fb["y"] < 844 and fb["y"] + fb["height"] > 0  # brought into view
    page.screenshot(path=str(SHOTS / "phone_390.png"), full_page=True)


def test_keyboard_focus_returns_and_escape_clears(open_page):
    page = open_page()
    ask(page, MOSUL, press_enter=True)
    page.wait_for_function("() => document.activeElement === document.querySelector('#qa-question textarea')")
    page.keyboard.type("a question I change my mind about")
    page.keyboard.press("Escape")
    assert page.input_value("#qa-question textarea") == ""
    page.click("#qa-ask")  # the cleared box sends nothing
    page.wait_for_timeout(1000)
    assert answers(page).count() == 1
