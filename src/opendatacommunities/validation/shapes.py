"""The shapes graph read into typed shapes, targets and constraints."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from opendatacommunities.errors import UnsupportedError
from opendatacommunities.vocab import SH

from .graphs import ShapesGraph
from .paths import PathExpr, parse_path
from .vocab import (
    RDF_TYPE,
    RDFS_CLASS,
    RDFS_SUBCLASS_OF,
    SH_CONSTRAINT_COMPONENT,
    SH_DEACTIVATED,
    SH_MESSAGE,
    SH_NODE_SHAPE,
    SH_PARAMETER,
    SH_PATH,
    SH_PROPERTY,
    SH_PROPERTY_SHAPE,
    SH_SEVERITY,
    SH_TARGET_CLASS,
    SH_TARGET_NODE,
    SH_TARGET_OBJECTS_OF,
    SH_TARGET_SUBJECTS_OF,
    SH_VIOLATION,
    Term,
    sh,
)

TARGET_PREDICATES = (SH_TARGET_CLASS, SH_TARGET_NODE, SH_TARGET_SUBJECTS_OF, SH_TARGET_OBJECTS_OF)

# Constraint parameter -> the local name of its constraint component (sh:<Name>ConstraintComponent).
_COMPONENTS = {
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "minExclusive": "MinExclusive",
    "minInclusive": "MinInclusive",
    "maxExclusive": "MaxExclusive",
    "maxInclusive": "MaxInclusive",
    "minLength": "MinLength",
    "maxLength": "MaxLength",
    "pattern": "Pattern",
    "languageIn": "LanguageIn",
    "uniqueLang": "UniqueLang",
    "equals": "Equals",
    "disjoint": "Disjoint",
    "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
    "not": "Not",
    "and": "And",
    "or": "Or",
    "xone": "Xone",
    "node": "Node",
    "property": "Property",
    "qualifiedMinCount": "QualifiedMinCount",
    "qualifiedMaxCount": "QualifiedMaxCount",
    "closed": "Closed",
    "hasValue": "HasValue",
    "in": "In",
    "sparql": "SPARQL",
}
_LIST_PARAMETERS = frozenset({"in", "languageIn", "and", "or", "xone"})
# Options read together with a constraint parameter: pattern flags, closed's ignored properties,
# the qualified value shape of the qualified counts.
_OPTIONS = {
    "pattern": ("flags",),
    "closed": ("ignoredProperties",),
    "qualifiedMinCount": ("qualifiedValueShape", "qualifiedValueShapesDisjoint"),
    "qualifiedMaxCount": ("qualifiedValueShape", "qualifiedValueShapesDisjoint"),
}
# sh: predicates that describe a shape without being constraints of their own.
_DESCRIPTIVE = frozenset(
    {
        "path",
        "targetClass",
        "targetNode",
        "targetSubjectsOf",
        "targetObjectsOf",
        "severity",
        "message",
        "deactivated",
        "name",
        "description",
        "order",
        "group",
        "defaultValue",
        "flags",
        "ignoredProperties",
        "qualifiedValueShape",
        "qualifiedValueShapesDisjoint",
    }
)


@dataclass(frozen=True)
class Target:
    """One target declaration: its predicate (rdfs:Class for an implicit class target), value."""

    kind: NamedNode
    value: Term


@dataclass(frozen=True)
class Constraint:
    """One constraint parameter of a shape, with the options that go with it."""

    component: NamedNode
    parameter: NamedNode
    value: Term
    members: tuple[Term, ...] = ()
    options: tuple[tuple[NamedNode, Term], ...] = ()

    @property
    def kind(self) -> str:
        """The component's local name without ``ConstraintComponent``: ``MinCount``."""
        return self.component.value[len(SH) :].removesuffix("ConstraintComponent")

    def option(self, parameter: NamedNode) -> Term | None:
        """The value of an option parameter such as sh:flags, or None."""
        return next((value for key, value in self.options if key == parameter), None)


@dataclass(frozen=True)
class Shape:
    """A node or property shape as the validators need it."""

    node: Term
    label: str
    path: PathExpr | None
    targets: tuple[Target, ...]
    constraints: tuple[Constraint, ...]
    severity: NamedNode
    messages: tuple[Literal, ...]
    deactivated: bool
    unsupported: tuple[str, ...]

    @property
    def is_property_shape(self) -> bool:
        """Whether the shape has a path (its value nodes are reached through it)."""
        return self.path is not None


class Shapes:
    """Every shape in a shapes graph, read on demand and cached by node."""

    def __init__(self, graph: ShapesGraph) -> None:
        self.graph = graph
        self._cache: dict[Term, Shape] = {}
        self._custom_parameters = _custom_parameters(graph)

    def get(self, node: Term) -> Shape:
        """The shape at ``node`` (any node can be read as a shape; unknown ones are empty)."""
        if node not in self._cache:
            self._cache[node] = self._read(node)
        return self._cache[node]

    def targeted(self) -> list[Shape]:
        """Every shape with at least one target, in a stable order: these are validated."""
        nodes: set[Term] = set()
        for predicate in TARGET_PREDICATES:
            nodes.update(self.graph.subjects(predicate, None))
        for kind in (SH_NODE_SHAPE, SH_PROPERTY_SHAPE):
            nodes.update(n for n in self.graph.subjects(RDF_TYPE, kind) if self._is_class(n))
        return [self.get(node) for node in sorted(nodes, key=str)]

    def label(self, node: Term) -> str:
        """How messages name a shape: its IRI, or the shape that holds it as a sh:property."""
        if isinstance(node, NamedNode):
            return self.graph.compact(node)
        parents = self.graph.subjects(SH_PROPERTY, node)
        return self.label(parents[0]) if parents else f"anonymous shape {node}"

    def _read(self, node: Term) -> Shape:
        """Parse one shape."""
        graph = self.graph
        unsupported: list[str] = []
        path: PathExpr | None = None
        path_node = graph.value(node, SH_PATH)
        if path_node is not None:
            try:
                path = parse_path(graph, path_node)
            except ValueError as error:
                unsupported.append(str(error))
        constraints = self._constraints(node, unsupported)
        severity = graph.value(node, SH_SEVERITY)
        return Shape(
            node=node,
            label=self.label(node),
            path=path,
            targets=self._targets(node),
            constraints=tuple(constraints),
            severity=severity if isinstance(severity, NamedNode) else SH_VIOLATION,
            messages=tuple(m for m in graph.objects(node, SH_MESSAGE) if isinstance(m, Literal)),
            deactivated=is_true(graph.value(node, SH_DEACTIVATED)),
            unsupported=tuple(unsupported),
        )

    def _targets(self, node: Term) -> tuple[Target, ...]:
        """The explicit targets of a shape, plus its implicit class target."""
        targets = [
            Target(predicate, value)
            for predicate in TARGET_PREDICATES
            for value in self.graph.objects(node, predicate)
        ]
        if isinstance(node, NamedNode) and self._is_class(node):
            targets.append(Target(RDFS_CLASS, node))
        return tuple(targets)

    def _is_class(self, node: Term) -> bool:
        """Whether the shapes graph types the node as rdfs:Class or a declared subclass of it.

        pyshacl reads implicit class targets this way (from the shapes graph only).
        """
        classes = {RDFS_CLASS, *self.graph.subjects(RDFS_SUBCLASS_OF, RDFS_CLASS)}
        return any(kind in classes for kind in self.graph.objects(node, RDF_TYPE))

    def _constraints(self, node: Term, unsupported: list[str]) -> list[Constraint]:
        """Every constraint parameter on a shape; anything not understood is noted."""
        constraints: list[Constraint] = []
        for predicate in sorted(self.graph.predicates(node), key=str):
            if predicate in self._custom_parameters:
                unsupported.append(f"custom constraint component parameter {predicate}")
            if not predicate.value.startswith(SH):
                continue
            local = predicate.value[len(SH) :]
            if local in _COMPONENTS:
                for value in self.graph.objects(node, predicate):
                    constraints.append(self._constraint(node, local, value, unsupported))
            elif local not in _DESCRIPTIVE:
                unsupported.append(f"{self.graph.compact(predicate)} is not supported")
        return constraints

    def _constraint(
        self, node: Term, local: str, value: Term, unsupported: list[str]
    ) -> Constraint:
        """Read one constraint parameter value with its list members and options."""
        members: tuple[Term, ...] = ()
        if local in _LIST_PARAMETERS:
            try:
                members = tuple(self.graph.items(value))
            except ValueError as error:
                unsupported.append(str(error))
        options = tuple(
            (sh(option), option_value)
            for option in _OPTIONS.get(local, ())
            for option_value in self.graph.objects(node, sh(option))[:1]
        )
        component = sh(_COMPONENTS[local] + "ConstraintComponent")
        return Constraint(component, sh(local), value, members, options)


def _custom_parameters(graph: ShapesGraph) -> set[Term]:
    """The parameter predicates of SHACL-SPARQL constraint components declared in the graph."""
    found: set[Term] = set()
    for component in graph.subjects(RDF_TYPE, SH_CONSTRAINT_COMPONENT):
        for parameter in graph.objects(component, SH_PARAMETER):
            found.update(graph.objects(parameter, SH_PATH))
    return found


def is_true(term: Term | None) -> bool:
    """Whether a term is the boolean literal ``true`` (as sh:closed, sh:uniqueLang expect).

    >>> is_true(Literal("true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean")))
    True
    """
    return isinstance(term, Literal) and term.value in ("true", "1")


def count_parameter(term: Term) -> int:
    """The value of a count or length parameter (sh:minCount, sh:maxLength...).

    :raises UnsupportedError: if it is not a non-negative integer literal.
    """
    try:
        number = int(term.value) if isinstance(term, Literal) else -1
    except ValueError:
        number = -1
    if number < 0:
        raise UnsupportedError(f"{term} is not a non-negative integer")
    return number
