"""Locate the read-only shared material (spec, examples, benchmark files) for tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


def shared_path() -> Path:
    """Return where the shared directory should be: $SALON_SHARED_DIR or ../shared beside the repo."""
    configured = os.environ.get("SALON_SHARED_DIR")
    return Path(configured) if configured else REPO_ROOT.parent / "shared"


def shared_dir(*parts: str) -> Path:
    """Return the shared directory or a path in it; skip when absent (fail if SALON_REQUIRE_SHARED=1)."""
    path = shared_path().joinpath(*parts)
    if path.exists():
        return path
    reason = f"shared material not found at {path} (set SALON_SHARED_DIR)"
    if os.environ.get("SALON_REQUIRE_SHARED") == "1":
        pytest.fail(reason + " and SALON_REQUIRE_SHARED=1")
    pytest.skip(reason)
