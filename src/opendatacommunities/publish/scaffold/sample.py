"""Reading a CSV's header and a sample of its rows, and guessing what each column holds.

A column is an ``area`` (every value a GSS code), a ``period`` (years under a header that
says so, quarters such as ``2017-Q1``, months such as ``2019-04``), a number (``integer``
or ``decimal``, with the missing-value markers found among the numbers), or ``text``.

>>> guess_kind("Code", ["E06000001", "W06000015"])
'area'
>>> guess_kind("Year", ["2019", "2020"]), guess_kind("Quarter", ["2017-Q1", "2017 Q2"])
('period', 'period')
>>> guess_kind("Households", ["1,204", "*", "", "87"]), guess_kind("Rate", ["7.5", ".."])
('integer', 'decimal')
>>> guess_kind("Name", ["Hartlepool", "Darlington"])
'text'
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from opendatacommunities.cube.tidy import period_path
from opendatacommunities.errors import SourceError

#: How many rows are read to guess what the columns hold.
SAMPLE_ROWS = 5000
GSS = re.compile(r"^[EWSNK]\d{8}$")
_INTEGER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)$")
_DECIMAL = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?%?$")
_YEAR = re.compile(r"^\d{4}$")
_TIME_HEADER = re.compile(r"year|period|date|time|quarter|month", re.IGNORECASE)
#: Cells that mean "no value" in UK official statistics, and what each says.
MARKERS = {
    "": "not available",
    "*": "suppressed",
    "..": "not available",
    ".": "not available",
    "-": "not available",
    ":": "not available",
    "x": "not available",
    "[x]": "not available",
    "c": "confidential",
    "[c]": "confidential",
    "z": "not applicable",
    "[z]": "not applicable",
    "n/a": "not applicable",
}


@dataclass(frozen=True)
class Column:
    """One column of the sample: its header, its cells, and what they look like."""

    header: str
    cells: tuple[str, ...]
    kind: str
    """``area``, ``period``, ``integer``, ``decimal`` or ``text``."""

    @property
    def markers(self) -> list[str]:
        """The missing-value markers among a number column's cells, in sorted order."""
        if self.kind not in ("integer", "decimal"):
            return []
        return sorted({cell for cell in self.cells if cell in MARKERS})

    @property
    def numeric(self) -> bool:
        """Whether the column holds numbers (and markers)."""
        return self.kind in ("integer", "decimal")


@dataclass(frozen=True)
class Sample:
    """A CSV's header and the first ``SAMPLE_ROWS`` rows, column by column."""

    path: Path
    columns: tuple[Column, ...]
    rows: int

    def column(self, header: str) -> Column:
        """The column with this header."""
        return next(c for c in self.columns if c.header == header)


def _is_number(cell: str, pattern: re.Pattern[str]) -> bool:
    return bool(pattern.match(cell)) and any(ch.isdigit() for ch in cell)


def guess_kind(header: str, cells: Sequence[str]) -> str:
    """What a column holds, from its header and its cells (stripped of spaces)."""
    values = [cell for cell in cells if cell not in MARKERS]
    present = [cell for cell in cells if cell]
    if present and all(GSS.match(cell) for cell in present):
        return "area"
    periods = values and all(period_path(cell) for cell in values)
    if periods and (_TIME_HEADER.search(header) or not all(_YEAR.match(c) for c in values)):
        return "period"
    if values and all(_is_number(cell, _INTEGER) for cell in values):
        return "integer"
    if values and all(_is_number(cell, _DECIMAL) for cell in values):
        return "decimal"
    return "text"


def read_sample(path: Path, rows: int = SAMPLE_ROWS) -> Sample:
    """Read the header and up to ``rows`` rows of the CSV at ``path``.

    :raises SourceError: the file cannot be read, is not UTF-8, or has no header.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            body = [row for _, row in zip(range(rows), reader, strict=False)]
    except OSError as exc:
        raise SourceError(f"cannot read the CSV: {exc.strerror}", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise SourceError(
            f"not UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start}): "
            "save the CSV as UTF-8",
            file=str(path),
        ) from None
    if not header or not any(cell.strip() for cell in header):
        raise SourceError("the CSV has no header row", file=str(path), row=1)
    _check_headers(path, header)
    columns = []
    for index, name in enumerate(header):
        cells = tuple((row[index] if index < len(row) else "").strip() for row in body)
        columns.append(Column(name, cells, guess_kind(name, cells)))
    return Sample(path, tuple(columns), len(body))


def _check_headers(path: Path, header: list[str]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(header, start=1):
        if not name.strip():
            raise SourceError("a column has no header", file=str(path), row=1, column=index)
        if name in seen:
            raise SourceError("two columns have this header", file=str(path), row=1, column=name)
        seen.add(name)
