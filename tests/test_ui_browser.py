"""The web app in a real Chromium (Debian's /usr/bin/chromium), driven by Playwright.

The tests share one server and one page and run in file order, like a person working through the app.
Screenshots of each tab go to /tmp/shots/.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

UI_XSS_DOC = "velmora_festival"  # written by the ui_server fixture (tests/conftest.py)

pytestmark = [pytest.mark.slow, pytest.mark.browser]

SHOTS = Path(os.environ.get("QA_SHOTS", "/tmp/shots"))
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
ZARNOVIA = """Zarnovia and Keldland sign river treaty

KELDMOUTH, May 12, 2017 (Coastal Wire). The governments of Zarnovia and Keldland signed the Zarnovia treaty on Friday, ending a twelve-year dispute over fishing on the Orlen river.

Under the Zarnovia treaty, each country may license no more than 400 fishing boats on the Orlen river, the foreign minister of Zarnovia said.

The treaty also sets up a joint commission that will count the salmon in the Orlen river every spring.
"""
T = 60_000  # ms: generous for a loaded 2-core machine


@pytest.fixture(scope="module")
def ui_requests():
    return []


@pytest.fixture(scope="module")
def page(chromium, ui_server, ui_requests):
    context = chromium.new_context(viewport={"width": 1400, "height": 1000})
    context.on("request", lambda r: ui_requests.append(r.url))
    pg = context.new_page()
    pg.set_default_timeout(T)
    pg.goto(ui_server.url)
    pg.wait_for_selector("html[data-qa-ready='1']")  # the page has restored its (empty) conversation
    SHOTS.mkdir(parents=True, exist_ok=True)
    yield pg
    context.close()


def open_tab(page, name: str) -> None:
    page.get_by_role("tab", name=name).click()


def ask(page, question: str | None):
    """Type a question (None: send what the box holds), wait for the new answer; returns its locator."""
    open_tab(page, "Chat")
    answers = page.locator("#qa-chat .qa-answer")
    before = answers.count()
    if question is not None:
        page.fill("#qa-question textarea", question)
    page.click("#qa-ask")
    page.wait_for_function(
        "n => document.querySelectorAll('#qa-chat .qa-answer').length > n", arg=before, timeout=T
    )
    return answers.nth(before)


def test_chat_answer_with_sources(page):
    open_tab(page, "Chat")
    example = page.locator("#qa-examples button").first  # example questions are drawn from the corpus
    question = example.inner_text().strip()
    assert question.endswith("?")
    example.click()
    page.wait_for_function("q => document.querySelector('#qa-question textarea').value === q", arg=question)
    assert ask(page, None).inner_text().strip()  # answered or abstained, in words
    assert question in page.locator("#qa-chat").inner_text()
    answer = ask(page, "What will Moscow do if Islamic State militants move from Mosul to Syria?")
    assert "Moscow will take military measures" in answer.inner_text()
    assert answer.locator("a.qa-cite").count() >= 1
    panel = page.locator("#qa-sources")
    assert panel.locator(".qa-src").count() >= 1
    assert panel.locator("mark.qa-quote").count() >= 1
    assert "Moscow to take steps if Islamic State moves from Mosul to Syria" in panel.inner_text()
    assert "TASS" in panel.inner_text()


def test_clicking_a_citation_shows_the_highlighted_passage(page):
    answer = ask(page, "Why was the humanitarian pause near Aleppo initiated?")
    links = answer.locator(".qa-text a.qa-cite")
    assert links.count() >= 1
    last = links.nth(links.count() - 1)
    n = last.inner_text().strip("[]")
    last.click()
    focused = page.locator("#qa-sources .qa-src.qa-focus")
    focused.wait_for(state="visible")
    assert focused.count() == 1
    assert focused.get_attribute("id").endswith(f"-{n}")
    assert focused.locator("mark.qa-quote").count() >= 1
    assert focused.is_visible()
    box = focused.bounding_box()
    assert box and box["y"] < page.viewport_size["height"] and box["y"] + box["height"] > 0
    page.screenshot(path=str(SHOTS / "chat.png"), full_page=True)


def test_followup_is_condensed(page):
    ask(page, "Why was the humanitarian pause near Aleppo initiated?")
    answer = ask(page, "and when was that?")
    asked = answer.locator(".qa-asked").inner_text()
    assert "humanitarian pause near Aleppo" in asked
    assert answer.inner_text().strip()


def test_abstention_is_shown_as_such(page):
    answer = ask(page, "What is the weather in Paris tomorrow?")
    box = answer.locator(".qa-abstain")
    assert box.is_visible()
    assert "The articles do not answer this question." in box.inner_text()
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "chat_abstain.png"), full_page=False)


def test_an_abstention_shows_the_nearest_passages_as_no_answer(page):
    answer = ask(page, "What is the population of Aleppo?")  # the seeds speak of Aleppo, never of its population
    assert answer.locator(".qa-abstain").is_visible()
    near = answer.locator(".qa-suggestions")
    assert near.is_visible() and "Nearest passages" in near.inner_text() and "not an answer" in near.inner_text().lower()
    quotes = near.locator("blockquote")
    assert 1 <= quotes.count() <= 3 and all("Aleppo" in quotes.nth(i).inner_text() for i in range(quotes.count()))
    near.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "chat_nearest.png"), full_page=False)


def test_markup_in_a_cited_passage_is_text(page):
    ask(page, "What did the banner over the main stage of the Velmora harbour festival read?")
    panel_text = page.locator("#qa-sources details[open]").first.inner_text()
    assert "<script>window.__xss=1</script>" in panel_text
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0


def test_timeline_tab(page):
    open_tab(page, "Timeline")
    page.fill("#qa-topic textarea", "humanitarian pause in Aleppo")
    page.click("#qa-timeline-btn")
    entries = page.locator("#qa-timeline .qa-entry")
    entries.first.wait_for(state="visible")
    assert entries.count() >= 2
    text = page.locator("#qa-timeline").inner_text()
    assert "TASS" in text and "similarity to previous" in text
    dates = [d for d in page.locator("#qa-timeline .qa-date").all_inner_texts() if d != "undated"]
    assert dates == sorted(dates)
    # every dated statement is counted on the chart (tests/test_timeline_browser.py checks it bar by bar)
    page.wait_for_function(
        "n => [...document.querySelectorAll('#qa-plot rect.qa-bar')].reduce((s, b) => s + +b.dataset.count, 0) === n",
        arg=len(dates), timeout=T,
    )
    page.screenshot(path=str(SHOTS / "timeline.png"), full_page=True)


def test_corpus_view_shows_markup_as_text(page):
    open_tab(page, "Corpus")
    page.locator("#qa-table").get_by_text("Harbour festival in Velmora draws record crowds").first.click()
    view = page.locator("#qa-article")
    view.locator(".qa-fulltext").wait_for(state="visible")
    text = view.inner_text()
    assert "<script>window.__xss=1</script>" in text
    assert '<img src=x onerror="window.__xss=2">' in text
    assert "${window.__xss=3}" in text and "{{constructor" in text
    assert view.locator(".qa-stripped").count() >= 1  # the title line, marked as not indexed
    assert UI_XSS_DOC in text
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.locator("img[src='x']").count() == 0
    # a seed article with debris: the stripped parts are labelled
    page.fill("#qa-docid input", "003_238ccbb7fe04cffb")
    page.click("#qa-show")
    page.wait_for_function("() => document.querySelector('#qa-article').innerText.includes('003_238ccbb7fe04cffb')")
    assert view.locator(".qa-stripped .qa-label").count() >= 2
    labels = set(view.locator(".qa-stripped .qa-label").all_inner_texts())
    assert {"debris", "heading"} <= {x.lower() for x in labels}
    page.screenshot(path=str(SHOTS / "corpus.png"), full_page=True)


def test_upload_then_cited(page, tmp_path):
    before = ask(page, "How many fishing boats may each country license under the Zarnovia treaty?")
    assert before.locator(".qa-abstain").count() == 1 or "400 fishing boats" not in before.inner_text()
    path = tmp_path / "zarnovia_treaty.txt"
    path.write_text(ZARNOVIA, encoding="utf-8")
    open_tab(page, "Corpus")
    page.set_input_files("#qa-upload input[type=file]", str(path))
    page.locator("#qa-upload").get_by_text("zarnovia_treaty.txt").first.wait_for(state="visible")
    page.click("#qa-add")
    page.wait_for_function("() => (document.querySelector('#qa-status') || {}).innerText?.includes('Added')", timeout=T)
    assert "zarnovia_treaty" in page.locator("#qa-status").inner_text()
    page.locator("#qa-table").get_by_text("Zarnovia and Keldland sign river treaty").first.wait_for(state="visible")
    page.screenshot(path=str(SHOTS / "upload.png"), full_page=True)
    answer = ask(page, "How many fishing boats may each country license under the Zarnovia treaty?")
    assert "400 fishing boats" in answer.inner_text()
    panel = page.locator("#qa-sources details[open]").first
    assert "Zarnovia and Keldland sign river treaty" in panel.inner_text()
    assert panel.locator("mark.qa-quote").filter(has_text="400 fishing boats").count() >= 1
    page.mouse.move(0, 0)
    page.screenshot(path=str(SHOTS / "chat_uploaded_article.png"), full_page=True)


def test_bad_uploads_are_refused(page, tmp_path, ui_server):
    open_tab(page, "Corpus")
    rows_before = page.locator("#qa-table tbody tr").count()
    files_before = sorted(p.name for p in ui_server.corpus.iterdir())
    # a type that is not an article: refused with a message naming the allowed types
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"%PDF-1.4 not an article")
    page.set_input_files("#qa-upload input[type=file]", str(bad))
    page.get_by_text("Invalid file type").first.wait_for(state="visible")
    # a .txt file that holds binary data: read first and refused, never copied into the corpus
    binary = tmp_path / "binary_blob.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    page.set_input_files("#qa-upload input[type=file]", str(binary))
    page.locator("#qa-upload").get_by_text("binary_blob").first.wait_for(state="visible")
    page.click("#qa-add")
    page.wait_for_function("() => document.querySelector('#qa-status').innerText.includes('Refused')", timeout=T)
    assert "binary_blob.txt" in page.locator("#qa-status").inner_text()
    page.screenshot(path=str(SHOTS / "upload_refused.png"), full_page=True)
    assert page.locator("#qa-table tbody tr").count() == rows_before
    assert sorted(p.name for p in ui_server.corpus.iterdir()) == files_before


def test_every_request_stayed_local(page, ui_requests):
    assert ui_requests, "no request was recorded"
    remote = []
    for url in ui_requests:
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if parts.hostname not in LOCAL_HOSTS:
            remote.append(url)
    assert not remote, remote


def test_a_follow_up_keeps_the_period_and_shows_it(page):
    first = ask(page, "What did Lavrov say about Aleppo in October 2016?")
    assert "October 2016" in first.locator(".qa-period").inner_text()
    follow = ask(page, "and about Jabhat al-Nusra?")
    assert "October 2016" in follow.locator(".qa-period").inner_text()  # the period carried over ...
    asked = follow.locator(".qa-asked").inner_text()
    assert "Jabhat al-Nusra" in asked and "October 2016" in asked  # ... and the rewrite shown says so
