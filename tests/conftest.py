"""Shared fixtures. The web-app ones are prefixed `ui_`: one real server (`python -m ui`) per session."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# An article whose text holds markup: the app must show it as text and run none of it.
UI_XSS_DOC = "velmora_festival"
UI_XSS_ARTICLE = """Harbour festival in Velmora draws record crowds

VELMORA, March 4, 2017 (Coastal Wire). The harbour festival in Velmora drew record crowds this weekend, the organisers said on Saturday.

A banner over the main stage of the Velmora harbour festival read <script>window.__xss=1</script> because the programmers' guild had sponsored the stage.

A second banner at the Velmora fish market showed <img src=x onerror="window.__xss=2"> in large red letters, which puzzled many visitors.

The stage manager's sign said ${window.__xss=3} and {{constructor.constructor('window.__xss=4')()}} all weekend.

The festival closes on Sunday evening with fireworks over the Velmora harbour.
"""


def ui_pick_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def ui_free_port() -> int:
    return ui_pick_port()


@dataclass
class UIServer:
    url: str
    port: int
    corpus: Path
    index: Path
    log: Path
    proc: subprocess.Popen

    def article_text(self, doc_id: str) -> str:
        """The article text exactly as the app decodes it (UTF-8, BOM dropped, newlines kept)."""
        return (self.corpus / f"{doc_id}.txt").read_bytes().decode("utf-8-sig")

    def log_tail(self, n: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


def ui_wait_until_up(url: str, proc: subprocess.Popen, timeout: float = 240.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"server not up at {url} after {timeout:.0f}s")


@pytest.fixture(scope="session")
def ui_server(tmp_path_factory, ui_free_port):
    """`python -m ui` on a free localhost port, over a copy of seeds/ plus an article full of markup."""
    base = tmp_path_factory.mktemp("ui")
    corpus, index, log = base / "corpus", base / "index", base / "server.log"
    shutil.copytree(ROOT / "seeds", corpus)
    (corpus / f"{UI_XSS_DOC}.txt").write_text(UI_XSS_ARTICLE, encoding="utf-8")
    env = dict(os.environ, GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    port = ui_free_port
    cmd = [sys.executable, "-m", "ui", "--host", "127.0.0.1", "--port", str(port), "--corpus", str(corpus), "--index", str(index)]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    server = UIServer(f"http://127.0.0.1:{port}/", port, corpus, index, log, proc)
    try:
        ui_wait_until_up(server.url, proc)
    except (RuntimeError, TimeoutError) as exc:
        proc.kill()
        proc.wait(10)
        pytest.fail(f"{exc}\n--- server log ---\n{server.log_tail()}")
    yield server
    proc.terminate()
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


# ---------------------------------------------------------------------------------------------
# Core-library fixtures (tests/test_ingest.py, test_debris.py, test_chunk.py, test_index.py,
# test_retrieve.py, test_answer.py, test_timeline.py, test_cli.py, test_readme.py).
# One real model per process (qa.embed.get_encoder caches it), one seed index per session.
# ---------------------------------------------------------------------------------------------

CORE_REPO = Path(__file__).resolve().parent.parent
CORE_SEEDS = CORE_REPO / "seeds"
CORE_EVAL_SET = CORE_REPO / "tests" / "data" / "eval.jsonl"


@pytest.fixture(scope="session")
def seed_corpus(tmp_path_factory) -> Path:
    """A private copy of seeds/ (5 real articles) that no test changes."""
    dest = tmp_path_factory.mktemp("seed") / "corpus"
    shutil.copytree(CORE_SEEDS, dest)
    return dest


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory) -> Path:
    """The index folder of the session's assistant (never the repo's index/)."""
    return tmp_path_factory.mktemp("seed") / "index"


@pytest.fixture(scope="session")
def assistant(seed_corpus, seed_index):
    """`Assistant` over the seed copy, built once per session with the real model and FAISS."""
    from qa.api import Assistant

    a = Assistant(corpus=seed_corpus, index=seed_index)
    yield a
    if a.index is not None:
        a.index.close()


@pytest.fixture(scope="session")
def seed_articles() -> dict:
    """The seeds as `Article`s (no model needed), by doc_id."""
    from qa.corpus.readers import read_corpus

    articles, _ = read_corpus(CORE_SEEDS)
    return {a.doc_id: a for a in articles}


@pytest.fixture(scope="session")
def eval_rows() -> list[dict]:
    import json

    return [json.loads(line) for line in CORE_EVAL_SET.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def indexed_copy(tmp_path, seed_corpus, seed_index, assistant) -> tuple[Path, Path]:
    """(corpus, index): fresh copies of the seeds and of their built index, free to change."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(seed_corpus, corpus)
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    return corpus, index


@pytest.fixture(scope="session")
def run_qa():
    """Run the `qa` command (`python -m qa.cli ...`) in a subprocess; returns the CompletedProcess."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    for key in ("QA_CORPUS", "QA_INDEX", "QA_MODEL", "QA_MAX_FILE_MB", "QA_K"):
        env.pop(key, None)

    def run(*args, timeout: float = 300, cwd: Path = CORE_REPO) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "qa.cli", *map(str, args)],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )

    return run
