"""Finding passages: the `VectorStore` seam (FAISS), the SQLite chunk store with its BM25 index, and hybrid retrieval."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import numpy as np

from qa.config import Settings


class VectorStore(Protocol):
    """Vectors keyed by chunk id: add, remove, nearest neighbours (optionally among allowed ids), persist."""

    dim: int

    def __len__(self) -> int: ...

    def add(self, ids: list[int], vectors: np.ndarray) -> None: ...

    def remove(self, ids: list[int]) -> None: ...

    def search(self, query: np.ndarray, k: int, allowed: list[int] | None = None) -> list[tuple[int, float]]: ...

    def vector(self, id_: int) -> np.ndarray: ...

    def finish(self) -> None:
        """Called once after a build's changes, before `save`: re-shape, calibrate."""

    def save(self, folder: Path) -> None: ...

    def describe(self) -> dict:
        """What the manifest records about the store (loaded back by `open_vector_store`)."""
        ...


STORES = ("faiss", "pgvector")


def _check(settings: Settings) -> None:
    if settings.vector_store not in STORES:
        raise ValueError(f"unknown vector store {settings.vector_store!r}; choose one of {list(STORES)}")


def new_vector_store(settings: Settings, dim: int) -> VectorStore:
    _check(settings)
    if settings.vector_store == "pgvector":  # psycopg is imported there only, never on the default path
        from qa.search.pg_store import PgVectorStore

        return PgVectorStore.create(settings, dim)
    from qa.search.faiss_store import FaissStore

    return FaissStore.create(dim, settings.flat_max)


def open_vector_store(settings: Settings, folder: Path, info: dict) -> VectorStore:
    """The store a generation folder holds; `info` is what its `describe()` wrote in the manifest."""
    _check(settings)
    if settings.vector_store == "pgvector":
        from qa.search.pg_store import PgVectorStore

        return PgVectorStore.open(settings, folder, info)
    from qa.search.faiss_store import FaissStore

    return FaissStore.load(folder, info, settings.flat_max)
