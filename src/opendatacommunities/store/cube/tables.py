"""Reading observations of a cube as tables: the cells of one page of a slice, one column of
it for every row (to sort by value), and every observation matching some locks, a chunk at a
time (to download).

Every query starts from its most selective pattern, which the cube's structure tells without
a query: a page of 50 of 6,976 data zones, or one of 46 measures, or one of 8 domains. The
rest of the pattern is then looked up per observation (``LATERAL``): left to itself, Oxigraph's
planner sometimes starts from the biggest pattern instead and takes seconds, not milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from pyoxigraph import NamedNode

from opendatacommunities.store.cube.codes import read_labels
from opendatacommunities.store.cube.structure import MEASURE_KEY, Cube, CubeDimension
from opendatacommunities.store.graph_store import GraphStore, lateral_join
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import Row, select_rows
from opendatacommunities.vocab import QB, SDMX_OBS_STATUS

MEASURE_TYPE = QB + "measureType"
_BATCH = 1_000


@dataclass(frozen=True)
class Cell:
    """One observation's value: its lexical form (None when the observation has no number,
    its value being NaN) and, when there is none, why (the observation status's label)."""

    value: str | None
    status: str | None = None
    observation: str = ""
    """The observation's IRI (where it was asked for)."""

    @property
    def number(self) -> float | None:
        """The value as a number, for sorting."""
        return None if self.value is None else float(self.value)


#: What a value that is not a number is shown as when the data gives no status.
NO_STATUS = "not available"
_NOT_NUMBERS = ("NaN", "INF", "-INF")


@dataclass(frozen=True)
class Free:
    """A dimension left free in a query: the variable that takes its code, and the codes it
    may take (None: any)."""

    variable: str
    dimension: CubeDimension
    allowed: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Observation:
    """A matching observation: the code of each free dimension (by variable), and its cell
    (with its IRI)."""

    codes: dict[str, str]
    cell: Cell


def _iri(iri: str) -> str:
    return str(NamedNode(iri))


class _Plan:
    """The query for the observations of ``cube`` with ``locks`` (dimension key -> code IRI)
    and ``free`` dimensions, starting from its most selective pattern, for ``store``'s
    engine."""

    def __init__(
        self, store: GraphStore, cube: Cube, locks: dict[str, str], free: Iterable[Free]
    ) -> None:
        self.join = lateral_join(store)
        self.cube = cube
        self.locks = locks
        self.free = tuple(free)
        self.entries: list[tuple[float, str, tuple[str, ...]]] = []
        """(share of the observations it matches, entry pattern, the patterns it makes
        redundant)."""
        self.rest: list[str] = []
        for key, code in locks.items():
            dimension = cube.dimension(key)
            assert dimension is not None, key
            self._lock(dimension, code)
        for free_dimension in self.free:
            self._free(free_dimension)
        if cube.graph is None:
            self.rest.append(f"?obs <{QB}dataSet> {_iri(cube.iri)} .")

    def _lock(self, dimension: CubeDimension, code: str) -> None:
        if dimension.kind == "measure":
            # The measure's own triples are as few as its observations, and give the values.
            pattern = f"?obs {_iri(code)} ?v ."
            self.rest.append(pattern)
            self.entries.append((1 / len(dimension.codes), pattern, (pattern,)))
        elif len(dimension.codes) > 1:  # a dimension's only code is every observation's
            pattern = f"?obs {_iri(dimension.iri)} {_iri(code)} ."
            self.entries.append((1 / len(dimension.codes), pattern, (pattern,)))
            self.rest.append(pattern)

    def _free(self, free: Free) -> None:
        dimension, variable = free.dimension, f"?{free.variable}"
        if dimension.kind == "measure" and not self.cube.measure_type:
            only = dimension.codes[0].iri
            self.rest.append(f"BIND({_iri(only)} AS {variable}) ?obs {_iri(only)} ?v .")
            return
        prop = MEASURE_TYPE if dimension.kind == "measure" else dimension.iri
        pattern = f"?obs <{prop}> {variable} ."
        self.rest.append(pattern)
        if dimension.kind == "measure":
            self.rest.append(f"?obs {variable} ?v .")
        if free.allowed is not None:
            listed = [_iri(code) for code in free.allowed]
            test = f"FILTER({variable} IN ({', '.join(listed)}))"
            self.rest.append(test)
            share = len(listed) / max(1, len(dimension.codes))
            entry = f"VALUES {variable} {{ {' '.join(listed)} }} {pattern}"
            self.entries.append((share, entry, (pattern, test)))

    def query(self, project: str) -> str:
        """The SELECT query projecting ``project``."""
        entry = f"?obs <{QB}dataSet> {_iri(self.cube.iri)} ."
        replaced: tuple[str, ...] = ()
        if self.entries:
            _, entry, replaced = min(self.entries, key=lambda e: e[0])
        rest = [p for p in self.rest if p not in replaced]
        return f"SELECT {project} WHERE {{ {{ {entry} }} {self.join} {{ {' '.join(rest)} }} }}"


def _run(store: GraphStore, cube: Cube, query: str) -> list[Row]:
    return select_rows(store, query, cube.graph)


class _Statuses:
    """Turns values into cells, and says why the cells without a number have none: their
    observation statuses are read afterwards, for those cells only (few: a page's lookups
    are then one fewer per observation)."""

    def __init__(self, store: GraphStore, cube: Cube) -> None:
        self.store = store
        self.cube = cube
        self.labels: dict[str, str] = {}

    @staticmethod
    def cell(value: str | None, observation: str = "") -> Cell:
        text = None if value in _NOT_NUMBERS else value
        return Cell(text, None if text is not None else NO_STATUS, observation)

    def _label(self, iri: str) -> str:
        if iri not in self.labels:
            found = read_labels(self.store, [iri])
            self.labels[iri] = found.get(iri, iri.rsplit("/", 1)[-1])
        return self.labels[iri]

    def explain(self, cells: Iterable[Cell]) -> dict[str, str]:
        """Observation IRI -> the label of its status, for the cells without a number."""
        missing = [c.observation for c in cells if c.value is None and c.observation]
        reasons: dict[str, str] = {}
        for start in range(0, len(missing), _BATCH):
            values = " ".join(_iri(iri) for iri in missing[start : start + _BATCH])
            query = f"""SELECT ?obs ?status WHERE {{
              VALUES ?obs {{ {values} }} ?obs <{SDMX_OBS_STATUS}> ?status }}"""
            for obs, status in _run(self.store, self.cube, query):
                assert obs is not None and status is not None
                reasons[obs] = self._label(status)
        return reasons

    def explained(self, cell: Cell, reasons: dict[str, str]) -> Cell:
        """``cell`` with its reason, if it has none."""
        reason = reasons.get(cell.observation)
        return replace(cell, status=reason) if reason is not None else cell


def page_cells(
    release: Release,
    cube: Cube,
    locks: dict[str, str],
    rows: Free,
    columns: Free | None,
) -> dict[tuple[str, str], Cell]:
    """The cells of a table: (row code, column code or "") -> cell, for the rows
    ``rows.allowed`` (one page) and every column code."""
    store = release.store
    free = [rows] if columns is None else [rows, columns]
    plan = _Plan(store, cube, locks, free)
    statuses = _Statuses(store, cube)
    cells: dict[tuple[str, str], Cell] = {}
    project = "?obs ?row ?v" if columns is None else "?obs ?row ?col ?v"
    solutions = _run(store, cube, plan.query(project))
    if columns is None:
        for obs, row, value in solutions:
            cells[(str(row), "")] = statuses.cell(value, str(obs))
    else:
        for obs, row, column, value in solutions:
            cells[(str(row), str(column))] = statuses.cell(value, str(obs))
    reasons = statuses.explain(cells.values())
    return {key: statuses.explained(cell, reasons) for key, cell in cells.items()}


def column_cells(
    release: Release, cube: Cube, locks: dict[str, str], rows: Free
) -> dict[str, Cell]:
    """One column for every row: row code -> cell (to sort the rows by value); ``locks``
    fixes every other dimension, the column's own included. Cells carry no status: a
    missing value sorts last whatever its reason."""
    plan = _Plan(release.store, cube, locks, [rows])
    solutions = _run(release.store, cube, plan.query("?row ?v"))
    return {str(row): _Statuses.cell(value) for row, value in solutions}


def matching_observations(
    release: Release, cube: Cube, locks: dict[str, str], free: list[Free]
) -> list[Observation]:
    """Every observation with ``locks`` whose free dimensions take allowed codes."""
    store = release.store
    statuses = _Statuses(store, cube)
    plan = _Plan(store, cube, locks, free)
    names = [f.variable for f in free]
    project = " ".join(["?obs", *(f"?{n}" for n in names), "?v"])
    found = []
    for solution in _run(store, cube, plan.query(project)):
        obs, *terms, value = solution
        codes = {name: str(term) for name, term in zip(names, terms, strict=True)}
        found.append(Observation(codes, statuses.cell(value, str(obs))))
    reasons = statuses.explain(o.cell for o in found)
    return [Observation(o.codes, statuses.explained(o.cell, reasons)) for o in found]


def grouped_values(
    release: Release, cube: Cube, measure: str, free: list[Free]
) -> list[tuple[tuple[str, ...], list[str]]]:
    """The values of ``measure`` in every observation, grouped by the codes of the ``free``
    dimensions: (codes in ``free``'s order, the values' lexical forms). One row per group,
    however many observations: the values of a series come back as one string, which is a
    tenth of the cost of a row per observation."""
    names = " ".join(f"?{f.variable}" for f in free)
    plan = _Plan(release.store, cube, {MEASURE_KEY: measure}, free)
    inner = plan.query(f"{names} ?v")
    values = "(GROUP_CONCAT(STR(?v); separator=' ') AS ?values)"
    query = f"SELECT {names} {values} WHERE {{ {inner} }}" + (f" GROUP BY {names}" if free else "")
    grouped = []
    for row in _run(release.store, cube, query):
        *codes, text = row
        grouped.append((tuple(str(code) for code in codes), (text or "").split()))
    return grouped
