"""The app follows its corpus folder: a background poll (cheap: file stats only) re-indexes what changed."""

from __future__ import annotations

import logging
import threading
import time

log = logging.getLogger("ui")


class CorpusWatcher(threading.Thread):
    """Every `seconds`, if the corpus files are not as indexed, or another process made a new generation live (with
    pgvector the old one's table is dropped), refresh the index as a writer (questions wait)."""

    def __init__(self, handlers, seconds: float):
        super().__init__(name="corpus-watcher", daemon=True)
        self.handlers = handlers
        self.seconds = seconds
        self.stopped = threading.Event()

    def run(self) -> None:
        from qa.build import is_current
        from qa.search.generations import read_manifest

        while not self.stopped.wait(self.seconds):
            try:
                a = self.handlers.a
                manifest = read_manifest(a.settings.index)
                loaded = a.index.generation if a.index is not None else None
                if is_current(a.settings, manifest) and manifest is not None and manifest["generation"] == loaded:
                    continue
                with self.handlers.lock.write():
                    report = a.refresh()
                if not report.up_to_date or report.generation != loaded:
                    self.handlers.index_changed(report)
            except Exception:  # noqa: BLE001 - a bad file or a busy disk must not stop the watching
                log.exception("re-indexing the corpus")

    def stop(self) -> None:
        self.stopped.set()


def change_note(report) -> str:
    parts = [f"{len(xs)} {word}" for xs, word in ((report.added, "added"), (report.changed, "changed"), (report.removed, "removed")) if xs]
    return f"The corpus changed at {time.strftime('%H:%M')} and was re-indexed ({', '.join(parts) or 'no article changed'})."
