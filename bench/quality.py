"""Quality benchmark on third-party data (SQuADShifts + CoQA-CNN from the bigbench sdist); not part of the tests.

    .venv/bin/python bench/quality.py                                  # all five sets, test split, 500 q/metric
    .venv/bin/python bench/quality.py --sets coqa_cnn new_wiki --split dev --max-questions 0 --json out.json
    .venv/bin/python bench/quality.py --squad my_questions.json --split all      # any SQuAD-format file, every question

For every set the whole set's articles are indexed (corpus and index cached under $QA_DATA_CACHE/quality/, keyed by
set and a hash of the articles) and the split's questions are asked of four systems in the same run:
`project` (Assistant.ask), `hybrid` (search mode="hybrid", the project's retrieval), `dense` and `lexical` (BM25).
Metrics (see bench/README_quality.md): cited paragraph recall@5, answer in cited text@3, false abstention,
split-corpus abstention (index half the articles, ask the other half's questions whose answers occur nowhere in the
indexed half: they must abstain; retrieval never abstains), cited passages and articles per answer, latency; for a
SQuAD 2.0 file, also abstention on its unanswerable questions (`is_impossible`), asked of the whole set's index.
Reuse from another script: `assistant_for(name)` (same cached index) and `quality_data.iter_questions(name, split)`.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import quality_data as qd  # noqa: E402

SYSTEMS = ("project", "hybrid", "dense", "lexical")
LABELS = {"project": "project (ask)", "hybrid": "hybrid retrieval", "dense": "dense-only", "lexical": "BM25-only"}
TARGETS = {"recall@5": 0.92, "answer@3": 0.85, "false_abstention": 0.03, "split_abstention": 0.90, "over_bm25": 0.05}
WORK = qd.CACHE / "quality"
_ASSISTANTS: dict[tuple[str, bool], object] = {}


def _load_assistant(corpus: Path, index: Path):
    """An Assistant over corpus/index, retrying while the package is mid-reorganisation."""
    for attempt in range(20):
        try:
            from qa import Assistant

            return Assistant(corpus=corpus, index=index, progress=True)
        except ImportError:
            if attempt == 19:
                raise
            print("qa does not import; retrying in 30 s", file=sys.stderr, flush=True)
            for mod in [m for m in sys.modules if m == "qa" or m.startswith("qa.")]:
                del sys.modules[mod]
            time.sleep(30)


def indexed_articles(name: str, half: bool = False) -> list[dict]:
    """The articles indexed for a set: all of them, or (half=True) the half used by the split-corpus test."""
    arts = qd.load_set(name)["articles"]
    return [a for a in arts if qd.half_of(a["id"]) == 0] if half else arts


def assistant_for(name: str, half: bool = False):
    """The project's Assistant over the set's articles (or the indexed half), its corpus and index cached on disk."""
    key = (name, half)
    if key not in _ASSISTANTS:
        arts = indexed_articles(name, half)
        base = WORK / f"{name}-{'half' if half else 'all'}-{qd.articles_hash(arts)}{model_suffix()}"
        corpus = qd.write_corpus(arts, base / "corpus")
        _ASSISTANTS[key] = _load_assistant(corpus, base / "index")
    return _ASSISTANTS[key]


def model_suffix() -> str:
    """Each encoder (QA_MODEL) gets its own indexes, so switching back and forth re-embeds nothing; MiniLM's keep the
    plain names (the first ones made)."""
    from qa.config import Settings
    from qa.encoders import BUNDLED, model_name

    name = model_name(Settings())
    return "" if name == BUNDLED else "-" + hashlib.sha256(name.encode()).hexdigest()[:8]


def sample(questions: list[dict], n: int) -> list[dict]:
    """A deterministic sample of n questions (all when n <= 0), in a fixed hash order."""
    if n <= 0 or len(questions) <= n:
        return questions
    return in_sample_order(questions)[:n]


def in_sample_order(questions: list[dict]) -> list[dict]:
    """All the questions in `sample`'s fixed hash order (its first n are the sample of n)."""
    return sorted(questions, key=lambda q: hashlib.sha1(f"sample:{q['id']}".encode()).hexdigest())


def overlaps(doc_id: str, start: int, end: int, q: dict) -> bool:
    """Whether a passage lies in the question's article and overlaps its gold paragraph."""
    return doc_id == q["doc_id"] and start < q["para"][1] and end > q["para"][0]


def has_answer(texts: list[str], q: dict) -> bool:
    """Whether any gold answer (normalised) occurs in one of the texts."""
    norms = [qd.norm(t) for t in texts]
    return any(qd.norm(a) in t for a in q["answers"] for t in norms)


def run_one(assistant, system: str, question: str) -> tuple[list[tuple[str, int, int, str]], bool, float]:
    """Passages (doc_id, start, end, text) in order, whether it abstained, and seconds taken."""
    t0 = time.perf_counter()
    if system == "project":
        ans = assistant.ask(question)
        got = [(c.doc_id, c.start, c.end, c.text) for c in ans.citations]
        abstained = bool(ans.abstained)
    else:
        rows = assistant.search(question, k=5, mode=system, respell=False)  # the plain baselines: no spelling of ours
        got = [(r["doc_id"], r["start"], r["end"], r["text"]) for r in rows]
        abstained = False
    return got, abstained, time.perf_counter() - t0


def _pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of values, in milliseconds."""
    if not values:
        return float("nan")
    s = sorted(values)
    return 1000 * s[min(len(s) - 1, max(0, math.ceil(p / 100 * len(s)) - 1))]


def score_answerable(assistant, system: str, questions: list[dict], details: list | None) -> dict:
    """Recall@5, answer@3, false abstention, cited passages/articles and latency of one system."""
    hits = in_doc = ans3 = abst = 0
    sizes, arts, secs = [], [], []
    for q in questions:
        got, abstained, sec = run_one(assistant, system, q["question"])
        secs.append(sec)
        hit = any(overlaps(d, s, e, q) for d, s, e, _ in got[:5])
        found = has_answer([t for *_, t in got[:3]], q)
        in_doc += any(d == q["doc_id"] for d, *_ in got[:5])
        hits, ans3, abst = hits + hit, ans3 + found, abst + abstained
        if not abstained:
            sizes.append(len(got))
            arts.append(len({d for d, *_ in got}))
        if details is not None:
            details.append({"system": system, "id": q["id"], "hit@5": hit, "answer@3": found, "abstained": abstained,
                            "cited": [[d, s, e] for d, s, e, _ in got[:5]]})
    n = max(len(questions), 1)
    return {"n": len(questions), "recall@5": hits / n, "article@5": in_doc / n, "answer@3": ans3 / n,
            "false_abstention": abst / n if system == "project" else None,
            "cited_passages": statistics.fmean(sizes) if sizes else 0.0,
            "cited_articles": statistics.fmean(arts) if arts else 0.0,
            "p50_ms": _pct(secs, 50), "p95_ms": _pct(secs, 95)}


def unanswerable(name: str, split: str | None) -> list[dict]:
    """Questions of the asked half (in `split`; None: all) whose every answer occurs nowhere in the indexed half's text."""
    indexed = " \n ".join(qd.norm(a["text"]) for a in indexed_articles(name, half=True))
    asked = {a["id"] for a in qd.load_set(name)["articles"] if qd.half_of(a["id"]) == 1}
    return [q for q in qd.iter_questions(name, split)
            if q["doc_id"] in asked and not any(qd.norm(x) in indexed for x in q["answers"])]


def impossible(name: str, split: str | None) -> list[dict]:
    """A SQuAD 2.0 file's unanswerable questions (`is_impossible`) in `split` (None: all); none for SQuAD 1.1."""
    return [q for q in qd.load_set(name).get("impossible", []) if split is None or q["split"] == split]


def evaluate(name: str, split: str | None = "test", systems: tuple[str, ...] = SYSTEMS, max_questions: int = 500,
             details: bool = False) -> dict:
    """All metrics of one set for the chosen systems, with timings."""
    t0 = time.perf_counter()
    full = assistant_for(name)
    t_index = time.perf_counter() - t0
    questions = sample(list(qd.iter_questions(name, split)), max_questions)
    rows: list | None = [] if details else None
    out: dict = {"set": name, "split": split or "all", "questions": len(questions), "systems": {}}
    if questions:  # warm-up: model sessions and caches, outside the timings
        full.ask(questions[0]["question"])
        full.search(questions[0]["question"], k=5)
    for system in systems:
        out["systems"][system] = score_answerable(full, system, questions, rows)
    hard = sample(impossible(name, split), max_questions)
    if hard and "project" in systems:
        out["impossible_questions"] = len(hard)
        out["systems"]["project"]["impossible_abstention"] = sum(run_one(full, "project", q["question"])[1] for q in hard) / len(hard)
    t1 = time.perf_counter()
    half = assistant_for(name, half=True)
    t_index += time.perf_counter() - t1
    negatives = sample(unanswerable(name, split), max_questions)
    out["split_questions"] = len(negatives)
    for system in systems:
        if system == "project":
            abst = sum(run_one(half, system, q["question"])[1] for q in negatives)
            out["systems"][system]["split_abstention"] = abst / max(len(negatives), 1)
        else:
            out["systems"][system]["split_abstention"] = 0.0
    out["seconds"] = {"index": round(t_index, 1), "total": round(time.perf_counter() - t0, 1)}
    out["targets"] = check_targets(out["systems"])
    if details:
        out["details"] = rows
    return out


def check_targets(systems: dict) -> dict[str, bool]:
    """Which of the project's targets its `project` row meets (recall is also compared with BM25)."""
    p, bm25 = systems.get("project"), systems.get("lexical")
    if not p:
        return {}
    met = {"recall@5": p["recall@5"] >= TARGETS["recall@5"], "answer@3": p["answer@3"] >= TARGETS["answer@3"],
           "false_abstention": p["false_abstention"] <= TARGETS["false_abstention"],
           "split_abstention": p["split_abstention"] >= TARGETS["split_abstention"]}
    if bm25:
        met["recall@5>=bm25+5"] = p["recall@5"] >= bm25["recall@5"] + TARGETS["over_bm25"]
    return met


COLUMNS = ("system", "cited para recall@5", "cited article@5", "answer in cited text@3", "false abstention",
           "split-corpus abstention", "cited passages", "cited articles", "p50 ms", "p95 ms")


def table(result: dict) -> str:
    """A Markdown table of one set's result."""
    n, ns = result["questions"], result["split_questions"]
    lines = [f"\n### {result['set']} ({result['split']}: {n} answerable, {ns} split-corpus questions; "
             f"{result['seconds']['total']:.0f} s)\n", "| " + " | ".join(COLUMNS) + " |", "|---" * len(COLUMNS) + "|"]
    for system, m in result["systems"].items():
        fa = "n/a" if m["false_abstention"] is None else f"{m['false_abstention']:.3f}"
        sa = f"{m['split_abstention']:.3f}" if system == "project" else "0 (never abstains)"
        cells = [LABELS[system], f"{m['recall@5']:.3f}", f"{m['article@5']:.3f}", f"{m['answer@3']:.3f}", fa, sa,
                 f"{m['cited_passages']:.2f}", f"{m['cited_articles']:.2f}", f"{m['p50_ms']:.0f}", f"{m['p95_ms']:.0f}"]
        lines.append("| " + " | ".join(cells) + " |")
    if "impossible_questions" in result:
        lines.append(f"\nAbstention on the file's {result['impossible_questions']} unanswerable (SQuAD 2.0) questions, "
                     f"asked of the whole set: {result['systems']['project']['impossible_abstention']:.3f}.")
    if result["targets"]:
        met = ", ".join(f"{k} {'met' if v else 'MISSED'}" for k, v in result["targets"].items())
        half = 1.96 * math.sqrt(0.25 / max(n, 1))
        lines.append(f"\nTargets: {met}. (95% interval of a share here: up to ±{half:.3f}.)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", nargs="+", choices=qd.SETS, help="built-in sets (default: all five, or none with --squad)")
    ap.add_argument("--squad", nargs="+", type=Path, default=[], metavar="FILE",
                    help="SQuAD-format files (v1.1 or 2.0) to score as sets of their own, e.g. a newsroom's labelled questions")
    ap.add_argument("--split", default="test", choices=(*qd.SPLITS, "all"), help="'all': every question (a file made for testing)")
    ap.add_argument("--max-questions", type=int, default=500, help="per set and metric; 0 = all")
    ap.add_argument("--systems", nargs="+", default=list(SYSTEMS), choices=SYSTEMS)
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--details", action="store_true", help="include per-question records in the JSON")
    args = ap.parse_args(argv)
    try:
        names = (args.sets or ([] if args.squad else list(qd.SETS))) + [qd.add_file(f) for f in args.squad]
        for name in names:  # every file is checked before anything is indexed
            qd.load_set(name)
    except qd.NotSquad as exc:
        print(f"bench/quality.py: {exc}", file=sys.stderr)
        return 2
    split = None if args.split == "all" else args.split
    t0 = time.perf_counter()
    results = []
    for name in names:
        res = evaluate(name, split, tuple(args.systems), args.max_questions, args.details)
        results.append(res)
        print(table(res), flush=True)
    total = time.perf_counter() - t0
    print(f"\ntotal {total:.0f} s")
    if args.json:
        meta = {"split": args.split, "max_questions": args.max_questions, "seconds": round(total, 1),
                "data_version": qd.VERSION, "standalone_rule": qd.STANDALONE_RULE, "targets": TARGETS}
        args.json.write_text(json.dumps({"meta": meta, "sets": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
