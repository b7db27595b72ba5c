"""Small-corpus benchmark: answers and abstention when the index holds a few articles (~20-120 passages, like the
bundled seeds), built from one split of the third-party sets.

    .venv/bin/python bench/small_corpora.py                          # dev split, 25 corpora per set
    .venv/bin/python bench/small_corpora.py --split test --corpora 25 --json out.json
    .venv/bin/python bench/small_corpora.py --collect /tmp/small.pkl  # candidate lists for bench/fit_scorer.py-style fits

A corpus is 3-8 pages (stories) of the split, each cut to a window of 2-6 consecutive paragraphs. Answerable: the
questions of the kept paragraphs (their offsets moved with the text). Must abstain: questions of the same pages' other
paragraphs (the hard kind: same topic, fact not kept) and of other pages, whose answers occur nowhere in the corpus.
Per corpus at most 20 answerable and 12 + 8 unanswerable questions. The held-out set (SQuADShifts nyt) is never used;
indexes are cached under $QA_DATA_CACHE/scale/small-<set>-<split>-<n>-<hash>.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402
import scale  # noqa: E402

SETS = ("new_wiki", "squaddev", "coqa_cnn")
PAGES, WINDOW = (3, 4, 5, 6, 8), (2, 3, 4, 6)
ANSWERABLE, SAME_PAGE, OTHER_PAGE = 20, 12, 8


def corpora(name: str, split: str, n: int) -> list[tuple[list[dict], list[dict], list[dict]]]:
    """n small corpora of a set's split: (articles, answerable questions, questions that must abstain)."""
    data = qd.load_set(name)
    pages = [a for a in data["articles"] if split in (a["split"], "all")]
    by_page: dict[str, list[dict]] = {}
    for q in data["questions"]:
        if split in (q["split"], "all"):
            by_page.setdefault(q["doc_id"], []).append(q)
    rng = random.Random(f"{name}:{split}:0")
    out = []
    for _ in range(n):
        arts, answerable = [], []
        for page in rng.sample(pages, min(rng.choice(PAGES), len(pages))):
            paras = page["paragraphs"]
            width = min(len(paras), rng.choice(WINDOW))
            first = rng.randrange(0, len(paras) - width + 1)
            text, moved = "", []
            for a, b in paras[first : first + width]:
                text += "\n\n" if text else ""
                moved.append((a, b, len(text)))
                text += page["text"][a:b]
            arts.append({"id": page["id"], "title": page["title"], "text": text, "source": page.get("source", ""), "split": split})
            for a, b, at in moved:
                answerable += [{**q, "para": [at + q["para"][0] - a, at + q["para"][1] - a]}
                               for q in by_page.get(page["id"], []) if a <= q["para"][0] and q["para"][1] <= b]
        text = " \n ".join(qd.norm(a["text"]) for a in arts)
        ids = {a["id"] for a in arts}
        absent = [q for qs in by_page.values() for q in qs if not any(qd.norm(x) in text for x in q["answers"])]
        same, other = [q for q in absent if q["doc_id"] in ids], [q for q in absent if q["doc_id"] not in ids]
        negatives = rng.sample(same, min(len(same), SAME_PAGE)) + rng.sample(other, min(len(other), OTHER_PAGE))
        out.append((arts, rng.sample(answerable, min(len(answerable), ANSWERABLE)), negatives))
    return out


def evaluate(name: str, split: str, n: int) -> dict:
    """Recall@5 of the cited passages and false abstention (answerable), abstention (the rest), over n corpora."""
    passages, hits, false, stopped, answerable, negatives = [], 0, 0, 0, 0, 0
    for i, (arts, pos, neg) in enumerate(corpora(name, split, n)):
        assistant = scale.build(f"small-{name}-{split}-{i}", arts)
        passages.append(scale.passages(assistant))
        for q in pos:
            got, abstained, _ = qb.run_one(assistant, "project", q["question"])
            answerable += 1
            false += abstained
            hits += any(qb.overlaps(d, s, e, q) for d, s, e, _ in got[:5])
        for q in neg:
            negatives += 1
            stopped += qb.run_one(assistant, "project", q["question"])[1]
    return {"set": name, "corpora": n, "median_passages": statistics.median(passages), "answerable": answerable,
            "recall@5": hits / max(answerable, 1), "false_abstention": false / max(answerable, 1),
            "must_abstain": negatives, "abstention": stopped / max(negatives, 1)}


def collect(name: str, split: str, n: int) -> list[dict]:
    """bench/fit_scorer.py's candidate lists for the questions of n small corpora (marked "small")."""
    import fit_scorer as fs

    out = []
    for i, (arts, pos, neg) in enumerate(corpora(name, split, n)):
        assistant = scale.build(f"small-{name}-{split}-{i}", arts)
        out += [{"set": name, "answerable": True, "q": q, "small": True, **fs.candidate_rows(assistant, q, True)} for q in pos]
        out += [{"set": name, "answerable": False, "q": q, "small": True, **fs.candidate_rows(assistant, q, False)} for q in neg]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", default=list(SETS))
    ap.add_argument("--split", default="dev", choices=(*qd.SPLITS, "all"))
    ap.add_argument("--corpora", type=int, default=25, help="small corpora per set")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--collect", type=Path, metavar="PKL", help="write candidate lists (pickle) instead of measuring")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    if args.collect:
        args.collect.write_bytes(pickle.dumps([o for s in args.sets for o in collect(s, args.split, args.corpora)]))
        return 0
    print("| set | corpora | passages (median) | recall@5 | false abstention | abstention (must abstain) |\n|---|---|---|---|---|---|")
    rows = []
    for s in args.sets:
        r = evaluate(s, args.split, args.corpora)
        rows.append(r)
        print(f"| {s} | {r['corpora']} | {r['median_passages']:.0f} | {r['recall@5']:.3f} | {r['false_abstention']:.3f} "
              f"({r['answerable']} q.) | {r['abstention']:.3f} ({r['must_abstain']} q.) |", flush=True)
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"split": args.split, "rows": rows}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
