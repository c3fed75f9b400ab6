"""What a cube covers, counted: its observations, how many of them have each code, the
geography levels of its areas, and how many observations have no value, and why.

Counts are index range counts inside the store (no observation is read into Python); one per
code of each dimension that has few enough codes to list, so a cube of half a million
observations is profiled in well under a second, once per release.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal

from opendatacommunities.store.cube.codes import read_labels
from opendatacommunities.store.cube.structure import Cube, CubeDimension
from opendatacommunities.store.cube.tables import MEASURE_TYPE
from opendatacommunities.store.graph_store import GraphStore, lateral_join
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import solutions
from opendatacommunities.vocab import QB, RDF_TYPE, SDMX_OBS_STATUS, SKOS

#: Dimensions with more codes than this get no count per code (areas get levels instead).
MAX_COUNTED_CODES = 500
_BATCH = 2_000


@dataclass(frozen=True)
class Level:
    """A kind of area a cube covers ("data zone"), and how many of its areas are of it."""

    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class Status:
    """An observation status (why a value is missing), and how many observations have it."""

    iri: str
    label: str
    count: int


@dataclass(frozen=True)
class CubeProfile:
    """A cube's counts."""

    observations: int
    counts: dict[str, dict[str, int]]
    """Dimension key -> code IRI -> observations with that code (for dimensions with at
    most ``MAX_COUNTED_CODES`` codes)."""
    levels: dict[str, tuple[Level, ...]]
    """Area dimension key -> the levels of its areas, most numerous first."""
    statuses: tuple[Status, ...]


def _in_cube(cube: Cube) -> str:
    # Without a graph of its own, the cube's observations are told by qb:dataSet.
    return "" if cube.graph else f"?obs <{QB}dataSet> <{cube.iri}> ."


def _count(store: GraphStore, cube: Cube, pattern: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} {_in_cube(cube)} }}"
    return next(int(row[0].value) for row in solutions(store, query, cube.graph))


def _code_counts(
    store: GraphStore, cube: Cube, dimension: CubeDimension, total: int
) -> dict[str, int]:
    if len(dimension.codes) == 1:
        return {dimension.codes[0].iri: total}
    if dimension.kind == "measure":
        if not cube.measure_type:
            return {code.iri: total for code in dimension.codes}
        prop = MEASURE_TYPE
    else:
        prop = dimension.iri
    return {
        code.iri: _count(store, cube, f"?obs <{prop}> <{code.iri}> .") for code in dimension.codes
    }


def _levels(store: GraphStore, cube: Cube, dimension: CubeDimension) -> tuple[Level, ...]:
    counts: dict[str, int] = {}
    if dimension.codes_used:
        query = f"""SELECT ?type (COUNT(DISTINCT ?code) AS ?n) WHERE {{
          <{dimension.codes_used}> <{SKOS}member> ?code
          {lateral_join(store)} {{ ?code <{RDF_TYPE}> ?type }}
        }} GROUP BY ?type"""
        for row in solutions(store, query):
            counts[str(row[0].value)] = int(row[1].value)
    else:
        for start in range(0, len(dimension.codes), _BATCH):
            values = " ".join(f"<{c.iri}>" for c in dimension.codes[start : start + _BATCH])
            query = f"SELECT ?type WHERE {{ VALUES ?code {{ {values} }} ?code <{RDF_TYPE}> ?type }}"
            for row in solutions(store, query):
                counts[str(row[0].value)] = counts.get(str(row[0].value), 0) + 1
    labels = read_labels(store, counts)
    levels = [Level(iri, labels.get(iri, iri.rsplit("/", 1)[-1]), n) for iri, n in counts.items()]
    return tuple(sorted(levels, key=lambda level: (-level.count, level.label)))


def _statuses(store: GraphStore, cube: Cube) -> tuple[Status, ...]:
    query = f"""SELECT ?status (COUNT(*) AS ?n) WHERE {{
      ?obs <{SDMX_OBS_STATUS}> ?status . {_in_cube(cube)} }} GROUP BY ?status"""
    counts = {
        str(row[0].value): int(row[1].value)
        for row in solutions(store, query, cube.graph)
        if isinstance(row[1], Literal)
    }
    labels = read_labels(store, counts)
    found = [Status(iri, labels.get(iri, iri.rsplit("/", 1)[-1]), n) for iri, n in counts.items()]
    return tuple(sorted(found, key=lambda status: -status.count))


def profile_cube(release: Release, cube: Cube) -> CubeProfile:
    """Count the cube's observations, by code, level and status."""
    store = release.store
    total = _count(store, cube, f"?obs <{QB}dataSet> <{cube.iri}> .")
    counts = {
        d.key: _code_counts(store, cube, d, total)
        for d in cube.dimensions
        if len(d.codes) <= MAX_COUNTED_CODES
    }
    levels = {d.key: _levels(store, cube, d) for d in cube.dimensions if d.kind == "area"}
    return CubeProfile(total, counts, levels, _statuses(store, cube))
