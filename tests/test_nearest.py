"""When the articles do not answer, the passages nearest the question are shown beside the abstention: checkable,
labelled, never cited as the answer (fake encoder, the news corpus)."""

from __future__ import annotations

import json
import re

import pytest

from qa.carry import answer_markdown, locator

NEAR = "How many passengers did the Velmora tram carry in 1950?"  # the tram is there; its 1950 figures are not
NOTHING = "What is the price of Bitcoin on the Nasdaq exchange?"  # no word of it in the articles


def test_an_abstention_lists_the_nearest_passages_never_as_citations(news):
    ans = news.ask(NEAR)
    assert ans.abstained and ans.citations == [] and ans.sentences == []
    assert 1 <= len(ans.nearest) <= 3 and [c.n for c in ans.nearest] == list(range(1, len(ans.nearest) + 1))
    for c in ans.nearest:
        text = news.article(c.doc_id)["text"]
        assert text[c.start : c.end] == c.text and c.quotes
        for s, e in c.quotes:
            assert c.start <= s < e <= c.end
            assert re.search(r"velmora|tram|passenger", text[s:e], re.IGNORECASE)  # each names something asked
    assert any(c.title.startswith("Velmora opens first tram line") for c in ans.nearest)
    assert [c["doc_id"] for c in ans.to_dict()["nearest"]] == [c.doc_id for c in ans.nearest]


def test_a_question_naming_nothing_in_the_articles_has_no_nearest_passages(news):
    ans = news.ask(NOTHING)
    assert ans.abstained and ans.nearest == []


def test_someone_never_quoted_on_it_gets_the_nearest_passages_as_no_answer(news):
    """Obama is not in the articles: the answer says so, cites nothing, and shows what they hold on the Orlen dam."""
    ans = news.ask("What did Obama say about the Orlen dam?")
    assert ans.abstained and ans.citations == [] and ans.notes == ["The articles do not quote Obama on this."]
    assert 1 <= len(ans.nearest) <= 3
    for c in ans.nearest:
        assert news.article(c.doc_id)["text"][c.start : c.end] == c.text
        assert re.search(r"orlen|dam\b", c.text, re.IGNORECASE) and "Obama" not in c.text


def test_a_name_no_article_writes_is_not_answered_by_the_speakers_other_words(news):
    """Varga is quoted on the Orlen dam, never on Moldova: her dam statements are not her words on Moldova's dam."""
    ans = news.ask("What did Varga say about Moldova's dam?")
    assert ans.abstained and ans.citations == []
    assert ans.notes == ["The articles do not quote Varga on this (no article names Moldova)."]
    assert ans.nearest and all(news.article(c.doc_id)["text"][c.start : c.end] == c.text for c in ans.nearest)


def test_a_name_the_articles_write_keeps_the_speakers_words(news):
    ans = news.ask("What did Varga say about Keldland's dam?")
    assert not ans.abstained and ans.citations and all("Varga" in news.article(c.doc_id)["text"] for c in ans.citations)


def test_an_answer_has_no_nearest_passages(news):
    ans = news.ask("What did Varga say about the Orlen dam?")
    assert not ans.abstained and ans.citations and ans.nearest == []


@pytest.fixture
def chat(news):
    from ui.chat import Chat
    from ui.handlers import Handlers

    return Chat(Handlers(news))


def test_the_chat_shows_them_labelled_under_the_abstention(chat, news):
    _, messages, turns, panel, carry = chat.respond(NEAR, [], "", "", None)
    ans = turns[0]["answer"]
    reply = messages[-1]["content"]
    assert ans["abstained"] and ans["nearest"] and not ans["citations"]
    assert 'class="qa-abstain"' in reply and "Nearest passages" in reply and "not an answer" in reply
    assert reply.count("<blockquote>") == len(ans["nearest"])
    assert "The nearest passages are under the answer" in panel and 'id="qa-src-0-' not in panel  # not sources
    markdown = json.loads(carry)["answers"][0]
    assert markdown == answer_markdown(ans, locator(news.article))
    assert "Nearest passages (none answers the question; not an answer):" in markdown and "\nSources:" not in markdown


def test_with_a_period_other_dates_that_answer_replace_the_nearest_passages(news):
    ans = news.ask("What did Varga say about the Orlen dam in March 2017?")  # March 2017 articles do not; others do
    assert ans.abstained and ans.outside_period and ans.nearest == []


def test_with_a_period_nothing_answers_the_nearest_passages_come_from_it(chat, news):
    question = "How many passengers did the Velmora tram carry in May 2017?"
    ans = news.ask(question)
    assert ans.abstained and ans.outside_period == [] and ans.nearest
    assert all(c.date is not None and c.date.startswith("2017-05") for c in ans.nearest)
    _, messages, turns, _, _ = chat.respond(question, [], "", "", None)
    reply = messages[-1]["content"]
    assert "No article from May 2017 answers this." in reply and "Nearest passages from the period" in reply
    assert reply.count("<blockquote>") == len(turns[0]["answer"]["nearest"])
