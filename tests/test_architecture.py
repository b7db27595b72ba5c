"""The layout keeps its promises: no import cycles, settings read in one place, no seed literals, small modules."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*ROOT.glob("qa/**/*.py"), *ROOT.glob("ui/*.py")])


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    return name.removesuffix(".__init__")


def top_level_imports(path: Path, known: set[str]) -> set[str]:
    """The project modules a file imports when it is imported (imports inside functions are lazy and left out)."""
    deps: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.module:
            deps.add(node.module)
            deps.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            deps.update(a.name for a in node.names)
    return {d for d in deps if d in known}


def test_no_import_cycles():
    known = {module_name(p) for p in SOURCES}
    graph = {module_name(p): top_level_imports(p, known) - {module_name(p)} for p in SOURCES}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for dep in graph[node]:
            if dep in path:
                cycles.append(" -> ".join(path[path.index(dep):] + [dep]))
            elif len(path) < 30:
                visit(dep, path + [dep])

    for name in graph:
        visit(name, [name])
    assert not cycles, sorted(set(cycles))[:5]


def test_environment_is_read_only_in_config():
    readers = [p.relative_to(ROOT).as_posix() for p in SOURCES
               if re.search(r"\bos\.environ\b|\bgetenv\(", p.read_text()) and p.name != "config.py"]
    assert readers == []


def test_no_seed_document_id_in_code():
    seed_ids = [p.stem for p in (ROOT / "seeds").glob("*.txt")]
    assert seed_ids, "the seeds folder is where the regression corpus lives"
    hits = [(p.name, s) for p in SOURCES for s in seed_ids if s in p.read_text() or s.split("_")[-1] in p.read_text()]
    assert hits == []


def test_modules_are_small():
    long = {p.relative_to(ROOT).as_posix(): n for p in SOURCES if (n := len(p.read_text().splitlines())) > 320}
    assert long == {}


def test_assistant_is_thin():
    tree = ast.parse((ROOT / "qa" / "api.py").read_text())
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Assistant")
    assert cls.end_lineno - cls.lineno + 1 <= 150
