"""The first screen's line about the corpus: "3,781 articles from 12 outlets, Apr 2016 – Mar 2017"."""

from __future__ import annotations

from datetime import date

from qa.config import offline_env

offline_env()  # before gradio is imported: no telemetry, no hub

import gradio as gr  # noqa: E402


def _month(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%b %Y")


def corpus_line(docs: list[dict]) -> str:
    """How many articles, from how many outlets, over which months (undated articles counted, not dated)."""
    n = len(docs)
    if not n:
        return "No articles yet: add some on the Corpus tab."
    outlets = len({d["source"] for d in docs if d.get("source")})
    line = f"{n:,} article{'s' * (n != 1)}"
    if outlets:
        line += f" from {outlets:,} outlet{'s' * (outlets != 1)}"
    dates = sorted(d["date"] for d in docs if d.get("date"))
    if dates:
        first, last = _month(dates[0]), _month(dates[-1])
        line += f", {first}" if first == last else f", {first} – {last}"
    undated = n - len(dates)
    if undated:
        line += f" ({undated:,} undated)"
    return line


def landing_markdown(docs: list[dict]) -> str:
    """The header: what the corpus is, and how answers are made."""
    return (
        f"## News QA · {corpus_line(docs)}\n"
        "Every answer sentence is quoted from an article and cited [n]; click a marker to see the passage. "
        "If the articles do not answer, it says so."
    )


def refresh(h) -> tuple:
    """The Handlers' refreshed corpus views, then the header (after files are added)."""
    return (*h.refresh_all(), landing_markdown(h.a.docs()))


def add_files(h, files, progress=gr.Progress()) -> tuple:
    """`Handlers.add_files`, then the header (the corpus line counts the new articles)."""
    return (*h.add_files(files, progress), landing_markdown(h.a.docs()))
