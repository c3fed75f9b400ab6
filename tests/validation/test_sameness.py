"""The fast engine and pyshacl give the same results on every shapes-and-data case.

Each case directory holds ``shapes.ttl`` with a conforming and a violating data file; the
violating file breaks every constraint its shapes declare. Results are compared on focus node,
path, constraint component, value and source shape (the shapes graph is loaded once, so both
engines see the same blank node shapes).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, NamedNode, Quad

from opendatacommunities.store.memory import MemoryGraph
from opendatacommunities.validation import (
    Report,
    ShapesGraph,
    load_data_file,
    validate_graph,
    validate_graph_with_pyshacl,
)
from opendatacommunities.validation.shapes import Shapes
from tests.plugins.project import BASE, VALIDATION_CASES, VALIDATION_GEOGRAPHY

CASE_NAMES = sorted(path.name for path in VALIDATION_CASES.iterdir() if path.is_dir())


def keys(report: Report) -> set[tuple[str, str, str, str, str]]:
    """What identifies each result: focus, path, component, value, source shape."""
    return {violation.key for violation in report.violations}


def both(store: MemoryGraph, shapes: ShapesGraph) -> tuple[Report, Report]:
    """The fast engine's and pyshacl's reports."""
    return validate_graph(store, shapes), validate_graph_with_pyshacl(store, shapes)


def reported_components(shapes: ShapesGraph) -> set[str]:
    """The components a violating file can be expected to break: those of the active shapes
    that are validated, directly or as their sh:property shapes (a shape behind sh:node or
    sh:or only shows as that component)."""
    reader = Shapes(shapes)
    found: set[str] = set()
    pending = [shape for shape in reader.targeted() if not shape.deactivated]
    while pending:
        shape = pending.pop()
        for constraint in shape.constraints:
            nested = reader.get(constraint.value)
            if constraint.kind == "Property" and not nested.deactivated:
                pending.append(nested)
            elif constraint.kind != "Property" and not (
                constraint.kind == "Node" and nested.deactivated  # a deactivated shape conforms
            ):
                found.add(constraint.component.value.rsplit("#")[-1])
    return found


def all_components(shapes: ShapesGraph) -> set[str]:
    """The components of every constraint anywhere in a shapes graph."""
    reader = Shapes(shapes)
    nodes = {*shapes.subjects(NamedNode("http://www.w3.org/ns/shacl#path"), None)}
    nodes |= {shape.node for shape in reader.targeted()}
    nodes |= {*shapes.subjects(NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), None)}
    return {
        c.component.value.rsplit("#")[-1] for node in nodes for c in reader.get(node).constraints
    }


@pytest.mark.parametrize("case", CASE_NAMES)
def test_conforming_data_conform_for_both_engines(case: str) -> None:
    shapes = ShapesGraph.load([VALIDATION_CASES / case / "shapes.ttl"])
    fast, reference = both(load_data_file(VALIDATION_CASES / case / "conforming.ttl"), shapes)
    assert reference.conforms, reference.to_text()
    assert fast.conforms, fast.to_text()


@pytest.mark.parametrize("case", CASE_NAMES)
def test_violating_data_give_the_same_results(case: str) -> None:
    shapes = ShapesGraph.load([VALIDATION_CASES / case / "shapes.ttl"])
    fast, reference = both(load_data_file(VALIDATION_CASES / case / "violating.ttl"), shapes)
    assert not reference.conforms
    assert keys(fast) == keys(reference), (
        f"fast:\n{fast.to_text()}\npyshacl:\n{reference.to_text()}"
    )


@pytest.mark.parametrize("case", CASE_NAMES)
def test_violating_data_break_every_declared_constraint(case: str) -> None:
    shapes = ShapesGraph.load([VALIDATION_CASES / case / "shapes.ttl"])
    fast = validate_graph(load_data_file(VALIDATION_CASES / case / "violating.ttl"), shapes)
    reported = {violation.component.value.rsplit("#")[-1] for violation in fast.violations}
    assert reported_components(shapes) <= reported


def test_the_cases_cover_every_supported_constraint() -> None:
    covered: set[str] = set()
    for case in CASE_NAMES:
        covered |= all_components(ShapesGraph.load([VALIDATION_CASES / case / "shapes.ttl"]))
    names = """Class Datatype NodeKind MinCount MaxCount MinExclusive MinInclusive MaxExclusive
        MaxInclusive MinLength MaxLength Pattern LanguageIn UniqueLang Equals Disjoint LessThan
        LessThanOrEquals Not And Or Xone Node QualifiedMinCount QualifiedMaxCount Closed HasValue
        In SPARQL"""
    supported = {name + "ConstraintComponent" for name in names.split()}
    assert supported <= covered


def test_unsupported_shapes_go_to_pyshacl_and_the_report_says_so() -> None:
    shapes = ShapesGraph.load([VALIDATION_CASES / "fallback" / "shapes.ttl"])
    fast, reference = both(load_data_file(VALIDATION_CASES / "fallback" / "violating.ttl"), shapes)
    assert keys(fast) == keys(reference)
    assert len(fast.notes) == 3
    assert any("ex:NestedFilterShape validated by pyshacl" in note for note in fast.notes)
    assert any("ex:RegexShape validated by pyshacl" in note for note in fast.notes)
    assert "ex:RecursiveShape validated by pyshacl: recursive shapes" in fast.notes
    # The supported shape in the same file is still validated by the fast engine.
    assert not any("ex:PersonShape" in note for note in fast.notes)
    assert "note: ex:RegexShape validated by pyshacl" in fast.to_text()


@pytest.mark.parametrize("kind", ["conforming", "violating"])
def test_geography_shapes_give_the_same_results(kind: str) -> None:
    shapes = ShapesGraph.load([VALIDATION_GEOGRAPHY / "shapes.ttl"])
    store = geography(VALIDATION_GEOGRAPHY / f"{kind}.ttl")
    fast, reference = both(store, shapes)
    assert keys(fast) == keys(reference)
    assert fast.conforms == (kind == "conforming")
    assert not fast.notes


def test_geography_violations_are_the_expected_ones() -> None:
    shapes = ShapesGraph.load([VALIDATION_GEOGRAPHY / "shapes.ttl"])
    report = validate_graph(geography(VALIDATION_GEOGRAPHY / "violating.ttl"), shapes)
    area = f"{BASE}/id/statistical-geography/"
    found = {
        (v.focus.value.removeprefix(area), v.component.value.rsplit("#")[-1])
        for v in report.violations
    }
    assert ("S12000046", "OrConstraintComponent") in found  # archived, no successor
    assert ("S12000049", "ClassConstraintComponent") in found  # successor does not exist
    assert ("S12000099", "PatternConstraintComponent") in found  # a council code on a ward
    assert ("S12000099", "MinCountConstraintComponent") in found  # no label
    assert ("S92000003", "MaxCountConstraintComponent") in found  # two labels
    assert ("S01010266", "SPARQLConstraintComponent") in found  # URI and code disagree
    assert ("S01010267", "NodeConstraintComponent") in found  # parent archived
    assert ("S02001937", "DisjointConstraintComponent") in found


def test_a_named_graph_is_validated_alone() -> None:
    shapes = ShapesGraph.load([VALIDATION_CASES / "cardinality" / "shapes.ttl"])
    graph = NamedNode(f"{BASE}/graph/people")
    store = MemoryGraph()
    for source, target in (("violating", graph), ("conforming", DefaultGraph())):
        data = load_data_file(VALIDATION_CASES / "cardinality" / f"{source}.ttl")
        store.extend(Quad(q.subject, q.predicate, q.object, target) for q in data)
    assert validate_graph(store, shapes).conforms
    fast = validate_graph(store, shapes, graph=graph)
    reference = validate_graph_with_pyshacl(store, shapes, graph=graph)
    alone = validate_graph(
        load_data_file(VALIDATION_CASES / "cardinality" / "violating.ttl"), shapes
    )
    assert keys(fast) == keys(reference) == keys(alone)
    assert not fast.conforms


def geography(path: Path) -> MemoryGraph:
    """A geography data file with the class hierarchy of the vocabulary."""
    store = load_data_file(path)
    store.extend(load_data_file(VALIDATION_GEOGRAPHY / "vocabulary.ttl"))
    return store


def test_a_dataset_graph_is_validated_with_its_vocabulary_graph() -> None:
    shapes = ShapesGraph.load([VALIDATION_GEOGRAPHY / "shapes.ttl"])
    data = NamedNode(f"{BASE}/graph/geography")
    vocabulary = NamedNode(f"{BASE}/graph/vocabulary")
    store = MemoryGraph()
    for path, target in (("violating.ttl", data), ("vocabulary.ttl", vocabulary)):
        source = load_data_file(VALIDATION_GEOGRAPHY / path)
        store.extend(Quad(q.subject, q.predicate, q.object, target) for q in source)
    union = validate_graph(store, shapes, graph=[data, vocabulary])
    assert keys(union) == keys(validate_graph_with_pyshacl(store, shapes, graph=[data, vocabulary]))
    assert keys(union) == keys(
        validate_graph(geography(VALIDATION_GEOGRAPHY / "violating.ttl"), shapes)
    )
    # Without the vocabulary no area is an instance of geo:Area, so fewer shapes apply.
    assert len(validate_graph(store, shapes, graph=data).violations) < len(union.violations)
