"""The seed articles' publication dates, resolved as `qa docs` reports them."""

from __future__ import annotations

from pathlib import Path

import pytest

from qa.corpus.dates import explicit_years, resolve_date

pytestmark = pytest.mark.slow

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def test_seed_articles() -> None:
    files = sorted(SEEDS.glob("*.txt"))
    texts = {path.name[:3]: path.read_text(encoding="utf-8") for path in files}
    assert set(texts) == {"000", "001", "002", "003", "004"}
    corpus_years = sorted({year for text in texts.values() for year in explicit_years(text)})
    got = {key: resolve_date(text, corpus_years=corpus_years) for key, text in texts.items()}
    assert got == {
        "000": (None, "unknown"),
        "001": ("2017-01-25", "explicit"),
        "002": ("2017-09-08", "dateline+weekday"),
        "003": ("2016-10-21", "dateline+weekday"),
        "004": ("2016-11-02", "dateline+weekday"),
    }
