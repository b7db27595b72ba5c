"""The README's documented contracts match what the code returns (the Python example runs in test_readme_seeds.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"


def blocks(language: str) -> list[str]:
    if not README.exists():
        return []
    return re.findall(rf"^```{language}\n(.*?)^```", README.read_text(encoding="utf-8"), flags=re.S | re.M)


def test_json_contract_example_matches_answer_to_dict(news):
    examples = [b for b in blocks("json") if '"citations"' in b]
    if not examples:
        pytest.skip("README.md documents no JSON answer")
    documented = json.loads(examples[0])
    actual = news.ask("What did Varga say about the Orlen dam?").to_dict()
    assert actual["citations"] and actual["sentences"]
    assert set(documented) == set(actual)
    assert set(documented["citations"][0]) == set(actual["citations"][0])
    if documented.get("sentences"):
        assert set(documented["sentences"][0]) == set(actual["sentences"][0])


def documented_keys(name: str) -> set[str]:
    """The keys README lists for `qa <name> --json` objects: the {"a", "b", ...} after its mention."""
    text = README.read_text(encoding="utf-8")
    m = re.search(rf"`qa {name} --json` prints one object per \w+[^:]*:\s*`\{{([^}}]*)\}}`", text)
    assert m, f"README documents no `qa {name} --json` keys"
    return set(re.findall(r'"(\w+)"', m.group(1)))


def test_docs_and_timeline_keys_are_as_documented(news):
    from qa.answer.timeline import build_timeline
    from qa.catalog import FIELDS

    assert documented_keys("docs") == set(FIELDS)
    entries = build_timeline(news, "Varga on the Orlen dam")
    assert entries and documented_keys("timeline") == set(entries[0].to_dict())


def test_readme_says_how_to_run_the_fast_tier():
    section = README.read_text(encoding="utf-8").split("## Tests and evaluation", 1)[-1]
    assert '.venv/bin/python -m pytest -m "not slow"' in section
