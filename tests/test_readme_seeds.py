"""The README's Python example runs as written, on the seeds with the real model (slow)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

README = Path(__file__).resolve().parent.parent / "README.md"


def blocks(language: str) -> list[str]:
    if not README.exists():
        return []
    return re.findall(rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_python_api_example_runs(tmp_path, monkeypatch, capsys, seed_corpus, seed_index, assistant):
    """Run the README's ```python block in a scratch folder holding `seeds/` and `index/` copies (never the repo's index)."""
    code = [b for b in blocks("python") if "from qa import" in b]  # the gradio_client example needs a server
    if not code:
        pytest.skip("README.md has no ```python block using the library")
    shutil.copytree(seed_corpus, tmp_path / "seeds")
    shutil.copytree(seed_index, tmp_path / "index", ignore=shutil.ignore_patterns(".lock"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("QA_CORPUS", str(tmp_path / "seeds"))
    monkeypatch.setenv("QA_INDEX", str(tmp_path / "index"))
    namespace: dict = {"__name__": "__readme__"}
    exec(compile(code[0], "README.md", "exec"), namespace)
    out = capsys.readouterr().out
    assert out.strip()
    assistant_obj = namespace.get("assistant")
    if assistant_obj is not None:
        assert Path(assistant_obj.settings.index).resolve() == (tmp_path / "index").resolve()
