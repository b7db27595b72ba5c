"""Build or update the index: read the corpus, chunk what changed, embed what is new, write a new generation.

A build writes a new generation folder, then swaps `manifest.json` atomically, so a build that dies
half-way leaves the previous generation live. Embeddings are cached by content hash, so an update
embeds only the chunks whose text is new.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from qa.config import Settings
from qa.corpus.chunk import chunk_article
from qa.corpus.readers import read_corpus
from qa.encoders import Encoder, model_name
from qa.encoders.cache import EmbeddingCache, embedding_key
from qa.models import Article
from qa.search import VectorStore, new_vector_store, open_vector_store
from qa.search.chunks import Store
from qa.search.index import MANIFEST, STORE_FILE, read_manifest

FORMAT_VERSION = 1
Progress = Callable[[int, int], None]


@dataclass
class BuildReport:
    docs: int = 0
    chunks: int = 0
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    embedded: int = 0  # chunks sent to the model
    reused: int = 0  # chunks not sent to the model: kept from the last build or found in the cache
    seconds: float = 0.0
    up_to_date: bool = False
    nprobe: int = 0  # IVF only: lists searched per query, calibrated to recall
    recall: float = 1.0  # IVF only: recall@10 against exact search at that nprobe
    generation: str = ""
    warnings: list[str] = field(default_factory=list)


def fingerprint(articles: list[Article], settings: Settings) -> str:
    h = hashlib.sha256(f"{FORMAT_VERSION}|{model_name(settings)}|{settings.chunk_words}".encode())
    for a in sorted(articles, key=lambda a: a.doc_id):
        h.update(f"|{a.doc_id}:{a.content_hash}:{a.date}:{a.date_method}".encode())
    return h.hexdigest()[:32]


def stat_fingerprint(settings: Settings) -> str:
    """A cheap fingerprint of the corpus folder from file names, sizes and modification times (no reading)."""
    folder = Path(settings.corpus)
    h = hashlib.sha256(f"{FORMAT_VERSION}|{model_name(settings)}|{settings.chunk_words}|{settings.max_file_mb}".encode())
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                st = path.stat()
                h.update(f"|{rel}:{st.st_size}:{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


def is_current(settings: Settings, manifest: dict | None = None) -> bool:
    """True when the index was built from the corpus folder exactly as it is now (by file stats)."""
    manifest = manifest if manifest is not None else read_manifest(settings.index)
    return bool(
        manifest
        and manifest.get("stat_fingerprint") == stat_fingerprint(settings)
        and (Path(settings.index) / manifest["generation"]).is_dir()
    )


def _compatible(manifest: dict | None, settings: Settings) -> bool:
    return bool(
        manifest
        and manifest.get("format") == FORMAT_VERSION
        and manifest.get("model") == model_name(settings)
        and manifest.get("chunk_words") == settings.chunk_words
    )


@contextlib.contextmanager
def _lock(index_dir: Path):
    with open(index_dir / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_index(
    settings: Settings,
    encoder_factory: Callable[[], Encoder],
    progress: bool = False,
    on_progress: Progress | None = None,
    articles: tuple[list[Article], list[str]] | None = None,
) -> BuildReport:
    """Bring the index in `settings.index` up to date with the corpus in `settings.corpus`."""
    t0 = time.perf_counter()
    index_dir = Path(settings.index)
    index_dir.mkdir(parents=True, exist_ok=True)
    with _lock(index_dir):
        manifest = read_manifest(index_dir)
        stat_fp = stat_fingerprint(settings)
        if articles is None and is_current(settings, manifest):  # nothing touched: no need to read a file
            return BuildReport(docs=manifest["docs"], chunks=manifest["chunks"], up_to_date=True, generation=manifest["generation"])
        if not Path(settings.corpus).is_dir():
            raise FileNotFoundError(f"corpus folder not found: {settings.corpus}")
        arts, warnings = articles or read_corpus(settings.corpus, settings.max_file_mb)
        report = BuildReport(docs=len(arts), warnings=warnings)
        fp = fingerprint(arts, settings)
        if manifest and manifest.get("fingerprint") == fp and (index_dir / manifest["generation"]).is_dir():
            report.up_to_date, report.generation, report.chunks = True, manifest["generation"], manifest["chunks"]
            if manifest.get("stat_fingerprint") != stat_fp:  # touched but the same: remember the new stats
                _atomic_write(index_dir / MANIFEST, json.dumps({**manifest, "stat_fingerprint": stat_fp}, indent=2))
            return report
        _sweep(index_dir, keep={manifest["generation"]} if manifest else set())
        number = int(manifest["generation"].split("-")[1]) + 1 if manifest else 1
        gen = f"gen-{number:06d}"
        tmp = index_dir / f"{gen}.tmp"
        tmp.mkdir()
        old = index_dir / manifest["generation"] if _compatible(manifest, settings) else None
        if old is not None and not (old / STORE_FILE).is_file():
            old = None  # the live generation was deleted: build afresh
        vectors = _write_generation(tmp, old, manifest, arts, settings, encoder_factory, report, progress, on_progress)
        report.chunks = len(vectors)
        report.reused = report.chunks - report.embedded
        vectors.save(tmp)
        _fsync_dir(tmp)
        os.replace(tmp, index_dir / gen)
        new_manifest = {
            "format": FORMAT_VERSION,
            "model": model_name(settings),
            "dim": vectors.dim,
            "fingerprint": fp,
            "stat_fingerprint": stat_fp,
            "generation": gen,
            "chunk_words": settings.chunk_words,
            "docs": len(arts),
            "chunks": report.chunks,
            "vector_store": settings.vector_store,
            **vectors.describe(),
            "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        _atomic_write(index_dir / MANIFEST, json.dumps(new_manifest, indent=2))
        _sweep(index_dir, keep={gen, manifest["generation"]} if manifest else {gen})
        report.generation = gen
        report.seconds = time.perf_counter() - t0
        return report


def _write_generation(tmp, old, manifest, arts, settings, encoder_factory, report, progress, on_progress) -> VectorStore:
    store_path = tmp / STORE_FILE
    vectors = None
    if old is not None:
        with sqlite3.connect(old / STORE_FILE) as src, sqlite3.connect(store_path) as dst:
            src.backup(dst)
        try:
            vectors = open_vector_store(settings, old, manifest)
        except Exception:  # noqa: BLE001 - unreadable vectors: start the generation afresh
            vectors = None
            store_path.unlink()
    store = Store(store_path)
    before = store.article_hashes()
    now = {a.doc_id: a for a in arts}
    for doc_id in before:
        if doc_id not in now or now[doc_id].content_hash != before[doc_id]:
            (report.removed if doc_id not in now else report.changed).append(doc_id)
            gone = store.delete_article(doc_id)
            if vectors is not None:
                vectors.remove(gone)
    todo = []
    for art in arts:
        if art.doc_id in before and before[art.doc_id] == art.content_hash:
            store.db.execute(
                "UPDATE articles SET date = ?, date_method = ?, path = ? WHERE doc_id = ?",
                (art.date, art.date_method, art.path, art.doc_id),
            )
            continue
        if art.doc_id not in before:
            report.added.append(art.doc_id)
        chunks = chunk_article(art, settings.chunk_words)
        store.add_chunks(chunks)
        store.put_article(art, len(chunks))
        todo.extend(chunks)
    ids, emb = _embed(todo, settings, encoder_factory, Path(settings.index), report, progress, on_progress)
    if vectors is None:
        vectors = new_vector_store(settings, emb.shape[1] if len(todo) else encoder_factory().dim)
    vectors.add(ids, emb)
    vectors.finish()
    info = vectors.describe()
    report.nprobe, report.recall = int(info.get("nprobe", 0)), float(info.get("recall_at_10", 1.0))
    store.commit()
    store.close()
    return vectors


def _embed(chunks, settings, encoder_factory, index_dir, report, progress, on_progress):
    model = model_name(settings)
    keys = [embedding_key(model, c.text) for c in chunks]
    cache = EmbeddingCache(index_dir / "embeddings.sqlite")
    try:
        found = cache.get(sorted(set(keys)))
        missing = sorted({k: c.text for k, c in zip(keys, chunks) if k not in found}.items())
        if missing:
            encoder = encoder_factory()
            from tqdm import tqdm

            bar = tqdm(total=len(missing), desc="embedding", unit="chunk", disable=not progress, leave=False)
            done = [0]

            def tick(n: int) -> None:
                bar.update(n)
                done[0] += n
                if on_progress:
                    on_progress(done[0], len(missing))

            vecs = encoder.encode([t for _, t in missing], settings.batch_size, tick)
            bar.close()
            cache.put([(k, v.astype(np.float32).tobytes()) for (k, _), v in zip(missing, vecs)])
            found.update({k: v.astype(np.float32).tobytes() for (k, _), v in zip(missing, vecs)})
            report.embedded = len(missing)
    finally:
        cache.close()
    if not chunks:
        return [], np.zeros((0, 0), dtype=np.float32)
    emb = np.vstack([np.frombuffer(found[k], dtype=np.float32) for k in keys])
    return [c.id for c in chunks], emb


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _fsync_dir(path: Path) -> None:
    for f in path.iterdir() if path.is_dir() and path.name.endswith(".tmp") else []:
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sweep(index_dir: Path, keep: set[str]) -> None:
    """Delete unfinished and superseded generations (the live one and the one before stay)."""
    for p in index_dir.glob("gen-*"):
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)
