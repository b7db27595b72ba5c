"""Gradio's per-request overhead trimmed for API calls: a session builds a component's config only when it is used."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, MutableMapping
from types import SimpleNamespace

from gradio.state_holder import SessionState, StateHolder


class LazyConfigs(MutableMapping):
    """A session's per-component configs (`SessionState.config_values`), each built from the session's blocks when
    first read; iterating (deep links) builds the rest."""

    def __init__(self, session: SessionState, root_ids) -> None:
        self.session = session
        self.built: dict[int, dict] = {}
        self.pending = {k: None for k in session.blocks_config.blocks if k in root_ids}  # the keys SessionState builds

    def _build(self, key: int) -> dict:
        self.built[key] = self.session.blocks_config.config_for_block(key, [], self.session.blocks_config.blocks[key])
        self.pending.pop(key, None)
        return self.built[key]

    def __getitem__(self, key: int) -> dict:
        if key in self.built:
            return self.built[key]
        if key in self.pending:
            return self._build(key)
        raise KeyError(key)

    def __setitem__(self, key: int, value: dict) -> None:
        self.pending.pop(key, None)
        self.built[key] = value

    def __delitem__(self, key: int) -> None:
        if self.pending.pop(key, 0) is None:
            return
        del self.built[key]

    def __contains__(self, key: object) -> bool:
        return key in self.built or key in self.pending

    def __iter__(self) -> Iterator[int]:
        for key in list(self.pending):
            self._build(key)
        return iter(list(self.built))

    def __len__(self) -> int:
        return len(self.built) + len(self.pending)


class LeanSessionState(SessionState):
    """A session whose component configs (for deep links and state updates) are built when used, not all at its start.

    Gradio builds all of them when a session starts, and an API call without a session of its own
    (`/gradio_api/call/ask` from curl or httpx) starts one per request: ~70 `get_config` calls, about the CPU of the
    answer itself. A config built later is the same: it comes from the session's own copy of the blocks.
    """

    def __init__(self, blocks) -> None:
        super().__init__(SimpleNamespace(default_config=blocks.default_config, blocks={}))  # nothing built here
        self.config_values = LazyConfigs(self, blocks.blocks)


class LeanStateHolder(StateHolder):
    """Gradio's session store, starting lean sessions."""

    def __getitem__(self, session_id: str) -> SessionState:
        if session_id not in self.session_data:
            self.session_data[session_id] = LeanSessionState(self.blocks)
        return super().__getitem__(session_id)


def lean_sessions(demo) -> None:
    """Give a launched app's server lean sessions (call it right after `launch`: sessions already open are kept).

    Without matplotlib, its absence is also recorded once: Gradio tries to import it twice per request (to switch its
    backend), and each failed import searches the whole path again."""
    if "matplotlib" not in sys.modules and importlib.util.find_spec("matplotlib") is None:
        sys.modules["matplotlib"] = None  # type: ignore[assignment]  # `import matplotlib` raises ImportError at once
    app = demo.server_app
    holder = LeanStateHolder()
    holder.session_data.update(app.state_holder.session_data)
    holder.time_last_used.update(app.state_holder.time_last_used)
    holder.set_blocks(demo)
    app.state_holder = holder
