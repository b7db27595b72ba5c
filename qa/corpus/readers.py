"""Read articles from a folder of .txt files, or .csv/.jsonl files of articles, into `Article`s."""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from qa.corpus import dates, layout
from qa.corpus.decode import decode
from qa.corpus.formats import QUIET, SIDECAR, is_sidecar, kind
from qa.models import Article
from qa.text.calendar import DATELINE_AT_LINE

log = logging.getLogger("qa.ingest")

# column names accepted for each field in CSV/JSONL (first match wins, case-insensitive)
FIELDS = {
    "id": ("id", "doc_id", "article_id", "uid", "guid"),
    "title": ("title", "headline"),
    "date": ("date", "publish_date", "published", "published_at", "pub_date", "datetime", "time"),
    "source": ("source", "publisher", "outlet", "site", "agency"),
    "url": ("url", "link", "source_link", "article_source_link", "href"),
    "text": ("text", "content", "body", "article", "full_text"),
}

_PUBLISHED_BY = re.compile(r"(?i:first|originally)\s+(?i:published)\s+(?i:by|in)\s+([A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def build_article(doc_id: str, text: str, path: str = "", meta: dict | None = None) -> Article:
    """Lay out one article: body and debris spans, title, source, place and content hash."""
    meta = meta or {}
    lay = layout.analyze(text)
    art = Article(doc_id=doc_id, text=text, path=path, body=lay.body, stripped=lay.stripped)
    art.title = (meta.get("title") or "").strip() or (
        text[lay.title[0] : lay.title[1]] if lay.title else _first_words(text, lay)
    )
    art.url = (meta.get("url") or "").strip()
    m = DATELINE_AT_LINE.search(text[:2000])
    if m:
        art.place = m["place"].strip().title()
    art.source = (meta.get("source") or "").strip() or _source_from_text(text, m) or _source_from_url(art.url)
    art.date = meta.get("date") or None  # raw metadata date; resolved by resolve_dates()
    art.content_hash = content_hash(json.dumps([text, meta], sort_keys=True, default=str))
    return art


def _first_words(text: str, lay: layout.Layout, n: int = 12) -> str:
    if not lay.body:
        return ""
    s, e = lay.body[0]
    words = text[s:e].split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _source_from_text(text: str, dateline: re.Match | None) -> str:
    if dateline and (dateline["agency"] or dateline["agency2"]):
        return dateline["agency"] or dateline["agency2"]
    m = _PUBLISHED_BY.search(text)
    return m.group(1).strip() if m else ""


def _source_from_url(url: str) -> str:
    """The site's name from its address: "http://tass.com/politics/1" -> "tass.com"."""
    from urllib.parse import urlparse

    host = urlparse(url).hostname or "" if url else ""
    return host.removeprefix("www.")


def _pick(row: dict, field_name: str) -> str:
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for name in FIELDS[field_name]:
        value = lower.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def _rows_csv(text: str) -> Iterator[dict]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    yield from csv.DictReader(text.splitlines(keepends=True))


def _rows_jsonl(text: str, name: str, warnings: list[str]) -> Iterator[dict]:
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{name}:{n}: skipped, bad JSON ({exc.msg})")
            continue
        if isinstance(obj, dict):
            yield obj
        else:
            warnings.append(f"{name}:{n}: skipped, not a JSON object")


def read_table(path: Path, warnings: list[str], max_chars: int) -> Iterator[Article]:
    data = path.read_bytes()
    text = decode(data, path.name, warnings)
    if text is None:
        return
    rows = _rows_csv(text) if path.suffix.lower() == ".csv" else _rows_jsonl(text, path.name, warnings)
    try:
        for n, row in enumerate(rows, 1):
            body = _pick(row, "text")
            if not body.strip():
                warnings.append(f"{path.name}: row {n} skipped, no text")
                continue
            if len(body) > max_chars:
                warnings.append(f"{path.name}: row {n} skipped, text over {max_chars:,} characters")
                continue
            doc_id = _safe_id(_pick(row, "id") or f"{path.stem}-{n}")
            meta = {k: _pick(row, k) for k in ("title", "date", "source", "url")}
            yield build_article(doc_id, body, f"{path.name}#{n}", meta)
    except csv.Error as exc:
        warnings.append(f"{path.name}: stopped reading, bad CSV ({exc})")


def _safe_id(value: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", value.strip())[:120] or "doc"


def read_text_file(path: Path, warnings: list[str], max_chars: int) -> Article | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{path.name}: skipped, unreadable ({exc.strerror})")
        return None
    if len(data) > max_chars * 4:
        warnings.append(f"{path.name}: skipped, {len(data) / 1e6:.1f} MB is larger than the {max_chars * 4 / 1e6:.0f} MB limit (QA_MAX_FILE_MB)")
        return None
    text = decode(data, path.name, warnings)
    if text is None:
        return None
    if not text.strip():
        warnings.append(f"{path.name}: skipped, empty")
        return None
    meta = _sidecar(path, warnings)
    art = build_article(_safe_id(path.stem), text, str(path), meta)
    if not art.body:
        warnings.append(f"{path.name}: skipped, no article text found")
        return None
    return art


def read_file(path: Path, warnings: list[str], max_chars: int) -> list[Article] | None:
    """The articles of one corpus file; None when its type holds no articles."""
    what = kind(path)
    if what == "text":
        return [a for a in [read_text_file(path, warnings, max_chars)] if a]
    if what == "table":
        return list(read_table(path, warnings, max_chars))
    return None


def _sidecar(path: Path, warnings: list[str]) -> dict:
    side = path.with_name(path.stem + SIDECAR)
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_text(encoding="utf-8"))
        return meta if isinstance(meta, dict) else {}
    except (OSError, ValueError) as exc:
        warnings.append(f"{side.name}: ignored, not a JSON object ({exc})")
        return {}


def read_corpus(folder: Path, max_file_mb: float = 5.0) -> tuple[list[Article], list[str]]:
    """All articles under `folder` (sorted by path), with dates resolved; bad inputs become warnings."""
    warnings: list[str] = []
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    max_chars = int(max_file_mb * 1_000_000 / 4) if max_file_mb else 10**12
    articles: list[Article] = []
    seen_hash: dict[str, str] = {}
    seen_id: set[str] = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts) or is_sidecar(path):
            continue
        found = read_file(path, warnings, max_chars)
        if found is None:
            if path.stem.lower() not in QUIET:
                warnings.append(f"{path.name}: skipped, not .txt/.csv/.jsonl")
            continue
        for art in found:
            key = content_hash(art.text)
            if key in seen_hash:
                warnings.append(f"{Path(art.path).name}: skipped, duplicate of {seen_hash[key]}")
                continue
            if art.doc_id in seen_id:
                art.doc_id = f"{art.doc_id}-{key[:8]}"
            seen_hash[key] = art.doc_id
            seen_id.add(art.doc_id)
            articles.append(art)
    resolve_dates(articles)
    for w in warnings:
        log.warning(w)
    return articles, warnings


def resolve_dates(articles: list[Article]) -> None:
    """Fill each article's date and date_method; undated datelines borrow the corpus' stated years."""
    first = [dates.resolve_date(a.text, a.date, []) for a in articles]
    years = sorted({int(d[:4]) for d, method in first if d and method in ("metadata", "explicit")})
    if not years:
        years = sorted({y for a in articles for y in dates.explicit_years(a.text)})
    for art, (found, method) in zip(articles, first):
        if found and method in ("metadata", "explicit"):
            art.date, art.date_method = found, method
        else:
            art.date, art.date_method = dates.resolve_date(art.text, None, years)
