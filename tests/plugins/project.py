"""Where the project's files are, and the one base IRI test data is minted under."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

#: The repository's root folder.
ROOT = Path(__file__).resolve().parents[2]
#: The shared/ folder beside the repository: conformance suites and real source data.
SHARED = Path(os.environ.get("ODC_SHARED_DIR", ROOT.parent / "shared"))
#: The base IRI of the bundled mappings and of the fixtures, as in the default settings.
BASE = "http://localhost:8000"
#: The test data files (Turtle fixtures, broken cubes, shapes-and-data cases).
TEST_DATA = ROOT / "tests" / "data"
#: The validation tests' shapes-and-data cases and their generated-geography shapes.
VALIDATION_CASES = TEST_DATA / "validation" / "cases"
VALIDATION_GEOGRAPHY = TEST_DATA / "validation" / "geography"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder beside the repository (conformance suites, source data)."""
    if not SHARED.is_dir():
        pytest.fail(f"shared/ not found at {SHARED} (set ODC_SHARED_DIR)")
    return SHARED
