"""Focus nodes as SPARQL patterns: what a shape's targets select, or a nested shape's values.

A focus is never a list of nodes: it is a pattern that binds a variable to every focus node, so
that each constraint query covers all of them at once (and blank nodes, which a query cannot
name, stay reachable).
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from opendatacommunities.errors import UnsupportedError

from .paths import InversePath, PathExpr, to_sparql
from .shapes import Shape, Target
from .vocab import (
    RDF_TYPE,
    RDFS_CLASS,
    RDFS_SUBCLASS_OF,
    SH_TARGET_CLASS,
    SH_TARGET_NODE,
    SH_TARGET_OBJECTS_OF,
    Term,
)

#: A SPARQL property path to the SHACL instances of a class.
INSTANCE_OF = f"{RDF_TYPE}/{RDFS_SUBCLASS_OF}*"


class Fresh:
    """Fresh variable names for one query (prefixed so user SPARQL cannot clash with them)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> str:
        self.count += 1
        return f"?odc_v{self.count}"


@dataclass(frozen=True)
class TargetFocus:
    """The focus nodes a shape's targets select."""

    targets: tuple[Target, ...]

    def pattern(self, var: str, fresh: Fresh) -> str:
        """A group graph pattern binding ``var`` to each focus node."""
        parts = [_target_pattern(target, var, fresh) for target in self.targets]
        if not parts:
            return "FILTER(false)"
        return " UNION ".join(f"{{ {part} }}" for part in parts)


@dataclass(frozen=True)
class ValueFocus:
    """The value nodes reached from another focus through a path (for nested shapes)."""

    parent: Focus
    path: PathExpr

    def pattern(self, var: str, fresh: Fresh) -> str:
        """A group graph pattern binding ``var`` to each value node."""
        outer = fresh()
        return f"{{ {self.parent.pattern(outer, fresh)} }} {outer} {to_sparql(self.path)} {var} ."


@dataclass(frozen=True)
class AnyFocus:
    """No focus restriction: the query's own triple patterns bind ``?this``.

    Used to find candidate violations by scanning one property, which is much cheaper than
    joining every focus node first; the few candidates are then checked against the real focus.
    """

    def pattern(self, var: str, fresh: Fresh) -> str:
        """An empty pattern."""
        return ""


ANY_FOCUS = AnyFocus()

Focus = TargetFocus | ValueFocus | AnyFocus


def scannable(shape: Shape, focus: Focus) -> bool:
    """Whether candidates can be found by scanning the shape's path without the focus.

    Only single properties (or their inverses) are cheap to scan, and a focus of a few
    sh:targetNode nodes is cheaper to use directly.
    """
    path = shape.path
    if isinstance(path, InversePath):
        path = path.path
    if not isinstance(path, NamedNode):
        return False
    if isinstance(focus, TargetFocus):
        return any(target.kind != SH_TARGET_NODE for target in focus.targets)
    return isinstance(focus, ValueFocus)


def membership_query(focus: Focus, nodes: set[Term]) -> str:
    """Which of ``nodes`` (none of them blank) are focus nodes."""
    named = " ".join(sorted(sparql_term(node) for node in nodes))
    pattern = focus.pattern("?this", Fresh())
    return f"SELECT DISTINCT ?this WHERE {{ VALUES ?this {{ {named} }} {pattern} }}"


def sparql_term(term: Term) -> str:
    """A term written for a SPARQL query.

    :raises UnsupportedError: for a blank node, which a query cannot name.
    """
    if isinstance(term, BlankNode):
        raise UnsupportedError(f"a blank node ({term}) cannot be named in a SPARQL query")
    return str(term)


def _target_pattern(target: Target, var: str, fresh: Fresh) -> str:
    """The pattern for one target declaration."""
    if target.kind in (SH_TARGET_CLASS, RDFS_CLASS):
        if isinstance(target.value, Literal):
            return "FILTER(false)"
        return f"{var} {INSTANCE_OF} {sparql_term(target.value)} ."
    if target.kind == SH_TARGET_NODE:
        return f"VALUES {var} {{ {sparql_term(target.value)} }}"
    if not isinstance(target.value, NamedNode):
        raise UnsupportedError(f"target property {target.value} is not an IRI")
    if target.kind == SH_TARGET_OBJECTS_OF:
        return f"{fresh()} {target.value} {var} ."
    return f"{var} {target.value} {fresh()} ."


def focus_query(focus: Focus) -> str:
    """Every focus node once."""
    return f"SELECT DISTINCT ?this WHERE {{ {focus.pattern('?this', Fresh())} }}"


def values_pattern(shape: Shape, focus: Focus, fresh: Fresh) -> str:
    """Binds ``?this`` to each focus node and ``?value`` to each of its value nodes."""
    focus_part = focus.pattern("?this", fresh)
    if shape.path is None:
        return f"{focus_part} BIND(?this AS ?value)"
    return f"{focus_part} ?this {to_sparql(shape.path)} ?value ."


def value_pairs_query(shape: Shape, focus: Focus, values: frozenset[Term] | None = None) -> str:
    """Every (focus node, value node) pair of a shape, or those with one of ``values``.

    :raises UnsupportedError: if ``values`` holds a blank node.
    """
    restrict = ""
    if values is not None:
        restrict = f"VALUES ?value {{ {' '.join(sorted(sparql_term(v) for v in values))} }} "
    pattern = values_pattern(shape, focus, Fresh())
    return f"SELECT DISTINCT ?this ?value WHERE {{ {restrict}{pattern} }}"
