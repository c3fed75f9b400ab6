"""What a live block refers to must exist: checked before anything is published.

Each story and dashboard is read and each of its live blocks checked against the named
queries (the query exists, takes the parameters given with values of their types, and
returns the variables the block draws) and the cube descriptions of ``mappings/`` (the
dataset is a cube; the slice's dimensions and measure are the cube's). Every problem is one
line, ``stories/x.md:LINE: what is wrong``, all reported at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import MetadataError, ParameterError, SourceError
from opendatacommunities.store.named_queries import (
    NamedQuery,
    load_named_queries,
    result_variables,
)

from .blocks import Block, CubeSource, QuerySource, variables_used, with_base
from .stories import Document, read_folder

#: The slicer's own parameters besides dimensions (web.cube.views.CONTROLS).
SLICE_CONTROLS = ("rows", "columns", "level", "sort", "page")
#: The URL key of the measure dimension (store.cube.structure.MEASURE_KEY).
MEASURE = "measure"
#: The folders of documents with live blocks, beside ``mappings/``.
FOLDERS = ("stories", "dashboards")


@dataclass(frozen=True)
class CubeFacts:
    """What a block may name of a cube: its dimensions' and measures' names."""

    dimensions: tuple[str, ...]
    measures: tuple[str, ...]


def cube_facts(mappings: Path) -> dict[str, CubeFacts]:
    """The cubes described in ``mappings`` (``*.cube.json``), by dataset name; a description
    that cannot be read is left to the publish's own check of it."""
    found = {}
    for path in sorted(mappings.glob("*.cube.json")):
        try:
            description = read_description(path)
        except (SourceError, OSError, ValueError):
            continue
        dimensions = tuple(d.name for d in description.dimensions)
        found[path.name.removesuffix(".cube.json")] = CubeFacts(
            dimensions, tuple(m.name for m in description.measures)
        )
    return found


class Checker:
    """Checks blocks against the named queries and cubes, each query's variables read once."""

    def __init__(
        self, queries: Mapping[str, NamedQuery], cubes: Mapping[str, CubeFacts], base: str
    ):
        self._queries = queries
        self._cubes = cubes
        self._base = base
        self._variables: dict[str, tuple[str, ...] | str] = {}

    def problems(self, block: Block) -> list[str]:
        """What is wrong with the block's reference (nothing: an empty list)."""
        if isinstance(block.source, QuerySource):
            return self._query(block, block.source)
        return self._cube(block, block.source)

    def _variables_of(self, query: NamedQuery) -> tuple[str, ...] | str:
        if query.name not in self._variables:
            try:
                self._variables[query.name] = result_variables(query)
            except MetadataError as exc:
                self._variables[query.name] = f"its query cannot be used: {exc}"
        return self._variables[query.name]

    def _query(self, block: Block, source: QuerySource) -> list[str]:
        query = self._queries.get(source.name)
        if query is None:
            known = ", ".join(self._queries) or "none"
            return [f"unknown query {source.name!r} (queries/ has: {known})"]
        problems = []
        try:
            query.bind(with_base(query, source.parameters, self._base))
        except ParameterError as exc:
            problems += [
                f"parameter {p.name!r} of query {source.name!r} {p.reason}" for p in exc.problems
            ]
        variables = self._variables_of(query)
        if isinstance(variables, str):
            return [*problems, variables]
        for name in variables_used(block):
            if name not in variables:
                problems.append(
                    f"{name!r} is not a variable of query {source.name!r} "
                    f"(its results have: {', '.join(variables)})"
                )
        return problems

    def _cube(self, block: Block, source: CubeSource) -> list[str]:
        facts = self._cubes.get(source.dataset)
        if facts is None:
            known = ", ".join(self._cubes) or "none"
            return [f"unknown dataset {source.dataset!r}: no cube of that name (cubes: {known})"]
        problems = [
            f"{option}= names a query's variable; a slice's columns are its own"
            for option, value in (("x", block.x), ("y", block.y), ("columns", block.columns))
            if value
        ]
        dimensions = (*facts.dimensions, MEASURE)
        for key, value in source.parameters:
            problems += _slice_parameter(source.dataset, facts, dimensions, key, value)
        return problems


def _slice_parameter(
    dataset: str, facts: CubeFacts, dimensions: tuple[str, ...], key: str, value: str
) -> list[str]:
    """What is wrong with one parameter of a slice or map."""
    if key not in SLICE_CONTROLS and key not in dimensions:
        names = ", ".join((*SLICE_CONTROLS, *dimensions))
        return [f"{key!r} is not a dimension of {dataset!r} nor a slicer parameter ({names})"]
    if key in ("rows", "columns") and value not in (*dimensions, "none"):
        return [
            f"{key}={value}: {value!r} is not a dimension of {dataset!r} "
            f"(its dimensions: {', '.join(dimensions)})"
        ]
    if key == MEASURE and value not in facts.measures:
        return [
            f"measure={value}: {value!r} is not a measure of {dataset!r} "
            f"(its measures: {', '.join(facts.measures)})"
        ]
    return []


def document_problems(document: Document, checker: Checker) -> list[str]:
    """Every problem of one document, as ``file:LINE: what`` lines."""
    lines = [f"{document.file}:{line}: {message}" for line, message in document.problems]
    for block in document.blocks:
        lines += [f"{document.file}:{block.line}: {p}" for p in checker.problems(block)]
    return lines


def check_project(project: Path, mappings: Path, base: str, authored_base: str) -> list[str]:
    """Every problem of every story and dashboard of ``project`` (``stories/``,
    ``dashboards/``), against its ``queries/`` and the cubes of ``mappings``."""
    folders = [project / name for name in FOLDERS]
    if not any(folder.is_dir() for folder in folders):
        return []  # nothing to check: no query is read
    queries = load_named_queries(project / "queries", base_iri=base, authored_base=authored_base)
    checker = Checker(queries, cube_facts(mappings), base)
    lines: list[str] = []
    for name, folder in zip(FOLDERS, folders, strict=True):
        documents, errors = read_folder(folder, name)
        lines += errors
        for document in documents.values():
            lines += document_problems(document, checker)
    return lines
