"""`qa eval`: retrieval and answer quality on a labelled question set."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class EvalReport:
    questions: int = 0
    answerable: int = 0
    metrics: dict[str, float] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


ROW = '{"question": "…", "answerable": true, "docs": ["doc id", …], "phrases": ["…"]}'


class BadEvalSet(ValueError):
    """A labelled set `qa eval` cannot read; the message names the file, the line and the reason."""


def load_set(path: Path) -> list[dict]:
    """The labelled questions of a JSONL file, one row per line (ROW; `phrases` optional), each row checked."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise BadEvalSet(f"{path}: cannot be read ({exc})") from None
    squad = BadEvalSet(f"{path}: a SQuAD-format file, not qa eval's JSONL: score it with "
                       f"`.venv/bin/python bench/quality.py --squad {path}`")
    rows = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            if n == 1 and line.lstrip().startswith("{") and '"data"' in "".join(lines[:50]):
                raise squad from None  # a pretty-printed SQuAD file: its first line alone is no JSON
            raise BadEvalSet(f"{path} line {n}: not JSON ({exc.msg}); each line is one question: {ROW}") from None
        if isinstance(row, dict) and "data" in row and "question" not in row:
            raise squad
        if not isinstance(row, dict) or not isinstance(row.get("question"), str) or not row["question"].strip():
            raise BadEvalSet(f"{path} line {n}: no \"question\"; each line is one question: {ROW}")
        if row.get("answerable") not in (True, False):  # also 1 and 0
            raise BadEvalSet(f"{path} line {n}: \"answerable\" must be true or false; each line is one question: {ROW}")
        docs = row.get("docs", [])
        if not isinstance(docs, list) or (row["answerable"] and not docs):
            raise BadEvalSet(f"{path} line {n}: an answerable question needs \"docs\", the ids of the articles that answer it")
        rows.append(row)
    if not rows:
        raise BadEvalSet(f"{path}: no questions")
    return rows


def _good(row: dict, doc_id: str, text: str) -> bool:
    return doc_id in row["docs"] and any(p in text for p in row.get("phrases", [])) if row.get("phrases") else doc_id in row["docs"]


def evaluate(assistant, items: list[dict], k: int = 5, modes: tuple[str, ...] = ("hybrid", "dense", "lexical")) -> EvalReport:
    rep = EvalReport(questions=len(items), answerable=sum(r["answerable"] for r in items))
    answerable = [r for r in items if r["answerable"]]
    for mode in modes:
        hit1 = hitk = rr = 0.0
        for row in answerable:
            ranked = assistant.search(row["question"], k=10, mode=mode)
            ranks = [i for i, c in enumerate(ranked, 1) if _good(row, c["doc_id"], c["text"])]
            first = ranks[0] if ranks else None
            hit1 += first == 1
            hitk += first is not None and first <= k
            rr += 1.0 / first if first else 0.0
        n = max(len(answerable), 1)
        rep.metrics[f"{mode}_hit@1"] = hit1 / n
        rep.metrics[f"{mode}_hit@{k}"] = hitk / n
        rep.metrics[f"{mode}_mrr@10"] = rr / n
    correct_abstain = answered_right = verbatim = total_quotes = 0
    for row in items:
        ans = assistant.ask(row["question"], k=k)
        if ans.abstained != (not row["answerable"]):
            rep.failures.append(f"{'abstained on' if ans.abstained else 'answered'}: {row['question']}")
        else:
            correct_abstain += 1
        for c in ans.citations:
            art = assistant.article(c.doc_id)
            total_quotes += 1
            verbatim += art is not None and art["text"][c.start : c.end] == c.text
        for s in ans.sentences:
            art = assistant.article(s["doc_id"])
            total_quotes += 1
            verbatim += art is not None and art["text"][s["start"] : s["end"]] == s["text"]
        if row["answerable"] and not ans.abstained:
            if any(_good(row, c.doc_id, c.text) for c in ans.citations):
                answered_right += 1
            else:
                rep.failures.append(f"cited no answer-bearing passage: {row['question']}")
    rep.metrics["abstention_accuracy"] = correct_abstain / max(len(items), 1)
    rep.metrics["answer_accuracy"] = answered_right / max(len(answerable), 1)
    rep.metrics["verbatim_share"] = verbatim / total_quotes if total_quotes else 1.0
    return rep
