"""Shared fixtures, in two tiers.

Fast tier (`pytest -m "not slow"`): the `news*` fixtures index the small corpora of tests/corpora.py with the
deterministic fake encoder (Settings(backend="fake")); no model is loaded, which the guard below checks.

Slow tier (marked `slow`): the `seed*` / `assistant` fixtures use the five articles in seeds/ and the real model;
the web-app ones are prefixed `ui_`: one real server (`python -m ui`) per session.
"""

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

import corpora

ROOT = Path(__file__).resolve().parent.parent

# ---------------------------------------------------------------------------------------------
# The tier guard: a fast test loads no model and does not use the seed articles.
# ---------------------------------------------------------------------------------------------

MODEL_MODULES = ("torch", "sentence_transformers", "transformers", "onnxruntime")
# fixtures built on seeds/ and the real model: slow tests only
SEED_FIXTURES = frozenset({"seed_corpus", "seed_index", "assistant", "seed_articles", "eval_rows", "indexed_copy", "ui_server", "run_qa"})
_MODULES_BEFORE = pytest.StashKey[frozenset]()


def loaded_model_modules() -> frozenset[str]:
    return frozenset(m for m in MODEL_MODULES if m in sys.modules)


def is_slow(item) -> bool:
    return item.get_closest_marker("slow") is not None


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture of the test is set up (session-wide ones included): a fast test may not use the seed fixtures."""
    item.stash[_MODULES_BEFORE] = loaded_model_modules()
    if not is_slow(item):
        seeds = sorted(SEED_FIXTURES & set(getattr(item, "fixturenames", ())))
        if seeds:
            pytest.fail(f"a fast test uses the seed/real-model fixtures {seeds}: mark it slow or use the news* fixtures")


@pytest.fixture(autouse=True)
def fast_tests_load_no_model(request):
    """A test not marked `slow` may not import torch, sentence-transformers, transformers or ONNX Runtime."""
    yield
    if not is_slow(request.node):
        new = loaded_model_modules() - request.node.stash.get(_MODULES_BEFORE, frozenset())
        assert not new, f"this fast test imported {sorted(new)}: fast tests use the fake encoder (Settings(backend='fake'))"


def pytest_sessionfinish(session, exitstatus):
    """In a run without slow tests, no model module may have been imported at all (collection included)."""
    items = getattr(session, "items", None) or []
    if not items or any(is_slow(i) for i in items) or session.config.option.collectonly:
        return
    loaded = sorted(loaded_model_modules())
    if loaded:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        message = f"fast test run imported {loaded}: fast tests must not load a model"
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(message, red=True, bold=True)
        else:
            sys.stderr.write(message + "\n")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# ---------------------------------------------------------------------------------------------
# Fast-tier fixtures: the test corpora (tests/corpora.py), the fake encoder, indexes in tmp dirs.
# ---------------------------------------------------------------------------------------------


def copy_built(corpus: Path, index: Path, dest: Path) -> tuple[Path, Path]:
    """Copies of a corpus folder and its built index under dest, free to change: (corpus, index)."""
    corpus_copy, index_copy = dest / "corpus", dest / "index"
    shutil.copytree(corpus, corpus_copy)
    shutil.copytree(index, index_copy, ignore=shutil.ignore_patterns(".lock"))
    return corpus_copy, index_copy


@pytest.fixture(scope="session")
def news_corpus(tmp_path_factory) -> Path:
    """The stories of tests/corpora.py written as corpus files (.txt, sidecars, a JSONL feed); no test changes them."""
    return corpora.write_corpus(tmp_path_factory.mktemp("news") / "corpus")


@pytest.fixture(scope="session")
def news_index(tmp_path_factory) -> Path:
    """The index folder of the session's fake-encoder assistant."""
    return tmp_path_factory.mktemp("news") / "index"


@pytest.fixture(scope="session")
def news(news_corpus, news_index):
    """`Assistant` over the news corpus with the fake encoder, built once per session."""
    from qa.api import Assistant

    a = Assistant(settings=corpora.fake_settings(news_corpus, news_index))
    yield a
    if a.index is not None:
        a.index.close()


@pytest.fixture
def news_copy(tmp_path, news_corpus, news_index, news) -> tuple[Path, Path]:
    """(corpus, index): fresh copies of the news corpus and of its built index, free to change."""
    return copy_built(news_corpus, news_index, tmp_path)


@pytest.fixture(scope="session")
def qa_cli():
    """Run the `qa` command in-process (click's CliRunner) with the fake encoder; returns the click Result."""
    from click.testing import CliRunner

    from qa.cli import main

    runner = CliRunner()

    def run(*args, env: dict | None = None):
        return runner.invoke(main, [str(a) for a in args], env={"QA_BACKEND": "fake", **(env or {})}, catch_exceptions=False)

    return run

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
# Slow-tier fixtures over seeds/ (the *_seeds.py tests, test_readme.py, test_ui_*.py).
# One real model per process (qa.encoders.get_encoder caches it), one seed index per session.
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
    return copy_built(seed_corpus, seed_index, tmp_path)


@pytest.fixture(scope="session")
def run_qa():
    """Run the `qa` command (`python -m qa.cli ...`) in a subprocess; returns the CompletedProcess."""
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", PYTHONUNBUFFERED="1")
    for key in ("QA_CORPUS", "QA_INDEX", "QA_MODEL", "QA_MAX_FILE_MB", "QA_K", "QA_BACKEND"):
        env.pop(key, None)

    def run(*args, timeout: float = 300, cwd: Path = CORE_REPO) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "qa.cli", *map(str, args)],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL,
        )

    return run


# ---- shared by the browser tests and the settings tests
CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium, driven by Playwright (never a downloaded browser)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def chromium():
    """A headless Chromium for one test module; the module is skipped where Debian's chromium is missing."""
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests skipped")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def clean_env(monkeypatch):
    """No QA_* variable from the caller's environment."""
    for key in list(os.environ):
        if key.startswith("QA_"):
            monkeypatch.delenv(key)
    return monkeypatch
