"""SHACL Core constraints on counts, values and property pairs, compiled to SPARQL SELECTs.

Each query covers all focus nodes at once and binds ``?this`` (the focus node) and, where SHACL
reports one, ``?value`` (the value node) and ``?path`` (a result path other than the shape's
own, for sh:closed). Value-level constraints are in `opendatacommunities.validation.conditions`.
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from opendatacommunities.errors import UnsupportedError

from .focus import Focus, Fresh, sparql_term, values_pattern
from .paths import to_sparql
from .shapes import Constraint, Shape, Shapes, count_parameter, is_true
from .vocab import SH_PROPERTY, Term, sh


def constraint_query(
    shape: Shape, constraint: Constraint, focus: Focus, shapes: Shapes
) -> str | None:
    """The query finding every violation of one constraint, or None if it cannot be violated.

    :raises UnsupportedError: if the constraint is not one this module compiles.
    """
    local = constraint.kind
    property_only = ("MinCount", "MaxCount", "UniqueLang", "LessThan", "LessThanOrEquals")
    if local in property_only and shape.path is None:
        raise UnsupportedError(f"sh:{local[0].lower()}{local[1:]} on a node shape")
    builders = {
        "MinCount": _min_count,
        "MaxCount": _max_count,
        "HasValue": _has_value,
        "UniqueLang": _unique_lang,
        "Equals": _equals,
        "Disjoint": _disjoint,
        "LessThan": _less_than,
        "LessThanOrEquals": _less_than,
    }
    if local == "Closed":
        return _closed(shape, constraint, focus, shapes)
    if local not in builders:
        raise UnsupportedError(f"sh:{local} cannot be compiled to one query")
    return builders[local](shape, constraint, focus)


def _min_count(shape: Shape, constraint: Constraint, focus: Focus) -> str | None:
    """Focus nodes with fewer values than sh:minCount."""
    count = count_parameter(constraint.value)
    path = to_sparql(shape.path) if shape.path is not None else ""
    this = focus.pattern("?this", Fresh())
    if count == 0:
        return None
    if count == 1:
        # The common case, and a NOT EXISTS is much cheaper than grouping every value.
        return f"SELECT DISTINCT ?this WHERE {{ {this} FILTER NOT EXISTS {{ ?this {path} ?v }} }}"
    return (
        f"SELECT ?this WHERE {{ {this} OPTIONAL {{ ?this {path} ?value }} }} "
        f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {count})"
    )


def _max_count(shape: Shape, constraint: Constraint, focus: Focus) -> str:
    """Focus nodes with more values than sh:maxCount."""
    pattern = values_pattern(shape, focus, Fresh())
    return (
        f"SELECT ?this WHERE {{ {pattern} }} GROUP BY ?this "
        f"HAVING (COUNT(DISTINCT ?value) > {count_parameter(constraint.value)})"
    )


def _has_value(shape: Shape, constraint: Constraint, focus: Focus) -> str:
    """Focus nodes lacking the required value (the focus itself, for a node shape)."""
    this = focus.pattern("?this", Fresh())
    required = sparql_term(constraint.value)
    if shape.path is None:
        return f"SELECT DISTINCT ?this WHERE {{ {this} FILTER(!sameTerm(?this, {required})) }}"
    path = to_sparql(shape.path)
    return (
        f"SELECT DISTINCT ?this WHERE {{ {this} "
        f"FILTER NOT EXISTS {{ ?this {path} ?v FILTER(sameTerm(?v, {required})) }} }}"
    )


def _unique_lang(shape: Shape, constraint: Constraint, focus: Focus) -> str | None:
    """Focus nodes with two values sharing a language tag (compared case-insensitively)."""
    if not is_true(constraint.value):
        return None
    pattern = values_pattern(shape, focus, Fresh())
    return (
        f"SELECT DISTINCT ?this WHERE {{ {{ SELECT ?this ?lang WHERE {{ {pattern} "
        f'FILTER(LANG(?value) != "") BIND(LCASE(LANG(?value)) AS ?lang) }} GROUP BY ?this ?lang '
        f"HAVING (COUNT(DISTINCT ?value) > 1) }} }}"
    )


def _in_values(shape: Shape) -> str:
    """A test that ``?other`` is one of the focus node's values."""
    if shape.path is None:
        return "sameTerm(?other, ?this)"
    return f"EXISTS {{ ?this {to_sparql(shape.path)} ?other }}"


def _property(constraint: Constraint) -> NamedNode:
    """The property named by sh:equals, sh:disjoint, sh:lessThan...

    :raises UnsupportedError: if it is not an IRI.
    """
    if not isinstance(constraint.value, NamedNode):
        raise UnsupportedError(f"{constraint.parameter} {constraint.value} is not an IRI")
    return constraint.value


def _equals(shape: Shape, constraint: Constraint, focus: Focus) -> str:
    """Values on one side but not the other of the path and the sh:equals property."""
    other = _property(constraint)
    fresh = Fresh()
    missing = f"{values_pattern(shape, focus, fresh)} FILTER NOT EXISTS {{ ?this {other} ?value }}"
    extra = (
        f"{focus.pattern('?this', fresh)} ?this {other} ?other "
        f"FILTER(!{_in_values(shape)}) BIND(?other AS ?value)"
    )
    return f"SELECT DISTINCT ?this ?value WHERE {{ {{ {missing} }} UNION {{ {extra} }} }}"


def _disjoint(shape: Shape, constraint: Constraint, focus: Focus) -> str:
    """Values that are also values of the sh:disjoint property."""
    pattern = values_pattern(shape, focus, Fresh())
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {pattern} ?this {_property(constraint)} ?value }}"
    )


def _less_than(shape: Shape, constraint: Constraint, focus: Focus) -> str:
    """Values not less than (or equal to) every value of the other property."""
    operator = "<=" if constraint.kind == "LessThanOrEquals" else "<"
    pattern = values_pattern(shape, focus, Fresh())
    return (
        f"SELECT DISTINCT ?this ?value WHERE {{ {pattern} ?this {_property(constraint)} ?other "
        f"FILTER(!COALESCE(?value {operator} ?other, false)) }}"
    )


def _closed(shape: Shape, constraint: Constraint, focus: Focus, shapes: Shapes) -> str | None:
    """Triples of the value nodes whose predicate the closed shape neither declares nor ignores.

    Like pyshacl, the declared properties are the IRI paths of the shape's sh:property shapes.
    """
    if not is_true(constraint.value):
        return None
    allowed = {str(term) for term in _ignored(constraint, shapes)}
    for member in shapes.graph.objects(shape.node, SH_PROPERTY):
        path = shapes.get(member).path
        if isinstance(path, NamedNode):
            allowed.add(str(path))
    keep = f"FILTER(?path NOT IN ({', '.join(sorted(allowed))}))" if allowed else ""
    pattern = values_pattern(shape, focus, Fresh())
    return (
        f"SELECT DISTINCT ?this ?path ?value WHERE {{ {{ SELECT ?this ?odc_node WHERE "
        f"{{ {pattern} BIND(?value AS ?odc_node) }} }} ?odc_node ?path ?value {keep} }}"
    )


def _ignored(constraint: Constraint, shapes: Shapes) -> list[Term]:
    """The members of sh:ignoredProperties that a query can name.

    :raises UnsupportedError: if the list is malformed or holds a blank node.
    """
    head = constraint.option(sh("ignoredProperties"))
    try:
        members = shapes.graph.items(head) if head is not None else []
    except ValueError as error:
        raise UnsupportedError(str(error)) from error
    for member in members:
        sparql_term(member)
    return members
