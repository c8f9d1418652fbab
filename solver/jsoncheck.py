"""Check JSON field types while collecting every problem with its field path."""

from __future__ import annotations

from typing import Any

MISSING = object()


def is_int(value: object) -> bool:
    """Tell whether a JSON value is an integer (JSON true/false are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


class Reader:
    """Collect the problems of one instance while reading it."""

    def __init__(self) -> None:
        """Start with no problems and no known ids."""
        self.problems: list[str] = []
        self.slots: dict[str, int] = {}
        self.tables: set[str] = set()
        self.people: set[str] = set()
        self.sessions: set[str] = set()

    def fail(self, path: str, message: str) -> None:
        """Record one problem at a field path."""
        self.problems.append(f"{path}: {message}")

    def obj(self, value: object, path: str, fields: dict[str, bool]) -> dict[str, Any] | None:
        """Check an object's type, unknown fields and missing required fields."""
        if not isinstance(value, dict):
            self.fail(path, f"expected an object, got {type(value).__name__}")
            return None
        for key in value:
            if key not in fields:
                self.fail(f"{path}.{key}" if path else key, "unknown field")
        for key, required in fields.items():
            if required and key not in value:
                self.fail(f"{path}.{key}" if path else key, "missing required field")
        return value

    def items(self, value: object, path: str, fields: dict[str, bool]) -> list[tuple[str, dict[str, Any]]]:
        """Return (path, object) for each object of a list field."""
        if value is MISSING:
            return []
        if not isinstance(value, list):
            self.fail(path, "expected a list")
            return []
        found = [(f"{path}[{i}]", self.obj(v, f"{path}[{i}]", fields)) for i, v in enumerate(value)]
        return [(p, d) for p, d in found if d is not None]

    def text(self, value: object, path: str, *, nullable: bool = False) -> str | None:
        """Return a non-empty string (or None when null is allowed)."""
        if value is MISSING or (nullable and value is None):
            return None
        if isinstance(value, str) and value:
            return value
        self.fail(path, f"expected a non-empty string, got {value!r}")
        return None

    def integer(self, value: object, path: str, minimum: int, default: int | None) -> int | None:
        """Return an integer >= minimum, or the default when absent or null."""
        if value is MISSING or (value is None and default is None):
            return default
        if not is_int(value):
            self.fail(path, f"expected an integer, got {value!r}")
            return default
        if value < minimum:  # type: ignore[operator]
            self.fail(path, f"must be >= {minimum}, got {value}")
        return value  # type: ignore[return-value]

    def ref(self, value: object, path: str, known: set[str] | dict[str, int], what: str) -> str | None:
        """Return a string id that must be one of the known ids."""
        name = self.text(value, path)
        if name is not None and name not in known:
            self.fail(path, f"unknown {what} {name!r}")
        return name

    def unique(self, value: object, path: str, seen: set[str]) -> str:
        """Return a new id, reporting duplicates."""
        name = self.text(value, path) or ""
        if name in seen:
            self.fail(path, f"duplicate id {name!r}")
        seen.add(name)
        return name

    def pair(self, value: object, path: str) -> tuple[str, str]:
        """Return two different known participant ids."""
        if not isinstance(value, list) or len(value) != 2:
            self.fail(path, "expected a list of two participant ids")
            return ("", "")
        a, b = (self.ref(v, f"{path}[{i}]", self.people, "participant") or "" for i, v in enumerate(value))
        if a and a == b:
            self.fail(path, f"a meeting of {a!r} with itself")
        return (a, b)
