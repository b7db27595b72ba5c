"""Cited, time-aware question answering over a news corpus."""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["Assistant", "Answer", "Article", "Chunk", "Citation", "__version__"]

if TYPE_CHECKING:  # heavy modules load only when used
    from qa.api import Assistant
    from qa.models import Answer, Article, Chunk, Citation


def __getattr__(name: str):
    if name == "Assistant":
        from qa.api import Assistant

        return Assistant
    if name in {"Answer", "Article", "Chunk", "Citation"}:
        from qa import models

        return getattr(models, name)
    raise AttributeError(name)
