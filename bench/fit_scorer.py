"""Fit the answer scorer on the third-party TRAIN splits, choose its thresholds on DEV; write qa/answer/scorer*.json.

The files written are those of the encoder the benchmark's indexes use (`scorer_files`): scorer_pair.json /
scorer_unread_pair.json for the default (e5 retrieves, MiniLM reads), scorer.json / scorer_unread.json with
QA_MODEL=minilm, scorer_e5.json / scorer_unread_e5.json with QA_MODEL=e5.

    .venv/bin/python bench/fit_scorer.py --reuse /tmp/cands.pkl             # scorer_pair.json (reader's features in)
    .venv/bin/python bench/fit_scorer.py --reuse /tmp/cands.pkl --unread    # scorer_unread_pair.json (QA_READER=off)
    .venv/bin/python bench/fit_scorer.py --reuse /tmp/cands.pkl --gate --margin 2   # then: the threshold of the questions read
                                                                             # only because the unread one was unsure

Features: qa/answer/features.py (the same code the app runs). Label of a candidate passage: it lies in the
question's article, overlaps the gold paragraph and contains an answer string. Unanswerable questions (the
split-corpus ones of bench/quality.py: asked of an index holding the other half of the articles) contribute
candidates that are all negative, so one probability serves ranking and abstention. The seeds are never used.
One feature is the reader's (a cross-encoder, bench/train_reader.py): it was trained on train questions other than the
ones sampled here, so the weights fitted on its score are the weights it earns on questions it has not seen.
The app reads only when the unread scorer is unsure (within the margin the read scorer's file was calibrated at, or
QA_READ_MARGIN); `--gate` shows the dev figures per margin and calibrates, for the questions read at `--margin`, their
own abstention threshold. The margin shipped is the smallest whose split-corpus abstention, with that threshold, lies
within half a point of reading every question (the default model: 2.0; MiniLM's files, chosen earlier on the
figures without that threshold: 1.5).
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402

SETS = ("coqa_cnn", "new_wiki", "squaddev", "reddit", "amazon_reviews")
# The abstention model and its threshold are fitted on the news-like sets (CNN stories, Wikipedia pages): on review and
# forum posts, questions written against one post ("how much does this item cost?") look unanswerable across 2,000
# posts even when they are not, and fitted together they make abstention timid for news (measured on dev).
ABSTENTION_SETS = ("coqa_cnn", "new_wiki", "squaddev")
PER_SET = 600  # train questions per set (and half as many dev ones); the reader is trained on other train questions
MAX_FALSE_ABSTENTION = 0.025  # on dev: leaves a margin under the 3 % target
CITE_RECALL_SLACK = 0.01  # citations: the fewest passages whose dev recall is within a point of the widest


def shipped_files() -> tuple[Path, Path]:
    """The scorer files (read, unread) of the encoder the benchmark's indexes use (QA_MODEL; the default: e5+minilm)."""
    from qa.answer.scorer import scorer_files
    from qa.config import Settings
    from qa.encoders import model_name

    return scorer_files(model_name(Settings()))


def candidate_rows(assistant, q: dict, labelled: bool) -> dict:
    """Feature rows of one question's candidates; per candidate whether it overlaps the gold paragraph, holds an
    answer, and both (the label; all False when the question is unanswerable here)."""
    query = assistant.query(q["question"])
    qvec, hits = assistant.retrieve(query, k=20)
    _, chunks, rows, _, _ = assistant.answerer.candidates(query, qvec, hits)
    overlap = np.asarray([labelled and qb.overlaps(c.doc_id, c.start, c.end, q) for c in chunks], dtype=bool)
    holds = np.asarray([labelled and qb.has_answer([c.text], q) for c in chunks], dtype=bool)
    return {"rows": rows, "overlap": overlap, "holds": holds, "labels": overlap & holds}


def off_topic(name: str, sets: tuple[str, ...], split: str, n: int) -> list[dict]:
    """Questions of the other sets whose answers occur nowhere in this set's articles: asked of a corpus about
    something else entirely, they must abstain too."""
    text = " \n ".join(qd.norm(a["text"]) for a in qd.load_set(name)["articles"])
    others = [q for other in sets if other != name for q in qb.sample(list(qd.iter_questions(other, split)), n)]
    return qb.sample([q for q in others if not any(qd.norm(x) in text for x in q["answers"])], n)


def collect(sets: tuple[str, ...], split: str, per_set: int) -> list[dict]:
    """Per question: rows, labels, whether answerable, and the set."""
    out = []
    for name in sets:
        t0 = time.perf_counter()
        full, half = qb.assistant_for(name), qb.assistant_for(name, half=True)
        for q in qb.sample(list(qd.iter_questions(name, split)), per_set):
            out.append({"set": name, "answerable": True, "q": q, **candidate_rows(full, q, True)})
        for q in qb.sample(qb.unanswerable(name, split), per_set // 2):
            out.append({"set": name, "answerable": False, "q": q, **candidate_rows(half, q, False)})
        for q in off_topic(name, sets, split, per_set // 4):
            out.append({"set": name, "answerable": False, "off_topic": True, "q": q, **candidate_rows(full, q, False)})
        print(f"{name} {split}: {sum(1 for o in out if o['set'] == name)} questions in {time.perf_counter() - t0:.0f}s", flush=True)
    return out


def unread(data: list[dict]) -> list[dict]:
    """The candidates as the answerer sees them with QA_READER=off: the reader's three features empty."""
    from qa.answer.features import PASSAGE_FEATURES

    cols = [PASSAGE_FEATURES.index(f) for f in ("reader", "reader_gap", "read")]
    out = []
    for o in data:
        rows = o["rows"].copy()
        if len(rows):
            rows[:, cols] = 0.0
        out.append({**o, "rows": rows})
    return out


def logistic(X: np.ndarray, y: np.ndarray, C: float = 1.0):
    """A standardised logistic regression, as qa.answer.scorer.Logistic."""
    from sklearn.linear_model import LogisticRegression

    from qa.answer.scorer import Logistic

    mean, scale = X.mean(0), X.std(0) + 1e-9
    model = LogisticRegression(C=C, max_iter=5000).fit((X - mean) / scale, y)
    return Logistic(mean, scale, model.coef_[0], float(model.intercept_[0]))


def fit(train: list[dict], abstention_sets: tuple[str, ...] = ABSTENTION_SETS):
    """The passage model on every candidate, then the question model on the candidate lists it scores."""
    from qa.answer.features import PASSAGE_FEATURES, PASSAGE_MODEL_FEATURES
    from qa.answer.scorer import question_row

    cols = [PASSAGE_FEATURES.index(f) for f in PASSAGE_MODEL_FEATURES]
    with_rows = [o for o in train if len(o["rows"])]
    passage = logistic(np.vstack([o["rows"][:, cols] for o in with_rows]), np.concatenate([o["labels"] for o in with_rows]))
    for_q = [o for o in with_rows if o["set"] in abstention_sets]
    Q = np.vstack([question_row(o["rows"], passage(o["rows"][:, cols])) for o in for_q])
    question = boosted(Q, np.asarray([o["answerable"] for o in for_q]))
    return passage, question


def boosted(X: np.ndarray, y: np.ndarray):
    """Gradient-boosted trees (the abstention decision is not linear in its features: measured, +11 points of split
    abstention on dev over a logistic regression), exported for numpy. Tried and dropped: monotonic constraints in the
    evidence (dev split-corpus abstention 0.75 -> 0.68, test 0.81 -> 0.73 on new_wiki), larger leaves (0.70); with the
    reader in, other settings, forests and trees for the passage model too (BENCHMARKS.md, "Tried after the reader")."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    from qa.answer.scorer import Trees

    model = HistGradientBoostingClassifier(max_iter=150, learning_rate=0.06, max_leaf_nodes=12, min_samples_leaf=30,
                                           random_state=0).fit(X, y)
    return Trees.from_sklearn(model)


def cited(prob: np.ndarray, ratio: float, floor: float, limit: int = 5) -> list[int]:
    """The candidates the answerer would cite: best first, then those within `ratio` of the best (no duplicates removed)."""
    order = [int(i) for i in np.argsort(-prob)]
    keep = max(floor, ratio * float(prob[order[0]]))
    return [i for n, i in enumerate(order) if n == 0 or prob[i] >= keep][:limit]


def citation_figures(scorer, dev: list[dict], ratio: float, floor: float) -> tuple[float, float, float]:
    """Dev recall@5 of the gold paragraph, answer@3, and cited passages per answer, for one citation ratio."""
    rec = ans = n_cited = 0.0
    answerable = [o for o in dev if o["answerable"] and len(o["rows"])]
    for o in answerable:
        c = cited(scorer.probability(o["rows"]), ratio, floor)
        rec += bool(o["overlap"][c].any())
        ans += bool(o["holds"][c[:3]].any())
        n_cited += len(c)
    n = max(len(answerable), 1)
    return rec / n, ans / n, n_cited / n


def calibrate(scorer, dev: list[dict]) -> dict:
    """The abstention threshold (false abstention ≤ MAX_FALSE_ABSTENTION on dev), the citation ratio and floor (the
    fewest passages cited whose recall is within CITE_RECALL_SLACK of the widest), and the dev figures they give."""
    def answerable(o: dict) -> float:
        return scorer.answerable(o["rows"], scorer.probability(o["rows"])) if len(o["rows"]) else 0.0

    ratios, floors = (0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7), (0.002, 0.005, 0.01, 0.02)
    figures = {(r, f): citation_figures(scorer, dev, r, f) for r in ratios for f in floors}
    top = max(v[0] for v in figures.values())
    ratio, floor = min((k for k, v in figures.items() if v[0] >= top - CITE_RECALL_SLACK), key=lambda k: figures[k][2])
    news = [o for o in dev if o["set"] in ABSTENTION_SETS]
    best_pos = np.asarray([answerable(o) for o in news if o["answerable"]])
    best_neg = np.asarray([answerable(o) for o in news if not o["answerable"]])
    threshold = float(np.quantile(best_pos, MAX_FALSE_ABSTENTION)) if len(best_pos) else 0.0
    top1 = [bool(o["labels"][int(np.argmax(scorer.probability(o["rows"])))]) for o in dev if o["answerable"] and len(o["rows"])]
    return {
        "abstain_below": threshold,
        "cite_ratio": ratio,
        "cite_floor": floor,
        "dev_recall_at_5": figures[ratio, floor][0],
        "dev_answer_at_3": figures[ratio, floor][1],
        "dev_cited_passages": figures[ratio, floor][2],
        "dev_false_abstention": float((best_pos < threshold).mean()) if len(best_pos) else 0.0,
        "dev_split_abstention": float((best_neg < threshold).mean()) if len(best_neg) else 0.0,
        "dev_top1_answer_passage": float(np.mean(top1)) if top1 else 0.0,
    }


def gated(dev: list[dict]) -> list[dict]:
    """Each dev question as both shipped scorers see it: unread (rows, probabilities, abstention score, and how far in
    log-odds that lies from its threshold) and read; the scorers are loaded and run once here."""
    from qa.answer.scorer import Scorer

    read_file, unread_file = shipped_files()
    read, unread_ = Scorer.load(read_file), Scorer.load(unread_file)
    dev = [o for o in dev if len(o["rows"])]
    out = []
    for o, u in zip(dev, unread(dev)):
        views = {}
        for name, scorer, rows in (("read", read, o["rows"]), ("unread", unread_, u["rows"])):
            prob = scorer.probability(rows)
            views[name] = {"scorer": scorer, "prob": prob, "answerable": scorer.answerable(rows, prob)}
        views["past"] = unread_.log_odds_past_threshold(u["rows"], views["unread"]["prob"])
        out.append({"q": o, **views})
    return out


def gate_figures(questions: list[dict], sets: tuple[str, ...], margin: float, read_threshold: float | None = None) -> dict:
    """The shipped scorers' dev figures when the reader runs only for questions whose unread abstention score lies
    within `margin` of its threshold (the app's read margin), those read stopping below `read_threshold` (default: the
    read scorer's own)."""
    n = dict.fromkeys(("read", "questions", "answerable", "split", "false", "stopped", "recall", "answer3"), 0)
    for g in questions:
        o = g["q"]
        if o["set"] not in sets:
            continue
        reads = abs(g["past"]) < margin
        view = g["read" if reads else "unread"]
        scorer, prob = view["scorer"], view["prob"]
        threshold = read_threshold if reads and read_threshold is not None else scorer.abstain_below
        stop = view["answerable"] < threshold
        n["questions"] += 1
        n["read"] += reads
        if o["answerable"]:
            n["answerable"] += 1
            n["false"] += stop
            if not stop:
                c = cited(prob, scorer.cite_ratio, scorer.cite_floor)
                n["recall"] += bool(o["overlap"][c].any())
                n["answer3"] += bool(o["holds"][c[:3]].any())
        elif not o.get("off_topic"):
            n["split"] += 1
            n["stopped"] += stop
    a = max(n["answerable"], 1)
    return {"read": n["read"] / max(n["questions"], 1), "false_abstention": n["false"] / a,
            "split_abstention": n["stopped"] / max(n["split"], 1), "recall_at_5": n["recall"] / a, "answer_at_3": n["answer3"] / a}


def unsure_threshold(questions: list[dict], margin: float) -> float:
    """The highest threshold for the questions read because unsure that keeps dev false abstention (news-like sets, all
    questions) within MAX_FALSE_ABSTENTION."""
    scores = sorted({g["read"]["answerable"] for g in questions
                     if abs(g["past"]) < margin and g["q"]["answerable"] and g["q"]["set"] in ABSTENTION_SETS})
    best = questions[0]["read"]["scorer"].abstain_below if questions else 0.0
    for t in (x + 1e-9 for x in scores):
        if t > best and gate_figures(questions, ABSTENTION_SETS, margin, t)["false_abstention"] <= MAX_FALSE_ABSTENTION:
            best = t
    return best


def gate(dev: list[dict], margin: float) -> None:
    """Print the dev figures per margin, then calibrate the threshold of the questions read at `margin` and write it
    into scorer.json."""
    from qa.answer.scorer import Scorer

    questions = gated(dev)
    for sets in (ABSTENTION_SETS, tuple(s for s in SETS if s not in ABSTENTION_SETS)):
        print(", ".join(sets))
        for m in (0.0, 0.5, 1.0, 1.5, 2.0, 3.0, float("inf")):
            print(f"  margin {m:>4}: " + ", ".join(f"{k} {v:.3f}" for k, v in gate_figures(questions, sets, m).items()))
    threshold = unsure_threshold(questions, margin)
    figures = gate_figures(questions, ABSTENTION_SETS, margin, threshold)
    print(f"margin {margin}, questions read stop below {threshold:.4f}: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    scorer = Scorer.load(shipped_files()[0])
    scorer.unsure_abstain_below, scorer.unsure_margin = threshold, margin
    scorer.fitted_on["unsure"] = {"margin": margin, **{f"dev_{k}": round(v, 4) for k, v in figures.items()}}
    scorer.save(shipped_files()[0])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sets", nargs="+", default=list(SETS))
    p.add_argument("--per-set", type=int, default=PER_SET)
    p.add_argument("--out", default=None, help="where to write the scorer (default qa/answer/scorer.json)")
    p.add_argument("--unread", action="store_true", help="fit with the reader's features left empty (QA_READER=off; "
                   "writes qa/answer/scorer_unread.json)")
    p.add_argument("--reuse", metavar="FILE", help="keep the collected candidates in FILE (pickle) and reuse them when it exists")
    p.add_argument("--gate", action="store_true", help="fit nothing: the shipped scorers' dev figures when the reader runs "
                   "only for unsure questions, per margin; then the threshold of those read at --margin, "
                   "written into scorer.json (run after fitting both scorers)")
    p.add_argument("--margin", type=float, default=1.5, help="with --gate: the read margin to calibrate the threshold of "
                   "the questions read at (written into the scorer file; the app reads at that margin unless "
                   "QA_READ_MARGIN is set)")
    args = p.parse_args(argv)
    from qa.answer.scorer import QUESTION_FEATURES, Scorer

    if args.reuse and Path(args.reuse).exists():
        train, dev = pickle.loads(Path(args.reuse).read_bytes())
    else:
        train = collect(tuple(args.sets), "train", args.per_set)
        dev = collect(tuple(args.sets), "dev", args.per_set // 2)
        if args.reuse:
            Path(args.reuse).write_bytes(pickle.dumps((train, dev)))
    if args.gate:
        gate(dev, args.margin)
        return 0
    if args.unread:
        train, dev = unread(train), unread(dev)
    passage, question = fit(train)
    scorer_sets = {"abstention_sets": list(ABSTENTION_SETS)}
    scorer = Scorer(passage, question, cite_min=0.02)
    figures = calibrate(scorer, dev)
    scorer.abstain_below, scorer.cite_ratio, scorer.cite_floor = figures["abstain_below"], figures["cite_ratio"], figures["cite_floor"]
    rows = sum(len(o["rows"]) for o in train)
    positives = int(sum(o["labels"].sum() for o in train))
    scorer.fitted_on = {"sets": args.sets, **scorer_sets, "train_questions": len(train), "train_rows": rows, "train_positives": positives,
                        "dev_questions": len(dev), **{k: round(v, 4) for k, v in figures.items()}}
    scorer.save(Path(args.out) if args.out else shipped_files()[1 if args.unread else 0])
    print("passage model:", ", ".join(f"{n} {c:+.2f}" for n, c in sorted(zip(scorer.features, passage.coef), key=lambda x: -abs(x[1]))))
    print(f"question model: {len(question.trees)} trees over {', '.join(QUESTION_FEATURES)}")
    print({k: v for k, v in scorer.fitted_on.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
