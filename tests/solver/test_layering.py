"""The solver package is a leaf: no web imports, and the checker modules import no ortools."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SOLVER = Path(__file__).resolve().parents[2] / "solver"
WEB = ("salon", "flask", "sqlalchemy")
PURE = ("validate.py", "objective.py", "rules.py", "instance.py", "schedule.py", "reader.py", "jsoncheck.py")


def imported_modules(path: Path) -> set[str]:
    """Return every module a file imports, anywhere in it (function-level imports included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def top(module: str) -> str:
    """Return a module's top-level package name."""
    return module.split(".")[0]


@pytest.mark.parametrize("path", sorted(SOLVER.rglob("*.py")), ids=lambda p: p.name)
def test_solver_imports_nothing_from_the_web(path: Path) -> None:
    bad = {m for m in imported_modules(path) if top(m) in WEB or top(m).startswith("flask_")}
    assert bad == set()


@pytest.mark.parametrize("name", PURE)
def test_checkers_import_no_ortools(name: str) -> None:
    assert not any(top(m) == "ortools" for m in imported_modules(SOLVER / name))


def test_checkers_depend_only_on_pure_solver_modules() -> None:
    pure = {f"solver.{name.removesuffix('.py')}" for name in PURE} | {"solver"}
    for name in ("validate.py", "objective.py", "rules.py"):
        inner = {m for m in imported_modules(SOLVER / name) if top(m) == "solver"}
        assert inner <= pure, name
