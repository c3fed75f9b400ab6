"""Constraints on single value nodes, as SPARQL FILTER conditions true for a violating value.

All the value-level constraints of a shape share one query: each becomes a flag variable, and a
row is returned when any flag is set.
"""

from __future__ import annotations

import re

from pyoxigraph import Literal, NamedNode

from opendatacommunities.errors import UnsupportedError
from opendatacommunities.vocab import SH

from .focus import INSTANCE_OF, Focus, Fresh, sparql_term, values_pattern
from .literals import WELL_TYPED, needs_check
from .shapes import Constraint, Shape, count_parameter
from .vocab import RDF_LANG_STRING, RDFS_DATATYPE, RDFS_LITERAL, XSD_STRING, Term, sh

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


def value_checks_query(shape: Shape, conditions: list[str], focus: Focus) -> str:
    """One query for several value conditions: ``?c0``, ``?c1``... say which ones a value breaks.

    Every condition is written so that it never raises a SPARQL error, so an unbound flag
    cannot hide a violation.
    """
    pattern = values_pattern(shape, focus, Fresh())
    flags = [f"?c{index}" for index in range(len(conditions))]
    binds = " ".join(f"BIND({c} AS {flag})" for c, flag in zip(conditions, flags, strict=True))
    return (
        f"SELECT DISTINCT ?this ?value {' '.join(flags)} WHERE {{ {pattern} {binds} "
        f"FILTER({' || '.join(flags)}) }}"
    )


def pattern_check_query(constraint: Constraint) -> str:
    """An ASK that is true when Oxigraph accepts the constraint's regular expression."""
    return f'ASK {{ BIND(REGEX("", {_regex_arguments(constraint)}) AS ?ok) FILTER(BOUND(?ok)) }}'


def value_condition(constraint: Constraint) -> str | None:
    """The condition true for a value node violating a value-level constraint, or None.

    :raises UnsupportedError: for a parameter value a query cannot use.
    """
    local = constraint.kind
    value = constraint.value
    if local == "Class":
        return f"NOT EXISTS {{ ?value {INSTANCE_OF} {sparql_term(value)} }}"
    if local == "Datatype":
        return f"!({_datatype_test(value)})"
    if local == "NodeKind":
        kind = value.value[len(SH) :] if isinstance(value, NamedNode) else ""
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
        return f"isBlank(?value) || STRLEN(STR(?value)) {operator} {count_parameter(value)}"
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
