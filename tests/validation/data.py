"""Where the validation tests' shapes-and-data files live."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data" / "validation"
CASES = DATA / "cases"
GEOGRAPHY = DATA / "geography"
