"""The index folder on disk: `manifest.json` names the live generation folder; builds take a lock, write a new
generation, record each file's size and checksum, and swap the manifest atomically. A generation whose files do
not match what the manifest recorded is damaged: it is moved aside, never read."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import mmap
import os
import shutil
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

MANIFEST = "manifest.json"
STORE_FILE = "store.sqlite"
BLOCK = 4 << 20  # checksummed in blocks of 4 MiB: an update re-hashes only the blocks it changed


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


def _block(path: Path, i: int) -> bytes:
    with open(path, "rb") as fh:
        fh.seek(i * BLOCK)
        return fh.read(BLOCK)


def _same_block(a: Path, b: Path, i: int) -> bool:
    """The two files hold the same bytes in block i (compared in place, as 64-bit words, without the GIL)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        sa, sb = os.fstat(fa.fileno()).st_size, os.fstat(fb.fileno()).st_size
        lo = i * BLOCK
        if min(sa, lo + BLOCK) != min(sb, lo + BLOCK) or lo >= sa:
            return lo >= sa and lo >= sb
        with mmap.mmap(fa.fileno(), 0, access=mmap.ACCESS_READ) as ma, mmap.mmap(fb.fileno(), 0, access=mmap.ACCESS_READ) as mb:
            hi = min(sa, lo + BLOCK)
            words = (hi - lo) // 8
            x = np.frombuffer(ma, dtype=np.uint64, count=words, offset=lo)
            y = np.frombuffer(mb, dtype=np.uint64, count=words, offset=lo)
            same = bool(np.array_equal(x, y)) and ma[lo + 8 * words : hi] == mb[lo + 8 * words : hi]
            del x, y  # the views must go before the maps close
            return same


def _block_digest(path: Path, i: int, before: Path | None, known: str | None) -> str:
    """SHA-256 of one block; the recorded digest of the previous generation's block when the bytes are the same (the
    same file, linked; or compared, a tenth of the cost of hashing)."""
    if known is not None and before is not None and (os.path.samefile(path, before) or _same_block(path, before, i)):
        return known
    return hashlib.sha256(_block(path, i)).hexdigest()


def checksums(folder: Path, previous: dict | None = None, previous_folder: Path | None = None) -> dict[str, dict]:
    """Each file of a generation folder: size, modification time and the SHA-256 of each 4 MiB block. A block with
    the same bytes as in the previous generation's file (`previous`: its manifest's "files") keeps its recorded
    digest, so an update hashes what it changed (the copied store, the vectors' tail), not 200 MB."""
    files = [f for f in sorted(Path(folder).iterdir()) if f.is_file()]
    tasks = []
    for f in files:
        before, known = _previous(f.name, previous, previous_folder)
        tasks += [(f, i, before, known[i] if i < len(known) else None) for i in range(max(1, -(-f.stat().st_size // BLOCK)))]
    with ThreadPoolExecutor(max_workers=max(1, min(len(tasks), os.cpu_count() or 1))) as pool:  # reading and hashing free the GIL
        digests = list(pool.map(lambda t: _block_digest(*t), tasks))
    out = {}
    for f in files:
        st = f.stat()
        out[f.name] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "block": BLOCK,
                       "blocks": [d for (g, _, _, _), d in zip(tasks, digests) if g == f]}
    return out


def _previous(name: str, previous: dict | None, folder: Path | None) -> tuple[Path | None, list[str]]:
    """The previous generation's file of that name and its recorded block digests, when it is still as recorded."""
    want = (previous or {}).get(name)
    if folder is None or not isinstance(want, dict) or want.get("block") != BLOCK or not isinstance(want.get("blocks"), list):
        return None, []
    try:
        st = (Path(folder) / name).stat()
    except OSError:
        return None, []
    if (st.st_size, st.st_mtime_ns) != (want.get("size"), want.get("mtime_ns")):
        return None, []
    return Path(folder) / name, list(want["blocks"])


def _matches(path: Path, want: dict) -> bool:
    """The file's bytes match the recorded digests (per block, or of the whole file in manifests before blocks)."""
    if isinstance(want.get("blocks"), list) and want.get("block") == BLOCK:
        n = max(1, -(-path.stat().st_size // BLOCK))
        if n != len(want["blocks"]):
            return False
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
            return list(pool.map(lambda i: hashlib.sha256(_block(path, i)).hexdigest(), range(n))) == want["blocks"]
    return sha256(path) == want.get("sha256")


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
        if (deep or st.st_mtime_ns != want.get("mtime_ns")) and not _matches(path, want):
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
