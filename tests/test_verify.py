"""`qa verify`: a quotation checked against the corpus (fake encoder, a small corpus written here; no model)."""

from __future__ import annotations

import json

import pytest

import corpora

# Made-up articles: a Reuters-style story and an AP follow-up that repeats the mayor's words (the later one has
# the alphabetically first doc_id, so date order is not file order), and a Guardian-style piece on another topic.
ROWS = [
    {"id": "a_ap_protest", "title": "Halden dock workers protest against terminal closure", "date": "2017-03-05", "source": "AP",
     "text": "HALDEN (AP) — Dock workers in Halden protested on Saturday against the planned closure of the old grain terminal.\n\n"
             "Mayor Ingrid Sollie has said: “We cannot keep a terminal open that loses money every single month.”\n\n"
             "Union leader Pavel Brandt called the decision a betrayal. “Nobody consulted the people who actually work here,” Brandt said."},
    {"id": "b_reuters_closure", "title": "Halden to close old grain terminal", "date": "2017-03-02", "source": "Reuters",
     "text": "HALDEN, March 2 (Reuters) - The port of Halden will close its old grain terminal next year, Mayor Ingrid Sollie said on Thursday.\n\n"
             "“We cannot keep a terminal open that loses money every single month,” Sollie told reporters. “The workers will be offered jobs at the new container quay.”\n\n"
             "The terminal, which opened in 1961 and once handled a third of the country’s grain exports, employs 140 people.\n\n"
             "(Reporting by Jon Berg; Editing by Mark Hill)"},
    {"id": "c_guardian_ferry", "title": "Night ferry to Orsund returns after twelve years", "date": "2017-02-20", "source": "The Guardian",
     "text": "The night ferry between Halden and Orsund will sail again from June, twelve years after the last crossing. "
             "Tickets go on sale in April. The crossing takes nine hours, and the ship has room for 300 passengers and 80 cars.\n\n"
             "The ferry company said that demand from hikers and cyclists had grown every summer since 2012."},
]
SAME = "We cannot keep a terminal open that loses money every single month"


@pytest.fixture(scope="module")
def halden(tmp_path_factory):
    from qa.api import Assistant

    root = tmp_path_factory.mktemp("verify")
    (root / "corpus").mkdir()
    (root / "corpus" / "halden.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in ROWS) + "\n", encoding="utf-8")
    a = Assistant(settings=corpora.fake_settings(root / "corpus", root / "index"))
    yield a
    if a.index is not None:
        a.index.close()


def verbatim(assistant, v) -> None:
    for m in v.matches:
        text = assistant.article(m.doc_id)["text"]
        assert text[m.start : m.end] == m.text
        assert text[m.context_start : m.context_end] == m.context
        assert m.context_start <= m.start < m.end <= m.context_end


def test_exact_quote_in_two_articles_is_listed_by_date(halden):
    v = halden.verify(SAME)
    assert v.verdict == "exact"
    assert [m.doc_id for m in v.matches] == ["b_reuters_closure", "a_ap_protest"]  # first appearance first
    assert [m.date for m in v.matches] == ["2017-03-02", "2017-03-05"]
    assert all(m.verdict == "exact" and m.text == SAME and m.diff == [] for m in v.matches)
    assert any("found in 2 articles" in n and "2017-03-02" in n for n in v.notes)
    verbatim(halden, v)


def test_quotation_marks_case_and_spacing_do_not_matter(halden):
    v = halden.verify(f"“{SAME.upper()},”   ")
    assert v.verdict == "exact" and v.checked == SAME.upper()
    assert halden.verify(SAME.replace("cannot", "cannot").replace(" a ", "  a\n")).verdict == "exact"


def test_a_changed_word_is_a_minor_difference_with_its_diff(halden):
    v = halden.verify(SAME.replace("month", "week"))
    assert v.verdict == "minor differences"
    assert v.best.diff == [{"op": "replace", "quote": "week", "source": "month"}]
    assert "".join(s["source"] for s in v.best.segments) == v.best.text
    verbatim(halden, v)


def test_punctuation_alone_is_a_minor_difference(halden):
    v = halden.verify("The port of Halden will close its old grain terminal, next year")
    assert v.verdict == "minor differences" and v.best.diff == []
    attributed = halden.verify("The port of Halden will close its old grain terminal next year; Mayor Ingrid Sollie said on Thursday")
    assert attributed.verdict == "exact" and attributed.speaker == "Sollie"  # the attribution is read, not compared


def test_a_dropped_clause_is_altered_and_the_diff_names_it(halden):
    v = halden.verify("The terminal employs 140 people.")
    assert v.verdict == "altered"
    assert v.best.doc_id == "b_reuters_closure"
    dropped = [d for d in v.best.diff if d["op"] == "delete"]
    assert dropped and "which opened in 1961" in dropped[0]["source"] and dropped[0]["quote"] == ""
    assert v.best.text.startswith("The terminal,") and v.best.text.endswith("employs 140 people")
    verbatim(halden, v)


def test_several_changed_words_are_altered(halden):
    v = halden.verify("The port of Halden will sell its old grain terminal this year")
    assert v.verdict == "altered"
    assert v.best.diff == [{"op": "replace", "quote": "sell", "source": "close"}, {"op": "replace", "quote": "this", "source": "next"}]


def test_a_quote_spanning_two_sentences_without_the_attribution_between(halden):
    v = halden.verify(f"{SAME}. The workers will be offered jobs at the new container quay.")
    m = v.best
    assert v.verdict == "exact" and m.doc_id == "b_reuters_closure"
    assert m.text.startswith("We cannot") and m.text.endswith("container quay") and "Sollie told reporters" in m.text
    assert any("attribution" in n for n in m.notes)
    verbatim(halden, v)


def test_two_consecutive_narrative_sentences(halden):
    v = halden.verify("Tickets go on sale in April. The crossing takes nine hours, and the ship has room for 300 passengers and 80 cars.")
    assert v.verdict == "exact" and v.best.doc_id == "c_guardian_ferry"
    assert v.best.text.count(".") == 1  # across the sentence boundary: the first sentence's full stop is inside
    verbatim(halden, v)


def test_a_fragment_is_exact_and_cites_only_the_fragment(halden):
    v = halden.verify("loses money every single month")
    assert v.verdict == "exact"
    assert {m.text for m in v.matches} == {"loses money every single month"}
    assert all(m.context.startswith("“We cannot") or m.context.startswith("Mayor") for m in v.matches)
    verbatim(halden, v)


def test_misattributed_by_name_in_the_quote_and_by_option(halden):
    v = halden.verify("“Nobody consulted the people who actually work here,” Sollie said")
    assert v.verdict == "exact" and v.speaker == "Sollie"
    assert v.best.speaker == "Brandt" and v.best.attribution == "misattributed"
    assert "misattributed: said by Brandt, not Sollie" in v.notes
    by_option = halden.verify("Nobody consulted the people who actually work here", speaker="Ingrid Sollie")
    assert by_option.best.attribution == "misattributed"
    right = halden.verify("Nobody consulted the people who actually work here", speaker="Pavel Brandt")
    assert right.best.attribution == "confirmed" and not any(n.startswith("misattributed") for n in right.notes)


def test_a_made_up_quote_is_not_found(halden):
    v = halden.verify("The mayor promised to build a new football stadium next to the harbour")
    assert v.verdict == "not found" and v.matches == []
    assert halden.verify("hello").verdict == "not found"  # too short to check


def test_close_in_meaning_is_never_verified(halden):
    v = halden.verify("Every single month the terminal loses money, so we cannot keep it open")
    assert v.verdict in ("close in meaning", "altered")
    if v.verdict == "close in meaning":
        assert v.best.similarity >= 0.75 and v.best.diff == []
        assert not any("verified" in n and "not verified" not in n.lower() for n in v.notes)


def test_to_dict_is_plain_json_with_every_field(halden):
    d = json.loads(json.dumps(halden.verify(SAME.replace("month", "week")).to_dict()))
    assert set(d) == {"quote", "checked", "speaker", "verdict", "matches", "notes"}
    m = d["matches"][0]
    assert {"verdict", "doc_id", "title", "date", "source", "text", "start", "end", "context", "context_start", "context_end",
            "similarity", "overlap", "diff", "segments", "speaker", "attribution", "notes"} == set(m)


def test_every_key_sentence_of_the_test_corpora_is_found_verbatim(news):
    for story in corpora.STORIES:
        for sentence in story.key_sentences:
            v = news.verify(sentence)
            assert v.verdict == "exact", (story.doc_id, sentence, v.verdict)
            assert story.doc_id in {m.doc_id for m in v.matches}
            verbatim(news, v)


# ---- align (qa/text/align.py)
def test_align_segments_cover_both_texts():
    from qa.text.align import align, columns, diff, segments, tokens

    source = "Intro. “Zarnovia will never accept the Orlen dam,” Varga stressed. Next."
    quote = "Keldland will never accept the dam, Varga said"
    al = align(tokens(quote), tokens(source))
    segs = segments(al, quote, source)
    assert "".join(s["quote"] for s in segs) == quote
    assert "".join(s["source"] for s in segs) == source[al.start : al.end] == "Zarnovia will never accept the Orlen dam,” Varga stressed"
    assert diff(al, quote, source) == [
        {"op": "replace", "quote": "Keldland", "source": "Zarnovia"},
        {"op": "delete", "quote": "", "source": "Orlen"},
        {"op": "replace", "quote": "said", "source": "stressed"},
    ]
    assert ("delete", "", "Orlen") in columns(segs)


def test_a_moved_word_counts_twice():
    from qa.text.align import align, tokens

    al = align(tokens("victims none were reported"), tokens("Police said none victims were reported"))
    assert al.edits == 2


def test_split_attribution():
    from qa.answer.verify import split_attribution

    assert split_attribution("“We will win,” Brenner said.") == ("We will win,", "Brenner")
    assert split_attribution("Varga: we will never accept the dam") == ("we will never accept the dam", "Varga")
    assert split_attribution("We will never accept the dam, Foreign Minister Ilse Varga said on Friday.")[1] == "Varga"
    assert split_attribution("According to the minister, the dam would cut the flow") == ("According to the minister, the dam would cut the flow", None)
    assert split_attribution('"A Hope More Powerful Than the Sea", Doaa and Bassem are still together.')[1] is None


# ---- CLI and app
def test_cli_verify_json_and_terminal(halden, qa_cli):
    s = halden.settings
    r = qa_cli("verify", "--corpus", s.corpus, "--index", s.index, "--json", SAME.replace("month", "week"), "--speaker", "Brandt")
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["verdict"] == "minor differences" and d["speaker"] == "Brandt"
    assert d["matches"][0]["attribution"] == "misattributed"
    r = qa_cli("verify", "--corpus", s.corpus, "--index", s.index, SAME.replace("month", "week"))
    assert r.exit_code == 0 and "MINOR DIFFERENCES" in r.output
    quote_line = next(line for line in r.output.splitlines() if line.strip().startswith("quote:"))
    source_line = next(line for line in r.output.splitlines() if line.strip().startswith("source:"))
    assert quote_line.index("week") == source_line.index("month")  # the two texts aligned column by column


def test_handlers_and_html_escape_everything(halden):
    from ui import render
    from ui.handlers import Handlers

    h = Handlers(halden)
    assert h.verify_dict(SAME) == halden.verify(SAME).to_dict()
    page = h.verify_view(SAME.replace("month", "<b>week</b>"), "")
    assert "<b>" not in page and "&lt;b&gt;" in page
    assert '<del class="qa-dropped"' in page and '<ins class="qa-new"' in page
    assert "Not verified" in render.verify_html({"quote": "x y", "checked": "x y", "verdict": "close in meaning", "speaker": None,
                                                 "notes": [], "matches": []})
    assert "qa-empty" in h.verify_view("  ", "")
    assert "No article" in h.verify_view("The mayor promised to build a football stadium next to the harbour", "")


def test_app_has_the_verify_endpoint(halden):
    import inspect

    from ui.app import build_app

    quiet = {"watch": False} if "watch" in inspect.signature(build_app).parameters else {}  # no corpus-watcher thread
    demo = build_app(halden, **quiet)
    names = {getattr(fn, "api_name", None) for fn in demo.fns.values()}
    assert {"ask", "timeline", "verify"} <= names
