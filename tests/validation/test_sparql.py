"""SHACL-SPARQL constraints: rewritten to one query when that is safe, else left to pyshacl."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from opendatacommunities.errors import UnsupportedError
from opendatacommunities.store.memory import MemoryGraph
from opendatacommunities.validation import ShapesGraph, validate_graph, validate_graph_with_pyshacl
from opendatacommunities.validation.focus import TargetFocus
from opendatacommunities.validation.shapes import Shapes
from opendatacommunities.validation.sparql import read_constraint

SHAPES = '''
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:S a sh:NodeShape ; sh:targetClass ex:Area ;
    sh:sparql [ sh:message "{?value} breaks it" ; sh:select """
        PREFIX ex: <http://example.org/>
        %s
    """ ] .
'''
DATA = """
@prefix ex: <http://example.org/> .
ex:a a ex:Area ; ex:parent ex:b ; ex:code "X1" ; ex:name "a" .
ex:b a ex:Area ; ex:code "S2" ; ex:parent ex:a .
ex:c a ex:Area ; ex:parent ex:c ; ex:code "X3" .
ex:d ex:parent ex:a .
"""

COMPILED = [
    "SELECT $this ?value WHERE { $this ex:parent ?value . ?value ex:code ?c "
    "FILTER(STRSTARTS(?c, 'X')) }",
    "SELECT ?value WHERE { $this ex:parent ?value }",
    "SELECT DISTINCT ?value WHERE { $this ex:code ?value FILTER NOT EXISTS { $this ex:name ?n } }",
    "SELECT $this WHERE { OPTIONAL { $this ex:name ?n FILTER(?n != 'z') } FILTER(!BOUND(?n)) }",
    "SELECT $this ?value WHERE { { $this ex:parent ?value } UNION { ?value ex:parent $this } }",
    "SELECT $this (COUNT(?x) AS ?n) WHERE { ?x ex:parent $this } "
    "GROUP BY $this HAVING (COUNT(?x) > 1)",
    "SELECT $this WHERE { $this ex:parent $this FILTER(EXISTS { $this ex:code ?c }) }",
    "SELECT * WHERE { $this ex:code ?value . FILTER(?value IN ('X1', 'S2')) }",
]
LEFT_TO_PYSHACL = [
    # The FILTER in a nested group would not see the joined focus node.
    "SELECT $this ?value WHERE { $this ex:parent ?value . "
    "{ ?value ex:code ?c FILTER(?value != $this) } }",
    # A subquery, and LIMIT, change meaning when all focus nodes share one query.
    "SELECT $this ?value WHERE { { SELECT $this ?value WHERE { $this ex:parent ?value } } }",
    "SELECT $this ?value WHERE { $this ex:parent ?value } LIMIT 1",
    # An aggregate not grouped by $this would count all focus nodes together.
    "SELECT (COUNT(?x) AS ?n) WHERE { $this ex:parent ?x } HAVING (COUNT(?x) > 0)",
    "SELECT $this WHERE { $this ex:parent ?x . FILTER(?x != $shapesGraph) }",
]


def run(tmp_path: Path, select: str) -> tuple[set[tuple[str, ...]], set[tuple[str, ...]], int]:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES % select, encoding="utf-8")
    shapes = ShapesGraph.load([path])
    store = MemoryGraph()
    store.load(DATA.encode(), format=RdfFormat.TURTLE)
    fast = validate_graph(store, shapes)
    reference = validate_graph_with_pyshacl(store, shapes)
    return {v.key for v in fast.violations}, {v.key for v in reference.violations}, len(fast.notes)


@pytest.mark.parametrize("select", COMPILED)
def test_safe_queries_run_once_over_all_focus_nodes(tmp_path: Path, select: str) -> None:
    fast, reference, notes = run(tmp_path, select)
    assert notes == 0
    assert fast == reference


@pytest.mark.parametrize("select", LEFT_TO_PYSHACL[:3])
def test_other_queries_are_left_to_pyshacl(tmp_path: Path, select: str) -> None:
    fast, reference, notes = run(tmp_path, select)
    assert notes == 1
    assert fast == reference


@pytest.mark.parametrize("select", LEFT_TO_PYSHACL[3:])
def test_unsafe_queries_are_never_compiled(tmp_path: Path, select: str) -> None:
    shapes_path = tmp_path / "shapes.ttl"
    shapes_path.write_text(SHAPES % select, encoding="utf-8")
    shapes = Shapes(ShapesGraph.load([shapes_path]))
    shape = shapes.targeted()[0]
    with pytest.raises(UnsupportedError):
        read_constraint(shapes, shape, shape.constraints[0], TargetFocus(shape.targets))
