"""Shared test fixtures: where the shared conformance suites and real data live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ODC_SHARED_DIR", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder beside the repository (conformance suites, source data)."""
    if not SHARED.is_dir():
        pytest.fail(f"shared/ not found at {SHARED} (set ODC_SHARED_DIR)")
    return SHARED
