"""The chunk store: SQLite with articles, chunks (offsets, sentence spans) and an FTS5 table for BM25."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import numpy as np

from qa.models import Article, Chunk, Filters
from qa.text.words import unaccented

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT PRIMARY KEY, path TEXT, title TEXT, date TEXT, date_method TEXT, source TEXT,
    place TEXT, url TEXT, content_hash TEXT, text TEXT, body TEXT, stripped TEXT, n_chunks INTEGER,
    encoding TEXT DEFAULT 'utf-8'
);
CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
CREATE INDEX IF NOT EXISTS articles_source ON articles(source COLLATE NOCASE);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY AUTOINCREMENT, doc_id TEXT NOT NULL, ordinal INTEGER, start INTEGER, end INTEGER,
    text TEXT, sentences TEXT, sentence_vecs BLOB, speakers TEXT
);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
CREATE TABLE IF NOT EXISTS aliases (doc_id TEXT NOT NULL, long TEXT, short TEXT);
CREATE INDEX IF NOT EXISTS aliases_doc ON aliases(doc_id);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, content='chunks', content_rowid='id', tokenize='porter unicode61');
"""

T = TypeVar("T")
ARCHIVE_DATED_SHARE = 0.5  # the share of dated articles from which the newest one's date is where the archive ends
ARTICLE_COLS = ("doc_id", "path", "title", "date", "date_method", "source", "place", "url", "content_hash", "encoding")


def filter_sql(filters: Filters) -> tuple[str, list]:
    """A WHERE clause over `articles a` for the filters, and its parameters."""
    where, params = [], []
    if filters.since:
        where.append("a.date >= ?")
        params.append(filters.since)
    if filters.until:
        where.append("a.date <= ?")
        params.append(filters.until)
    if filters.sources:
        where.append(f"a.source COLLATE NOCASE IN ({','.join('?' * len(filters.sources))})")
        params.extend(filters.sources)
    if filters.doc_ids:
        where.append(f"a.doc_id IN ({','.join('?' * len(filters.doc_ids))})")
        params.extend(filters.doc_ids)
    return " AND ".join(where), params


class Store:
    """Articles and chunks in SQLite, with an FTS5 table for BM25."""

    def __init__(self, path: Path, readonly: bool = False):
        self.path = Path(path)
        uri = f"file:{self.path}?mode=ro" if readonly else f"file:{self.path}"
        self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        self._memo: dict[str, object] | None = {} if readonly else None  # a read-only generation never changes
        if readonly:  # pages read from the OS cache without copies: BM25 at 40k passages 20 -> 8 ms
            self.db.execute("PRAGMA mmap_size = 1073741824")
        if not readonly:
            self.db.executescript(SCHEMA)
            if "encoding" not in {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}:  # a store from before
                self.db.execute("ALTER TABLE articles ADD COLUMN encoding TEXT DEFAULT 'utf-8'")

    def close(self) -> None:
        self.db.close()

    # ---- writes
    def put_article(self, art: Article, n_chunks: int) -> None:
        self.db.execute(
            f"INSERT OR REPLACE INTO articles ({', '.join(ARTICLE_COLS)}, text, body, stripped, n_chunks)"
            f" VALUES ({', '.join('?' * (len(ARTICLE_COLS) + 4))})",
            [getattr(art, c) for c in ARTICLE_COLS] + [art.text, json.dumps(art.body), json.dumps(art.stripped), n_chunks],
        )

    def put_aliases(self, doc_id: str, pairs: list[tuple[str, str]]) -> None:
        """The (long name, acronym) pairs an article defines."""
        self.db.executemany("INSERT INTO aliases (doc_id, long, short) VALUES (?, ?, ?)", [(doc_id, a, b) for a, b in pairs])

    def put_sentence_vectors(self, ids: list[int], vectors: list[np.ndarray]) -> None:
        """Each chunk's sentence vectors (float16: they rank sentences, nothing is searched by them)."""
        self.db.executemany(
            "UPDATE chunks SET sentence_vecs = ? WHERE id = ?",
            [(np.asarray(v, dtype=np.float16).tobytes(), i) for i, v in zip(ids, vectors)],
        )

    def add_chunks(self, chunks: list[Chunk]) -> list[int]:
        ids = []
        for c in chunks:
            cur = self.db.execute(
                "INSERT INTO chunks (doc_id, ordinal, start, end, text, sentences, speakers) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (c.doc_id, c.ordinal, c.start, c.end, c.text, json.dumps(c.sentences), json.dumps(c.speakers)),
            )
            c.id = cur.lastrowid
            self.db.execute("INSERT INTO chunks_fts (rowid, text) VALUES (?, ?)", (c.id, c.text))
            ids.append(c.id)
        return ids

    def delete_article(self, doc_id: str) -> list[int]:
        """Remove an article and its chunks; returns the removed chunk ids."""
        rows = self.db.execute("SELECT id, text FROM chunks WHERE doc_id = ?", (doc_id,)).fetchall()
        for r in rows:
            self.db.execute("INSERT INTO chunks_fts (chunks_fts, rowid, text) VALUES ('delete', ?, ?)", (r["id"], r["text"]))
        for table in ("chunks", "aliases", "articles"):
            self.db.execute(f"DELETE FROM {table} WHERE doc_id = ?", (doc_id,))
        return [r["id"] for r in rows]

    def commit(self) -> None:
        self.db.commit()

    # ---- reads
    def article_hashes(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self.db.execute("SELECT doc_id, content_hash FROM articles")}

    def articles(self) -> list[dict]:
        have = {r[1] for r in self.db.execute("PRAGMA table_info(articles)")}
        cols = ", ".join(c if c in have else f"NULL AS {c}" for c in ARTICLE_COLS)  # a store from before `encoding`
        rows = self.db.execute(f"SELECT {cols}, length(text) AS chars, n_chunks FROM articles ORDER BY date IS NULL, date, doc_id")
        return [dict(r) for r in rows]

    def text_before(self, doc_id: str, start: int, n: int) -> str:
        """The n characters of an article's text that end at `start`."""
        row = self.db.execute("SELECT substr(text, ?, ?) FROM articles WHERE doc_id = ?",
                              (max(start - n, 0) + 1, min(n, start), doc_id)).fetchone()
        return row[0] if row and row[0] else ""

    def texts_naming(self, term: str, doc_ids: list[str], per_doc: int = 3) -> dict[str, str]:
        """doc_id -> the first `per_doc` passages of each of these articles that hold the word `term`, joined."""
        if not doc_ids:
            return {}
        sql = (f"SELECT c.doc_id, c.text FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid WHERE chunks_fts MATCH ?"
               f" AND c.doc_id IN ({','.join('?' * len(doc_ids))}) ORDER BY c.doc_id, c.ordinal")
        out: dict[str, list[str]] = {}
        try:
            for doc_id, text in self.db.execute(sql, [f'"{term}"', *doc_ids]):
                if len(out.setdefault(doc_id, [])) < per_doc:
                    out[doc_id].append(text)
        except sqlite3.OperationalError:
            return {}
        return {d: "\n".join(t) for d, t in out.items()}

    def article_texts(self, doc_ids: list[str]) -> dict[str, str]:
        """doc_id -> the article's passages, joined."""
        if not doc_ids:
            return {}
        sql = f"SELECT doc_id, text FROM chunks WHERE doc_id IN ({','.join('?' * len(doc_ids))}) ORDER BY doc_id, ordinal"
        out: dict[str, list[str]] = {}
        for doc_id, text in self.db.execute(sql, list(doc_ids)):
            out.setdefault(doc_id, []).append(text)
        return {d: "\n".join(t) for d, t in out.items()}

    def article(self, doc_id: str) -> dict | None:
        row = self.db.execute("SELECT * FROM articles WHERE doc_id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        d = dict(row)
        d["body"] = [tuple(x) for x in json.loads(d["body"])]
        d["stripped"] = [tuple(x) for x in json.loads(d["stripped"])]
        return d

    def speaker_names(self) -> list[str]:
        """The distinct names of the people the chunks quote."""
        names: set[str] = set()
        for (row,) in self.db.execute("SELECT speakers FROM chunks WHERE speakers IS NOT NULL AND speakers != '[]'"):
            names.update(n for n in json.loads(row) if n)
        return sorted(names)

    def _once(self, key: str, read: Callable[[], T]) -> T:
        """A read-only store's answer, read once (asked for by every question)."""
        if self._memo is None:
            return read()
        if key not in self._memo:
            if len(self._memo) > 100_000:  # term counts of many questions: start over rather than grow
                self._memo.clear()
            self._memo[key] = read()
        return self._memo[key]

    def vocabulary(self) -> dict[str, list[str]]:
        """Every indexed term (as the full-text index stems it), grouped by first letter (qa.query.spelling)."""
        def read() -> dict[str, list[str]]:
            self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_vocab USING fts5vocab(main, chunks_fts, row)")
            out: dict[str, list[str]] = {}
            for (term,) in self.db.execute("SELECT term FROM temp.chunks_vocab"):
                out.setdefault(term[:1], []).append(term)
            return out
        return self._once("vocabulary", read)

    def spellings(self, term: str) -> set[str]:
        """How the passages write the indexed term `term`: the words beginning like it in (up to 20) passages holding it
        (accents aside, as the index reads them: 'Céloron' for 'celoron')."""
        rows = self.db.execute(
            "SELECT c.text FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid WHERE chunks_fts MATCH ? LIMIT 20",
            (f'"{term}"',)).fetchall()
        prefix = term[:-1] or term  # a stem may end otherwise than its words ('happi' for 'happy')
        return {w for (text,) in rows for w in re.findall(r"[^\W\d_]+", text) if unaccented(w.lower()).startswith(prefix)}

    def capitalised(self, term: str) -> float:
        """The share of the word's mentions inside a sentence (after a lower-case word or a comma) that are written with
        a capital, in up to 20 passages holding it: near 1 for a name ("Rotterdam"), near 0 for a word ("award")."""
        def read() -> float:
            try:
                rows = self.db.execute("SELECT c.text FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid WHERE chunks_fts "
                                       "MATCH ? LIMIT 20", (f'"{term.replace(chr(34), " ")}"',)).fetchall()
            except sqlite3.OperationalError:  # a term FTS5 cannot read: no evidence either way
                return 1.0
            stem = re.escape(term[:5])
            words = [m[1] for (text,) in rows for m in re.finditer(rf"(?<=[a-z,;:] )(?i:({stem})\w*)", unaccented(text))]
            return sum(w[:1].isupper() for w in words) / len(words) if words else 1.0
        return self._once(f"caps:{term}", read)

    def aliases(self) -> list[tuple[str, str]]:
        """Every (long name, acronym) pair the corpus defines."""
        return list(self._once("aliases", lambda: [(r[0], r[1]) for r in self.db.execute("SELECT DISTINCT long, short FROM aliases")]))

    def chunks(self, ids: list[int]) -> dict[int, Chunk]:
        """The chunks with these ids, with their article's title, date and source."""
        if not ids:
            return {}
        q = ",".join("?" * len(ids))
        rows = self.db.execute(
            f"SELECT c.id, c.doc_id, c.ordinal, c.start, c.end, c.text, c.sentences, c.sentence_vecs, c.speakers, a.title, a.date, a.source, a.place"
            f" FROM chunks c JOIN articles a USING (doc_id) WHERE c.id IN ({q})",
            list(ids),
        )
        out = {}
        for r in rows:
            d = dict(r)
            d["sentences"] = [tuple(x) for x in json.loads(d["sentences"])]
            d["speakers"] = json.loads(d["speakers"] or "[]")
            blob = d.pop("sentence_vecs")
            if blob:
                d["sentence_vectors"] = np.frombuffer(blob, dtype=np.float16).reshape(len(d["sentences"]), -1).astype(np.float32)
            out[d["id"]] = Chunk(**d)
        return out

    def chunk_ids(self, filters: Filters) -> list[int]:
        """Ids of the chunks the filters allow."""
        where, params = filter_sql(filters)
        sql = f"SELECT c.id FROM chunks c JOIN articles a USING (doc_id) WHERE {where or '1'}"
        return [r[0] for r in self.db.execute(sql, params)]

    def all_chunk_ids(self) -> list[int]:
        return [r[0] for r in self.db.execute("SELECT id FROM chunks ORDER BY id")]

    def sources(self) -> list[str]:
        return self._once("sources", lambda: [r[0] for r in self.db.execute(
            "SELECT DISTINCT source FROM articles WHERE source != '' ORDER BY source")])

    def published_within(self, since: str | None, until: str | None) -> bool:
        """Whether any article is dated within [since, until] (either bound open)."""
        row = self.db.execute("SELECT 1 FROM articles WHERE date IS NOT NULL AND date >= ? AND date <= ? LIMIT 1",
                              (since or "", until or "9999-12-31")).fetchone()
        return row is not None

    def date_range(self) -> tuple[str | None, str | None]:
        return self._once("dates", lambda: tuple(self.db.execute("SELECT min(date), max(date) FROM articles").fetchone()))

    def archive_end(self) -> str | None:
        """The newest article's date when at least half of the articles are dated, else None: only then does a time
        after it lie after the archive (a date found in one article of mostly undated texts says nothing of the rest)."""
        def end() -> str | None:
            dated, total, latest = self.db.execute("SELECT count(date), count(*), max(date) FROM articles").fetchone()
            return latest if total and dated >= ARCHIVE_DATED_SHARE * total else None
        return self._once("archive_end", end)

    def bm25(self, match: str, limit: int, filters: Filters | None = None) -> list[tuple[int, float]]:
        """Chunk ids with FTS5 bm25 scores (higher is better), filtered inside the query."""
        where, params = filter_sql(filters or Filters())
        join = " JOIN chunks c ON c.id = chunks_fts.rowid JOIN articles a ON a.doc_id = c.doc_id" if where else ""  # 3x faster
        sql = (
            f"SELECT chunks_fts.rowid, -bm25(chunks_fts) AS s FROM chunks_fts{join}"
            f" WHERE chunks_fts MATCH ? {'AND ' + where if where else ''} ORDER BY bm25(chunks_fts) LIMIT ?"
        )
        try:
            return [(r[0], r[1]) for r in self.db.execute(sql, [match, *(params or []), limit])]
        except sqlite3.OperationalError:
            return []

    def speaker_bm25(self, match: str, surnames: list[str], limit: int, filters: Filters | None = None) -> list[tuple[int, float]]:
        """`bm25` over the chunks with a sentence attributed to someone of one of these surnames (each as written, in
        any case; the stored names are JSON, 'Erdo\\u011fan' for 'Erdoğan')."""
        likes = [f"%{json.dumps(s)[1:-1]}%" for s in surnames]
        if not likes:
            return []
        where, params = filter_sql(filters or Filters())
        join = " JOIN articles a ON a.doc_id = c.doc_id" if where else ""
        sql = (
            f"SELECT chunks_fts.rowid, -bm25(chunks_fts) AS s FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid{join}"
            f" WHERE chunks_fts MATCH ? AND ({' OR '.join(['c.speakers LIKE ?'] * len(likes))}) {'AND ' + where if where else ''}"
            " ORDER BY bm25(chunks_fts) LIMIT ?"
        )
        try:
            return [(r[0], r[1]) for r in self.db.execute(sql, [match, *likes, *(params or []), limit])]
        except sqlite3.OperationalError:
            return []

    def doc_freq(self, term_query: str) -> int:
        """How many passages match an FTS5 query (read once per query in a read-only store)."""
        return self._once(f"df:{term_query}", lambda: self._doc_freq(term_query))

    def _doc_freq(self, term_query: str) -> int:
        try:
            return self.db.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (term_query,)).fetchone()[0]
        except sqlite3.OperationalError:
            return 0

    def count_chunks(self) -> int:
        return self._once("count", lambda: self.db.execute("SELECT count(*) FROM chunks").fetchone()[0])
