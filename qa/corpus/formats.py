"""The file types a corpus may hold, and what to call the rest."""

from __future__ import annotations

from pathlib import Path

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})  # one article per file
TABLE_SUFFIXES = frozenset({".csv", ".jsonl", ".ndjson"})  # one article per row or line
ACCEPTED = TEXT_SUFFIXES | TABLE_SUFFIXES
UPLOADABLE = (".txt", ".csv", ".jsonl")  # what the app's upload offers
SIDECAR = ".meta.json"  # NAME.meta.json beside NAME.txt: its metadata
QUIET = frozenset({"readme", "license"})  # files skipped without a warning
DESCRIPTION = ".txt, .csv and .jsonl"


def kind(path: Path) -> str | None:
    """"text", "table", or None for a file that holds no articles."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return "text"
    if suffix in TABLE_SUFFIXES:
        return "table"
    return None


def is_sidecar(path: Path) -> bool:
    return path.name.endswith(SIDECAR)
