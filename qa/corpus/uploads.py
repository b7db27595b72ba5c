"""Adding files to a corpus folder: each is read first, and only files that hold an article are copied in."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from qa.corpus.formats import DESCRIPTION, kind
from qa.corpus.readers import read_file


def safe_filename(name: str) -> str:
    """A file name that cannot leave the corpus folder or hide: letters, digits, dot, dash, underscore."""
    base = Path(name.replace("\\", "/")).name
    stem, dot, suffix = base.rpartition(".")
    stem = re.sub(r"[^\w\-]+", "_", stem if dot else base).strip("._") or "upload"
    return f"{stem[:100]}.{re.sub(r'[^A-Za-z0-9]', '', suffix).lower()}" if dot else stem[:100]


def free_name(corpus: Path, name: str) -> str:
    """`name`, or `stem-2.ext`, `stem-3.ext`, … when the corpus already has a file of that name."""
    stem, dot, suffix = name.rpartition(".")
    n = 1
    while (corpus / name).exists():
        n += 1
        name = f"{stem}-{n}.{suffix}" if dot else f"{stem}-{n}"
    return name


def copy_into_corpus(paths: list[str | Path], corpus: Path, max_file_mb: float, max_upload_mb: float = 20.0) -> list[str]:
    """Copy the files that hold articles into `corpus` under safe names; the warnings about the others and renames.

    A file never overwrites an article of the corpus: one with the same name but other bytes is stored under a new
    name (and said so), one with the same bytes is not copied again. Raises ValueError, changing nothing, when a file
    is of the wrong type or too large, or no file holds an article.
    """
    max_chars = int(max_file_mb * 250_000)
    good, notes = [], []
    for p in map(Path, paths):
        if kind(p) is None:
            raise ValueError(f"{p.name}: only {DESCRIPTION} files can be added; nothing was changed")
        size = p.stat().st_size
        if size > max_upload_mb * 1_000_000:
            raise ValueError(f"{p.name}: {size / 1e6:.1f} MB is more than the {max_upload_mb:g} MB an upload may have "
                             "(QA_MAX_UPLOAD_MB); nothing was changed")
        name = safe_filename(p.name)
        warnings: list[str] = []
        if read_file(p, warnings, max_chars):
            good.append((p, name))
        else:  # read it before copying: a file without an article never enters the corpus
            notes.extend(w.replace(p.name, name, 1) for w in warnings or [f"{p.name}: skipped, no article found"])
    if not good:
        raise ValueError("; ".join(notes) + "; nothing was changed")
    corpus.mkdir(parents=True, exist_ok=True)
    for p, name in good:
        if (corpus / name).exists() and (corpus / name).read_bytes() == p.read_bytes():
            notes.append(f"{name}: already in the corpus, not copied again")
            continue
        target = free_name(corpus, name)
        if target != name:
            notes.append(f"{name}: the corpus already has another file of that name; added as {target}")
        shutil.copyfile(p, corpus / target)
    return notes
