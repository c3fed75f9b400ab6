"""The source tables the derived ones are made from, read with every cell's position, so
that a bad cell is reported as ``file:row:column`` with its value.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> table = folder / "a.csv"
>>> _ = table.write_text("\\ufeffcode,people\\r\\nS01,\\"1,234\\"\\r\\n", encoding="utf-8")
>>> [(row.line, row.text("code"), row.whole_number("people")) for row in rows(table)]
[(2, 'S01', 1234)]
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from opendatacommunities.errors import SourceError


@dataclass(frozen=True)
class Row:
    """One data row of a source CSV: its cells by header, and its line in the file."""

    file: Path
    line: int
    cells: dict[str, str]

    def fail(self, column: str, message: str) -> SourceError:
        """An error naming this row's file, line, the column and its value."""
        return SourceError(
            message,
            file=str(self.file),
            row=self.line,
            column=column,
            value=self.cells.get(column, ""),
        )

    def text(self, column: str) -> str:
        """The cell, trimmed; an empty cell is an error."""
        value = self.cells.get(column, "").strip()
        if not value:
            raise self.fail(column, "expected a value")
        return value

    def whole_number(self, column: str) -> int:
        """The cell as a whole number; thousands separators (``"1,234"``) are allowed."""
        try:
            return int(self.text(column).replace(",", ""))
        except ValueError:
            raise self.fail(column, "expected a whole number") from None

    def number(self, column: str) -> float:
        """The cell as a decimal number."""
        try:
            return float(self.text(column))
        except ValueError:
            raise self.fail(column, "expected a number") from None


def rows(path: Path, columns: tuple[str, ...] = ()) -> Iterator[Row]:
    """The data rows of a CSV (UTF-8, with or without a byte-order mark), numbered by their
    line in the file (the header is line 1).

    :raises SourceError: the file cannot be read, or lacks one of ``columns``.
    """
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            for column in columns:
                if column not in header:
                    raise SourceError(f"no column {column!r} in the header", file=str(path), row=1)
            for row in reader:
                if row:
                    yield Row(path, reader.line_num, dict(zip(header, row, strict=False)))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise SourceError(f"cannot read this table ({error})", file=str(path)) from None
