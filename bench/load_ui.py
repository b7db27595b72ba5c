"""Load the web app's /ask endpoint from several gradio_client threads and print latency figures.

Usage: .venv/bin/python bench/load_ui.py [--threads 10] [--questions 20]
Starts its own server on a free localhost port over a temporary copy of seeds/; only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import json
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=10)
    ap.add_argument("--questions", type=int, default=20, help="questions per thread")
    args = ap.parse_args()
    from gradio_client import Client

    questions = [json.loads(line)["question"] for line in (ROOT / "tests/data/eval.jsonl").read_text().splitlines() if line]
    tmp = Path(tempfile.mkdtemp())
    shutil.copytree(ROOT / "seeds", tmp / "corpus")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "ui", "--port", str(port), "--corpus", str(tmp / "corpus"), "--index", str(tmp / "index")],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
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
            client = Client(url, verbose=False)
            for j in range(args.questions):
                q = questions[(i * args.questions + j) % len(questions)]
                t0 = time.perf_counter()
                try:
                    ans = client.predict(q, api_name="/ask")
                    assert isinstance(ans, dict) and "citations" in ans
                except Exception as exc:  # noqa: BLE001
                    with lock:
                        errors.append(f"{q}: {exc}")
                    continue
                with lock:
                    lat.append((time.perf_counter() - t0) * 1000)

        threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.threads)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        lat.sort()
        n = args.threads * args.questions
        print(f"/ask load: {args.threads} threads x {args.questions} questions = {n} requests in {wall:.1f} s "
              f"({n / wall:.1f} req/s), errors {len(errors)}")
        if lat:
            print(f"latency p50 {statistics.median(lat):.0f} ms, p95 {lat[int(0.95 * (len(lat) - 1))]:.0f} ms, max {lat[-1]:.0f} ms")
        for e in errors[:5]:
            print("error:", e)
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
