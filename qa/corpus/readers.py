"""Read articles from a folder of .txt files, or .csv/.jsonl files of articles, into `Article`s."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from qa.corpus import dates, layout, sources
from qa.corpus.decode import decode
from qa.corpus.formats import QUIET, SIDECAR, is_sidecar, kind
from qa.corpus.parsed import ParseCache, stamp
from qa.corpus.tables import csv_rows, jsonl_rows, pick
from qa.models import Article
from qa.text.calendar import DATELINE_AT_LINE

log = logging.getLogger("qa.ingest")
Make = Callable[..., Article]  # build_article, or a cache that returns an article built before from the same content

# a credit line of its own: "First published in The Guardian on 12 May 2017"
_PUBLISHED_BY = re.compile(
    r"^[ \t]*(?i:first|originally)\s+(?i:published)\s+(?i:by|in|on)\s+((?:The\s+)?[A-Z][\w\-]*(?:\s+[A-Z][\w\-]*){0,3})"
    r"(?:\s+(?i:on|in)\b[^\n]{0,30})?\.?[ \t]*$",
    re.M,
)


def content_hash(text: str) -> str:
    """A short SHA-256 of the text: what tells a changed article from an unchanged one."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def article_hash(text: str, meta: dict, encoding: str) -> str:
    """An article's content hash; the layout's version is in it: a change of debris rules re-chunks what it touches."""
    return content_hash(json.dumps([text, meta, encoding, layout.VERSION], sort_keys=True, default=str))


def build_article(doc_id: str, text: str, path: str = "", meta: dict | None = None, encoding: str = "utf-8") -> Article:
    """Lay out one article: body and debris spans, title, source, place and content hash."""
    meta = meta or {}
    lay = layout.analyze(text)
    art = Article(doc_id=doc_id, text=text, path=path, body=lay.body, stripped=lay.stripped, encoding=encoding)
    art.title = (meta.get("title") or "").strip() or (
        text[lay.title[0] : lay.title[1]] if lay.title else _first_words(text, lay)
    )
    art.url = (meta.get("url") or "").strip()
    m = DATELINE_AT_LINE.search(text[:2000])
    if m:
        art.place = re.sub(r"\s*/[^/]+/$", "", m["place"].strip()).title()  # "ALEPPO /Syria/": Aleppo
    art.source = sources.source_for(str(meta.get("source") or ""), art.url, _source_from_text(text, m))
    art.date = meta.get("date") or None  # raw metadata date; resolved by resolve_dates()
    art.content_hash = article_hash(text, meta, encoding)
    return art


def _first_words(text: str, lay: layout.Layout, n: int = 12) -> str:
    if not lay.body:
        return ""
    s, e = lay.body[0]
    words = text[s:e].split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")


def _source_from_text(text: str, dateline: re.Match | None) -> str:
    """An agency named by the dateline (/TASS/, (Reuters)) or a credit line; never a word from a sentence."""
    if dateline and (dateline["agency"] or dateline["agency2"]):
        return dateline["agency"] or dateline["agency2"]
    m = _PUBLISHED_BY.search(text)
    return m.group(1).strip() if m else ""


def read_table(path: Path, warnings: list[str], max_chars: int, make: Make = build_article) -> Iterator[Article]:
    """The articles of a .csv or .jsonl file, one per good row; bad rows and unreadable files become warnings."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{path.name}: skipped, unreadable ({exc.strerror or exc})")
        return
    found = decode(data, path.name, warnings)
    if found is None:
        return
    parse = csv_rows if path.suffix.lower() == ".csv" else jsonl_rows
    for line, n, row in parse(found.text, path.name, warnings):
        body = pick(row, "text")
        if not body.strip():
            warnings.append(f"{path.name}:{line}: row {n} skipped, no text")
            continue
        if len(body) > max_chars:
            warnings.append(f"{path.name}:{line}: row {n} skipped, text over {max_chars:,} characters")
            continue
        doc_id = _safe_id(pick(row, "id") or f"{path.stem}-{n}")
        meta = {k: pick(row, k) for k in ("title", "date", "source", "url")}
        yield make(doc_id, body, f"{path.name}#{n}", meta, found.encoding)


def _safe_id(value: str) -> str:
    """An id that is safe as a file name and in a URL."""
    return re.sub(r"[^\w.\-]+", "_", value.strip())[:120] or "doc"


def read_text_file(path: Path, warnings: list[str], max_chars: int, make: Make = build_article) -> Article | None:
    """The article of one .txt file with its sidecar metadata; None (with a warning) when there is none."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        warnings.append(f"{path.name}: skipped, unreadable ({exc.strerror or exc})")
        return None
    if len(data) > max_chars * 4:
        warnings.append(f"{path.name}: skipped, {len(data) / 1e6:.1f} MB is larger than the {max_chars * 4 / 1e6:.0f} MB limit (QA_MAX_FILE_MB)")
        return None
    found = decode(data, path.name, warnings)
    if found is None:
        return None
    if not found.text.strip():
        warnings.append(f"{path.name}: skipped, empty")
        return None
    meta = _sidecar(path, warnings)
    art = make(_safe_id(path.stem), found.text, str(path), meta, found.encoding)
    if not art.body:
        warnings.append(f"{path.name}: skipped, no article text found")
        return None
    return art


def read_file(path: Path, warnings: list[str], max_chars: int, make: Make = build_article) -> list[Article] | None:
    """The articles of one corpus file; None when its type holds no articles."""
    what = kind(path)
    if what == "text":
        return [a for a in [read_text_file(path, warnings, max_chars, make)] if a]
    if what == "table":
        return list(read_table(path, warnings, max_chars, make))
    return None


def _sidecar(path: Path, warnings: list[str]) -> dict:
    """NAME.meta.json beside NAME.txt as a dict of text values; {} when absent or broken (with a warning)."""
    side = path.with_name(path.stem + SIDECAR)
    if not side.exists():
        return {}
    try:
        meta = json.loads(side.read_bytes().decode("utf-8-sig"))
    except (OSError, ValueError) as exc:
        warnings.append(f"{side.name}: ignored, not a JSON object ({exc})")
        return {}
    if not isinstance(meta, dict):
        warnings.append(f"{side.name}: ignored, not a JSON object")
        return {}
    return {k: str(v) for k, v in meta.items() if isinstance(v, (str, int, float)) and not isinstance(v, bool)}


def read_corpus(folder: Path, max_file_mb: float = 5.0, cache: ParseCache | None = None) -> tuple[list[Article], list[str]]:
    """All articles under `folder` (sorted by path), with dates resolved; bad inputs become warnings. With a `cache`,
    files whose stats did not change are not read again, nor rows (or texts) whose content did not change laid out."""
    warnings: list[str] = []
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"corpus folder not found: {folder}")
    max_chars = int(max_file_mb * 1_000_000 / 4) if max_file_mb else 10**12
    articles: list[Article] = []
    seen_hash: dict[str, str] = {}
    seen_id: set[str] = set()
    files = _corpus_files(folder, warnings)
    for path in files:
        if cache is None:
            found = read_file(path, warnings, max_chars)
        else:
            side = path.with_name(path.stem + SIDECAR) if kind(path) == "text" else None
            found = cache.read(str(path.relative_to(folder)), stamp(path, side, max_chars), warnings,
                               lambda make, said, path=path: read_file(path, said, max_chars, make))
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
    resolve_dates(articles, cache)
    if cache is not None:
        cache.forget_missing({str(p.relative_to(folder)) for p in files})
    warnings = list(dict.fromkeys(warnings))  # each said once
    for w in warnings:  # the callers show them: logged below WARNING so that `qa` does not print them twice
        log.debug(w)
    return articles, warnings


def _corpus_files(folder: Path, warnings: list[str]) -> list[Path]:
    """The files under `folder` to read, sorted; links that lead out of it are skipped with a warning."""
    root = folder.resolve()
    out = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part.startswith(".") for part in rel.parts) or is_sidecar(path):
            continue
        if path.is_symlink():
            target = path.resolve()
            if not target.exists():
                warnings.append(f"{rel}: skipped, a broken link")
                continue
            if not target.is_relative_to(root):
                warnings.append(f"{rel}: skipped, a link that leads outside the corpus folder")
                continue
        if path.is_dir():
            if kind(path) is not None:  # "2016.csv/": a folder, whose files are read like any others
                warnings.append(f"{rel}: not a file but a folder; the files inside it are read")
            continue
        if path.is_file():
            out.append(path)
    return out


def resolve_dates(articles: list[Article], cache: ParseCache | None = None) -> None:
    """Fill each article's date and date_method; undated datelines borrow the corpus' stated years."""
    known = cache.first_dates() if cache is not None else {}
    first = [known.get(a.content_hash) or dates.resolve_date(a.text, a.date, []) for a in articles]
    if cache is not None:
        cache.remember_dates({a.content_hash: f for a, f in zip(articles, first)})
    years = sorted({int(d[:4]) for d, method in first if d and method in ("metadata", "explicit")})
    if not years:
        years = sorted({y for a in articles for y in dates.explicit_years(a.text)})
    for art, (found, method) in zip(articles, first):
        if found and method in ("metadata", "explicit"):
            art.date, art.date_method = found, method
        else:
            art.date, art.date_method = dates.resolve_date(art.text, None, years)
