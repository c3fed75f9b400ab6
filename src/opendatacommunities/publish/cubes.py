"""Publishing statistics cubes: compile the cube description, map its observations with the
CSVW engine, add its structure; and the integrity gate (IC-1..IC-21) every cube must pass.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import Store

from opendatacommunities.csvw import Job, Reporter, map_to_rdf
from opendatacommunities.cube import check_integrity
from opendatacommunities.cube.compile import compile_cube, observation_template
from opendatacommunities.cube.description import read_description
from opendatacommunities.cube.structure import CubeIris
from opendatacommunities.iris import AUTHORED_BASE

from .catalog import Published
from .datasets import Dataset

Progress = Callable[[str], None]
_TEMPLATE = re.compile(r"\{\+?(\w+)\}")


def cube_build(build: Path, dataset: Dataset) -> Path:
    """Where a cube's compiled files go."""
    return build / "cubes" / dataset.name


def map_cube(
    dataset: Dataset,
    output: Path,
    base: str,
    shapes: list[Path],
    progress: Progress,
    rebase: Callable[[Iterable[str], str], Iterable[str]],
) -> Published:
    """Compile a cube, map its observations strictly, and write them with its structure to
    ``output`` (N-Triples, atomically).

    :raises SourceError: a cell that is not what its dimension or measure needs.
    :raises MetadataError: a cube description that does not hold together.
    """
    started = datetime.now(UTC)
    cube = read_description(dataset.mapping)
    # Compiled against the authored base, like every mapping, then rebased.
    compiled = compile_cube(cube, cube_build(output.parent, dataset), base=AUTHORED_BASE)
    job = Job(input=compiled.metadata, minimal=True, provenance=False)
    partial = output.with_suffix(".nt.part")
    triples = 0
    with partial.open("w", encoding="utf-8") as out:
        for chunk in rebase(map_to_rdf(job, Reporter(strict=True)), base):
            out.write(chunk)
            triples += chunk.count("\n")
        structure = compiled.structure.read_text(encoding="utf-8")
        for line in rebase([structure], base):
            out.write(line)
            triples += line.count("\n")
    partial.replace(output)
    omitted = compiled.omitted
    progress(
        f"{dataset.name}: {compiled.observations:,} observations, {triples:,} triples"
        + (
            f"; {omitted.total:,} cells without a value ({_counts(omitted.counts)})"
            if omitted.total
            else ""
        )
    )
    return Published(
        dataset, [cube.csv], shapes, triples, started, datetime.now(UTC), dict(omitted.counts)
    )


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{n:,} '{marker}'" for marker, n in counts.items())


def observation_sources(
    build: Path, cubes: list[Dataset], wanted: set[str], base: str
) -> dict[str, str]:
    """``file:row:column`` of the source value of each wanted observation IRI."""
    found: dict[str, str] = {}
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
