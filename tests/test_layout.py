"""Article layout (qa.corpus.layout): site debris, bylines and tag lists stay out of the indexed body, with their spans reported."""

from __future__ import annotations

import pytest

import corpora
from qa.corpus.chunk import chunk_article
from qa.corpus.layout import analyze, is_debris, is_headline, lines_with_offsets
from qa.corpus.readers import build_article


@pytest.fixture(scope="module")
def articles() -> dict:
    return {s.doc_id: build_article(s.doc_id, s.text) for s in corpora.STORIES}


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_left_out_lines_are_in_no_chunk(articles, doc_id):
    chunks = chunk_article(articles[doc_id])
    assert chunks
    for c in chunks:
        for phrase in corpora.BY_ID[doc_id].left_out:
            assert phrase not in c.text, f"{phrase!r} in chunk {c.ordinal}: {c.text[:80]!r}"


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_left_out_spans_are_reported_in_stripped(articles, doc_id):
    art = articles[doc_id]
    for phrase in corpora.BY_ID[doc_id].left_out:
        for at in corpora.occurrences(art.text, phrase):
            assert any(s <= at and at + len(phrase) <= e for s, e, _ in art.stripped), f"{phrase!r} at {at} not reported"


def test_no_left_out_line_in_the_index(news):
    store = news.index.store
    texts = [c.text for c in store.chunks(store.all_chunk_ids()).values()]
    assert len(texts) == len(news.index.vectors) > 0
    found = [(p, t[:60]) for t in texts for s in corpora.STORIES for p in s.left_out if p in t]
    assert found == []


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_body_and_stripped_partition_the_lines(articles, doc_id):
    art = articles[doc_id]
    body = set(art.body)
    stripped = {(s, e) for s, e, _ in art.stripped}
    assert not body & stripped
    assert body | stripped == set(lines_with_offsets(art.text))


@pytest.mark.parametrize("doc_id", corpora.DOC_IDS)
def test_body_keeps_key_sentences(articles, doc_id):
    chunks = chunk_article(articles[doc_id])
    for sentence in corpora.BY_ID[doc_id].key_sentences:
        assert any(sentence in c.text for c in chunks), sentence


def test_body_keeps_every_labelled_phrase(articles):
    """Stripping must never drop answer text: each labelled phrase lies in a chunk of one of its articles."""
    missing = [(row["question"], p) for row in corpora.QUESTIONS for p in row.get("phrases", [])
               if not any(p in c.text for d in row["docs"] for c in chunk_article(articles[d]))]
    assert missing == []


def test_bylines_and_dates_are_headings_not_body(articles):
    bbc = articles["bbc_orlen_fishermen"]
    kinds = {bbc.text[s:e]: k for s, e, k in bbc.stripped}
    assert kinds["The fishermen who fear the Orlen dam"] == "title"
    assert kinds["By Hanna Lindqvist"] == kinds["1 March 2017"] == "heading"
    assert kinds["Share this with Facebook"] == kinds["Related Topics"] == kinds["Rivers"] == "debris"


def test_everything_after_a_tag_list_is_debris(articles):
    art = articles["guardian_orlen_treaty"]
    cut = art.text.index("\nTopics\n")
    assert all(e <= cut for s, e in art.body)
    assert [art.text[s:e] for s, e, k in art.stripped if s > cut] == ["Topics", "Zarnovia", "Keldland", "Reuse this content"]
    assert all(k == "debris" for s, e, k in art.stripped if s > cut)


def test_a_tag_word_before_any_body_is_not_a_trailer():
    text = "Topics\nZarnovia and Keldland sign a treaty\n\nThe two governments signed the Orlen river treaty on Friday in Velmora.\n"
    layout = analyze(text)
    assert [text[s:e] for s, e in layout.body] == ["The two governments signed the Orlen river treaty on Friday in Velmora."]


def test_lines_with_offsets_are_trimmed_spans():
    text = "  first line \n\n\tsecond\t\n   \nthird"
    assert [text[s:e] for s, e in lines_with_offsets(text)] == ["first line", "second", "third"]


# ---- the line classifier on its own


@pytest.mark.parametrize(
    "line",
    [
        "This website uses cookies. Click here to find out more.",
        "Accept cookies",
        "Read more",
        "Read More",
        "We've got more than 2 million followers on Facebook. Join them!",
        "All rights reserved by Rossiyskaya Gazeta.",
        " date 2017-01-25 Back to Main page",
        "Comments are closed.",
        "January 25, 14:44 UTC+3",
        "751",
        "–",
        "Share this with Twitter",
        "First published in The Guardian on 12 May 2017",
        "© 2017 Velmora Post",
        "Subscribe to our newsletter",
    ],
)
def test_debris_lines(line):
    assert is_debris(line)


@pytest.mark.parametrize(
    "line",
    [
        "Three de-escalation zones are operating – in southwest, in Eastern Ghouta and in the north of the Homs Governorate.",
        "The bakery handed out cookies to the soldiers at the checkpoint, local officials said.",
        "Lavrov said he would read more of the report before commenting on it.",
        "The minister said all rights of the minorities must be respected in any settlement.",
        "Under the treaty, each country may license no more than 400 fishing boats on the lower Orlen.",
    ],
)
def test_article_sentences_are_not_debris(line):
    assert not is_debris(line)


@pytest.mark.parametrize(
    ("line", "headline"),
    [("Storm Halvard batters Velmora coast, thousands without power", True), ("By Rachel Moss, CNN", True),
     ("“Zarnovia will never accept the Orlen dam,” Varga stressed.", False), ("He said: ", False),
     ("A very long line without any final punctuation that goes on and on for more than sixteen words in all", False)],
)
def test_headlines(line, headline):
    assert is_headline(line) == headline


def test_analyze_synthetic_page():
    text = (
        "Accept cookies\n"
        "Envoy says talks will resume\n\n"
        "GENEVA, March 14. /TASS/. The envoy said on Tuesday that the talks would resume next week.\n\n"
        "Read more\n"
        "\"We expect all parties to attend,\" he told reporters after the meeting.\n\n"
        "Tags\n"
        "Syria Geneva talks\n"
    )
    layout = analyze(text)
    body = [text[s:e] for s, e in layout.body]
    assert body == [
        "GENEVA, March 14. /TASS/. The envoy said on Tuesday that the talks would resume next week.",
        "\"We expect all parties to attend,\" he told reporters after the meeting.",
    ]
    assert text[layout.title[0] : layout.title[1]] == "Envoy says talks will resume"
    kinds = {text[s:e]: k for s, e, k in layout.stripped}
    assert kinds["Accept cookies"] == kinds["Read more"] == kinds["Tags"] == kinds["Syria Geneva talks"] == "debris"
