"""The index folder on disk: `manifest.json` names the live generation folder; builds take a lock, write a new
generation, record each file's size and checksum, and swap the manifest atomically. A generation whose files do
not match what the manifest recorded is damaged: it is moved aside, never read."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MANIFEST = "manifest.json"
STORE_FILE = "store.sqlite"


class DamagedIndex(RuntimeError):
    """The live generation does not match its manifest, or cannot be read."""


def read_manifest(index_dir: Path) -> dict | None:
    """The manifest, or None when there is none or it is unreadable or names no generation."""
    try:
        manifest = json.loads((Path(index_dir) / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    ok = isinstance(manifest, dict) and isinstance(manifest.get("generation"), str) and manifest["generation"].startswith("gen-")
    return manifest if ok else None


def write_manifest(index_dir: Path, manifest: dict) -> None:
    atomic_write(Path(index_dir) / MANIFEST, json.dumps(manifest, indent=2))


@contextlib.contextmanager
def lock(index_dir: Path):
    """One build at a time per index folder (readers never wait)."""
    with open(Path(index_dir) / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def checksums(folder: Path) -> dict[str, dict]:
    """Each file of a generation folder: size, modification time and SHA-256."""
    files = [f for f in sorted(Path(folder).iterdir()) if f.is_file()]
    with ThreadPoolExecutor(max_workers=max(1, min(len(files), os.cpu_count() or 1))) as pool:  # hashing frees the GIL
        digests = list(pool.map(sha256, files))
    out = {}
    for f, digest in zip(files, digests):
        st = f.stat()
        out[f.name] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sha256": digest}
    return out


def damage(index_dir: Path, manifest: dict, deep: bool = False) -> str | None:
    """Why the live generation does not match its manifest, or None. Without `deep`, a file whose size and mtime are
    as recorded is trusted; `deep` hashes every file."""
    gen = Path(index_dir) / manifest["generation"]
    if not gen.is_dir():
        return f"generation folder {gen.name} is missing"
    files = manifest.get("files")
    if not isinstance(files, dict) or STORE_FILE not in files:
        return "the manifest records no file checksums"
    for name, want in files.items():
        path = gen / name
        if not path.is_file():
            return f"{name} is missing"
        st = path.stat()
        if st.st_size != want.get("size"):
            return f"{name} has {st.st_size:,} bytes, {want.get('size', 0):,} were written"
        if (deep or st.st_mtime_ns != want.get("mtime_ns")) and sha256(path) != want.get("sha256"):
            return f"{name} does not match its checksum"
    return None


def quarantine(index_dir: Path, manifest: dict | None) -> Path | None:
    """Move the live generation aside (kept for inspection, never read again) and remove the manifest."""
    index_dir = Path(index_dir)
    moved = None
    if manifest and (index_dir / manifest["generation"]).is_dir():
        moved = index_dir / f"damaged-{manifest['generation']}-{time.strftime('%Y%m%d-%H%M%S')}"
        os.replace(index_dir / manifest["generation"], moved)
    with contextlib.suppress(FileNotFoundError):
        (index_dir / MANIFEST).unlink()
    return moved


def sweep(index_dir: Path, keep: set[str]) -> None:
    """Delete unfinished and superseded generations (the live one and the one before stay)."""
    for p in Path(index_dir).glob("gen-*"):
        if p.name not in keep:
            shutil.rmtree(p, ignore_errors=True)


def atomic_write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    """Flush a folder (and, for a generation being written, its files) to disk."""
    for f in path.iterdir() if path.is_dir() and path.name.endswith(".tmp") else []:
        with open(f, "rb") as fh:
            os.fsync(fh.fileno())
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
