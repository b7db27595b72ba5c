"""The chat around the handlers (ui/chat.py, ui/answers.py) over a real Assistant with the fake encoder: what the page
carries (Markdown, permalink), restoring a kept conversation, opening a permalink, sources once, honest periods."""

from __future__ import annotations

import json
import re

import pytest

from qa.carry import answer_markdown, locator

DAM = "What did Varga say about the Orlen dam?"
WRONG_PERIOD = "What did Varga say about the Orlen dam in March 2010?"
CHANGE = "How did Varga's position on the Orlen dam change?"


class _Recording:
    """The news assistant, recording the history each question is asked with."""

    def __init__(self, a):
        self.a, self.histories = a, []

    def ask(self, *args, history=None, **kw):
        self.histories.append(list(history or []))
        return self.a.ask(*args, history=history, **kw)

    def __getattr__(self, name):
        return getattr(self.a, name)


@pytest.fixture(scope="module")
def chat(news):
    from ui.chat import Chat
    from ui.handlers import Handlers

    return Chat(Handlers(_Recording(news)))


def test_respond_carries_markdown_and_a_permalink(chat, news):
    box, messages, turns, panel, carry = chat.respond(DAM, [], "2016-01-01", "", "All sources")
    assert box == "" and len(messages) == 2 and len(turns) == 1
    c = json.loads(carry)
    assert c["answers"][0] == answer_markdown(turns[0]["answer"], locator(news.article))
    assert c["answers"][0].startswith(f"**Q: {DAM}**") and "\nSources:\n" in c["answers"][0]
    assert c["conversation"].startswith("# News QA conversation") and f"## 1. {DAM}" in c["conversation"]
    assert c["permalink"] == "?q=What+did+Varga+say+about+the+Orlen+dam%3F&since=2016-01-01"
    assert turns[0]["filters"] == {"since": "2016-01-01", "until": "", "source": ""}
    _, _, turns2, _, carry2 = chat.respond("and about the treaty?", turns, "", "", "Reuters")
    assert json.loads(carry2)["permalink"].startswith("?q=What+did+Varga+say+about+the+treaty%3F")  # the stand-alone question
    assert "&source=Reuters" in json.loads(carry2)["permalink"] and len(json.loads(carry2)["answers"]) == 2


def test_sources_are_shown_once_and_internals_only_behind_details(chat):
    _, messages, turns, panel, _ = chat.respond(DAM, [], "", "", None)
    cits = turns[0]["answer"]["citations"]
    reply = messages[-1]["content"]
    assert len(cits) >= 2
    for c in cits:
        assert panel.count(f'id="qa-src-0-{c["n"]}"') == 1
        assert c["title"] not in reply  # the answer links to the panel; it does not list the sources again
    assert panel.count('class="qa-src"') == len(cits)
    visible = re.sub(r'<details class="qa-internals">.*?</details>', "", panel)
    assert not any(c["doc_id"] in visible for c in cits) and "score" not in visible
    assert panel.count('<details class="qa-internals">') == len(cits) and cits[0]["doc_id"] in panel


def test_a_kept_conversation_is_restored_and_a_permalink_asked_stand_alone(chat):
    _, _, turns, _, _ = chat.respond(DAM, [], "", "", None)
    kept = json.loads(json.dumps(turns))  # as the browser keeps it
    box, messages, restored, panel, carry, *filters = chat.open_page(kept, "", "", "", "All sources")
    assert restored == kept and len(messages) == 2 and 'id="qa-src-0-1"' in panel and filters == ["", "", "All sources"]
    n = len(chat.h.a.histories)
    again = chat.open_page(kept, DAM, "", "", "All sources")  # a reload of the permalink: shown, not asked again
    assert len(chat.h.a.histories) == n and again[2] == kept
    out = chat.open_page(kept, "What did Rudd say about the fishermen?", "2016-01-01", "", "BBC")
    assert chat.h.a.histories[-1] == []  # asked on its own, not as a follow-up of the kept conversation
    assert len(out[2]) == 2 and out[5:] == ("2016-01-01", "", "BBC")
    assert chat.open_page(kept, "x?", "", "", "No such outlet")[-1] == "All sources"


def test_turns_kept_by_an_older_version_are_dropped(chat):
    from ui.chat import valid_turns

    good = {"question": "q?", "answer": {"answer": "a", "citations": []}}
    assert valid_turns([good, {"question": 3}, "junk", {"answer": {}}]) == [{**good, "condensed": "q?"}]
    assert valid_turns({"not": "a list"}) == []


def test_a_wrong_period_answer_is_a_banner_with_labelled_suggestions(chat):
    _, messages, turns, panel, carry = chat.respond(WRONG_PERIOD, [], "", "", None)
    ans = turns[0]["answer"]
    assert ans["abstained"] and ans["outside_period"]
    reply = messages[-1]["content"]
    assert 'class="qa-outside"' in reply and "No article from March 2010 answers this." in reply
    assert "Suggestions from other dates" in reply and "not an answer" in reply
    assert reply.count("<blockquote>") == len(ans["outside_period"])
    assert "qa-abstain" not in reply and 'class="qa-note">No article from' not in reply  # not a small grey footnote
    assert "Suggestions from other dates are under the answer" in panel


def test_a_change_over_time_answer_is_a_dated_list(chat):
    _, messages, turns, _, _ = chat.respond(CHANGE, [], "", "", None)
    ans, reply = turns[0]["answer"], messages[-1]["content"]
    lines = ans["answer"].split("\n")
    assert len(lines) >= 3
    assert reply.count('<li class="qa-dated-entry">') == len(lines)
    dates = re.findall(r'<span class="qa-date">([^<]+)</span>', reply)
    assert dates == [line.split(":")[0] for line in lines]
    assert reply.count("What changed since") == len(ans["notes"]) == len(lines) - 1


def test_clear_empties_what_the_page_carries(chat):
    box, messages, turns, panel, carry = chat.clear()
    assert (box, messages, turns) == ("", [], []) and json.loads(carry) == {"answers": [], "conversation": "", "permalink": ""}
