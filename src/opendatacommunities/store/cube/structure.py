"""Statistics cubes as the web shows them: a cube's structure (dimensions, measures and
attributes, by label) and the codes each dimension takes, in the order to show them.

``read_cube`` asks a handful of queries whatever the cube's size: the codes come from the
cube's *codes used* collections (``pmdqb:codesUsed``, written when the cube is published), so
no observation is read. A cube published without them still works: its codes are then found
by scanning its observations (slower, once per release). The web keeps the result for the
life of the release, which cannot change until the next one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode

from opendatacommunities.store.cube.codes import (
    Code,
    Labels,
    key_of,
    ordered_codes,
    read_codes,
    read_labels,
)
from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import solutions
from opendatacommunities.vocab import (
    INTERVAL,
    PMDQB_CODES_USED,
    QB,
    RDFS,
    SDMX_REF_AREA,
    SDMX_REF_PERIOD,
    SDMX_UNIT_MEASURE,
    VOID,
)

__all__ = [
    "Code",
    "Cube",
    "CubeAttribute",
    "CubeDimension",
    "CubeMeasure",
    "find_cubes",
    "key_of",
    "read_cube",
]

MEASURE_TYPE = QB + "measureType"
MEASURE_KEY = "measure"
"""The URL name of the measure dimension (``qb:measureType``, or the lone measure)."""


@dataclass(frozen=True)
class CubeDimension:
    """A dimension of a cube and the codes it takes, in display order.

    ``kind`` is ``area`` (reference areas), ``period`` (reference periods), ``measure``
    (the measure dimension: its codes are the measures), ``coded`` (a code list) or
    ``other``."""

    iri: str
    key: str
    label: str
    kind: str
    codes: tuple[Code, ...]
    code_list: str | None = None
    codes_used: str | None = None
    _index: dict[str, Code] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for code in self.codes:
            self._index.setdefault(code.iri, code)
        for code in self.codes:
            self._index.setdefault(code.key, code)

    def find(self, key: str) -> Code | None:
        """The code a URL names: by its key (notation or last IRI segment) or its IRI."""
        return self._index.get(key)

    @property
    def hierarchical(self) -> bool:
        """Whether some code of this dimension is narrower than another."""
        return any(code.parent for code in self.codes)


@dataclass(frozen=True)
class CubeMeasure:
    """A measure: its property, URL key, label, and its unit's label if it has one."""

    iri: str
    key: str
    label: str
    unit: str | None = None


@dataclass(frozen=True)
class CubeAttribute:
    """An attribute: its property, URL key, label, whether every observation must have it,
    and the level it is attached at (``qb:MeasureProperty``: stated once per measure)."""

    iri: str
    key: str
    label: str
    required: bool
    attachment: str | None = None


@dataclass(frozen=True)
class Cube:
    """What pages need to show, slice and download a cube."""

    iri: str
    title: str
    graph: str | None
    """The named graph holding the cube (the catalogue's ``void:inDataset``), if known."""
    dimensions: tuple[CubeDimension, ...]
    """Every dimension, the measure dimension last (always present: a single measure is a
    measure dimension of one code)."""
    measures: tuple[CubeMeasure, ...]
    attributes: tuple[CubeAttribute, ...]
    measure_type: bool
    """Whether observations carry ``qb:measureType`` (they do when there are several
    measures)."""

    def dimension(self, key: str) -> CubeDimension | None:
        """The dimension a URL key names."""
        return next((d for d in self.dimensions if d.key == key), None)

    def measure(self, key: str) -> CubeMeasure | None:
        """The measure a URL key names (or its IRI)."""
        return next((m for m in self.measures if key in (m.key, m.iri)), None)

    @property
    def measure_dimension(self) -> CubeDimension:
        """The dimension whose codes are the measures."""
        return self.dimensions[-1]


def find_cubes(release: Release) -> list[str]:
    """Every ``qb:DataSet`` in the release."""
    query = f"SELECT DISTINCT ?d WHERE {{ ?d a <{QB}DataSet> }}"
    return sorted(str(row[0].value) for row in solutions(release.store, query))


_COMPONENTS = f"""
SELECT ?spec ?p ?kind ?order ?required ?attachment ?codeList ?used ?range ?unit WHERE {{
  $dataset <{QB}structure>/<{QB}component> ?spec .
  ?spec ?kind ?p . FILTER(?kind IN (<{QB}dimension>, <{QB}measure>, <{QB}attribute>))
  OPTIONAL {{ ?spec <{QB}order> ?order }}
  OPTIONAL {{ ?spec <{QB}componentRequired> ?required }}
  OPTIONAL {{ ?spec <{QB}componentAttachment> ?attachment }}
  OPTIONAL {{ ?spec <{PMDQB_CODES_USED}> ?used }}
  OPTIONAL {{ ?p <{QB}codeList> ?codeList }}
  OPTIONAL {{ ?p <{RDFS}range> ?range }}
  OPTIONAL {{ ?p <{SDMX_UNIT_MEASURE}> ?unit }}
}}"""


@dataclass
class _Component:
    spec: str
    iri: str
    kind: str
    order: float = float("inf")
    facts: dict[str, str] = field(default_factory=dict)


def _components(store: GraphStore, dataset: str) -> list[_Component]:
    found: dict[tuple[str, str], _Component] = {}
    for row in solutions(store, _COMPONENTS.replace("$dataset", str(NamedNode(dataset)))):
        spec, prop, kind = (str(row[name].value) for name in ("spec", "p", "kind"))
        component = found.setdefault((spec, prop), _Component(spec, prop, key_of(kind)))
        order = row["order"]
        if isinstance(order, Literal):
            component.order = min(component.order, float(order.value))
        for name in ("required", "attachment", "codeList", "used", "range", "unit"):
            term = row[name]
            if term is not None:
                component.facts.setdefault(name, str(term.value))
    return sorted(found.values(), key=lambda c: (c.order, c.iri))


def _graph(store: GraphStore, dataset: str) -> str | None:
    query = f"SELECT ?g WHERE {{ <{dataset}> <{VOID}inDataset> ?g }} LIMIT 1"
    return next((str(row[0].value) for row in solutions(store, query)), None)


def _kind(component: _Component) -> str:
    facts = component.facts
    if component.iri == SDMX_REF_AREA or facts.get("range", "").endswith("/def/geography/Area"):
        return "area"
    if component.iri == SDMX_REF_PERIOD or facts.get("range") == INTERVAL:
        return "period"
    return "coded" if "codeList" in facts else "other"


def _measures(components: list[_Component], labels: dict[str, str]) -> tuple[CubeMeasure, ...]:
    return tuple(
        CubeMeasure(
            c.iri,
            key_of(c.iri),
            labels.get(c.iri, key_of(c.iri)),
            labels.get(c.facts.get("unit", "")),
        )
        for c in components
        if c.kind == "measure"
    )


def _attributes(components: list[_Component], labels: dict[str, str]) -> tuple[CubeAttribute, ...]:
    return tuple(
        CubeAttribute(
            c.iri,
            key_of(c.iri),
            labels.get(c.iri, key_of(c.iri)),
            c.facts.get("required", "true") in ("true", "1"),
            c.facts.get("attachment"),
        )
        for c in components
        if c.kind == "attribute"
    )


def read_cube(release: Release, dataset: str, labels_of: Labels | None = None) -> Cube | None:
    """The structure of the cube ``dataset`` and the codes it takes, or None when it is not
    a ``qb:DataSet`` with a measure. ``labels_of``: the codes' labels, when already read."""
    store = release.store
    components = _components(store, dataset)
    if not any(c.kind == "measure" for c in components):
        return None
    graph = _graph(store, dataset)
    named = [dataset, *(c.iri for c in components), *(c.spec for c in components)]
    named += [c.facts["unit"] for c in components if "unit" in c.facts]
    labels = read_labels(store, named)
    known = labels_of
    measures = _measures(components, labels)
    dimensions = [
        _dimension(store, dataset, graph, c, labels, known)
        for c in components
        if c.kind == "dimension" and c.iri != MEASURE_TYPE
    ]
    dimensions.append(_measure_dimension(measures))
    measure_type = any(c.kind == "dimension" and c.iri == MEASURE_TYPE for c in components)
    title = labels.get(dataset, key_of(dataset))
    attributes = _attributes(components, labels)
    return Cube(dataset, title, graph, tuple(dimensions), measures, attributes, measure_type)


def _dimension(
    store: GraphStore,
    dataset: str,
    graph: str | None,
    component: _Component,
    labels: dict[str, str],
    known: Labels | None,
) -> CubeDimension:
    # The component's own label says what the dimension is in this cube ("Data zone"); the
    # property's is generic ("reference area").
    label = labels.get(component.spec) or labels.get(component.iri) or key_of(component.iri)
    kind = _kind(component)
    used = component.facts.get("used")
    codes = read_codes(
        store, dataset, graph, component.iri, used, hierarchy=kind == "coded", labels=known
    )
    return CubeDimension(
        component.iri,
        key_of(component.iri),
        label,
        kind,
        ordered_codes(codes, by_time=kind == "period"),
        component.facts.get("codeList"),
        used,
    )


def _measure_dimension(measures: tuple[CubeMeasure, ...]) -> CubeDimension:
    codes = tuple(Code(m.iri, m.label, m.key) for m in measures)
    return CubeDimension(MEASURE_TYPE, MEASURE_KEY, "Measure", "measure", codes)
