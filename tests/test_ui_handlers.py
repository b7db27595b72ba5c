"""The web app's callbacks (ui/handlers.py) and HTML (ui/render.py) without a server: errors become short messages,
markup becomes text, filters reach the library; and the handlers over a real Assistant with the fake encoder."""

from __future__ import annotations

import pytest

import corpora

# ---- a stand-in Assistant
class _FakeAnswer:
    def __init__(self, d):
        self.d = d

    def to_dict(self):
        return self.d


class _FakeAssistant:
    index = None  # no index loaded: no generation to name
    TEXT = "Head <b>line</b>\n\nThe banner read <script>window.__xss=1</script> all day. It was <img src=x onerror=alert(1)>.\n"

    def __init__(self, fail=False):
        self.fail = fail
        self.asked = []
        self.histories = []

    def ask(self, question, k=None, since=None, until=None, source=None, history=None):
        self.asked.append((question, since, until, source))
        self.histories.append(history)
        if self.fail:
            raise RuntimeError("index exploded: /secret/path")
        start = self.TEXT.index("The banner")
        end = self.TEXT.index(" It was")
        return _FakeAnswer({
            "question": question, "asked": f"{question} [after: {history[-1]['asked']}]" if history else question,
            "answer": self.TEXT[start:end] + " [1]", "abstained": False, "period": None, "notes": [], "outside_period": [],
            "sentences": [], "citations": [{"n": 1, "doc_id": "d1", "title": "T <i>x</i>", "date": "2017-01-02", "source": "S",
                                            "text": self.TEXT[start:end], "start": start, "end": end, "score": 0.9, "quotes": [[start, end]]}],
        })

    def article(self, doc_id):
        return {"doc_id": doc_id, "title": "T <i>x</i>", "text": self.TEXT, "body": [(18, len(self.TEXT) - 1)], "stripped": [(0, 16, "title")]}

    def docs(self):
        return [{"doc_id": "d1", "title": "T", "date": "2017-01-02", "date_method": "explicit", "source": "S", "n_chunks": 1}]

    def sources(self):
        return ["S"]


def test_handler_errors_are_short_messages(caplog):
    from ui.handlers import Handlers

    h = Handlers(_FakeAssistant(fail=True))
    box, messages, turns, panel = h.respond("What happened?", [], "", "", "All sources")
    assert box == ""
    reply = messages[-1]["content"]
    assert "Something went wrong" in reply and "Traceback" not in reply and "/secret/path" not in reply
    assert "index exploded" in caplog.text  # logged for the operator
    _, messages, turns, _ = h.respond("What happened?", turns, "21/10/2016", "", None)
    assert "not a date like" in messages[-1]["content"]
    assert len(turns) == 2


def test_filters_reach_the_library_and_markup_is_escaped():
    from ui.handlers import Handlers

    fake = _FakeAssistant()
    h = Handlers(fake)
    _, messages, turns, panel = h.respond("What did the banner read?", [], "2017-01-01", "2017-12-31", "S")
    assert fake.asked[-1] == ("What did the banner read?", "2017-01-01", "2017-12-31", ["S"])
    reply = messages[-1]["content"]
    for html_text in (reply, panel):
        assert "<script>" not in html_text and "<img" not in html_text
        assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html_text
    assert "<mark" in panel and 'id="qa-src-0-1"' in panel and 'href="#qa-src-0-1"' in reply
    _, messages, turns, panel = h.respond("and when was that?", turns, "", "", None)
    assert fake.histories == [[], [turns[0]["answer"]]]  # the library reads a follow-up with the conversation's answers
    assert turns[1]["condensed"] == "and when was that? [after: What did the banner read?]"  # shown as it was answered
    assert len(turns) == 2


def test_article_view_marks_stripped_text():
    from ui.render import article_html

    out = article_html(_FakeAssistant().article("d1"))
    assert 'class="qa-stripped qa-kind-title"' in out and "<s>Head &lt;b&gt;line&lt;/b&gt;</s>" in out
    assert "<script>" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out


def test_abstention_is_never_empty():
    from ui.answers import answer_html

    for ans in ({"answer": "", "abstained": True, "citations": []}, {"answer": "", "abstained": False, "citations": []}):
        out = answer_html(ans, 0)
        assert "qa-abstain" in out and "The articles do not answer this question." in out


# ---- over a real Assistant (fake encoder, news corpus)


@pytest.fixture(scope="module")
def handlers(news):
    from ui.handlers import Handlers

    return Handlers(news)


def test_ask_dict_is_the_cli_json(handlers, news):
    q = "What did Varga say about the Orlen dam?"
    d = handlers.ask_dict(q, "2016-11-01", "", "Reuters", 2)
    assert d == news.ask(q, k=2, since="2016-11-01", source=["Reuters"]).to_dict()
    assert {c["source"] for c in d["citations"]} == {"Reuters"}
    with pytest.raises(ValueError, match="From date '1/11/2016' is not a date like"):
        handlers.ask_dict(q, "1/11/2016")
    assert handlers.ask_dict(q, source="All sources") == news.ask(q).to_dict()


def test_timeline_dicts_and_view(handlers):
    entries = handlers.timeline_dicts("Varga on the Orlen dam", "", "", None)
    assert entries and [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    assert handlers.timeline_dicts("  ") == []
    plot, html = handlers.timeline_view("Varga on the Orlen dam", "", "", "All sources")
    assert "qa-entry" in html and "similarity to previous" in html and "Varga" in html
    _, error = handlers.timeline_view("Orlen", "someday", "", None)
    assert "qa-error" in error and "not a date like" in error


def test_corpus_table_sources_and_examples(handlers):
    table = handlers.table()
    assert list(table.columns) == ["doc_id", "title", "date", "date_method", "source", "passages"]
    assert set(table["doc_id"]) == set(corpora.DOC_IDS)
    assert table.set_index("doc_id").loc["zna_salmon_count", "date"] == "undated"
    assert handlers.source_choices() == ["All sources", *sorted({s.source for s in corpora.STORIES})]
    examples = handlers.examples()
    assert examples and all(q.endswith("?") for q in examples) and "Lavrov" not in " ".join(examples)


def test_show_article(handlers):
    html = handlers.show_article("bbc_orlen_fishermen")
    assert "Jakob Rudd" in html and "qa-stripped" in html
    assert "No article with doc_id" in handlers.show_article("<b>nope</b>") and "<b>nope" not in handlers.show_article("<b>nope</b>")


def test_chat_followup_is_condensed_and_cited(handlers):
    _, messages, turns, panel = handlers.respond("What did Varga say about the Orlen dam?", [], "", "", None)
    assert turns[0]["condensed"] == turns[0]["question"] and not turns[0]["answer"]["abstained"]
    _, messages, turns, panel = handlers.respond("and what about the treaty?", turns, "", "", None)
    assert turns[1]["condensed"] == "What did Varga say about the treaty?"
    assert len(messages) == 4 and 'href="#qa-src-1-1"' in messages[-1]["content"] and 'id="qa-src-1-1"' in panel
    assert handlers.clear()[1:3] == ([], [])
