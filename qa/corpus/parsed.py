"""What the corpus files held when last read, kept beside the index (`parsed.sqlite`): a file whose stats did not
change is not read again, and in a file that did, a row (or text) whose content did not change is not laid out or
dated again. Only a cache: a damaged one, or one written by other reading code, is started afresh."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from qa.models import Article

FILE = "parsed.sqlite"
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, stamp TEXT, entries TEXT, warnings TEXT);
CREATE TABLE IF NOT EXISTS rows (hash TEXT PRIMARY KEY, article TEXT, first TEXT);
"""
_KEPT = ("doc_id", "path", "warnings")  # set per use, not cached with the content
log = logging.getLogger("qa.ingest")
_OPEN: dict[str, ParseCache] = {}
Entry = tuple[str, str, str]  # (content hash, doc_id, path) of one article of a file, in file order


def code_version() -> str:
    """A digest of the code that turns files into articles: other code, other articles (the cache is dropped)."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for path in [*sorted(here.glob("*.py")), here.parent / "text" / "calendar.py", here.parent / "models.py"]:
        h.update(path.read_bytes())
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        h.update(version("dateparser").encode())
    return h.hexdigest()[:32]


def stamp(path: Path, sidecar: Path | None, max_chars: int) -> str:
    """What must be unchanged for a file to be taken as read before: its stats (and its sidecar's), the size limit."""
    parts = [str(max_chars)]
    for p in (path, sidecar):
        with contextlib.suppress(OSError):
            st = p.stat() if p is not None else None
            parts.append(f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}" if st else "-")
    return "|".join(parts)


class ParseCache:
    """Parsed files (by stamp) and articles (by content hash) of one index folder, loaded lazily, saved by `save`."""

    def __init__(self, path: Path | None):
        self.path = path
        self.version = code_version()
        self.files: dict[str, tuple[str, list[Entry], list[str]]] = {}
        self.rows: dict[str, tuple[Article, tuple[str | None, str] | None]] = {}
        self.new: set[str] = set()  # articles (or their dates) not yet written
        self.dirty = False
        self.db: sqlite3.Connection | None = None
        if path is not None:
            self._open()

    def _open(self) -> None:
        for attempt in range(2):
            try:
                db = sqlite3.connect(self.path, check_same_thread=False)
                db.executescript(SCHEMA)
                row = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
                if row is None or row[0] != self.version:  # other reading code: start afresh
                    db.executescript("DELETE FROM files; DELETE FROM rows;")
                    db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
                    db.commit()
                self.files = {p: (s, [tuple(e) for e in json.loads(e)], json.loads(w)) for p, s, e, w in db.execute("SELECT * FROM files")}
                self.db = db
                return
            except (sqlite3.Error, ValueError, TypeError) as exc:
                log.debug("parse cache %s unreadable (%s): started afresh", self.path, exc)
                with contextlib.suppress(Exception):
                    db.close()
                if attempt == 0:
                    Path(self.path).unlink(missing_ok=True)
        self.files, self.db = {}, None

    @classmethod
    def open(cls, index_dir: Path) -> ParseCache:
        """The cache of an index folder, kept in memory for the process (the app re-reads nothing it read)."""
        path = Path(index_dir) / FILE
        cache = _OPEN.get(str(path))
        if cache is None or cache.db is None or not path.is_file():
            cache = _OPEN[str(path)] = cls(path)
            while len(_OPEN) > 8:  # a few index folders per process: the oldest is closed
                _OPEN.pop(next(iter(_OPEN))).close()
        return cache

    def read(self, rel: str, st: str, warnings: list[str], read: Callable[[Callable[..., Article], list[str]], list[Article] | None]) -> list[Article] | None:
        """The articles of one file: as read before when its stamp is unchanged, else `read(make, warnings)`."""
        known = self.files.get(rel)
        if known and known[0] == st and self._load([h for h, _, _ in known[1]]):
            warnings.extend(known[2])
            return [self._article(h, doc_id, path) for h, doc_id, path in known[1]]
        said: list[str] = []
        found = read(self.make, said)
        warnings.extend(said)
        if found is not None:
            self.files[rel] = (st, [(a.content_hash, a.doc_id, a.path) for a in found], said)
            self.dirty = True
        return found

    def make(self, doc_id: str, text: str, path: str = "", meta: dict | None = None, encoding: str = "utf-8") -> Article:
        """`build_article`, or the article built before from the same content."""
        from qa.corpus.readers import article_hash, build_article

        key = article_hash(text, meta or {}, encoding)
        if key in self.rows or self._load([key]):
            return self._article(key, doc_id, path)
        art = build_article(doc_id, text, path, meta, encoding)
        self.rows[art.content_hash] = (dataclasses.replace(art, warnings=[]), None)
        self.new.add(art.content_hash)
        self.dirty = True
        return art

    def first_dates(self) -> dict[str, tuple[str | None, str]]:
        """The dates found before from each article's own text and metadata (content hash -> date, method)."""
        return {h: first for h, (_, first) in self.rows.items() if first is not None}

    def remember_dates(self, found: dict[str, tuple[str | None, str]]) -> None:
        for h, first in found.items():
            if h in self.rows and self.rows[h][1] != tuple(first):
                self.rows[h] = (self.rows[h][0], tuple(first))
                self.new.add(h)
                self.dirty = True

    def _article(self, key: str, doc_id: str, path: str) -> Article:
        art = object.__new__(Article)  # a shallow copy, 20x faster than dataclasses.replace (the callers set plain fields)
        art.__dict__.update(self.rows[key][0].__dict__, doc_id=doc_id, path=path, warnings=[])
        return art

    def _load(self, keys: list[str]) -> bool:
        """Bring these articles into memory from the file; False when any is missing."""
        todo = [k for k in dict.fromkeys(keys) if k not in self.rows]
        if todo and self.db is not None:
            try:
                for i in range(0, len(todo), 500):
                    part = todo[i : i + 500]
                    q = f"SELECT hash, article, first FROM rows WHERE hash IN ({','.join('?' * len(part))})"
                    for h, art, first in self.db.execute(q, part):
                        d = json.loads(art)
                        d["body"] = [tuple(x) for x in d["body"]]
                        d["stripped"] = [tuple(x) for x in d["stripped"]]
                        self.rows[h] = (Article(doc_id="", **d), tuple(json.loads(first)) if first else None)
            except (sqlite3.Error, ValueError, TypeError) as exc:
                log.debug("parse cache %s: %s", self.path, exc)
                return False
        return all(k in self.rows for k in keys)

    def save(self) -> None:
        """Write what changed; forget files no longer in the corpus and articles no file holds any more."""
        if self.db is None or not self.dirty:
            return
        try:
            with self.db:
                self.db.execute("DELETE FROM files")
                self.db.executemany("INSERT INTO files VALUES (?, ?, ?, ?)",
                                    [(p, s, json.dumps(e), json.dumps(w)) for p, (s, e, w) in self.files.items()])
                have = {h for (h,) in self.db.execute("SELECT hash FROM rows")}
                keep = {h for _, entries, _ in self.files.values() for h, _, _ in entries}
                self.db.executemany("DELETE FROM rows WHERE hash = ?", [(h,) for h in have - keep])
                self.db.executemany("INSERT OR REPLACE INTO rows VALUES (?, ?, ?)", [
                    (h, json.dumps({k: v for k, v in dataclasses.asdict(a).items() if k not in _KEPT}), json.dumps(first) if first else None)
                    for h, (a, first) in self.rows.items() if h in keep and (h not in have or h in self.new)
                ])
            self.dirty = False
            self.new.clear()
        except sqlite3.Error as exc:
            log.debug("parse cache %s not saved (%s)", self.path, exc)

    def clear(self) -> None:
        """Forget everything: every file is read and laid out again (and saved anew)."""
        self.files, self.rows, self.dirty = {}, {}, True
        self.new.clear()
        if self.db is not None:
            with contextlib.suppress(sqlite3.Error), self.db:
                self.db.executescript("DELETE FROM files; DELETE FROM rows;")

    def forget_missing(self, present: set[str]) -> None:
        """Drop the files that are gone from the corpus."""
        for rel in set(self.files) - present:
            del self.files[rel]
            self.dirty = True

    def close(self) -> None:
        if self.db is not None:
            self.db.close()
            self.db = None
