"""Follow-up questions on third-party news: CoQA's CNN conversations asked turn by turn; not part of the tests.

    .venv/bin/python bench/conversation.py                     # every CNN story, every turn with a rationale
    .venv/bin/python bench/conversation.py --split test --json out.json

Each turn is asked as the app asks it (`Assistant.ask(question, history=<the earlier answers>)`: a follow-up that
needs the conversation is first asked among the articles of the previous answer), with the earlier questions only
(the rules of qa/query/followup.py rewrite it), and alone; beside BM25 and hybrid retrieval given the turn alone and
given the turn after the two questions before it (the usual way to give a search engine the conversation). Metrics
per turn: the story among the cited passages (story@5), the paragraph holding the turn's rationale among them
(recall@5), and, for the project, the share abstained. A follow-up the previous story does not answer must not be
answered from it: each story's first question is followed by three follow-ups of the next story that need the
conversation and whose answers its text does not hold; "answered from the wrong story" is the share of those the
project answers from the first story's articles (of the follow-ups none of whose words the first story writes). The follow-up rules were written by hand and never fitted on CoQA,
so every split can be used; the index is bench/quality.py's coqa_cnn index (all 100 stories).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import quality as qb  # noqa: E402
import quality_data as qd  # noqa: E402

from qa.answer.features import found  # noqa: E402
from qa.query.focus import leans_on_context  # noqa: E402
from qa.text.words import content_terms  # noqa: E402

SYSTEMS = ("project, with the conversation", "project, with the earlier questions", "project, turn alone",
           "hybrid, turn alone", "BM25, turn alone", "hybrid, after the two questions before",
           "BM25, after the two questions before")
FOREIGN = 3  # follow-ups of the next story asked after each story's first question


def conversations(split: str | None) -> list[list[dict]]:
    """Each story's turns in order, their doc_id that of the story in the index (identical stories are merged)."""
    by_text = {a["text"]: a["id"] for a in qd.load_set("coqa_cnn")["articles"]}
    out = []
    for article, turns in qd.coqa_conversations():
        if split and article["split"] != split:
            continue
        for t in turns:
            t["doc_id"], t["story"] = by_text[article["text"]], article["text"]
        out.append(turns)
    return out


def ask(assistant, system: str, q: str, before: list[dict], earlier: list) -> tuple[list[tuple[str, int, int]], bool, object]:
    """The passages (doc_id, start, end) a system returns for a turn, whether it abstained, and what the next turn
    is given of it (the project's Answer; the searched text)."""
    if system.startswith("project"):
        history = earlier if "conversation" in system else [a.asked for a in earlier] if "questions" in system else None
        ans = assistant.ask(q, history=history)
        return [(c.doc_id, c.start, c.end) for c in ans.citations], bool(ans.abstained), ans
    text = q if "alone" in system else " ".join([b["question"] for b in before[-2:]] + [q])
    rows = assistant.search(text, k=5, mode="lexical" if system.startswith("BM25") else "hybrid", respell=False)
    return [(r["doc_id"], r["start"], r["end"]) for r in rows], False, text


def foreign(stories: list[list[dict]]) -> list[tuple[dict, dict]]:
    """(first turn of a story, a follow-up of the next story that needs the conversation, none of whose words the first
    story writes, and whose answer it does not hold), FOREIGN per story: the first story cannot answer it."""
    out = []
    for a, b in zip(stories, stories[1:] + stories[:1]):
        picked = [t for t in b[1:] if leans_on_context(t["question"]) and (words := content_terms(t["question"]))
                  and not found(words, a[0]["story"], {}) and not any(qd.norm(x) in qd.norm(a[0]["story"]) for x in t["answers"])][:FOREIGN]
        out += [(a[0], t) for t in picked]
    return out


def run(split: str | None) -> dict:
    """Every system on every turn: per-turn records and the figures for first turns and follow-ups."""
    assistant = qb.assistant_for("coqa_cnn")
    stories = conversations(split)
    records: list[dict] = []
    for system in SYSTEMS:
        for turns in stories:
            earlier: list = []
            for n, turn in enumerate(turns):
                got, abstained, given = ask(assistant, system, turn["question"], turns[:n], earlier)
                earlier.append(given)
                records.append({"system": system, "id": turn["id"], "turn": turn["turn"], "follow_up": n > 0,
                                "story@5": any(d == turn["doc_id"] for d, _, _ in got[:5]),
                                "recall@5": any(qb.overlaps(d, s, e, turn) for d, s, e in got[:5]),
                                "abstained": abstained})
    figures: dict = {}
    for system in SYSTEMS:
        for part, follow in (("first turns", False), ("follow-ups", True)):
            rows = [r for r in records if r["system"] == system and r["follow_up"] == follow]
            figures.setdefault(system, {})[part] = {
                "n": len(rows), **{m: sum(r[m] for r in rows) / max(len(rows), 1) for m in ("story@5", "recall@5", "abstained")}}
    pairs = foreign(stories)
    for system in SYSTEMS[:2]:
        wrong = 0
        for first, turn in pairs:
            _, _, ans = ask(assistant, system, first["question"], [], [])
            got, _, _ = ask(assistant, system, turn["question"], [first], [ans])
            wrong += any(d == first["doc_id"] for d, _, _ in got)
        figures[system]["wrong story"] = {"n": len(pairs), "answered": wrong / max(len(pairs), 1)}
    return {"split": split or "all", "stories": len(stories), "figures": figures, "records": records}


def table(result: dict) -> str:
    out = ["| system | first turns: story@5 / recall@5 | follow-ups: story@5 / recall@5 | abstained (follow-ups) "
           "| answered from the wrong story |", "|---|---|---|---|---|"]
    for system, parts in result["figures"].items():
        f, u = parts["first turns"], parts["follow-ups"]
        abst = f"{u['abstained']:.3f}" if system.startswith("project") else ""
        wrong = f"{parts['wrong story']['answered']:.3f} (of {parts['wrong story']['n']})" if "wrong story" in parts else ""
        out.append(f"| {system} | {f['story@5']:.3f} / {f['recall@5']:.3f} | {u['story@5']:.3f} / {u['recall@5']:.3f} "
                   f"| {abst} | {wrong} |")
    first = next(iter(result["figures"].values()))
    out.append(f"\n{result['stories']} stories, {first['first turns']['n']} first turns and {first['follow-ups']['n']} "
               f"follow-ups ({result['split']})")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=qd.SPLITS, help="only the stories of one split (default: all)")
    ap.add_argument("--json", type=Path, help="write the figures and every turn's record here")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    result = run(args.split)
    print(table(result))
    print(f"\ntotal {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
