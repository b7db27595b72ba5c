"""Build or update the index: read the corpus, chunk what changed, embed what is new, write a new generation.

A build writes a new generation folder, then swaps `manifest.json` atomically, so a build that dies
half-way leaves the previous generation live. Embeddings are cached by content hash, so an update
embeds only the chunks whose text is new.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path


from qa.config import Settings
from qa.corpus import layout
from qa.corpus.chunk import chunk_article
from qa.corpus.parsed import ParseCache
from qa.corpus.readers import read_corpus
from qa.encoders import Encoder, model_name
from qa.encoders.cache import CACHE_FILE, embed_chunks
from qa.models import Article
from qa.search import VectorStore, new_vector_store, open_vector_store
from qa.search.chunks import Store
from qa.search.generations import (
    MANIFEST, STORE_FILE, checksums, damage, fsync_dir, lock, quarantine, read_manifest, sweep, write_manifest,
)
from qa.text.aliases import acronyms_in

FORMAT_VERSION = 30  # 2: sentence vectors stored with their chunks; 3: speakers named by their role ("the foreign minister
# said"); 4: "asked why X believed" is not X speaking; 5: "Russia's top diplomat said", "said Keldland's spokesman";
# 6: an experiment's (passages embedded after their title), never shipped; 7: "the ambassador to the UN, Vassily
# Nebenzia, said", "X described … as", "X on Tuesday said", no "December said"; 8: "said Dr. Smith", "according to
# Sen. John McCain" (titles abbreviated with a full stop); 9: "Norman L. Johnson", "Similarly, …" is nobody;
# 10: a closing quotation mark stays with the sentence it closes; 11: "…," the official said is someone unnamed, and the
# quotations after it are not the speaker named before it; 12: a sentence starts at its first word, after a run-in
# dash ("-He went on …"); 13: '"?' closes a quotation before "said X" (a damaged ”); 14: wire credits are debris
# ("… contributed to this report.", "(Reporting by …; Editing by …)"); 15: and "… contributed reporting from Y."; 16:
# and with a feed's dash glued after it; 17: "a spokesman for Mrs May said" is not May, "…, UK officials said." is
# someone unnamed whoever the sentence names before; 18: a name inside a quotation is not who speaks; 19: "X of Y
# said" is X (or the body or office "X of Y"); 20: acronyms defined in lower case ("gross domestic product (GDP)") or
# after the acronym ("WADA (World …)"); 21: a sentence that runs on after a feed's dash ('"very well."- Trump is') is
# two; 22: and one a feed's dash follows ("… this week.-") ends at its full stop; '"…?" asked X' is X's; 23: "X points
# out", "X responded", "X conceded", …; "Protesters" and "His" name nobody; 24: a full stop after a closing mark ends
# a sentence ('… "devalues this great office". But …'); 25: "John Smith, 45, a teacher from Ohio, said" is Smith; 26:
# acronyms an article uses beside a name whose initials spell them ("the Asian Infrastructure Investment Bank … AIIB"),
# no sentence ends where it goes on ('teachers"? unions', '"…,"?Sen. X said', "X, D-Mass." + ", said"), "Rep. X
# (D-Calif.) said" is X; 27: "Russian Defense Minister, Sergey Shoigu, said" is Shoigu (a name in commas after an
# office or a body); 28: a body that speaks is named whole ("The White House said": White House, not House); 29: "Xi
# said" after "President Xi Jinping said" is Xi Jinping (a family name first, said alone); 30: TASS's dateline with
# the country in slashes ("ALEPPO /Syria/, February 17. /TASS/.") is no sentence
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
    """A cheap fingerprint of the corpus folder from file names, sizes and times (no reading). The inode change time is
    in it: an edit that restores the size and modification time still changes that, and only the system can set it."""
    folder = Path(settings.corpus)
    # the layout rules' version too: new rules for site debris must reach an index of files that did not change
    h = hashlib.sha256(f"{FORMAT_VERSION}|{layout.VERSION}|{model_name(settings)}|{settings.chunk_words}|{settings.max_file_mb}".encode())
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_file() and not any(part.startswith(".") for part in rel.parts):
                st = path.stat()
                h.update(f"|{rel}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}".encode())
    return h.hexdigest()[:32]


def is_current(settings: Settings, manifest: dict | None = None) -> bool:
    """True when the index was built from the corpus folder exactly as it is now (by file stats)."""
    manifest = manifest if manifest is not None else read_manifest(settings.index)
    return bool(
        manifest
        and manifest.get("stat_fingerprint") == stat_fingerprint(settings)
        and manifest.get("vector_store", "faiss") == settings.vector_store
        and (Path(settings.index) / manifest["generation"]).is_dir()
    )


def _compatible(manifest: dict | None, settings: Settings) -> bool:
    return bool(
        manifest
        and manifest.get("format") == FORMAT_VERSION
        and manifest.get("model") == model_name(settings)
        and manifest.get("chunk_words") == settings.chunk_words
        and manifest.get("vector_store", "faiss") == settings.vector_store
    )


def _healthy_manifest(index_dir: Path) -> tuple[dict | None, list[str]]:
    """The manifest of a sound live generation, or None (after moving a damaged one aside), and what was done."""
    manifest = read_manifest(index_dir)
    if manifest is None and (index_dir / MANIFEST).exists():
        return None, [f"{index_dir / MANIFEST} was unreadable; the index was rebuilt from the corpus"]
    if manifest is None:
        return None, []
    why = damage(index_dir, manifest)
    if why is None:
        return manifest, []
    moved = quarantine(index_dir, manifest)
    return None, [f"the index in {index_dir} was damaged ({why}); moved aside to {moved.name if moved else '-'} and rebuilt from the corpus"]


def build_index(
    settings: Settings,
    encoder_factory: Callable[[], Encoder],
    progress: bool = False,
    on_progress: Progress | None = None,
    articles: tuple[list[Article], list[str]] | None = None,
    rebuild: bool = False,
) -> BuildReport:
    """Bring the index in `settings.index` up to date with the corpus in `settings.corpus`.

    A damaged live generation is moved aside and rebuilt (the report's first warning says so); `rebuild` starts
    afresh whatever the index holds (cached embeddings are still reused: they are keyed by content).
    """
    t0 = time.perf_counter()
    index_dir = Path(settings.index)
    if articles is None and not Path(settings.corpus).is_dir():  # checked first: a wrong path creates nothing
        raise FileNotFoundError(f"corpus folder not found: {settings.corpus}")
    index_dir.mkdir(parents=True, exist_ok=True)
    with lock(index_dir):
        manifest, healed = _healthy_manifest(index_dir)
        switched = bool(manifest) and manifest.get("vector_store", "faiss") != settings.vector_store  # not damage
        if switched:
            healed.append(f"the index was built for the {manifest.get('vector_store', 'faiss')} vector store; "
                          f"building it for {settings.vector_store} (cached embeddings are reused)")
        stat_fp = stat_fingerprint(settings)
        if articles is None and not rebuild and not switched and is_current(settings, manifest):  # nothing touched: no need to read a file
            return BuildReport(docs=manifest["docs"], chunks=manifest["chunks"], up_to_date=True, generation=manifest["generation"])
        arts, warnings = articles or _read(settings, index_dir, rebuild)
        report = BuildReport(docs=len(arts), warnings=[*healed, *warnings])
        fp = fingerprint(arts, settings)
        if not rebuild and not switched and manifest and manifest.get("fingerprint") == fp and (index_dir / manifest["generation"]).is_dir():
            report.up_to_date, report.generation, report.chunks = True, manifest["generation"], manifest["chunks"]
            if manifest.get("stat_fingerprint") != stat_fp:  # touched but the same: remember the new stats
                write_manifest(index_dir, {**manifest, "stat_fingerprint": stat_fp})
            return report
        sweep(index_dir, keep={manifest["generation"]} if manifest else set())
        number = 1 + max((int(m[1]) for p in index_dir.iterdir() if (m := re.search(r"gen-(\d+)", p.name))), default=0)
        gen = f"gen-{number:06d}"
        tmp = index_dir / f"{gen}.tmp"
        tmp.mkdir()
        old = index_dir / manifest["generation"] if _compatible(manifest, settings) and not rebuild else None
        if old is not None and not (old / STORE_FILE).is_file():
            old = None  # the live generation was deleted: build afresh
        vectors = _write_generation(tmp, old, manifest, arts, settings, encoder_factory, report, progress, on_progress)
        report.chunks = len(vectors)
        report.reused = report.chunks - report.embedded
        vectors.save(tmp)
        with ThreadPoolExecutor(max_workers=1) as pool:  # flushing to disk and checksumming (in memory) side by side
            flushed = pool.submit(fsync_dir, tmp)
            files = checksums(tmp, *((manifest.get("files"), index_dir / manifest["generation"]) if manifest else ()))
            flushed.result()
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
            "files": files,
        }
        write_manifest(index_dir, new_manifest)
        sweep(index_dir, keep={gen, manifest["generation"]} if manifest else {gen})
        report.generation = gen
        report.seconds = time.perf_counter() - t0
        return report


def _read(settings: Settings, index_dir: Path, rebuild: bool) -> tuple[list[Article], list[str]]:
    """The corpus' articles; files and rows read before are taken from the parse cache (`rebuild` reads all afresh)."""
    cache = ParseCache.open(index_dir)
    if rebuild:
        cache.clear()
    found = read_corpus(settings.corpus, settings.max_file_mb, cache)
    cache.save()
    return found


def _write_generation(tmp, old, manifest, arts, settings, encoder_factory, report, progress, on_progress) -> VectorStore:
    store_path = tmp / STORE_FILE
    vectors = None
    if old is not None:  # a finished generation is never written again: a file copy is a consistent copy (4x the backup API)
        shutil.copyfile(old / STORE_FILE, store_path)
        try:
            vectors = open_vector_store(settings, old, manifest)
        except Exception:  # noqa: BLE001 - unreadable vectors: start the generation afresh
            vectors = None
            store_path.unlink()
    store = Store(store_path)
    # no rollback journal and no flush per commit: a generation that fails is thrown away whole, and a finished one is
    # flushed before it goes live (fsync_dir); the journal doubled the pages written and the flushes (commit 77 -> ms)
    store.db.execute("PRAGMA journal_mode = OFF")
    store.db.execute("PRAGMA synchronous = OFF")
    try:  # closed now, also on failure: left to the garbage collector, it may roll back through the next build's journal
        return _fill_generation(store, vectors, arts, settings, encoder_factory, report, progress, on_progress)
    finally:
        store.close()


def _fill_generation(store, vectors, arts, settings, encoder_factory, report, progress, on_progress) -> VectorStore:
    """Bring the copied store and vectors in line with the articles: remove, add, embed what is new."""
    before = store.article_hashes()
    now = {a.doc_id: a for a in arts}
    for doc_id in before:
        if doc_id not in now or now[doc_id].content_hash != before[doc_id]:
            (report.removed if doc_id not in now else report.changed).append(doc_id)
            gone = store.delete_article(doc_id)
            if vectors is not None:
                vectors.remove(gone)
    todo = []
    placed = {r[0]: tuple(r[1:]) for r in store.db.execute("SELECT doc_id, date, date_method, path FROM articles")}
    for art in arts:
        if art.doc_id in before and before[art.doc_id] == art.content_hash:
            if placed.get(art.doc_id) != (art.date, art.date_method, art.path):  # dated anew, or moved
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
        store.put_aliases(art.doc_id, acronyms_in(art.text))
        todo.extend(chunks)
    ids, emb, sentence_vecs, report.embedded = embed_chunks(
        todo, model_name(settings), encoder_factory, Path(settings.index) / CACHE_FILE, settings.batch_size, progress, on_progress
    )
    store.put_sentence_vectors(ids, sentence_vecs)
    if vectors is None:
        vectors = new_vector_store(settings, emb.shape[1] if len(todo) else encoder_factory().dim)
    vectors.add(ids, emb)
    vectors.finish()
    info = vectors.describe()
    report.nprobe, report.recall = int(info.get("nprobe", 0)), float(info.get("recall_at_10", 1.0))
    store.commit()
    return vectors
