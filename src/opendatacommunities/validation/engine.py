"""The fast engine: SHACL shapes evaluated as SPARQL queries by Oxigraph, one per constraint.

Constraints on single values are SPARQL FILTERs; counts are GROUP BY queries. Shape-based
constraints (sh:node, sh:not, sh:and, sh:or, sh:xone, sh:qualifiedValueShape) ask which value
nodes fail the nested shape, once for all of them, and combine those sets in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from pyoxigraph import (
    BlankNode,
    NamedNode,
    QuerySolution,
    QuerySolutions,
)

from opendatacommunities.errors import GraphQueryError, UnsupportedError
from opendatacommunities.store.memory import MemoryGraph

from .compile import constraint_query
from .conditions import pattern_check_query, value_checks_query, value_condition
from .focus import (
    ANY_FOCUS,
    Focus,
    TargetFocus,
    ValueFocus,
    focus_query,
    membership_query,
    scannable,
    value_pairs_query,
)
from .graphs import DataGraphs, ShapesGraph, graph_list
from .literals import WELL_TYPED, well_typed
from .messages import make_violation
from .reference import validate_graph_with_pyshacl
from .report import Report, Violation
from .shapes import Constraint, Shape, Shapes, count_parameter, is_true
from .sparql import fill_message, read_constraint
from .vocab import SH_PROPERTY, Term, sh


class Finding(NamedTuple):
    """A validation result before it is put into words (nested shapes only need the focus)."""

    shape: Shape
    constraint: Constraint
    focus: Term
    value: Term | None
    path: NamedNode | None = None
    message: str | None = None


# Constraints whose query can run on a scanned path first (see _Run._rows).
_SCANNABLE = frozenset(
    {"MaxCount", "UniqueLang", "Equals", "Disjoint", "LessThan", "LessThanOrEquals"}
)
# Up to this many candidate values are named in the query; more are filtered in Python.
_VALUES_LIMIT = 1000
_SHAPE_LOGIC: dict[str, Callable[[Term, list[frozenset[Term]]], bool]] = {
    "Node": lambda value, failing: value in failing[0],
    "Not": lambda value, failing: value not in failing[0],
    "And": lambda value, failing: any(value in f for f in failing),
    "Or": lambda value, failing: all(value in f for f in failing),
    "Xone": lambda value, failing: sum(value not in f for f in failing) != 1,
}


def validate(store: MemoryGraph, shapes: Sequence[Path], *, graph: DataGraphs = None) -> Report:
    """Validate a store's default graph, or named graphs, against SHACL shapes files.

    ``graph`` is one graph or a list whose union is validated (a dataset with the vocabulary
    that says which classes are subclasses of which).

    Shapes the engine cannot evaluate itself are validated by pyshacl, and the report's notes
    say which and why.

    :raises SourceError: if a shapes file cannot be read.
    :raises PyshaclError: if a shape left to pyshacl makes pyshacl fail (a malformed shape).
    """
    return validate_graph(store, ShapesGraph.load(shapes), graph=graph)


def validate_graph(
    store: MemoryGraph, shapes_graph: ShapesGraph, *, graph: DataGraphs = None
) -> Report:
    """`validate` with the shapes already loaded (to validate several graphs with them).

    :raises PyshaclError: if a shape left to pyshacl makes pyshacl fail (a malformed shape).
    """
    shapes = Shapes(shapes_graph)
    run = _Run(store, shapes, graph)
    violations: list[Violation] = []
    fallback: dict[Term, str] = {}
    for shape in shapes.targeted():
        if shape.deactivated:
            continue
        try:
            focus = TargetFocus(shape.targets)
            if not run.has_focus(focus):
                continue  # a shape for data this graph does not hold: nothing to scan
            findings = run.results(shape, focus)
            violations.extend(_worded(shapes, finding) for finding in findings)
        except UnsupportedError as reason:
            fallback[shape.node] = str(reason)
    report = Report.of(violations)
    if not fallback:
        return report
    notes = [f"{shapes.label(node)} validated by pyshacl: {why}" for node, why in fallback.items()]
    extra = validate_graph_with_pyshacl(store, shapes_graph, graph=graph, only=set(fallback))
    return report.merged(Report.of(extra.violations, notes))


class _Run:
    """One validation: the store, the shapes, and what is known about nested shapes so far."""

    def __init__(self, store: MemoryGraph, shapes: Shapes, graph: DataGraphs) -> None:
        self.store = store
        self.shapes = shapes
        self.graphs = graph_list(graph)
        self._failing: dict[tuple[Term, Focus], frozenset[Term]] = {}
        self._active: list[Term] = []

    def results(self, shape: Shape, focus: Focus) -> list[Finding]:
        """Every validation result of a shape for the focus nodes.

        :raises UnsupportedError: if any constraint (or nested shape) cannot be evaluated here.
        """
        if shape.deactivated:
            return []
        if shape.unsupported:
            raise UnsupportedError(shape.unsupported[0])
        if shape.node in self._active:
            # Each level of nesting is a longer focus pattern, so recursion would never end.
            raise UnsupportedError("recursive shapes")
        self._active.append(shape.node)
        try:
            checks = [(c, value_condition(c)) for c in shape.constraints]
            batched = [(c, condition) for c, condition in checks if condition is not None]
            found = self._value_checks(shape, batched, focus)
            for constraint, condition in checks:
                if condition is None:
                    found.extend(self._constraint(shape, constraint, focus))
            return found
        finally:
            self._active.pop()

    def has_focus(self, focus: Focus) -> bool:
        """Whether any node is a focus node: constraint scans over a graph without any
        would only find candidates to throw away."""
        return any(True for _ in self.select(f"{focus_query(focus)} LIMIT 1"))

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
                query, default_graph=self.graphs, functions={WELL_TYPED: well_typed}
            )
        except GraphQueryError as error:
            raise UnsupportedError(f"Oxigraph cannot run the query: {error}") from error
        if not isinstance(result, QuerySolutions):
            raise UnsupportedError("the query is not a SELECT")
        return result

    def _constraint(self, shape: Shape, constraint: Constraint, focus: Focus) -> list[Finding]:
        """Every violation of one constraint."""
        local = constraint.kind
        if local == "Property":
            return self.results(self.shapes.get(constraint.value), focus)
        if local in _SHAPE_LOGIC:
            return self._shape_logic(shape, constraint, focus, local)
        if local in ("QualifiedMinCount", "QualifiedMaxCount"):
            return self._qualified(shape, constraint, focus)
        if local == "SPARQL":
            return self._sparql(shape, constraint, focus)
        if local in _SCANNABLE:
            rows = self._rows(
                shape, focus, lambda f: constraint_query(shape, constraint, f, self.shapes)
            )
        else:
            query = constraint_query(shape, constraint, focus, self.shapes)
            rows = list(self.select(query)) if query is not None else []
        return [
            Finding(
                shape,
                constraint,
                row["this"],
                row["value"],
                row["path"] if isinstance(row["path"], NamedNode) else None,
            )
            for row in rows
        ]

    def _rows(
        self, shape: Shape, focus: Focus, build: Callable[[Focus], str | None]
    ) -> list[QuerySolution]:
        """The solutions of a constraint query over the focus nodes.

        Where the path can be scanned, the query first runs without the focus, and only its
        candidates are checked for being focus nodes: most data conform, so this avoids joining
        every focus node. Too many (or blank) candidates mean running the focused query instead.
        """
        if scannable(shape, focus):
            query = build(ANY_FOCUS)
            # The LIMIT stops the scan early when it finds too many candidates to check.
            limited = f"{query} LIMIT {_VALUES_LIMIT + 1}" if query is not None else None
            rows = list(self.select(limited)) if limited is not None else []
            members = self._members({row["this"] for row in rows}, focus)
            if members is not None and len(rows) <= _VALUES_LIMIT:
                return [row for row in rows if row["this"] in members]
        query = build(focus)
        return list(self.select(query)) if query is not None else []

    def _members(self, nodes: set[Term], focus: Focus) -> set[Term] | None:
        """Which of ``nodes`` are focus nodes, or None if that is not cheap to ask."""
        if not nodes:
            return set()
        if len(nodes) > _VALUES_LIMIT or any(isinstance(n, BlankNode) for n in nodes):
            return None
        return {row["this"] for row in self.select(membership_query(focus, nodes))}

    def _accepts(self, constraint: Constraint) -> bool:
        """Whether Oxigraph compiles the regular expression of an sh:pattern constraint."""
        try:
            return self.store.ask(pattern_check_query(constraint))
        except GraphQueryError:
            return False

    def _value_checks(
        self, shape: Shape, checks: list[tuple[Constraint, str]], focus: Focus
    ) -> list[Finding]:
        """All value-level constraints of a shape, in one query."""
        if not checks:
            return []
        for constraint, _ in checks:
            if constraint.kind == "Pattern" and not self._accepts(constraint):
                raise UnsupportedError(f"Oxigraph does not accept the pattern {constraint.value}")
        conditions = [condition for _, condition in checks]
        rows = self._rows(shape, focus, lambda f: value_checks_query(shape, conditions, f))
        return [
            Finding(shape, constraint, row["this"], row["value"])
            for row in rows
            for index, (constraint, _) in enumerate(checks)
            if is_true(row[f"c{index}"])
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
    ) -> list[Finding]:
        """sh:node, sh:not, sh:and, sh:or, sh:xone: value nodes failing the combination."""
        members = constraint.members if local in ("And", "Or", "Xone") else (constraint.value,)
        value_focus = self._value_focus(shape, focus)
        failing = [self.failing(member, value_focus) for member in members]
        violates = _SHAPE_LOGIC[local]
        if local in ("Node", "And", "Or") and members:
            # Only values failing some member (every member, for sh:or) can violate, so there
            # is no need to list every value node.
            combine = frozenset.intersection if local == "Or" else frozenset.union
            pairs = self._pairs_with_values(shape, focus, combine(*failing))
        else:
            pairs = self._pairs(shape, focus)
        return [
            Finding(shape, constraint, this, value)
            for this, value in pairs
            if violates(value, failing)
        ]

    def _pairs_with_values(
        self, shape: Shape, focus: Focus, values: frozenset[Term]
    ) -> list[tuple[Term, Term]]:
        """The (focus node, value node) pairs whose value is one of ``values``."""
        if not values:
            return []
        if shape.path is None:
            # A node shape's value node is the focus node itself.
            return [(value, value) for value in values]
        if len(values) <= _VALUES_LIMIT and not any(isinstance(v, BlankNode) for v in values):
            query = value_pairs_query(shape, focus, values)
        else:
            query = value_pairs_query(shape, focus)
        return [(row["this"], row["value"]) for row in self.select(query) if row["value"] in values]

    def _qualified(self, shape: Shape, constraint: Constraint, focus: Focus) -> list[Finding]:
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
        limit = count_parameter(constraint.value)
        minimum = constraint.parameter == sh("qualifiedMinCount")
        foci = [row["this"] for row in self.select(focus_query(focus))]
        return [
            Finding(shape, constraint, this, None)
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

    def _sparql(self, shape: Shape, constraint: Constraint, focus: Focus) -> list[Finding]:
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
                Finding(
                    shape,
                    constraint,
                    this,
                    value,
                    path if isinstance(path, NamedNode) else None,
                    message,
                )
            )
        return violations


def _worded(shapes: Shapes, finding: Finding) -> Violation:
    """A finding of a validated shape as a violation in words."""
    return make_violation(
        shapes,
        finding.shape,
        finding.constraint,
        finding.focus,
        finding.value,
        path=finding.path,
        message=finding.message,
    )
