"""The integrity gate (IC-1..IC-21) every statistics cube passes, with each violation traced
back to the source cell of its observation (through the cube's tidy table)."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path

from opendatacommunities.csvw.dialect import Dialect, Record, open_text, read_records
from opendatacommunities.cube import check_integrity
from opendatacommunities.cube.compile import observation_template
from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import CellError, location
from opendatacommunities.iris import IriSpace
from opendatacommunities.store.memory import MemoryGraph

from .datasets import Dataset

_TEMPLATE = re.compile(r"\{\+?(\w+)\}")


def cube_build(build: Path, dataset: Dataset) -> Path:
    """Where a cube's compiled files go."""
    return build / "cubes" / dataset.name


class TidySources:
    """Names the source cell behind each row of a cube's tidy table.

    The CSVW engine maps the tidy table and reports its rows; the publisher wrote the source
    CSV, so every error and warning is moved to the cell the value came from. The engine
    reports rows in order, so the table is read once, forwards.
    """

    def __init__(self, tidy: Path, source: Path) -> None:
        self._tidy = tidy
        self._source = str(source)
        self._records: Iterator[Record] = iter(())
        self._number = 0  # the last record read; past the end of the table, to start over
        self._header: list[str] = []
        self._restart()

    def _restart(self) -> None:
        dialect = Dialect()
        self._records = read_records(open_text(self._tidy, dialect), dialect)
        self._number = 0
        self._header = []

    def relocate(self, error: CellError) -> CellError:
        """``error`` at the source cell of its tidy row (as it was when it names no row)."""
        if error.row is None:
            return error
        found = self._row(error.row)
        if found is None:
            return CellError(error.message, file=self._source, value=error.value)
        index = found.get("source_index", "")
        return CellError(
            error.message,
            file=self._source,
            row=int(found["source_row"]),
            column=found["source_column"],
            index=int(index) if index.isdigit() else None,
            value=error.value,
        )

    def _row(self, number: int) -> dict[str, str] | None:
        if number <= self._number:
            self._restart()
        for record_number, _, cells in self._records:
            self._number = record_number
            if cells is None:
                continue
            if not self._header:
                self._header = cells
            elif record_number == number:
                return dict(zip(self._header, cells, strict=False))
        self._number = number + 1  # not found: the next look starts over
        return None


def observation_sources(
    build: Path, cubes: list[Dataset], wanted: set[str], base: str
) -> dict[str, str]:
    """``file:row:column`` of the source value of each wanted observation IRI."""
    found: dict[str, str] = {}
    if not wanted:
        return found  # nothing to look for: do not read the tidy tables
    for dataset in cubes:
        cube = read_description(dataset.mapping)
        template = observation_template(cube, IriSpace(base).cube(cube.name))
        tidy = cube_build(build, dataset) / f"{cube.name}.observations.csv"
        if not tidy.exists():
            continue
        with tidy.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                iri = _expand(template, row)
                if iri in wanted:
                    found[iri] = _source(str(cube.csv), row)
    return found


def _source(file: str, row: dict[str, str]) -> str:
    """The source cell of a tidy row, as errors name cells."""
    index = row.get("source_index", "")
    number = int(index) if index.isdigit() else None
    return location(file, int(row["source_row"]), row["source_column"], number)


def _expand(template: str, row: dict[str, str]) -> str:
    """The template with each ``{name}`` / ``{+name}`` replaced by the row's value."""
    return _TEMPLATE.sub(lambda match: row[match.group(1)], template)


def integrity_failures(
    store: MemoryGraph,
    build: Path,
    cubes: list[Dataset],
    base: str,
    timings: dict[str, float] | None = None,
) -> list[str]:
    """Every integrity constraint violation of the cubes in ``store``, as lines naming the
    observation, the constraint in words and the source cell (empty when all pass);
    ``timings`` receives the seconds each constraint took."""
    if not cubes:
        return []
    violations = check_integrity(store, timings=timings)
    located = observation_sources(build, cubes, {v.focus for v in violations}, base)
    lines = []
    for violation in violations:
        where = located.get(violation.focus)
        lines.append(f"{where}: {violation.to_text()}" if where else violation.to_text())
    return lines
