"""The geography levels of a cube's areas, and which of its areas are totals.

An area's level is its class in the reference geography (``rdf:type``: a local authority, a
country...); an area no geography dataset types is an "other area". A cube *mixes levels*
when its areas are of more than one: it then holds, say, the figures of 23 wards and of their
council area, which are not to be added together. Totals are the areas whose observations
carry the ``total`` attribute (``/def/attribute/total``), as a cube description declares them.
Both are read once per release.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from pyoxigraph import Literal, NamedNode

from opendatacommunities.iris import TOTAL_ATTRIBUTE
from opendatacommunities.store.cube.codes import key_of, read_labels
from opendatacommunities.store.cube.structure import Cube, CubeDimension
from opendatacommunities.store.describe import iri_node
from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import solutions
from opendatacommunities.vocab import QB, RDF_TYPE

OTHER = "other"
_BATCH = 2_000


@dataclass(frozen=True)
class AreaLevel:
    """A geography level of a cube's areas: its class, URL key (the class's name), label,
    and its areas (IRIs) in the dimension's order."""

    iri: str
    key: str
    label: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class CubeLevels:
    """The levels of a cube's area dimension, most areas first, and its totals."""

    dimension: str | None = None
    """The key of the area dimension (None: the cube has none)."""
    levels: tuple[AreaLevel, ...] = ()
    totals: dict[str, int] = field(default_factory=dict)
    """Area IRI -> how many of its observations are marked as totals."""

    @property
    def mixed(self) -> bool:
        """Whether the areas are of more than one level."""
        return len(self.levels) > 1

    def find(self, key: str) -> AreaLevel | None:
        """The level a URL names, by its key (in any case)."""
        return next((lv for lv in self.levels if lv.key.casefold() == key.casefold()), None)


def _types(store: GraphStore, codes: list[str]) -> dict[str, str]:
    """Area IRI -> its level's class (the first by IRI, when it has several)."""
    found: dict[str, str] = {}
    for start in range(0, len(codes), _BATCH):
        values = " ".join(str(NamedNode(iri)) for iri in codes[start : start + _BATCH])
        query = (
            f"SELECT ?code ?type WHERE {{ VALUES ?code {{ {values} }} ?code <{RDF_TYPE}> ?type }}"
        )
        for code, kind in solutions(store, query):
            if kind.value.endswith("/Area"):
                continue  # the class of every area says nothing of its level
            if code.value not in found or kind.value < found[code.value]:
                found[code.value] = kind.value
    return found


def _levels(store: GraphStore, dimension: CubeDimension) -> tuple[AreaLevel, ...]:
    types = _types(store, [code.iri for code in dimension.codes])
    members: dict[str, list[str]] = {}
    for code in dimension.codes:
        members.setdefault(types.get(code.iri, OTHER), []).append(code.iri)
    labels = read_labels(store, [iri for iri in members if iri != OTHER])
    levels = [
        AreaLevel(
            iri,
            key_of(iri),
            labels.get(iri, "other area" if iri == OTHER else key_of(iri)),
            tuple(areas),
        )
        for iri, areas in members.items()
    ]
    return tuple(sorted(levels, key=lambda lv: (-len(lv.areas), lv.label)))


def _total_attribute(cube: Cube) -> str | None:
    """The attribute marking the cube's totals, if its structure has it."""
    return next((a.iri for a in cube.attributes if a.iri.endswith(TOTAL_ATTRIBUTE)), None)


def _in_cube(cube: Cube) -> str:
    # Without a graph of its own, the cube's observations are told by qb:dataSet.
    return "" if cube.graph else f"?obs <{QB}dataSet> <{cube.iri}> ."


def _totals(store: GraphStore, cube: Cube, dimension: CubeDimension) -> dict[str, int]:
    total = _total_attribute(cube)
    if total is None:
        return {}
    query = f"""SELECT ?area (COUNT(*) AS ?n) WHERE {{
      ?obs <{total}> true ; <{dimension.iri}> ?area . {_in_cube(cube)} }} GROUP BY ?area"""
    return {
        str(row[0].value): int(row[1].value)
        for row in solutions(store, query, cube.graph)
        if isinstance(row[1], Literal)
    }


def read_levels(release: Release, cube: Cube) -> CubeLevels:
    """The levels of the cube's (first) area dimension, and its totals."""
    store = release.store
    dimension = next((d for d in cube.dimensions if d.kind == "area"), None)
    if dimension is None:
        return CubeLevels()
    return CubeLevels(dimension.key, _levels(store, dimension), _totals(store, cube, dimension))


def has_totals(cube: Cube) -> bool:
    """Whether the cube's structure has the attribute that marks totals."""
    return _total_attribute(cube) is not None


def total_observations(
    release: Release, cube: Cube, where: tuple[CubeDimension, str] | None = None
) -> set[str]:
    """The observations of the cube marked as totals; with ``where`` (a dimension and one of
    its codes), only those with that code."""
    total = _total_attribute(cube)
    if total is None:
        return set()
    having = f"?obs <{where[0].iri}> {NamedNode(where[1])} ." if where is not None else ""
    query = f"SELECT ?obs WHERE {{ ?obs <{total}> true . {having} {_in_cube(cube)} }}"
    return {str(row[0].value) for row in solutions(release.store, query, cube.graph)}


def is_observed(release: Release, iri: str, up_to: int = 1_000) -> bool:
    """Whether a cube's observation links to ``iri`` (among its first ``up_to`` links in): a
    quick look, in the store's indexes, at whether ``iri`` may have figures to show.

    :raises NotAnIriError: if ``iri`` is not an IRI.
    """
    store = release.store
    observation = NamedNode(QB + "Observation")
    kind = NamedNode(RDF_TYPE)
    links = islice(store.quads_for_pattern(None, None, iri_node(iri), None), up_to)
    return any(
        isinstance(quad.subject, NamedNode)
        and next(store.quads_for_pattern(quad.subject, kind, observation, None), None) is not None
        for quad in links
    )
