"""The seed index built with the real model (slow): its manifest and consistency, and `qa index` killed mid-way."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from qa.build import FORMAT_VERSION, build_index, fingerprint
from qa.config import Settings
from qa.corpus.chunk import chunk_article
from qa.corpus.readers import read_corpus
from qa.encoders import encoder_for
from qa.search.index import Index, read_manifest
from test_index import assert_consistent, big_article, chunk_rows

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent
SEED_IDS = {"000_3ba5d7d03a34b568", "001_c650b099b3b6e936", "002_2faade04ba6bd5e4", "003_238ccbb7fe04cffb", "004_5c9cc7032a8f1c3d"}


def settings(corpus: Path, index: Path) -> Settings:
    return Settings(corpus=Path(corpus), index=Path(index))


def test_manifest_fields(assistant, seed_corpus, seed_index):
    m = read_manifest(seed_index)
    assert m["format"] == FORMAT_VERSION
    assert m["model"] == "e5:multilingual-e5-small@int8+bundled:all-MiniLM-L6-v2"  # the default: e5 (int8) retrieves, MiniLM reads
    assert m["dim"] == 384 == assistant.index.vectors.dim
    assert re.fullmatch(r"[0-9a-f]{32}", m["fingerprint"])
    assert re.fullmatch(r"gen-\d{6}", m["generation"]) and (seed_index / m["generation"]).is_dir()
    assert m["docs"] == 5
    assert m["chunks"] == len(assistant.index.vectors) == assistant.index.store.count_chunks()


def test_manifest_fingerprint_matches_the_corpus(assistant, seed_corpus, seed_index):
    articles, _ = read_corpus(seed_corpus)
    assert read_manifest(seed_index)["fingerprint"] == fingerprint(articles, settings(seed_corpus, seed_index))


def test_seed_index_is_consistent(assistant):
    assert_consistent(assistant.index)
    assert {a["doc_id"] for a in assistant.docs()} == SEED_IDS


def test_seed_chunks_match_chunk_article(assistant, seed_articles):
    expected = sorted((c.doc_id, c.start, c.end, c.text) for a in seed_articles.values() for c in chunk_article(a))
    assert chunk_rows(assistant.index) == expected


def test_build_killed_mid_way_leaves_old_index_live(indexed_copy):
    """`qa index` killed with SIGKILL while it embeds into its new generation folder: the old one stays live."""
    corpus, index = indexed_copy
    m = read_manifest(index)
    (corpus / "zz_big.txt").write_text(big_article(), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "QA_BACKEND"}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "qa.cli", "index", "--corpus", str(corpus), "--index", str(index)],
        cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    stderr = bytearray()
    reader = threading.Thread(target=lambda: [stderr.extend(b) for b in iter(lambda: os.read(proc.stderr.fileno(), 4096), b"")])
    reader.start()
    try:
        deadline = time.monotonic() + 180
        # the progress bar appears once the model is loaded and the first batch is on its way
        while not (list(index.glob("gen-*.tmp")) and b"embedding" in stderr):
            assert proc.poll() is None, f"the build finished before it could be killed: {bytes(stderr)[-500:]!r}"
            assert time.monotonic() < deadline, "the build never started embedding"
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(30)
        reader.join(10)
    assert proc.returncode == -signal.SIGKILL
    assert list(index.glob("gen-*.tmp"))  # it died half-way
    assert read_manifest(index)["generation"] == m["generation"]
    idx = Index.load(index)
    assert len(idx.vectors) == m["chunks"]
    assert_consistent(idx)
    from qa.api import Assistant

    a = Assistant(corpus=corpus, index=index, auto_index=False)
    a.index = idx  # the live generation as it is, without indexing the new file
    ans = a.ask("Which de-escalation zones are operating?")
    assert not ans.abstained
    assert any(c.doc_id == "002_2faade04ba6bd5e4" for c in ans.citations)
    # the next build succeeds
    s = settings(corpus, index)
    n_new = len(chunk_article(next(a for a in read_corpus(corpus)[0] if a.doc_id == "zz_big")))
    rep = build_index(s, lambda: encoder_for(s))
    assert not rep.up_to_date and rep.added == ["zz_big"]
    assert rep.embedded == n_new
    assert read_manifest(index)["generation"] == rep.generation != m["generation"]
    assert not list(index.glob("*.tmp"))
    idx = Index.load(index)
    assert len(idx.vectors) == m["chunks"] + n_new
    assert_consistent(idx)
