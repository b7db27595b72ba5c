"""Answering: the `Answerer` seam (the fitted extractive answerer), answers built from quotes, timelines over time."""

from __future__ import annotations

from typing import Protocol

import numpy as np

from qa.config import Settings
from qa.models import Answer, Hit, Query


class Answerer(Protocol):
    """Turns the retrieved passages into a cited answer, or an abstention."""

    def compose(self, query: Query, qvec: np.ndarray, hits: list[Hit], max_passages: int | None = None) -> Answer: ...


ANSWERERS = ("extractive",)


def answerer_for(settings: Settings, store, encoder) -> Answerer:
    """The answerer the settings name, over a chunk store and an encoder."""
    if settings.answerer not in ANSWERERS:
        raise ValueError(f"unknown answerer {settings.answerer!r}; choose one of {list(ANSWERERS)}")
    from qa.answer.extractive import ExtractiveAnswerer
    from qa.answer.reader import load_reader

    kind = "overlap" if settings.reader == "auto" and settings.backend == "fake" else settings.reader  # tests: no model
    return ExtractiveAnswerer(store, encoder, reader=load_reader(kind), read_margin=settings.read_margin)
