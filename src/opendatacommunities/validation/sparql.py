"""SHACL-SPARQL constraints (sh:sparql with sh:select) rewritten to run over all focus nodes.

SHACL pre-binds ``$this`` to one focus node per query run. Joining the focus pattern into the
outermost group gives the same solutions whenever ``$this`` is only used where that group's
bindings reach it: in the outermost group itself (its FILTERs and EXISTS included), in a
group opened directly by OPTIONAL, or as a triple pattern term of a nested group. Queries that
use ``$this`` elsewhere, or that have subqueries, LIMIT/OFFSET/ORDER BY, VALUES, MINUS, SERVICE,
``$shapesGraph`` or an aggregate not grouped by ``$this``, are left to pyshacl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode

from opendatacommunities.errors import UnsupportedError

from .focus import Focus, Fresh, sparql_term
from .paths import to_sparql
from .shapes import Constraint, Shape, Shapes, is_true
from .vocab import (
    SH_DEACTIVATED,
    SH_DECLARE,
    SH_MESSAGE,
    SH_NAMESPACE,
    SH_PREFIX,
    SH_PREFIXES,
    SH_SELECT,
    Term,
)

_TOKENS = re.compile(
    r"""
    (?P<space>\s+) | (?P<comment>\#[^\n]*)
    | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
        |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<var>[?$][A-Za-z0-9_\u00b7-\uffff]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*(?::[^\s{}()\[\],;]*)?|:[^\s{}()\[\],;]*)
    | (?P<other>.)
    """,
    re.X | re.S,
)
_FORBIDDEN = frozenset({"MINUS", "SERVICE", "VALUES", "LIMIT", "OFFSET", "ORDER"})
_AGGREGATES = frozenset({"COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE", "GROUP_CONCAT"})


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint ready to run: the rewritten query and its messages."""

    query: str
    messages: tuple[Literal, ...]
    deactivated: bool


def read_constraint(
    shapes: Shapes, shape: Shape, constraint: Constraint, focus: Focus
) -> SparqlConstraint:
    """The query for one sh:sparql constraint, joined with the focus nodes.

    :raises UnsupportedError: if the constraint cannot be rewritten safely.
    """
    node = constraint.value
    graph = shapes.graph
    select = graph.value(node, SH_SELECT)
    if not isinstance(select, Literal):
        raise UnsupportedError("sh:sparql without a sh:select query")
    messages = tuple(m for m in graph.objects(node, SH_MESSAGE) if isinstance(m, Literal))
    if not messages:
        messages = shape.messages
    tokens = _substitute(_tokenize(select.value), shape)
    query = _join_focus(tokens, focus.pattern("?this", Fresh()))
    return SparqlConstraint(
        query=_prefixes(shapes, node) + query,
        messages=messages,
        deactivated=is_true(graph.value(node, SH_DEACTIVATED)),
    )


def fill_message(template: str, bindings: dict[str, Term]) -> str:
    """Replace ``{?var}`` and ``{$var}`` in a sh:message with the solution's values.

    >>> fill_message("{$this} has {?n}", {"this": NamedNode("http://e/a"), "n": Literal("2")})
    '<http://e/a> has 2'
    """

    def value(match: re.Match[str]) -> str:
        term = bindings.get(match.group(1))
        if term is None:
            return match.group(0)
        return term.value if isinstance(term, Literal) else str(term)

    return re.sub(r"\{[?$]([A-Za-z0-9_]+)\}", value, template)


def _tokenize(text: str) -> list[_Token]:
    """Split a query into tokens, keeping strings, IRIs and comments whole."""
    tokens = []
    for match in _TOKENS.finditer(text):
        kind = match.lastgroup or "other"
        if kind != "comment":
            tokens.append(_Token(kind, match.group()))
    return tokens


def _substitute(tokens: list[_Token], shape: Shape) -> list[_Token]:
    """Replace the pre-bound variables: $this kept as ?this, $currentShape and $PATH inlined.

    :raises UnsupportedError: for $shapesGraph, ?failure, or a blank node shape.
    """
    result = []
    for token in tokens:
        name = token.text[1:] if token.kind == "var" else ""
        if name == "this":
            token = _Token("var", "?this")
        elif name == "currentShape":
            token = _Token("iri", sparql_term(shape.node))
        elif name == "PATH" and shape.path is not None:
            token = _Token("path", to_sparql(shape.path))
        elif name in ("shapesGraph", "failure") or name.startswith("odc_"):
            raise UnsupportedError(f"SPARQL constraint uses ${name}")
        result.append(token)
    return result


def _join_focus(tokens: list[_Token], focus: str) -> str:
    """The query with the focus pattern joined into its outermost group.

    :raises UnsupportedError: where pre-binding and joining could give different solutions.
    """
    words = {t.text.upper() for t in tokens if t.kind == "word"}
    if words & _FORBIDDEN:
        raise UnsupportedError(f"SPARQL constraint uses {', '.join(sorted(words & _FORBIDDEN))}")
    if sum(t.text.upper() == "SELECT" for t in tokens if t.kind == "word") != 1:
        raise UnsupportedError("SPARQL constraint is not a single SELECT without subqueries")
    start = next(i for i, t in enumerate(tokens) if t.text == "{")
    end = _check_groups(tokens, start)
    _check_projection(tokens[:start], tokens[end + 1 :])
    head = [t.text for t in tokens[:start]]
    if not any(t.text in ("?this", "*") for t in tokens[:start]):
        select = next(i for i, t in enumerate(tokens) if t.text.upper() == "SELECT")
        modifier = _next_word(tokens, select)
        after = (
            modifier if modifier is not None and modifier[1] in ("DISTINCT", "REDUCED") else None
        )
        head.insert((after[0] if after else select) + 1, " ?this ")
    body = [t.text for t in tokens[start + 1 :]]
    return "".join([*head, "{ { ", focus, " } ", *body])


def _next_word(tokens: list[_Token], index: int) -> tuple[int, str] | None:
    """The position and upper-cased text of the first non-space token after ``index``."""
    for position in range(index + 1, len(tokens)):
        if tokens[position].kind != "space":
            return position, tokens[position].text.upper()
    return None


def _check_projection(head: list[_Token], tail: list[_Token]) -> None:
    """Aggregates are only safe when grouped by ?this (one group per focus node, as pre-bound).

    :raises UnsupportedError: for an aggregate over all focus nodes at once.
    """
    aggregates = any(t.text.upper() in _AGGREGATES for t in head if t.kind == "word")
    grouped = [t.text.upper() for t in tail]
    if "GROUP" in grouped:
        if "?THIS" not in grouped[grouped.index("GROUP") :]:
            raise UnsupportedError("SPARQL constraint groups without ?this")
    elif aggregates:
        raise UnsupportedError("SPARQL constraint aggregates without GROUP BY ?this")


def _check_groups(tokens: list[_Token], start: int) -> int:
    """Check every use of ?this against the rules above; return the outer group's end.

    :raises UnsupportedError: for a use of ?this that the outer join would not reach.
    """
    stack: list[tuple[str, int]] = []  # (how the group was opened, parentheses open in it)
    for index in range(start, len(tokens)):
        token = tokens[index]
        if token.text == "{":
            stack.append((_opener(tokens, index, len(stack)), 0))
        elif token.text == "}":
            stack.pop()
            if not stack:
                return index
        elif token.text in "()" and token.kind == "other":
            opener, depth = stack[-1]
            stack[-1] = (opener, depth + (1 if token.text == "(" else -1))
        elif token.text == "?this" and not _reached(stack):
            raise UnsupportedError("SPARQL constraint uses $this where a join would not bind it")
    raise UnsupportedError("SPARQL constraint has unbalanced braces")


def _opener(tokens: list[_Token], index: int, depth: int) -> str:
    """How a group is opened: outer, exists, optional or plain."""
    if depth == 0:
        return "outer"
    before = next((t.text.upper() for t in reversed(tokens[:index]) if t.kind != "space"), "")
    return {"EXISTS": "exists", "OPTIONAL": "optional"}.get(before, "plain")


def _reached(stack: list[tuple[str, int]]) -> bool:
    """Whether ?this at this point sees the focus binding joined into the outer group."""
    if len(stack) == 1:
        return True
    opener, parentheses = stack[1]
    if opener == "exists":
        # EXISTS substitutes the solution's bindings into its whole pattern, at any depth.
        return True
    if len(stack) > 2:
        return False
    # Directly inside OPTIONAL the group's FILTER is the left join's condition and sees ?this;
    # in any other nested group only a triple pattern term is joined with it.
    return opener == "optional" or parentheses == 0


def _prefixes(shapes: Shapes, node: Term) -> str:
    """PREFIX declarations from the constraint's sh:prefixes (sh:declare entries)."""
    lines = []
    for owner in shapes.graph.objects(node, SH_PREFIXES):
        for declaration in shapes.graph.objects(owner, SH_DECLARE):
            prefix = shapes.graph.value(declaration, SH_PREFIX)
            namespace = shapes.graph.value(declaration, SH_NAMESPACE)
            if prefix is not None and namespace is not None:
                lines.append(f"PREFIX {prefix.value}: {NamedNode(namespace.value)}\n")
    return "".join(sorted(set(lines)))
