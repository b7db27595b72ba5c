"""CSV and JSONL tables of articles, parsed strictly: a bad row is skipped with its line number, never merged with the next."""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterator

# column names accepted for each field in CSV/JSONL (first match wins, case-insensitive)
FIELDS = {
    "id": ("id", "doc_id", "article_id", "uid", "guid"),
    "title": ("title", "headline"),
    "date": ("date", "publish_date", "published", "published_at", "pub_date", "datetime", "time"),
    "source": ("source", "publisher", "outlet", "site", "agency"),
    "url": ("url", "link", "source_link", "article_source_link", "href"),
    "text": ("text", "content", "body", "article", "full_text"),
}
_KNOWN = frozenset(name for names in FIELDS.values() for name in names)
_DELIMITERS = (",", ";", "\t", "|")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")  # physical lines, ends kept (not str.splitlines: no \x0c, \u2028)
_DATE_LIKE = re.compile(r"^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4})\b")

Row = tuple[int, int, dict]  # (line number where the row starts, row number, {column: value})


def pick(row: dict, field_name: str) -> str:
    """The row's value for a field under any of its accepted column names; "" when absent."""
    lower = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    for name in FIELDS[field_name]:
        value = lower.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool) and str(value).strip():
            return str(value)
    return ""


class _Lines:
    """An iterator over physical lines that a csv reader consumes and that can be rewound to any line."""

    def __init__(self, text: str):
        self.lines = _LINE.findall(text)
        self.pos = 0

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _delimiter(header_line: str) -> str:
    """The delimiter under which the header names the most known columns (comma on a tie)."""
    def known(d: str) -> int:
        return sum(f.strip().lower() in _KNOWN for f in next(csv.reader([header_line], delimiter=d), []))

    return max(_DELIMITERS, key=lambda d: (known(d), d == ","))


def csv_rows(text: str, name: str, warnings: list[str]) -> Iterator[Row]:
    """The rows of a CSV text; each bad row becomes a warning "name:line: skipped, reason" and parsing resumes below it."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    lines = _Lines(text)
    first = next((i for i, line in enumerate(lines.lines) if line.strip()), None)
    if first is None:
        return
    lines.pos = first
    delimiter = _delimiter(lines.lines[first])
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        warnings.append(f"{name}: skipped, unreadable header line {first + 1} ({exc})")
        return
    if not any(h.lower() in FIELDS["text"] for h in header):
        warnings.append(f"{name}: skipped, no text column (columns: {', '.join(header)[:200]})")
        return
    n = 0
    while True:
        start = lines.pos
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "end of data" in str(exc):
                problem = "unterminated quote (the quoted field runs to the end of the file)"
            elif lines.pos - start > 1:
                problem = f"unterminated quote (the quoted field runs on into line {lines.pos})"
            else:
                problem = f"bad quoting ({exc})"
            record = []
        else:
            if not record or not any(f.strip() for f in record):
                continue
            problem = _problem(record, header, lines.lines[start + 1 : lines.pos], delimiter)
        n += 1
        if problem:
            warnings.append(f"{name}:{start + 1}: skipped, {problem}")
            lines.pos = start + 1  # resume on the next line: the rows a bad field swallowed are read again
            reader = csv.reader(lines, delimiter=delimiter, strict=True)
            continue
        yield start + 1, n, dict(zip(header, record))


def _problem(record: list[str], header: list[str], continued: list[str], delimiter: str) -> str:
    """Why a parsed record is no row of the table; "" when it is one."""
    while len(record) > len(header) and not record[-1].strip():
        record.pop()  # trailing empty fields: a spreadsheet's stray delimiters
    if len(record) != len(header):
        return f"{len(record)} fields where the header has {len(header)}"
    swallowed = next((line for line in continued if _looks_like_row(line, header, delimiter)), None)
    if swallowed is not None:
        return f"unterminated quote (a field runs into the following rows: {swallowed.strip()[:40]!r} …)"
    return ""


def _looks_like_row(line: str, header: list[str], delimiter: str) -> bool:
    """A line inside a field that on its own parses as a row whose id, date and address columns look right."""
    try:
        fields = next(csv.reader([line], delimiter=delimiter, strict=True), [])
    except csv.Error:
        return False
    if len(fields) != len(header):
        return False
    checks = 0
    for column, value in zip(header, fields):
        column, value = column.lower(), value.strip()
        if column in FIELDS["id"]:
            checks += 1
            if not value or len(value) > 64 or " " in value:
                return False
        elif column in FIELDS["date"] and value:
            checks += 1
            if not _DATE_LIKE.match(value):
                return False
        elif column in FIELDS["url"] and value:
            checks += 1
            if not value.startswith(("http://", "https://", "www.")):
                return False
    return checks > 0


def jsonl_rows(text: str, name: str, warnings: list[str]) -> Iterator[Row]:
    """The objects of a JSONL text, one per line; a bad line becomes a warning "name:line: skipped, reason"."""
    n = 0
    for number, line in enumerate(text.split("\n"), 1):  # only \n ends a line: JSON strings may hold U+2028
        if not line.strip():
            continue
        n += 1
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            warnings.append(f"{name}:{number}: skipped, bad JSON ({exc.msg} at column {exc.colno})")
            continue
        if isinstance(obj, dict):
            yield number, n, obj
        else:
            warnings.append(f"{name}:{number}: skipped, not a JSON object")
