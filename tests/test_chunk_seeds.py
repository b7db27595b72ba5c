"""The chunk invariants of tests/test_chunk.py on the five seed articles, and the dateline of 003."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus.chunk import chunk_article
from test_chunk import CHECKS, check_sentences_in_order

pytestmark = pytest.mark.slow

SEED_IDS = sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def seed_chunks(seed_articles):
    return {doc_id: chunk_article(seed_articles[doc_id]) for doc_id in SEED_IDS}


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_chunk_invariants(seed_articles, seed_chunks, doc_id, check):
    check(seed_articles[doc_id], seed_chunks[doc_id])


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_sentences_are_in_order_and_ordinals_count_up(seed_chunks, doc_id):
    check_sentences_in_order(seed_chunks[doc_id])
    assert [c.ordinal for c in seed_chunks[doc_id]] == list(range(len(seed_chunks[doc_id])))


def test_dateline_left_out_of_003(seed_articles, seed_chunks):
    first = [seed_articles["003_238ccbb7fe04cffb"].text[s:e] for c in seed_chunks["003_238ccbb7fe04cffb"] for s, e in c.sentences]
    assert not any("MOSCOW, October 21." in s for s in first)
    assert any(s.startswith("Russia is alarmed by a refusal of Jabhat al-Nusra militants") for s in first)
