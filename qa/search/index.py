"""One loaded, read-only generation of the index: the chunk store and the vector store."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path

from qa.config import Settings
from qa.search import VectorStore, open_vector_store
from qa.search.chunks import Store
from qa.search.generations import MANIFEST, STORE_FILE, DamagedIndex, read_manifest
from qa.text.speakers import last_name, surname

__all__ = ["MANIFEST", "STORE_FILE", "DamagedIndex", "Index", "read_manifest"]


class Index:
    def __init__(self, index_dir: Path, manifest: dict, settings: Settings | None = None):
        self.dir = Path(index_dir)
        self.manifest = manifest
        gen = self.dir / manifest["generation"]
        try:
            self.store = Store(gen / STORE_FILE, readonly=True)
            self.store.count_chunks()  # reads the schema: a file that is no SQLite database fails here
            self.vectors: VectorStore = open_vector_store(settings or Settings(), gen, manifest)
        except (ConnectionError, ImportError) as exc:  # the database is unreachable, or its driver missing: not damage
            with contextlib.suppress(Exception):
                self.store.close()
            raise ConnectionError(f"{gen.name} cannot be opened: {exc} (the index is kept as it is)") from None
        except Exception as exc:  # noqa: BLE001 - whatever the damage, the caller heals the same way
            raise DamagedIndex(f"{gen.name} cannot be read ({exc})") from exc

    @classmethod
    def load(cls, index_dir: Path, settings: Settings | None = None) -> Index | None:
        """The live generation, None when there is none; DamagedIndex when it cannot be read."""
        manifest = read_manifest(index_dir)
        if not manifest or not (Path(index_dir) / manifest["generation"]).is_dir():
            return None
        return cls(index_dir, manifest, settings)

    @functools.cached_property
    def speaker_names(self) -> list[str]:
        """Everyone the corpus quotes (read once per generation)."""
        return self.store.speaker_names()

    @functools.cached_property
    def surname_spellings(self) -> dict[str, set[str]]:
        """Each quoted surname with its accents folded, lower case -> how the articles write it ('erdogan' ->
        {'erdoğan'}): a question typed without accents finds the speaker (read once per generation)."""
        out: dict[str, set[str]] = {}
        for name in self.speaker_names:
            out.setdefault(surname(name), set()).add(last_name(name).lower())
        return out

    @property
    def generation(self) -> str:
        return self.manifest["generation"]

    def close(self) -> None:
        self.store.close()
