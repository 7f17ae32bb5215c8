"""The test modules themselves: a module-level name bound twice is read at run time as its last binding, so a test
written against the first one silently checks something else (six names in test_word_served.py were bound twice
before they were renamed)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
MODULES = sorted(TESTS.rglob("test_*.py"))


def rebound(source: str) -> list[str]:
    """Names a module binds more than once at its top level (``x += ...`` extends a binding; it is not another)."""
    seen: dict[str, int] = {}
    twice: list[str] = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign):
            targets = [t for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            targets = [ast.Name(id=node.name)]
        else:
            continue
        for target in targets:
            if target.id in seen and target.id != "_":
                twice.append(f"{target.id} (line {seen[target.id]} and {node.lineno})")
            seen.setdefault(target.id, node.lineno)
    return twice


def test_the_check_finds_a_name_bound_twice():
    assert rebound("A = 1\nB = 2\nA = 3\ndef f(): pass\nB += 1\nclass f: pass\n") == [
        "A (line 1 and 3)",
        "f (line 4 and 6)",
    ]


@pytest.mark.parametrize("module", MODULES, ids=lambda p: str(p.relative_to(TESTS)))
def test_no_test_module_binds_a_top_level_name_twice(module: Path):
    assert rebound(module.read_text(encoding="utf-8")) == []
