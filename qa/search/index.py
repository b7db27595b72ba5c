"""The index on disk: `manifest.json` names the live generation folder (chunk store + vectors); `Index` is one loaded."""

from __future__ import annotations

import json
from pathlib import Path

from qa.config import Settings
from qa.search import VectorStore, open_vector_store
from qa.search.chunks import Store

MANIFEST = "manifest.json"
STORE_FILE = "store.sqlite"


def read_manifest(index_dir: Path) -> dict | None:
    try:
        manifest = json.loads((Path(index_dir) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("generation") else None


class Index:
    """A loaded, read-only generation: the chunk store and the vector store."""

    def __init__(self, index_dir: Path, manifest: dict, settings: Settings | None = None):
        self.dir = Path(index_dir)
        self.manifest = manifest
        gen = self.dir / manifest["generation"]
        self.store = Store(gen / STORE_FILE, readonly=True)
        self.vectors: VectorStore = open_vector_store(settings or Settings(), gen, manifest)

    @classmethod
    def load(cls, index_dir: Path, settings: Settings | None = None) -> Index | None:
        manifest = read_manifest(index_dir)
        if not manifest or not (Path(index_dir) / manifest["generation"]).is_dir():
            return None
        return cls(index_dir, manifest, settings)

    @property
    def generation(self) -> str:
        return self.manifest["generation"]

    def close(self) -> None:
        self.store.close()
