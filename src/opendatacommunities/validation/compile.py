"""SHACL Core constraints compiled to SPARQL SELECT queries over all focus nodes at once.

Every query binds ``?this`` (the focus node) and, where SHACL reports one, ``?value`` (the value
node) and ``?path`` (a result path other than the shape's own, for sh:closed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyoxigraph import BlankNode, Literal, NamedNode

from .literals import WELL_TYPED, needs_check
from .paths import PathExpr, to_sparql
from .shapes import Constraint, Shape, Shapes, Target, UnsupportedError, is_true
from .vocab import (
    RDF_LANG_STRING,
    RDF_TYPE,
    RDFS_CLASS,
    RDFS_DATATYPE,
    RDFS_LITERAL,
    RDFS_SUBCLASS_OF,
    SH_NS,
    SH_PROPERTY,
    SH_TARGET_CLASS,
    SH_TARGET_NODE,
    SH_TARGET_OBJECTS_OF,
    XSD_STRING,
    Term,
    sh,
)

_INSTANCE_OF = f"{RDF_TYPE}/{RDFS_SUBCLASS_OF}*"
_NODE_KIND_TESTS = {
    "IRI": "isIRI(?value)",
    "BlankNode": "isBlank(?value)",
    "Literal": "isLiteral(?value)",
    "BlankNodeOrIRI": "(isBlank(?value) || isIRI(?value))",
    "BlankNodeOrLiteral": "(isBlank(?value) || isLiteral(?value))",
    "IRIOrLiteral": "(isIRI(?value) || isLiteral(?value))",
}
_COMPARISONS = {
    "MinInclusive": ">=",
    "MinExclusive": ">",
    "MaxInclusive": "<=",
    "MaxExclusive": "<",
}


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


Focus = TargetFocus | ValueFocus


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
        return f"{var} {_INSTANCE_OF} {sparql_term(target.value)} ."
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


def value_pairs_query(shape: Shape, focus: Focus) -> str:
    """Every (focus node, value node) pair of a shape."""
    return f"SELECT DISTINCT ?this ?value WHERE {{ {values_pattern(shape, focus, Fresh())} }}"


def constraint_query(
    shape: Shape, constraint: Constraint, focus: Focus, shapes: Shapes
) -> str | None:
    """The query finding every violation of one constraint, or None if it cannot be violated.

    :raises UnsupportedError: if the constraint is not one this module compiles.
    """
    local = _local(constraint)
    condition = _value_condition(local, constraint)
    if condition is not None:
        pattern = values_pattern(shape, focus, Fresh())
        return f"SELECT DISTINCT ?this ?value WHERE {{ {pattern} FILTER({condition}) }}"
    node_shape_only = ("MinCount", "MaxCount", "UniqueLang", "LessThan", "LessThanOrEquals")
    if local in node_shape_only and shape.path is None:
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


def pattern_check_query(constraint: Constraint) -> str:
    """An ASK that is true when Oxigraph accepts the constraint's regular expression."""
    return f'ASK {{ BIND(REGEX("", {_regex_arguments(constraint)}) AS ?ok) FILTER(BOUND(?ok)) }}'


def _local(constraint: Constraint) -> str:
    """The component's local name without ``ConstraintComponent``."""
    return constraint.component.value[len(SH_NS) :].removesuffix("ConstraintComponent")


def _value_condition(local: str, constraint: Constraint) -> str | None:
    """The FILTER that is true for a value node violating a value-type constraint."""
    value = constraint.value
    if local == "Class":
        return f"NOT EXISTS {{ ?value {_INSTANCE_OF} {sparql_term(value)} }}"
    if local == "Datatype":
        return f"!({_datatype_test(value)})"
    if local == "NodeKind":
        kind = value.value[len(SH_NS) :] if isinstance(value, NamedNode) else ""
        if kind not in _NODE_KIND_TESTS:
            raise UnsupportedError(f"unknown sh:nodeKind {value}")
        return f"!{_NODE_KIND_TESTS[kind]}"
    if local == "Pattern":
        return f"isBlank(?value) || !REGEX(STR(?value), {_regex_arguments(constraint)})"
    if local == "In":
        tests = " || ".join(f"sameTerm(?value, {sparql_term(m)})" for m in constraint.members)
        return f"!({tests or 'false'})"
    if local in ("MinLength", "MaxLength"):
        operator = "<" if local == "MinLength" else ">"
        return f"isBlank(?value) || STRLEN(STR(?value)) {operator} {_integer(value)}"
    if local in _COMPARISONS:
        return f"!COALESCE(?value {_COMPARISONS[local]} {sparql_term(value)}, false)"
    if local == "LanguageIn":
        return f"!({_language_test(constraint.members)})"
    return None


def _datatype_test(datatype: Term) -> str:
    """True for a literal of the datatype that pyshacl accepts as well-formed."""
    if datatype == RDFS_LITERAL:
        return "isLiteral(?value)"
    if datatype == RDFS_DATATYPE:
        # pyshacl reads N-Triples through rdflib, where plain and language strings have no
        # datatype at all, so only other literals count as having one.
        return f"isLiteral(?value) && !(DATATYPE(?value) IN ({XSD_STRING}, {RDF_LANG_STRING}))"
    if not isinstance(datatype, NamedNode):
        raise UnsupportedError(f"sh:datatype {datatype} is not an IRI")
    test = f"isLiteral(?value) && sameTerm(DATATYPE(?value), {datatype})"
    if needs_check(datatype):
        test += f" && {WELL_TYPED}(?value)"
    return test


def _language_test(members: tuple[Term, ...]) -> str:
    """pyshacl's sh:languageIn: the tag, or its first subtag, is listed (case-insensitively)."""
    wanted = [m.value.lower() for m in members if isinstance(m, Literal)]
    if "*" in wanted:
        return 'isLiteral(?value) && LANG(?value) != ""'
    if not wanted:
        return "false"
    listed = ", ".join(str(Literal(tag)) for tag in wanted)
    first = 'LCASE(STRBEFORE(CONCAT(LANG(?value), "-"), "-"))'
    return (
        f'isLiteral(?value) && LANG(?value) != "" && '
        f"(LCASE(LANG(?value)) IN ({listed}) || {first} IN ({listed}))"
    )


def _regex_arguments(constraint: Constraint) -> str:
    """The pattern and flags arguments of REGEX, adjusted to pyshacl's Python semantics.

    pyshacl honours only the ``i`` and ``m`` flags, and Python's ``$`` also matches before a
    final newline, which Oxigraph's ``$`` does not: ``\\n?$`` restores that.
    """
    flags_term = constraint.option(sh("flags"))
    flags = "".join(f for f in "im" if flags_term is not None and f in flags_term.value.lower())
    pattern = constraint.value.value if isinstance(constraint.value, Literal) else ""
    if "m" not in flags:
        pattern = _python_dollar(pattern)
    return f"{Literal(pattern)}, {Literal(flags)}"


def _python_dollar(pattern: str) -> str:
    """Rewrite unescaped ``$`` outside character classes as ``\\n?$``.

    >>> _python_dollar(r"^a$|b\\$[$]")
    '^a\\\\n?$|b\\\\$[$]'
    """
    out: list[str] = []
    in_class = False
    for token in re.findall(r"\\.|.", pattern, re.S):
        if token == "[" and not in_class:
            in_class = True
        elif token == "]" and in_class:
            in_class = False
        out.append("\\n?$" if token == "$" and not in_class else token)
    return "".join(out)


def _integer(term: Term) -> int:
    """A count or length parameter.

    :raises UnsupportedError: if the value is not a non-negative integer literal.
    """
    try:
        number = int(term.value) if isinstance(term, Literal) else -1
    except ValueError:
        number = -1
    if number < 0:
        raise UnsupportedError(f"{term} is not a non-negative integer")
    return number


def _min_count(shape: Shape, constraint: Constraint, focus: Focus) -> str | None:
    """Focus nodes with fewer values than sh:minCount."""
    count = _integer(constraint.value)
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
        f"HAVING (COUNT(DISTINCT ?value) > {_integer(constraint.value)})"
    )


def _has_value(shape: Shape, constraint: Constraint, focus: Focus) -> str:
    """Focus nodes lacking the required value (the focus itself, for a node shape)."""
    this = focus.pattern("?this", Fresh())
    required = sparql_term(constraint.value)
    if shape.path is None:
        return (
            f"SELECT DISTINCT ?this ?value WHERE {{ {this} BIND(?this AS ?value) "
            f"FILTER(!sameTerm(?this, {required})) }}"
        )
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
    operator = "<=" if _local(constraint) == "LessThanOrEquals" else "<"
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
