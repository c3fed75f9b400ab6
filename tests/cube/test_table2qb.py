"""Our employment cube beside the one table2qb made from the same CSV (the example in
shared/data/scotland/sg-employment-table2qb-example, ``ttl/cube.ttl``).

data/scotland/employment/COMPARISON.md lists every difference. The test rewrites our IRIs to
table2qb's with exactly the rewrites listed there, drops table2qb's CSVW provenance, and then
requires the observations to be the same triples (counts compared as numbers: table2qb types
them xsd:double, we type them xsd:integer), and the structures to use the same components.
"""

from __future__ import annotations

import re

import pytest
from pyoxigraph import BlankNode, Literal, NamedNode

from opendatacommunities.cube import check_integrity
from opendatacommunities.store.memory import MemoryGraph
from tests.plugins.cubes import build_cube
from tests.plugins.project import BASE, ROOT, SHARED

EXAMPLE = SHARED / "data" / "scotland" / "sg-employment-table2qb-example"
CSVW = "http://www.w3.org/ns/csvw#"
QB = "http://purl.org/linked-data/cube#"
SGS = "http://statistics.gov.scot"
# The IRI choices that differ, as COMPARISON.md lists them (ours -> table2qb's).
REWRITES = [
    (
        rf"^{BASE}/data/sg-employment/(S\d+)/quarter/(\d{{4}}-Q\d)/(\w+)/count$",
        rf"{SGS}/data/employment/\1/\2/\3/count/people",
    ),
    (
        rf"^{BASE}/id/statistical-geography/",
        "http://statistics.data.gov.uk/id/statistical-geography/",
    ),
    (rf"^{BASE}/def/dimension/sg-employment/gender$", f"{SGS}/def/dimension/gender"),
    (rf"^{BASE}/def/concept/sg-employment/gender/", f"{SGS}/def/concept/gender/"),
    (rf"^{BASE}/def/measure/sg-employment/count$", f"{SGS}/def/measure/count"),
    (rf"^{BASE}/def/concept/measurement-units/", f"{SGS}/def/concept/measure-units/"),
    (rf"^{BASE}/data/sg-employment$", f"{SGS}/data/employment"),
]


def _rewrite(term: object) -> object:
    if isinstance(term, NamedNode):
        value = term.value
        for pattern, replacement in REWRITES:
            value = re.sub(pattern, replacement, value)
        return NamedNode(value)
    if isinstance(term, Literal) and term.datatype.value.endswith(("#integer", "#double")):
        return ("number", float(term.value))
    return term


UNIT = "http://purl.org/linked-data/sdmx/2009/attribute#unitMeasure"


def _observations(store: MemoryGraph) -> set[tuple[object, object, object]]:
    """Observation triples, with the unit where a measure-level attachment puts it (on the
    measure) moved onto the observation, as table2qb writes it."""
    observation = NamedNode(QB + "Observation")
    kind = NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    subjects = {q.subject for q in store.quads(None, kind, observation)}
    found = set()
    for quad in store:
        if quad.subject not in subjects:
            continue
        found.add((_rewrite(quad.subject), _rewrite(quad.predicate), _rewrite(quad.object)))
        for unit in store.quads(quad.predicate, NamedNode(UNIT)):
            found.add((_rewrite(quad.subject), _rewrite(unit.predicate), _rewrite(unit.object)))
    return found


@pytest.fixture(scope="module")
def cubes(tmp_path_factory: pytest.TempPathFactory) -> tuple[MemoryGraph, MemoryGraph]:
    """Ours (built from the description) and table2qb's (provenance dropped)."""
    ours, _ = build_cube(
        ROOT / "mappings" / "sg-employment.cube.json", tmp_path_factory.mktemp("t2qb")
    )
    theirs = MemoryGraph()
    theirs.extend(
        quad
        for quad in MemoryGraph.of_file(EXAMPLE / "ttl" / "cube.ttl")
        if not (
            isinstance(quad.subject, BlankNode)
            or quad.predicate.value.startswith(CSVW)
            or (isinstance(quad.object, NamedNode) and quad.object.value.startswith(CSVW))
        )
    )
    return ours, theirs


def test_same_observations(cubes: tuple[MemoryGraph, MemoryGraph]) -> None:
    """384 observations, the same triples once the listed IRI choices are rewritten."""
    ours, theirs = cubes
    mine, table2qb = _observations(ours), _observations(theirs)
    assert len({s for s, _, _ in mine}) == 384
    assert mine == table2qb


def test_same_components(cubes: tuple[MemoryGraph, MemoryGraph]) -> None:
    """The structures have the same dimensions, measure and attribute."""
    ours, theirs = cubes
    query = f"""SELECT ?kind ?p WHERE {{ ?dsd <{QB}component> ?spec .
      VALUES ?kind {{ <{QB}dimension> <{QB}measure> <{QB}attribute> }} ?spec ?kind ?p }}"""
    found = [{(r["kind"], _rewrite(r["p"])) for r in s.select(query)} for s in (ours, theirs)]
    assert found[0] == found[1]
    assert len(found[0]) == 6


def test_ours_is_normalised_and_passes_integrity(cubes: tuple[MemoryGraph, MemoryGraph]) -> None:
    """Ours passes IC-1..21; table2qb's output, checked the same way, does too once
    normalised (it omits qb:componentProperty, which normalisation adds)."""
    ours, theirs = cubes
    before = len(ours)
    assert check_integrity(ours) == []
    assert len(ours) == before  # normalising added nothing: it was served normalised
    codes_used = "http://publishmydata.com/def/qb/codesUsed"
    assert any(q.predicate.value == codes_used for q in theirs)


def test_comparison_lists_the_differences() -> None:
    """COMPARISON.md names every rewrite the test applies."""
    text = (ROOT / "data" / "scotland" / "employment" / "COMPARISON.md").read_text()
    for _, replacement in REWRITES:
        shown = replacement.split("\\")[0].removeprefix(SGS).rstrip("/")
        assert shown in text, shown
