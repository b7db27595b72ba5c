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


def copy_into_corpus(paths: list[str | Path], corpus: Path, max_file_mb: float) -> list[str]:
    """Copy the files that hold articles into `corpus` under safe names; the warnings for those that do not.

    Raises ValueError, changing nothing, when a file is of the wrong type or no file holds an article.
    """
    max_chars = int(max_file_mb * 250_000)
    good, rejected = [], []
    for p in map(Path, paths):
        if kind(p) is None:
            raise ValueError(f"{p.name}: only {DESCRIPTION} files can be added; nothing was changed")
        name = safe_filename(p.name)
        warnings: list[str] = []
        if read_file(p, warnings, max_chars):
            good.append((p, name))
        else:  # read it before copying: a file without an article never enters the corpus
            rejected.extend(w.replace(p.name, name, 1) for w in warnings or [f"{p.name}: skipped, no article found"])
    if not good:
        raise ValueError("; ".join(rejected) + "; nothing was changed")
    corpus.mkdir(parents=True, exist_ok=True)
    for p, name in good:
        shutil.copyfile(p, corpus / name)
    return rejected
