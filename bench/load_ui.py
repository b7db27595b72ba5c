"""Load the web app's /ask endpoint from several gradio_client threads and print latency figures.

Usage: .venv/bin/python bench/load_ui.py [--threads 10] [--questions 20]
Starts its own server on a free localhost port over a temporary copy of seeds/; only 127.0.0.1 is contacted. A
baseline server (QA_CONCURRENCY=8 by default) is loaded first in the same run, then one with the defaults (one question
per CPU at once), alternately `--repeat` times. `--baseline-code DIR` makes the baseline the same defaults served by
another copy of the code (e.g. `git archive HEAD | tar -x -C DIR`): before and after a change, in one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far (all its threads)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def http_ask(client, url: str, question: str) -> dict:
    """/ask through Gradio's HTTP API (the same queue as gradio_client, a fraction of the client's CPU)."""
    event = client.post(f"{url}gradio_api/call/ask", json={"data": [question, "", "", "", 0, []]}).json()["event_id"]
    text = client.get(f"{url}gradio_api/call/ask/{event}").text
    if "event: complete" not in text:
        raise RuntimeError(text[:300])
    return json.loads(text.split("event: complete", 1)[1].split("data:", 1)[1].strip())[0]


def load(args, questions: list[str], env_extra: dict[str, str], code: Path = ROOT) -> str:
    """Start a server over a copy of seeds/ with these settings, load its /ask from the threads; one line of figures."""
    import httpx
    from gradio_client import Client

    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "seeds", tmp / "corpus")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui", "--port", str(port), "--corpus", str(tmp / "corpus"), "--index", str(tmp / "index")],
        cwd=code, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **env_extra},
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(240):
            try:
                Client(url, verbose=False)
                break
            except Exception:  # noqa: BLE001 - not up yet
                time.sleep(0.5)
        lat: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()

        def worker(i: int) -> None:
            client = Client(url, verbose=False) if args.client == "gradio" else httpx.Client(timeout=120)
            for j in range(args.questions):
                q = questions[(i * args.questions + j) % len(questions)]
                t0 = time.perf_counter()
                try:
                    ans = client.predict(q, api_name="/ask") if args.client == "gradio" else http_ask(client, url, q)
                    assert isinstance(ans, dict) and "citations" in ans
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(f"{q}: {exc}")
                    continue
                with lock:
                    lat.append((time.perf_counter() - t0) * 1000)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
        cpu0, client0 = cpu_seconds(server.pid), time.process_time()
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        cpu, client = cpu_seconds(server.pid) - cpu0, time.process_time() - client0
        lat.sort()
        n = args.threads * args.questions
        for e in errors[:3]:
            print("error:", e)
        p50, p95 = (statistics.median(lat), lat[int(0.95 * (len(lat) - 1))]) if lat else (float("nan"),) * 2
        return f"{n} | {wall:.1f} | {n / wall:.1f} | {len(errors)} | {p50:.0f} | {p95:.0f} | {1000 * cpu / n:.0f} | {1000 * client / n:.0f}"
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=10)
    ap.add_argument("--questions", type=int, default=20, help="questions per thread")
    ap.add_argument("--client", choices=("http", "gradio"), default="http",
                    help="http: Gradio's HTTP API with httpx; gradio: gradio_client (3x the server's CPU per request, on the same CPUs)")
    ap.add_argument("--baseline", type=int, default=8, help="QA_CONCURRENCY of the baseline server; 0: none")
    ap.add_argument("--baseline-code", type=Path, help="baseline: this copy of the code with the defaults (not QA_CONCURRENCY)")
    ap.add_argument("--repeat", type=int, default=1, help="alternate baseline and defaults this many times")
    args = ap.parse_args()
    questions = [json.loads(line)["question"] for line in (ROOT / "tests/data/eval.jsonl").read_text().splitlines() if line]
    runs: dict[str, tuple[dict[str, str], Path]] = {}
    if args.baseline_code:
        runs[f"code in {args.baseline_code} (baseline)"] = ({}, args.baseline_code)
    elif args.baseline:
        runs[f"QA_CONCURRENCY={args.baseline} (baseline)"] = ({"QA_CONCURRENCY": str(args.baseline)}, ROOT)
    runs["this code's defaults"] = ({}, ROOT)
    print(f"/ask from {args.threads} threads x {args.questions} questions ({args.client} client), load {os.getloadavg()[0]:.1f}")
    print("| server | requests | s | req/s | errors | p50 ms | p95 ms | server CPU ms per request | client CPU ms per request |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for _ in range(args.repeat):
        for label, (env, code) in runs.items():
            print(f"| {label} | {load(args, questions, env, code)} |", flush=True)


if __name__ == "__main__":
    main()
