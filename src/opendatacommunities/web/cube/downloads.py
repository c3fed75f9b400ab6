"""Downloading a cube: every observation matching some locks, as tidy CSV (one row per
observation), produced a chunk at a time so that memory stays flat and there is no row cap.

Each row gives every dimension's code and label, the measure, its unit, the value (or, where
the source gave none, why: "suppressed"), the observation status and the observation's IRI;
for a cube that marks totals, ``total`` (``true`` for a total's row).
Rows come in the order of the biggest free dimension (areas, by name), chunk by chunk.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterator, Sequence

from opendatacommunities.errors import BadRequestError, NotFoundError
from opendatacommunities.store import Release
from opendatacommunities.store.cube.levels import has_totals, total_observations
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension, key_of
from opendatacommunities.store.cube.tables import Free, Observation, matching_observations
from opendatacommunities.web.cube.views import cell_text

#: About how many observations each chunk reads.
CHUNK_OBSERVATIONS = 10_000


def download_locks(cube: Cube, query: Sequence[tuple[str, str]]) -> dict[str, Code]:
    """The locks a download's query string names: dimension key -> code.

    :raises BadRequestError: a parameter that is not a dimension, or one given twice.
    :raises NotFoundError: a code the dimension does not take.
    """
    locks: dict[str, Code] = {}
    for key, value in query:
        dimension = cube.dimension(key)
        if dimension is None:
            names = ", ".join(d.key for d in cube.dimensions)
            raise BadRequestError(
                f"{key!r} is not a dimension of this cube; its dimensions are {names}."
            )
        code = dimension.find(value)
        if code is None:
            raise NotFoundError(
                f"{value!r} is not a code of {dimension.label} ({key}) in this cube."
            )
        if key in locks and locks[key] != code:
            raise BadRequestError(f"{key} is given twice.")
        locks[key] = code
    return locks


def columns(cube: Cube) -> list[str]:
    """The download's header (``total`` last, for a cube that marks totals)."""
    names: list[str] = []
    for dimension in cube.dimensions:
        names += [dimension.key, f"{dimension.key}_label"]
        if dimension.kind == "measure":
            names.append("unit")
    return [*names, "value", "status", "observation", *(["total"] if has_totals(cube) else [])]


def _line(cube: Cube, codes: dict[str, Code], observation: Observation) -> list[str]:
    line: list[str] = []
    for dimension in cube.dimensions:
        code = codes[dimension.key]
        line += [code.key, code.label]
        if dimension.kind == "measure":
            measure = cube.measure(code.iri)
            line.append((measure.unit or "") if measure else "")
    cell = observation.cell
    return [*line, cell_text(cell), cell.status or "", cell.observation]


def _with_totals(lines: list[list[str]], totals: set[str] | None) -> list[list[str]]:
    """Each line with its ``total`` cell, when the cube marks totals (``totals`` not None)."""
    if totals is None:
        return lines
    return [[*line, "true" if line[-1] in totals else ""] for line in lines]


def _csv(lines: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(lines)
    return out.getvalue().encode()


def _batches(dimension: CubeDimension | None, size: int) -> Iterator[tuple[str, ...] | None]:
    if dimension is None:
        yield None
        return
    iris = [code.iri for code in dimension.codes]
    for start in range(0, len(iris), size):
        yield tuple(iris[start : start + size])


def observation_chunks(release: Release, cube: Cube, locks: dict[str, Code]) -> Iterator[bytes]:
    """The download as CSV, a chunk of bytes at a time: the header, then the observations
    in the order of the biggest free dimension's codes."""
    yield _csv([columns(cube)])
    free = [d for d in cube.dimensions if d.key not in locks]
    chunked = max(free, key=lambda d: len(d.codes), default=None)
    others = [d for d in free if d is not chunked]
    per_code = math.prod(len(d.codes) for d in others)
    size = max(1, CHUNK_OBSERVATIONS // max(1, per_code))
    variables = {d.key: f"d{i}" for i, d in enumerate(cube.dimensions)}
    ranks = {d.key: {c.iri: i for i, c in enumerate(d.codes)} for d in free}
    lock_iris = {key: code.iri for key, code in locks.items()}
    totals = total_observations(release, cube) if has_totals(cube) else None
    for batch in _batches(chunked, size):
        wanted = [Free(variables[d.key], d, batch if d is chunked else None) for d in free]
        found = matching_observations(release, cube, lock_iris, wanted)
        found.sort(key=lambda o: [ranks[d.key].get(o.codes[variables[d.key]], 0) for d in free])
        lines = []
        for observation in found:
            codes = dict(locks)
            for dimension in free:
                iri = observation.codes[variables[dimension.key]]
                codes[dimension.key] = dimension.find(iri) or Code(iri, key_of(iri), key_of(iri))
            lines.append(_line(cube, codes, observation))
        if lines:
            yield _csv(_with_totals(lines, totals))
