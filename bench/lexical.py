"""The lexical side tuned: the index's SQLite FTS5 bm25 (porter stemming, k1 1.2, b 0.75, fixed by FTS5) against
bm25s over the same passages, a grid of variants, k1 and b chosen on the dev split and reported on test. Not a test.

    .venv/bin/pip install -e '.[bench]'            # bm25s and PyStemmer (the app does not need them)
    .venv/bin/python bench/lexical.py              # ~1 minute with bench/quality.py's indexes built

A hit: one of the first k passages overlaps the question's gold paragraph (bench/quality.py's `overlaps`), k = 5 and
20; each list over the passages of the set's full index, the questions as the app sends them to FTS5 (its topic words,
any of them) and as bm25s tokenises them (English stop words, Snowball stemmer).
"""

from __future__ import annotations

import argparse
import glob
import sqlite3
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402
from qa.search.hybrid import match_any  # noqa: E402
from qa.text.words import content_terms  # noqa: E402

SETS = ("new_wiki", "squaddev", "coqa_cnn")
GRID = [(m, k1, b) for m in ("lucene", "bm25+", "atire") for k1 in (0.6, 0.9, 1.2, 1.5, 2.0) for b in (0.3, 0.5, 0.75, 0.9)]
DEFAULT = ("lucene", 1.2, 0.75)  # the same formula and parameters as FTS5's bm25()


def passages(name: str) -> list[tuple]:
    """(id, doc_id, start, end, text) of every passage in the set's full bench index."""
    path = glob.glob(str(qd.CACHE / "quality" / f"{name}-all-*{qb.model_suffix()}" / "index" / "gen-*" / "store.sqlite"))
    if not path:
        raise SystemExit(f"no bench index for {name}: run bench/quality.py --sets {name} first")
    return sqlite3.connect(f"file:{path[0]}?mode=ro", uri=True).execute("SELECT id, doc_id, start, end, text FROM chunks ORDER BY id").fetchall()


def fts5_lists(rows: list[tuple], questions: list[dict], k: int = 20) -> list[np.ndarray]:
    """FTS5's ranking (the index's tokenizer) of each question's topic words, as row positions."""
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(text, tokenize='porter unicode61')")
    db.executemany("INSERT INTO t(rowid, text) VALUES (?, ?)", [(r[0], r[4]) for r in rows])
    where = {r[0]: i for i, r in enumerate(rows)}
    out = []
    for q in questions:
        terms = content_terms(q["question"])
        try:
            ids = [where[r[0]] for r in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match_any(terms), k))] if terms else []
        except sqlite3.OperationalError:
            ids = []
        out.append(np.asarray(ids, dtype=int))
    return out


def main(argv: list[str] | None = None) -> int:
    import bm25s
    import Stemmer

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--max-questions", type=int, default=500)
    args = p.parse_args(argv)
    stem = Stemmer.Stemmer("english")
    figures: dict = {}
    for name in SETS:
        rows = passages(name)
        tokens = bm25s.tokenize([r[4] for r in rows], stopwords="en", stemmer=stem, show_progress=False)
        models = {}
        for key in GRID:
            models[key] = bm25s.BM25(method=key[0], k1=key[1], b=key[2])
            models[key].index(tokens, show_progress=False)
        for split in ("dev", "test"):
            questions = qb.sample(list(qd.iter_questions(name, split)), args.max_questions)
            gold = [np.asarray([qb.overlaps(r[1], r[2], r[3], q) for r in rows]) for q in questions]

            def recall(lists) -> tuple[float, float]:
                return tuple(float(np.mean([g[r[:k]].any() for g, r in zip(gold, lists)])) for k in (5, 20))

            figures[name, split, "fts5"] = recall(fts5_lists(rows, questions))
            asked = bm25s.tokenize([q["question"] for q in questions], stopwords="en", stemmer=stem, show_progress=False)
            for key, model in models.items():
                figures[name, split, key] = recall(list(model.retrieve(asked, k=20, show_progress=False, n_threads=1)[0]))

    def mean(split: str, key) -> tuple[float, float]:
        return tuple(float(np.mean([figures[s, split, key][i] for s in SETS])) for i in (0, 1))

    best = max(GRID, key=lambda g: mean("dev", g))
    print(f"dev, mean of {', '.join(SETS)} (recall@5 / recall@20): FTS5 {mean('dev', 'fts5')[0]:.3f} / {mean('dev', 'fts5')[1]:.3f}; "
          f"bm25s {DEFAULT} {mean('dev', DEFAULT)[0]:.3f} / {mean('dev', DEFAULT)[1]:.3f}; best on dev {best} "
          f"{mean('dev', best)[0]:.3f} / {mean('dev', best)[1]:.3f}\n")
    print("| set (test) | FTS5 bm25 (the index's) | bm25s, FTS5's parameters | bm25s, best on dev |\n|---|---|---|---|")
    for s in SETS:
        print(f"| {s} | " + " | ".join("{:.3f} / {:.3f}".format(*figures[s, "test", key]) for key in ("fts5", DEFAULT, best)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
