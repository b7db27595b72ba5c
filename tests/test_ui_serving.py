"""Lean Gradio sessions (ui/serving.py): an API call builds only the configs it uses, and they are Gradio's own."""

from __future__ import annotations

import json

import pytest

from qa.config import offline_env

offline_env()

from gradio.blocks import BlocksConfig  # noqa: E402
from gradio.state_holder import SessionState  # noqa: E402

from ui.serving import LeanSessionState, lean_sessions  # noqa: E402


@pytest.fixture(scope="module")
def demo(news):
    from ui.app import build_app

    return build_app(news, watch=False)


def same(a, b) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def test_a_lean_session_starts_with_no_config_and_builds_gradios_own(demo, monkeypatch):
    calls = []
    real = BlocksConfig.config_for_block
    monkeypatch.setattr(BlocksConfig, "config_for_block", staticmethod(lambda *a, **kw: calls.append(a[0]) or real(*a, **kw)))
    lean = LeanSessionState(demo)
    assert calls == []
    some = next(iter(demo.blocks))
    lean._update_value_in_config(some, "typed")
    assert calls == [some]
    full = SessionState(demo)
    full._update_value_in_config(some, "typed")
    assert len(lean.config_values) == len(full.config_values) and some in lean.config_values
    assert same(list(lean.components), list(full.components))  # deep links see the same configs


def test_api_calls_get_lean_sessions_and_the_same_answers(demo, news):
    import httpx

    from ui.handlers import Handlers

    demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True, quiet=True, ssr_mode=False)
    try:
        lean_sessions(demo)
        url = demo.local_url.rstrip("/")
        question = "What did Varga say about the talks?"
        with httpx.Client(timeout=60) as client:
            event = client.post(f"{url}/gradio_api/call/ask", json={"data": [question, "", "", "", 0, []]}).json()["event_id"]
            text = client.get(f"{url}/gradio_api/call/ask/{event}").text
        assert "event: complete" in text, text[:300]
        got = json.loads(text.split("event: complete", 1)[1].split("data:", 1)[1].strip())[0]
        assert same(got, Handlers(news).ask_dict(question))
        sessions = list(demo.server_app.state_holder.session_data.values())
        assert sessions and all(isinstance(s, LeanSessionState) for s in sessions)
        assert all(len(s.config_values.built) <= 8 for s in sessions)  # the call's inputs and output, not every component
    finally:
        demo.close()
