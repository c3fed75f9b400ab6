"""Violations in words: what each constraint expected, for people who publish data."""

from __future__ import annotations

from pyoxigraph import BlankNode, Literal, NamedNode

from .paths import PathExpr, to_text
from .report import Violation
from .shapes import Constraint, Shape, Shapes
from .vocab import Term, sh

_NODE_KINDS = {
    "IRI": "an IRI",
    "BlankNode": "a blank node",
    "Literal": "a literal",
    "BlankNodeOrIRI": "an IRI or a blank node",
    "BlankNodeOrLiteral": "a blank node or a literal",
    "IRIOrLiteral": "an IRI or a literal",
}
_SHAPE_LISTS = frozenset({"And", "Or", "Xone"})
_SHAPE_VALUED = frozenset({"Node", "Not", "Property"})
_COMPARISONS = {
    "MinInclusive": "at least",
    "MinExclusive": "more than",
    "MaxInclusive": "at most",
    "MaxExclusive": "less than",
}


def make_violation(
    shapes: Shapes,
    shape: Shape,
    constraint: Constraint,
    focus: Term,
    value: Term | None,
    *,
    path: PathExpr | None = None,
    message: str | None = None,
) -> Violation:
    """A violation of ``constraint`` of ``shape``, in words.

    ``path`` overrides the shape's own path (sh:closed and SPARQL constraints report others);
    ``message`` overrides the words (a SPARQL constraint's own sh:message).
    """
    result_path = path if path is not None else shape.path
    if message is None:
        # For a node shape the value is the focus node, already named at the start of the line.
        shown = None if shape.path is None and value == focus else value
        own = _shape_message(shape)
        got = f", got {shapes.graph.compact(shown)}" if own and shown is not None else ""
        message = own + got if own else expected(shapes, constraint, shown)
    return Violation(
        focus=focus,
        path=result_path,
        value=value,
        component=constraint.component,
        shape=shape.node,
        severity=shape.severity,
        message=message,
        constraint=parameter_text(shapes, constraint),
        path_text=to_text(result_path, shapes.graph) if result_path is not None else "",
        shape_label=shape.label,
    )


def _shape_message(shape: Shape) -> str | None:
    """The shape's own sh:message: the English or untagged one if there is one."""
    for message in shape.messages:
        if message.language in (None, "en") or message.language.startswith("en-"):
            return message.value
    return shape.messages[0].value if shape.messages else None


def parameter_text(shapes: Shapes, constraint: Constraint) -> str:
    """The constraint parameter and its value, e.g. ``sh:minCount 1``."""
    name = shapes.graph.compact(constraint.parameter)
    local = constraint.kind
    if local == "SPARQL":
        return name
    if local in _SHAPE_LISTS:
        return f"{name} ({' '.join(shape_name(shapes, m) for m in constraint.members)})"
    if constraint.members or local in ("In", "LanguageIn"):
        return f"{name} ({' '.join(shapes.graph.compact(m) for m in constraint.members)})"
    if local in _SHAPE_VALUED:
        return f"{name} {shape_name(shapes, constraint.value)}"
    return f"{name} {_term(shapes, constraint.value)}"


def shape_name(shapes: Shapes, node: Term, depth: int = 0) -> str:
    """A shape by its IRI, or an anonymous one by what it says: ``[sh:class ex:Area]``."""
    if not isinstance(node, BlankNode):
        return shapes.graph.compact(node)
    if depth > 2:
        return "[...]"
    shape = shapes.get(node)
    parts = [f"sh:path {to_text(shape.path, shapes.graph)}"] if shape.path is not None else []
    for constraint in shape.constraints:
        if constraint.kind in _SHAPE_VALUED:
            value = shape_name(shapes, constraint.value, depth + 1)
            parts.append(f"{shapes.graph.compact(constraint.parameter)} {value}")
        else:
            parts.append(parameter_text(shapes, constraint))
    return f"[{'; '.join(parts)}]"


def expected(shapes: Shapes, constraint: Constraint, value: Term | None) -> str:
    """What the constraint expected, and the value it got, in words."""
    local = constraint.kind
    param = _term(shapes, constraint.value)
    got = f", got {shapes.graph.compact(value)}" if value is not None else ""
    if local in ("MinCount", "MaxCount"):
        least = "at least" if local == "MinCount" else "at most"
        return f"expected {least} {_count(param, 'value')}"
    if local in _COMPARISONS:
        return f"expected a value {_COMPARISONS[local]} {param}{got}"
    if local in ("MinLength", "MaxLength"):
        least = "at least" if local == "MinLength" else "at most"
        return f"expected {least} {_count(param, 'character')}{got}"
    if local in ("QualifiedMinCount", "QualifiedMaxCount"):
        least = "at least" if local == "QualifiedMinCount" else "at most"
        qualified = constraint.option(sh("qualifiedValueShape"))
        target = shape_name(shapes, qualified) if qualified is not None else "the qualified shape"
        return f"expected {least} {_count(param, 'value')} conforming to {target}"
    if local in ("And", "Or", "Xone"):
        how = {"And": "all", "Or": "at least one", "Xone": "exactly one"}[local]
        return f"expected a value conforming to {how} of the shapes{got}"
    return _simple(shapes, local, constraint, param) + got


def _simple(shapes: Shapes, local: str, constraint: Constraint, param: str) -> str:
    """Words for the constraints that take one parameter value."""
    members = ", ".join(shapes.graph.compact(member) for member in constraint.members)
    kind = (
        constraint.value.value.rsplit("#", 1)[-1] if isinstance(constraint.value, NamedNode) else ""
    )
    words = {
        "Datatype": f"expected a literal of datatype {param}",
        "Class": f"expected an instance of {param}",
        "NodeKind": f"expected {_NODE_KINDS.get(kind, param)}",
        "Pattern": f"expected text matching {param}",
        "In": f"expected one of {members}",
        "HasValue": f"expected the value {param}",
        "LanguageIn": f"expected a language tag among {members}",
        "UniqueLang": "expected at most one value per language",
        "Equals": f"expected the same values as {param}",
        "Disjoint": f"expected no value shared with {param}",
        "LessThan": f"expected a value less than every value of {param}",
        "LessThanOrEquals": f"expected a value at most every value of {param}",
        "Not": "expected a value not conforming to the shape",
        "Node": "expected a value conforming to the shape",
        "Closed": "expected only the properties the closed shape declares",
        "SPARQL": "the SPARQL constraint reports a violation",
    }
    return words.get(local, f"violates {shapes.graph.compact(constraint.component)}")


def _count(number: str, noun: str) -> str:
    """``1 value``, ``2 values``."""
    return f"{number} {noun}" if number == "1" else f"{number} {noun}s"


def _term(shapes: Shapes, term: Term) -> str:
    """A parameter value as people read it: literals by their text, IRIs prefixed."""
    if isinstance(term, Literal):
        return term.value
    return shapes.graph.compact(term)
