"""The integrity gate (IC-1..IC-21) every statistics cube passes, with each violation traced
back to the source cell of its observation (through the cube's tidy table)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from pyoxigraph import Store

from opendatacommunities.cube import check_integrity
from opendatacommunities.cube.compile import observation_template
from opendatacommunities.cube.description import read_description
from opendatacommunities.cube.structure import CubeIris

from .datasets import Dataset

_TEMPLATE = re.compile(r"\{\+?(\w+)\}")


def cube_build(build: Path, dataset: Dataset) -> Path:
    """Where a cube's compiled files go."""
    return build / "cubes" / dataset.name


def observation_sources(
    build: Path, cubes: list[Dataset], wanted: set[str], base: str
) -> dict[str, str]:
    """``file:row:column`` of the source value of each wanted observation IRI."""
    found: dict[str, str] = {}
    if not wanted:
        return found  # nothing to look for: do not read the tidy tables
    for dataset in cubes:
        cube = read_description(dataset.mapping)
        template = observation_template(cube, CubeIris(base, cube.name))
        tidy = cube_build(build, dataset) / f"{cube.name}.observations.csv"
        if not tidy.exists():
            continue
        with tidy.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                iri = _expand(template, row)
                if iri in wanted:
                    found[iri] = f"{cube.csv}:{row['source_row']}:{row['source_column']}"
    return found


def _expand(template: str, row: dict[str, str]) -> str:
    """The template with each ``{name}`` / ``{+name}`` replaced by the row's value."""
    return _TEMPLATE.sub(lambda match: row[match.group(1)], template)


def integrity_failures(
    store: Store,
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
