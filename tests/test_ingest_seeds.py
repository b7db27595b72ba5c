"""The five seed articles (seeds/) read as the README describes: titles, sources, places, exact text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus.readers import read_corpus

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SEED_IDS = sorted(p.stem for p in SEEDS.glob("*.txt"))

# doc_id: (title, source, dateline place)
SEED_META = {
    "000_3ba5d7d03a34b568": ("Moscow to take steps if Islamic State moves from Mosul to Syria — Lavrov", "TASS", ""),
    "001_c650b099b3b6e936": ("Russian Aerospace Forces, Syrian army and opposition ready to fight IS together — Lavrov", "TASS", "Moscow"),
    "002_2faade04ba6bd5e4": ("Terrorists in Syria must be obliterated, none should be allowed to escape — Lavrov", "TASS", "Moscow"),
    "003_238ccbb7fe04cffb": ("Russia alarmed by Jabhat al-Nusra’s refusal to leave Aleppo — Lavrov", "TASS", "Moscow"),
    "004_5c9cc7032a8f1c3d": ("Lavrov hopes US will keep promise on separating Syrian opposition, terrorists", "TASS", "Athens"),
}


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_title(seed_articles, doc_id):
    assert seed_articles[doc_id].title == SEED_META[doc_id][0]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_source(seed_articles, doc_id):
    assert seed_articles[doc_id].source == SEED_META[doc_id][1]


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_place(seed_articles, doc_id):
    assert seed_articles[doc_id].place == SEED_META[doc_id][2]


def test_seed_ids_are_file_stems(seed_articles):
    assert sorted(seed_articles) == SEED_IDS == sorted(SEED_META)


@pytest.mark.parametrize("doc_id", SEED_IDS)
def test_seed_text_is_the_file_exactly(seed_articles, doc_id):
    """Offsets point into Article.text, so it must be the file's bytes decoded, nothing normalised."""
    assert seed_articles[doc_id].text == (SEEDS / f"{doc_id}.txt").read_bytes().decode("utf-8")


def test_seeds_read_without_warnings():
    _, warnings = read_corpus(SEEDS)
    assert warnings == []
