"""SHACL property paths: read from a shapes graph, written as SPARQL property paths and as text.

Every SHACL path has an exact SPARQL 1.1 property path counterpart, so the fast engine hands
paths to Oxigraph unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, TypeAlias

from pyoxigraph import NamedNode

from .graphs import ShapesGraph
from .vocab import (
    RDF_FIRST,
    SH_ALTERNATIVE_PATH,
    SH_INVERSE_PATH,
    SH_ONE_OR_MORE_PATH,
    SH_ZERO_OR_MORE_PATH,
    SH_ZERO_OR_ONE_PATH,
    Term,
)


@dataclass(frozen=True)
class InversePath:
    """``[ sh:inversePath p ]``: follow ``p`` from object to subject."""

    path: PathExpr


@dataclass(frozen=True)
class SequencePath:
    """``( p q ... )``: follow each step in turn."""

    steps: tuple[PathExpr, ...]


@dataclass(frozen=True)
class AlternativePath:
    """``[ sh:alternativePath ( p q ) ]``: any of the options."""

    options: tuple[PathExpr, ...]


@dataclass(frozen=True)
class RepeatPath:
    """``sh:zeroOrMorePath`` (``*``), ``sh:oneOrMorePath`` (``+``), ``sh:zeroOrOnePath`` (``?``)."""

    path: PathExpr
    mode: Literal["*", "+", "?"]


#: A SHACL property path: a predicate IRI or a path expression built from them.
PathExpr: TypeAlias = NamedNode | InversePath | SequencePath | AlternativePath | RepeatPath

_REPEATS: dict[NamedNode, Literal["*", "+", "?"]] = {
    SH_ZERO_OR_MORE_PATH: "*",
    SH_ONE_OR_MORE_PATH: "+",
    SH_ZERO_OR_ONE_PATH: "?",
}


def parse_path(graph: ShapesGraph, node: Term) -> PathExpr:
    """Read the SHACL path rooted at ``node``.

    :raises ValueError: if ``node`` is not a well-formed SHACL path.
    """
    if isinstance(node, NamedNode):
        return node
    if graph.value(node, RDF_FIRST) is not None:
        steps = tuple(parse_path(graph, step) for step in graph.items(node))
        if len(steps) < 2:
            raise ValueError("a sequence path needs at least two steps")
        return SequencePath(steps)
    inverse = graph.value(node, SH_INVERSE_PATH)
    if inverse is not None:
        return InversePath(parse_path(graph, inverse))
    alternatives = graph.value(node, SH_ALTERNATIVE_PATH)
    if alternatives is not None:
        options = tuple(parse_path(graph, option) for option in graph.items(alternatives))
        if len(options) < 2:
            raise ValueError("an alternative path needs at least two options")
        return AlternativePath(options)
    for predicate, mode in _REPEATS.items():
        inner = graph.value(node, predicate)
        if inner is not None:
            return RepeatPath(parse_path(graph, inner), mode)
    raise ValueError(f"{node} is not a SHACL path")


def to_sparql(path: PathExpr) -> str:
    """The SPARQL 1.1 property path for a SHACL path.

    >>> to_sparql(SequencePath((NamedNode("http://e/p"), InversePath(NamedNode("http://e/q")))))
    '(<http://e/p>/^(<http://e/q>))'
    """
    return _render(path, str)


def to_text(path: PathExpr, graph: ShapesGraph) -> str:
    """A short text form of a path for messages, with prefixed names.

    >>> to_text(NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ShapesGraph.load([]))
    'rdfs:label'
    """
    return _render(path, graph.compact)


def _render(path: PathExpr, name: Callable[[NamedNode], str]) -> str:
    """Write a path with ``name`` for its IRIs, bracketing every compound part."""
    if isinstance(path, NamedNode):
        return name(path)
    if isinstance(path, InversePath):
        return f"^({_render(path.path, name)})"
    if isinstance(path, SequencePath):
        return "(" + "/".join(_render(step, name) for step in path.steps) + ")"
    if isinstance(path, AlternativePath):
        return "(" + "|".join(_render(option, name) for option in path.options) + ")"
    return f"({_render(path.path, name)}){path.mode}"
