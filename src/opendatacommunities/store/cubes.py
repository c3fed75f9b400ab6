"""Statistics cubes as the web shows them: a cube's structure with the codes it uses (and how
often), and slices of it as tables.

Reading a structure scans the cube once per dimension; the web keeps the result for the life
of the release (it cannot change until the next one). A slice then asks only for the
observations of one page of rows, with every other dimension locked in the triple pattern.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Store

from opendatacommunities.iris import LABEL_PROPERTIES, SKOS_NOTATION

QB = "http://purl.org/linked-data/cube#"
MEASURE_TYPE = QB + "measureType"
OBS_STATUS = "http://purl.org/linked-data/sdmx/2009/attribute#obsStatus"
UNIT_MEASURE = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"
_LABEL = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)


@dataclass(frozen=True)
class Code:
    """A value a dimension takes in the cube: its IRI, label, URL key, and how many
    observations have it."""

    iri: str
    label: str
    key: str
    count: int


@dataclass(frozen=True)
class CubeDimension:
    """A dimension of a cube (not qb:measureType: measures are chosen separately)."""

    iri: str
    key: str
    label: str
    codes: tuple[Code, ...]

    def find(self, key: str) -> Code | None:
        """The code a URL names: by key, notation or IRI."""
        return next((c for c in self.codes if key in (c.key, c.iri)), None)


@dataclass(frozen=True)
class CubeMeasure:
    """A measure: IRI, URL key, label, and its unit's label if it has one."""

    iri: str
    key: str
    label: str
    unit: str | None


@dataclass(frozen=True)
class Cube:
    """What a page needs to show and slice a cube."""

    iri: str
    title: str
    dimensions: tuple[CubeDimension, ...]
    measures: tuple[CubeMeasure, ...]
    observations: int

    def dimension(self, key: str) -> CubeDimension | None:
        """The dimension a URL key names."""
        return next((d for d in self.dimensions if d.key == key), None)

    def measure(self, key: str) -> CubeMeasure | None:
        """The measure a URL key names."""
        return next((m for m in self.measures if m.key == key), None)


@dataclass(frozen=True)
class Cell:
    """One cell of a slice: the value as text, and why there is none when there is not."""

    value: str
    status: str | None = None


@dataclass(frozen=True)
class Slice:
    """A table: row codes, column codes, and the cell at each (row, column)."""

    rows: tuple[Code, ...]
    columns: tuple[Code, ...]
    cells: dict[tuple[str, str], Cell]
    total_rows: int


def _select(store: Store, query: str) -> QuerySolutions:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return result


def key_of(iri: str) -> str:
    """The short name of an IRI: what follows its last ``/`` or ``#``.

    >>> key_of("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
    'refArea'
    """
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _labels(store: Store, iris: list[str]) -> dict[str, tuple[str, str | None]]:
    """Label (falling back to the key) and notation of many IRIs, in batches."""
    found: dict[str, tuple[str, str | None]] = {}
    for start in range(0, len(iris), 5_000):
        batch = " ".join(f"<{iri}>" for iri in iris[start : start + 5_000])
        query = f"""SELECT ?v (SAMPLE(?l) AS ?label) (SAMPLE(?n) AS ?notation) WHERE {{
          VALUES ?v {{ {batch} }} OPTIONAL {{ ?v {_LABEL} ?l }}
          OPTIONAL {{ ?v <{SKOS_NOTATION}> ?n }} }} GROUP BY ?v"""
        for row in _select(store, query):
            label, notation = row["label"], row["notation"]
            found[str(row["v"].value)] = (
                label.value if isinstance(label, Literal) else key_of(str(row["v"].value)),
                notation.value if isinstance(notation, Literal) else None,
            )
    return found


def _codes(store: Store, dataset: str, dimension: str) -> tuple[Code, ...]:
    query = f"""SELECT ?v (COUNT(?obs) AS ?n) WHERE {{
      ?obs <{QB}dataSet> <{dataset}> ; <{dimension}> ?v }} GROUP BY ?v"""
    counts = {str(row["v"].value): int(row["n"].value) for row in _select(store, query)}
    labels = _labels(store, list(counts))
    codes = [
        Code(iri, labels[iri][0], labels[iri][1] or key_of(iri), count)
        for iri, count in counts.items()
    ]
    return tuple(sorted(codes, key=lambda c: (c.label.lower(), c.key)))


def read_cube(store: Store, dataset: str) -> Cube | None:
    """The structure of the cube ``dataset`` and the codes it uses, or None if it is not a
    ``qb:DataSet``."""
    # The component's own label says what it is in this cube; the property's is generic.
    query = f"""SELECT ?p ?kind (SAMPLE(?own) AS ?spec_label) (SAMPLE(?l) AS ?label)
      (SAMPLE(?u) AS ?unit) WHERE {{
      <{dataset}> <{QB}structure>/<{QB}component> ?spec . ?spec <{QB}componentProperty> ?p .
      ?p a ?kind . FILTER(?kind IN (<{QB}DimensionProperty>, <{QB}MeasureProperty>))
      OPTIONAL {{ ?spec <{QB}order> ?order }} OPTIONAL {{ ?spec {_LABEL} ?own }}
      OPTIONAL {{ ?p {_LABEL} ?l }} OPTIONAL {{ ?p <{UNIT_MEASURE}>/({_LABEL}) ?u }}
    }} GROUP BY ?p ?kind ORDER BY (SAMPLE(?order)) ?p"""
    dimensions, measures = [], []
    for row in _select(store, query):
        iri, label = str(row["p"].value), row["spec_label"] or row["label"]
        text = label.value if isinstance(label, Literal) else key_of(iri)
        if row["kind"] == NamedNode(f"{QB}MeasureProperty"):
            unit = row["unit"]
            unit_text = unit.value if isinstance(unit, Literal) else None
            measures.append(CubeMeasure(iri, key_of(iri), text, unit_text))
        elif iri != MEASURE_TYPE:
            dimensions.append(CubeDimension(iri, key_of(iri), text, _codes(store, dataset, iri)))
    if not measures:
        return None
    return Cube(
        dataset, _title(store, dataset), tuple(dimensions), tuple(measures), _count(store, dataset)
    )


def _title(store: Store, dataset: str) -> str:
    labels = _labels(store, [dataset])
    return labels[dataset][0]


def _count(store: Store, dataset: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?obs <{QB}dataSet> <{dataset}> }}"
    return next(int(row["n"].value) for row in _select(store, query))


def _candidates(
    store: Store, cube: Cube, locks: dict[str, str], rows_dim: CubeDimension, rows: tuple[Code, ...]
) -> Iterator[NamedNode | BlankNode]:
    """The observations that may be in the table: those of the page's rows, or those with
    the rarest locked code, whichever are fewer (the code counts say, without a query)."""
    best: tuple[int, str, list[str]] = (
        sum(c.count for c in rows),
        rows_dim.iri,
        [c.iri for c in rows],
    )
    for dimension in cube.dimensions:
        value = locks.get(dimension.iri)
        code = next((c for c in dimension.codes if c.iri == value), None)
        if code is not None and code.count < best[0]:
            best = (code.count, dimension.iri, [code.iri])
    _, prop, values = best
    for value in values:
        for quad in store.quads_for_pattern(None, NamedNode(prop), NamedNode(value), None):
            if isinstance(quad.subject, NamedNode | BlankNode):
                yield quad.subject


def _cells(
    store: Store,
    cube: Cube,
    locks: dict[str, str],
    axes: tuple[CubeDimension, CubeDimension | None],
    measure: CubeMeasure,
    rows: tuple[Code, ...],
) -> Iterator[tuple[str, str, Cell]]:
    """Walk the candidate observations through the store's indexes: each is read whole (a
    few triples) and kept if it has the cube, the locks, a row of the page and the measure.
    Oxigraph's planner would often start from the biggest pattern instead."""
    rows_dim, columns_dim = axes
    page = {code.iri for code in rows}
    wanted = {f"{QB}dataSet": cube.iri, **locks}
    for obs in _candidates(store, cube, locks, rows_dim, rows):
        found: dict[str, str] = {}
        value: Literal | None = None
        for quad in store.quads_for_pattern(obs, None, None, None):
            if quad.predicate.value == measure.iri and isinstance(quad.object, Literal):
                value = quad.object
            else:
                found[quad.predicate.value] = str(getattr(quad.object, "value", quad.object))
        if value is None or found.get(rows_dim.iri) not in page:
            continue
        if any(found.get(prop) != expected for prop, expected in wanted.items()):
            continue
        column = found.get(columns_dim.iri, "") if columns_dim else ""
        status = found.get(OBS_STATUS)
        yield (
            found[rows_dim.iri],
            column,
            Cell(value.value, _label_of(store, status) if status else None),
        )


def _label_of(store: Store, iri: str) -> str:
    for prop in LABEL_PROPERTIES:
        for quad in store.quads_for_pattern(NamedNode(iri), NamedNode(prop), None, None):
            if isinstance(quad.object, Literal):
                return quad.object.value
    return key_of(iri)


def slice_cube(
    store: Store,
    cube: Cube,
    locks: dict[str, str],
    axes: tuple[CubeDimension, CubeDimension | None],
    measure: CubeMeasure,
    *,
    offset: int,
    limit: int,
) -> Slice:
    """The table of ``measure`` with rows along ``axes[0]`` (one page of them, in label
    order) and columns along ``axes[1]``; ``locks`` fixes every other dimension
    (property IRI -> value IRI)."""
    rows_dim, columns_dim = axes
    page = rows_dim.codes[offset : offset + limit]
    cells = {(r, c): cell for r, c, cell in _cells(store, cube, locks, axes, measure, page)}
    columns = columns_dim.codes if columns_dim else ()
    return Slice(page, columns, cells, len(rows_dim.codes))
