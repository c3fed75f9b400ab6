"""The reference validator: pyshacl, with its results read into the same `Report` model."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pyshacl
import rdflib
from pyoxigraph import Literal, NamedNode

from opendatacommunities.errors import PyshaclError
from opendatacommunities.store.memory import MemoryGraph

from .graphs import DataGraphs, ShapesGraph, load_data_file, rdflib_to_store, store_to_rdflib
from .messages import make_violation
from .paths import PathExpr, parse_path
from .report import Report, Violation
from .shapes import TARGET_PREDICATES, Constraint, Shapes
from .vocab import RDF_TYPE, RDFS_CLASS, RDFS_SUBCLASS_OF, Term, sh


def validate_with_pyshacl(
    data: MemoryGraph | Path, shapes: Sequence[Path], *, graph: DataGraphs = None
) -> Report:
    """Validate with pyshacl: a store's default graph or named graphs, or an RDF file.

    :raises SourceError: if a shapes or data file cannot be read.
    :raises PyshaclError: if pyshacl fails.
    """
    store = data if isinstance(data, MemoryGraph) else load_data_file(data)
    return validate_graph_with_pyshacl(store, ShapesGraph.load(shapes), graph=graph)


def validate_graph_with_pyshacl(
    store: MemoryGraph,
    shapes_graph: ShapesGraph,
    *,
    graph: DataGraphs = None,
    only: set[Term] | None = None,
) -> Report:
    """pyshacl's report on graphs of a store; ``only`` limits it to some targeted shapes.

    The data travel to rdflib as N-Triples with their blank node labels, and so do the shapes,
    so the focus nodes, values and source shapes reported are the store's and shapes graph's own.

    :raises PyshaclError: if pyshacl fails.
    """
    data_graph = store_to_rdflib(store, graph)
    shacl_graph = store_to_rdflib(shapes_graph.graph)
    if only is not None:
        _keep_targets(shacl_graph, {_rdflib_node(node) for node in only})
    try:
        _, results, _ = pyshacl.validate(
            data_graph, shacl_graph=shacl_graph, inference="none", advanced=False, inplace=True
        )
    except Exception as error:  # pyshacl raises many unrelated types; all mean "cannot validate"
        raise PyshaclError(f"pyshacl failed: {error}") from error
    if not isinstance(results, rdflib.Graph):
        raise PyshaclError("pyshacl returned no results graph")
    return Report.of(_violations(rdflib_to_store(results), Shapes(shapes_graph)))


def _keep_targets(shacl_graph: rdflib.Graph, keep: set[rdflib.term.Node]) -> None:
    """Remove the targets (explicit and implicit) of every shape not in ``keep``.

    The shapes stay, because kept shapes may refer to them through sh:node and the like.
    """
    for predicate in TARGET_PREDICATES:
        iri = rdflib.URIRef(predicate.value)
        for subject in set(shacl_graph.subjects(iri, None)) - keep:
            shacl_graph.remove((subject, iri, None))
    classes: set[rdflib.term.Node] = {rdflib.URIRef(RDFS_CLASS.value)}
    classes.update(shacl_graph.subjects(rdflib.URIRef(RDFS_SUBCLASS_OF.value), rdflib.RDFS.Class))
    for kind in classes:
        for subject in set(shacl_graph.subjects(rdflib.RDF.type, kind)) - keep:
            shacl_graph.remove((subject, rdflib.RDF.type, kind))


def _violations(results: MemoryGraph, shapes: Shapes) -> list[Violation]:
    """Read the validation results of pyshacl's results graph.

    :raises PyshaclError: for a result without focus node, component or source shape.
    """
    view = ShapesGraph(results, {})
    # Only the report's own results: pyshacl nests the results behind sh:node in sh:detail.
    return [
        _violation(view, result, shapes)
        for report in view.subjects(RDF_TYPE, sh("ValidationReport"))
        for result in view.objects(report, sh("result"))
    ]


def _violation(view: ShapesGraph, result: Term, shapes: Shapes) -> Violation:
    """One pyshacl result as a `Violation`, worded like the fast engine's.

    :raises PyshaclError: for a result without focus node, component or source shape.
    """
    focus = view.value(result, sh("focusNode"))
    component = view.value(result, sh("sourceConstraintComponent"))
    source = view.value(result, sh("sourceShape"))
    if focus is None or not isinstance(component, NamedNode) or source is None:
        raise PyshaclError(f"incomplete pyshacl result {result}")
    path_node = view.value(result, sh("resultPath"))
    path: PathExpr | None = parse_path(view, path_node) if path_node is not None else None
    shape = shapes.get(source)
    constraint = _constraint(
        shape.constraints, component, view.value(result, sh("sourceConstraint"))
    )
    # pyshacl fills in a SPARQL constraint's own sh:message; other messages are worded here.
    message = view.value(result, sh("resultMessage"))
    own = isinstance(message, Literal) and component == sh("SPARQLConstraintComponent")
    return make_violation(
        shapes,
        shape,
        constraint,
        focus,
        view.value(result, sh("value")),
        path=path,
        message=message.value if own and message is not None else None,
    )


def _constraint(
    constraints: Sequence[Constraint], component: NamedNode, source: Term | None
) -> Constraint:
    """The shape's constraint that a result came from (the SPARQL one by its node)."""
    for constraint in constraints:
        if constraint.component == component and (source is None or constraint.value == source):
            return constraint
    for constraint in constraints:
        if constraint.component == component:
            return constraint
    return Constraint(component, component, component)


def _rdflib_node(term: Term) -> rdflib.term.Node:
    """The rdflib form of a shape node (an IRI or a blank node with the same label)."""
    if isinstance(term, NamedNode):
        return rdflib.URIRef(term.value)
    if isinstance(term, Literal):
        return rdflib.Literal(term.value)
    return rdflib.BNode(term.value)
