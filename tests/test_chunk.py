"""Chunks: sentence-aware, within one paragraph, every offset exact into the source text."""

from __future__ import annotations

from pathlib import Path

import re

import pytest

from qa.corpus.chunk import chunk_article, sentence_spans
from qa.corpus.readers import build_article

SEED_IDS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))

# "MOSCOW, October 21." / "ATHENS, November 2. /TASS/." at the start of a sentence
DATELINE_START = re.compile(r"^[A-Z][A-Z .'\-]+,\s+[A-Z][a-z]+\.?\s+\d{1,2}\b")


@pytest.fixture(scope="module")
def seed_chunks(seed_articles):
    return {doc_id: chunk_article(seed_articles[doc_id]) for doc_id in SEED_IDS}


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_chunk_spans_are_exact(seed_articles, seed_chunks, doc_id):
    text = seed_articles[doc_id].text
    for c in seed_chunks[doc_id]:
        assert c.doc_id == doc_id
        assert text[c.start : c.end] == c.text


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_sentence_spans_are_exact_and_inside_their_chunk(seed_articles, seed_chunks, doc_id):
    text = seed_articles[doc_id].text
    for c in seed_chunks[doc_id]:
        assert c.sentences
        assert c.sentences[0][0] == c.start and c.sentences[-1][1] == c.end
        for s, e in c.sentences:
            sentence = text[s:e]
            assert c.start <= s < e <= c.end
            assert sentence == sentence.strip() and sentence in c.text


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_sentences_are_in_order_and_do_not_overlap(seed_chunks, doc_id):
    spans = [span for c in seed_chunks[doc_id] for span in c.sentences]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_chunks_never_cross_a_paragraph(seed_articles, seed_chunks, doc_id):
    art = seed_articles[doc_id]
    for c in seed_chunks[doc_id]:
        assert "\n\n" not in c.text
        assert sum(s <= c.start and c.end <= e for s, e in art.body) == 1, c.text[:60]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_ordinals_count_up(seed_chunks, doc_id):
    assert [c.ordinal for c in seed_chunks[doc_id]] == list(range(len(seed_chunks[doc_id])))


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_no_dateline_as_a_sentence(seed_articles, seed_chunks, doc_id):
    text = seed_articles[doc_id].text
    for c in seed_chunks[doc_id]:
        for s, e in c.sentences:
            assert not DATELINE_START.match(text[s:e]), text[s:e][:60]
            assert text[s:e] not in ("/TASS/.", "/TASS/")


def test_dateline_left_out_of_003(seed_articles, seed_chunks):
    first = [seed_articles["003_238ccbb7fe04cffb"].text[s:e] for c in seed_chunks["003_238ccbb7fe04cffb"] for s, e in c.sentences]
    assert not any("MOSCOW, October 21." in s for s in first)
    assert any(s.startswith("Russia is alarmed by a refusal of Jabhat al-Nusra militants") for s in first)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_chunks_cover_each_paragraph(seed_articles, seed_chunks, doc_id):
    """Within a paragraph, the chunks cover everything but a leading dateline; only white space between them."""
    art = seed_articles[doc_id]
    for ps, pe in art.body:
        inside = [c for c in seed_chunks[doc_id] if ps <= c.start and c.end <= pe]
        assert inside, art.text[ps:pe][:60]
        skipped = art.text[ps : inside[0].start]
        assert skipped == "" or DATELINE_START.match(skipped), skipped
        assert inside[-1].end == pe
        assert all(art.text[a.end : b.start].strip() == "" for a, b in zip(inside, inside[1:]))


def test_long_paragraph_packs_sentences_up_to_max_words():
    sentence = "The envoy said the delegations would meet again next week in Geneva to discuss the ceasefire."  # 16 words
    para = " ".join([sentence] * 12)
    art = build_article("long", f"Envoy on talks\n\n{para}\n")
    chunks = chunk_article(art, max_words=40)
    assert len(chunks) > 1
    for c in chunks:
        assert len(c.text.split()) <= 40 or len(c.sentences) == 1
        assert art.text[c.start : c.end] == c.text
    assert " ".join(c.text for c in chunks) == para


def test_sentence_spans_on_quotes_and_abbreviations():
    text = 'He said: "We will continue." The U.S. envoy, Mr. Kerry, agreed. Talks end on Oct. 19 in Geneva.'
    spans = sentence_spans(text, 0, len(text))
    assert all(text[s:e] == text[s:e].strip() for s, e in spans)
    assert "".join(text[s:e] for s, e in spans).replace(" ", "") == text.replace(" ", "")
    assert any(text[s:e] == "The U.S. envoy, Mr. Kerry, agreed." for s, e in spans)
