"""Training pairs for the reader (a cross-encoder): (question, candidate passage, label) from the TRAIN/DEV splits.

    .venv/bin/python bench/reader_pairs.py --split train --out /tmp/ce/train.jsonl

The candidates are what the app itself retrieves (hybrid top 20 over the whole set, or over the other half for a
split-corpus question), so the reader learns on the passages it will be shown. Label: the passage lies in the
question's article, overlaps its gold paragraph and holds an answer string. The seeds are never used.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import fit_scorer as fs  # noqa: E402
import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402

SETS = ("new_wiki", "squaddev", "coqa_cnn", "reddit", "amazon_reviews")
PER_SET = {"new_wiki": 2500, "squaddev": 2500, "coqa_cnn": 0, "reddit": 600, "amazon_reviews": 600}
# bench/fit_scorer.py fits the scorer on the first 600 train questions of each set in qb.sample's order (300
# split-corpus ones): the reader never sees those, so its score on them is what it will be on new questions.
# CoQA's train split (162 questions) goes to the scorer whole.
SKIP = fs.PER_SET


def in_order(questions: list[dict], skip: int, n: int) -> list[dict]:
    """Questions skip..skip+n in qb.sample's fixed hash order."""
    return qb.in_sample_order(questions)[skip : skip + n]


def pairs(assistant, q: dict, labelled: bool, k: int = 20) -> list[dict]:
    query = assistant.query(q["question"])
    _, hits = assistant.retrieve(query, k=k)
    chunks = assistant.answerer.store.chunks([h.chunk_id for h in hits[:k]])
    out = []
    for rank, h in enumerate(hits[:k]):
        c = chunks.get(h.chunk_id)
        if c is None:
            continue
        label = labelled and qb.overlaps(c.doc_id, c.start, c.end, q) and qb.has_answer([c.text], q)
        out.append({"q": q["question"], "title": c.title, "text": c.text, "rank": rank, "label": int(label),
                    "answers": q["answers"] if label else []})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", default="train")
    ap.add_argument("--out", required=True)
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args()
    with open(args.out, "w") as f:
        for name in SETS:
            t0 = time.perf_counter()
            n = int(PER_SET[name] * args.scale)
            full, half = qb.assistant_for(name), qb.assistant_for(name, half=True)
            skip = SKIP if args.split == "train" else 0
            qs = in_order(list(qd.iter_questions(name, args.split)), skip, n)
            for q in qs:
                for p in pairs(full, q, True):
                    f.write(json.dumps({"set": name, "qid": q["id"], "answerable": 1, **p}) + "\n")
            un = in_order(qb.unanswerable(name, args.split), skip // 2, n // 3)
            for q in un:
                for p in pairs(half, q, False):
                    f.write(json.dumps({"set": name, "qid": "u:" + q["id"], "answerable": 0, **p}) + "\n")
            print(f"{name} {args.split}: {len(qs)} + {len(un)} questions in {time.perf_counter() - t0:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
