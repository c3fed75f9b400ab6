"""The fast engine: SHACL shapes evaluated as SPARQL queries by Oxigraph, one per constraint.

Constraints on single values are SPARQL FILTERs; counts are GROUP BY queries. Shape-based
constraints (sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape) ask which value
nodes fail the nested shape, once for all of them, and combine those sets in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, QuerySolutions, Store

from .compile import (
    Focus,
    TargetFocus,
    ValueFocus,
    constraint_query,
    focus_query,
    pattern_check_query,
    value_pairs_query,
)
from .graphs import GraphName, ShapesGraph
from .literals import WELL_TYPED, well_typed
from .messages import make_violation
from .reference import pyshacl_report
from .report import Report, Violation
from .shapes import Constraint, Shape, Shapes, UnsupportedError, is_true
from .sparql import fill_message, read_constraint
from .vocab import SH_PROPERTY, Term, sh

_SHAPE_LOGIC: dict[str, Callable[[Term, list[frozenset[Term]]], bool]] = {
    "Node": lambda value, failing: value in failing[0],
    "Not": lambda value, failing: value not in failing[0],
    "And": lambda value, failing: any(value in f for f in failing),
    "Or": lambda value, failing: all(value in f for f in failing),
    "Xone": lambda value, failing: sum(value not in f for f in failing) != 1,
}


def validate(store: Store, shapes: Sequence[Path], *, graph: GraphName | None = None) -> Report:
    """Validate a store's default graph, or one named graph, against SHACL shapes files.

    Shapes the engine cannot evaluate itself are validated by pyshacl, and the report's notes
    say which and why.

    :raises SourceError: if a shapes file cannot be read.
    """
    return validate_graph(store, ShapesGraph.load(shapes), graph=graph)


def validate_graph(
    store: Store, shapes_graph: ShapesGraph, *, graph: GraphName | None = None
) -> Report:
    """`validate` with the shapes already loaded (to validate several graphs with them)."""
    shapes = Shapes(shapes_graph)
    run = _Run(store, shapes, graph)
    violations: list[Violation] = []
    fallback: dict[Term, str] = {}
    for shape in shapes.targeted():
        if shape.deactivated:
            continue
        try:
            violations.extend(run.results(shape, TargetFocus(shape.targets)))
        except UnsupportedError as reason:
            fallback[shape.node] = str(reason)
    report = Report.of(violations)
    if not fallback:
        return report
    notes = [f"{shapes.label(node)} validated by pyshacl: {why}" for node, why in fallback.items()]
    extra = pyshacl_report(store, shapes_graph, graph=graph, only=set(fallback))
    return report.merged(Report.of(extra.violations, notes))


class _Run:
    """One validation: the store, the shapes, and what is known about nested shapes so far."""

    def __init__(self, store: Store, shapes: Shapes, graph: GraphName | None) -> None:
        self.store = store
        self.shapes = shapes
        self.graph = graph if graph is not None and graph != DefaultGraph() else None
        self._failing: dict[tuple[Term, Focus], frozenset[Term]] = {}
        self._active: list[tuple[Term, Focus]] = []

    def results(self, shape: Shape, focus: Focus) -> list[Violation]:
        """Every validation result of a shape for the focus nodes.

        :raises UnsupportedError: if any constraint (or nested shape) cannot be evaluated here.
        """
        if shape.deactivated:
            return []
        if shape.unsupported:
            raise UnsupportedError(shape.unsupported[0])
        if (shape.node, focus) in self._active:
            raise UnsupportedError("recursive shapes")
        self._active.append((shape.node, focus))
        try:
            return [v for c in shape.constraints for v in self._constraint(shape, c, focus)]
        finally:
            self._active.pop()

    def failing(self, node: Term, focus: Focus) -> frozenset[Term]:
        """The focus nodes that do not conform to the shape at ``node``."""
        key = (node, focus)
        if key not in self._failing:
            results = self.results(self.shapes.get(node), focus)
            self._failing[key] = frozenset(v.focus for v in results)
        return self._failing[key]

    def select(self, query: str) -> QuerySolutions:
        """Run a SELECT query over the validated graph.

        :raises UnsupportedError: if Oxigraph rejects the query (pyshacl then gets the shape).
        """
        try:
            result = self.store.query(
                query,
                default_graph=self.graph,
                custom_functions={WELL_TYPED: well_typed},
            )
        except (SyntaxError, OSError, ValueError) as error:
            raise UnsupportedError(f"Oxigraph cannot run the query: {error}") from error
        if not isinstance(result, QuerySolutions):
            raise UnsupportedError("the query is not a SELECT")
        return result

    def _constraint(self, shape: Shape, constraint: Constraint, focus: Focus) -> list[Violation]:
        """Every violation of one constraint."""
        local = constraint.component.value.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        if local == "Property":
            return self.results(self.shapes.get(constraint.value), focus)
        if local in _SHAPE_LOGIC:
            return self._shape_logic(shape, constraint, focus, local)
        if local in ("QualifiedMinCount", "QualifiedMaxCount"):
            return self._qualified(shape, constraint, focus)
        if local == "SPARQL":
            return self._sparql(shape, constraint, focus)
        if local == "Pattern" and not self.store.query(pattern_check_query(constraint)):
            raise UnsupportedError(f"Oxigraph does not accept the pattern {constraint.value}")
        query = constraint_query(shape, constraint, focus, self.shapes)
        if query is None:
            return []
        return [
            make_violation(
                self.shapes,
                shape,
                constraint,
                row["this"],
                row["value"],
                path=row["path"] if isinstance(row["path"], NamedNode) else None,
            )
            for row in self.select(query)
        ]

    def _value_focus(self, shape: Shape, focus: Focus) -> Focus:
        """The value nodes of a shape, as a focus for nested shapes."""
        return focus if shape.path is None else ValueFocus(focus, shape.path)

    def _pairs(self, shape: Shape, focus: Focus) -> list[tuple[Term, Term]]:
        """Every (focus node, value node) pair of a shape."""
        if shape.path is None:
            return [(row["this"], row["this"]) for row in self.select(focus_query(focus))]
        return [(row["this"], row["value"]) for row in self.select(value_pairs_query(shape, focus))]

    def _shape_logic(
        self, shape: Shape, constraint: Constraint, focus: Focus, local: str
    ) -> list[Violation]:
        """sh:node, sh:not, sh:and, sh:or, sh:xone: value nodes failing the combination."""
        members = constraint.members if local in ("And", "Or", "Xone") else (constraint.value,)
        value_focus = self._value_focus(shape, focus)
        failing = [self.failing(member, value_focus) for member in members]
        violates = _SHAPE_LOGIC[local]
        if local in ("Node", "And") and not any(failing):
            return []  # nothing fails, so the pairs need not be fetched
        if local == "Or" and failing and not frozenset.intersection(*failing):
            return []
        return [
            make_violation(self.shapes, shape, constraint, this, value)
            for this, value in self._pairs(shape, focus)
            if violates(value, failing)
        ]

    def _qualified(self, shape: Shape, constraint: Constraint, focus: Focus) -> list[Violation]:
        """sh:qualifiedMinCount / sh:qualifiedMaxCount, with disjoint sibling shapes."""
        qualified = constraint.option(sh("qualifiedValueShape"))
        if qualified is None:
            return []
        if shape.path is None:
            raise UnsupportedError("sh:qualifiedValueShape on a node shape")
        value_focus = self._value_focus(shape, focus)
        failing = self.failing(qualified, value_focus)
        siblings = [
            self._conforming(sibling, value_focus, shape, focus)
            for sibling in self._siblings(shape, qualified)
        ]
        counts: Counter[Term] = Counter()
        for this, value in self._pairs(shape, focus):
            if value not in failing and not any(value in s for s in siblings):
                counts[this] += 1
        limit = int(constraint.value.value)
        minimum = constraint.parameter == sh("qualifiedMinCount")
        foci = [row["this"] for row in self.select(focus_query(focus))]
        return [
            make_violation(self.shapes, shape, constraint, this, None)
            for this in foci
            if (counts[this] < limit if minimum else counts[this] > limit)
        ]

    def _siblings(self, shape: Shape, qualified: Term) -> list[Term]:
        """The other qualified value shapes of the shape's parents, when they must be disjoint."""
        disjoint = shape.constraints and any(
            is_true(c.option(sh("qualifiedValueShapesDisjoint"))) for c in shape.constraints
        )
        if not disjoint:
            return []
        graph = self.shapes.graph
        found = {
            sibling
            for parent in graph.subjects(SH_PROPERTY, shape.node)
            for member in graph.objects(parent, SH_PROPERTY)
            for sibling in graph.objects(member, sh("qualifiedValueShape"))
        }
        return sorted(found - {qualified}, key=str)

    def _conforming(
        self, node: Term, value_focus: Focus, shape: Shape, focus: Focus
    ) -> frozenset[Term]:
        """The value nodes that conform to the shape at ``node``."""
        failing = self.failing(node, value_focus)
        return frozenset(value for _, value in self._pairs(shape, focus) if value not in failing)

    def _sparql(self, shape: Shape, constraint: Constraint, focus: Focus) -> list[Violation]:
        """A SHACL-SPARQL constraint: one rewritten query over all focus nodes."""
        sparql = read_constraint(self.shapes, shape, constraint, focus)
        if sparql.deactivated:
            return []
        solutions = self.select(sparql.query)
        names = [variable.value for variable in solutions.variables]
        violations = []
        for row in solutions:
            bindings = {
                name: term for name, term in zip(names, row, strict=True) if term is not None
            }
            this = bindings["this"]
            value = bindings.get("value", this if shape.path is None else None)
            path = bindings.get("path")
            message = fill_message(sparql.messages[0].value, bindings) if sparql.messages else None
            violations.append(
                make_violation(
                    self.shapes,
                    shape,
                    constraint,
                    this,
                    value,
                    path=path if isinstance(path, NamedNode) else None,
                    message=message,
                )
            )
        return violations
