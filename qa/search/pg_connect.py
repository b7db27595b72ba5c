"""PostgreSQL connections for the pgvector store: the URL checked, pgvector's type as NumPy arrays, errors that name
the setting. psycopg is imported here only, lazily: the default (FAISS) path never loads it."""

from __future__ import annotations

import re
import struct
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import numpy as np

SETTING = "QA_DATABASE_URL"
EXAMPLE = "postgresql://user:password@host:5432/dbname"


def redact(url: str) -> str:
    """The URL without its password."""
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def check_url(url: str) -> str:
    """The URL when it can name a PostgreSQL database, else a ValueError naming the setting."""
    if not url:
        raise ValueError(f"the pgvector store needs {SETTING} (e.g. {EXAMPLE})")
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises
    except ValueError as exc:
        raise ValueError(f"{SETTING} is malformed ({exc}): {redact(url)!r}; expected e.g. {EXAMPLE}") from None
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"{SETTING} must be a postgresql:// URL (e.g. {EXAMPLE}), not {redact(url)!r}")
    return url


def driver() -> Any:
    """The psycopg module, or an ImportError that says how to install it."""
    try:
        import psycopg
    except ImportError:
        raise ImportError(f"{SETTING} is set but psycopg is not installed: pip install 'newsqa[pg]'") from None
    return psycopg


def connect(url: str) -> Any:
    """An autocommit connection that reads and writes pgvector's type as float32 NumPy arrays (binary: exact)."""
    psycopg = driver()
    from psycopg.adapt import Dumper, Loader
    from psycopg.pq import Format
    from psycopg.types import TypeInfo

    try:
        psycopg.conninfo.conninfo_to_dict(check_url(url))
    except psycopg.ProgrammingError as exc:
        raise ValueError(f"{SETTING} is malformed ({str(exc).strip()}): {redact(url)!r}") from None
    try:
        conn = psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise ConnectionError(f"cannot connect to the PostgreSQL server of {SETTING} ({redact(url)}): {reason}") from None
    try:
        if (info := TypeInfo.fetch(conn, "vector")) is None:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
            info = TypeInfo.fetch(conn, "vector")
    except psycopg.Error as exc:
        conn.close()
        raise ConnectionError(f"the server of {SETTING} ({redact(url)}) has no pgvector extension: {exc}") from None
    if conn.execute("SELECT string_to_array(extversion, '.')::int[] >= '{0,8}' FROM pg_extension WHERE extname = 'vector'").fetchone()[0]:
        conn.execute("SET hnsw.iterative_scan = strict_order")  # a filtered HNSW scan goes on until k rows pass

    class VectorDumper(Dumper):
        format, oid = Format.BINARY, info.oid

        def dump(self, obj: Any) -> bytes:
            return struct.pack(">HH", np.size(obj), 0) + np.asarray(obj, dtype=">f4").tobytes()

    class VectorLoader(Loader):
        format = Format.BINARY

        def load(self, data: Any) -> np.ndarray:
            return np.frombuffer(data, dtype=">f4", count=struct.unpack_from(">H", data)[0], offset=4).astype(np.float32)

    conn.adapters.register_dumper(np.ndarray, VectorDumper)
    conn.adapters.register_loader(info.oid, VectorLoader)
    return conn


class Db:
    """One connection used under a lock, made again once when the server dropped it; remembers its ef_search."""

    def __init__(self, url: str):
        self.url, self.lock, self.conn, self.ef = url, threading.RLock(), None, 0

    def run(self, work: Callable[[Any], Any]) -> Any:
        psycopg = driver() if check_url(self.url) else None
        with self.lock:
            for attempt in (0, 1):
                if self.conn is None or self.conn.closed or self.conn.broken:
                    self.conn, self.ef = connect(self.url), 0
                try:
                    return work(self.conn)
                except psycopg.OperationalError as exc:
                    if attempt or not (self.conn.closed or self.conn.broken):
                        raise ConnectionError(f"the PostgreSQL server of {SETTING} ({redact(self.url)}) failed: {exc}") from None

    def set_ef(self, conn: Any, ef: int) -> None:
        if self.ef != ef:
            conn.execute(f"SET hnsw.ef_search = {int(ef)}")
            self.ef = ef


_READERS: dict[str, Db] = {}  # the process' connection for searches, by URL: the readers of every generation share it
_READERS_LOCK = threading.Lock()


def reader(url: str) -> Db:
    """The process' connection for searches on this URL."""
    with _READERS_LOCK:
        return _READERS.setdefault(url, Db(url))


def sql(text: str, **names: str) -> Any:
    """A statement with `{name}` placeholders filled with quoted identifiers."""
    from psycopg import sql as pgsql

    return pgsql.SQL(text).format(**{k: pgsql.Identifier(v) for k, v in names.items()})
