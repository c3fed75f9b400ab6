"""Queries nesting too deeply or chaining too many clauses are refused before any parser
sees them; ordinary ones, and long VALUES lists, pass."""

from __future__ import annotations

import pytest

from opendatacommunities.errors import QueryTooComplexError
from opendatacommunities.store import check_shape
from opendatacommunities.store.query.shape import MAX_CLAUSES, MAX_DEPTH

DEEP = {
    "braces": "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 10000 + "1" + ")" * 10000 + ") }",
    "negations": "SELECT * WHERE { FILTER(" + "!" * 10000 + "true) }",
    "in-an-iri": "SELECT * WHERE { FILTER(?a<" + "(" * 5000 + "1" + ")" * 5000 + ">?b) }",
}
LONG = {
    "optionals": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o } " * 5000 + "}",
    "triples": "SELECT * WHERE { " + " . ".join(["?s ?p ?o"] * 5000) + " }",
    "sums": "SELECT * WHERE { FILTER(" + "+".join(["1"] * 10000) + ") }",
}


@pytest.mark.parametrize("query", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_is_refused(query: str) -> None:
    """5,000 braces, 10,000 parentheses or '!': refused, naming the limit."""
    with pytest.raises(QueryTooComplexError, match=f"limit is {MAX_DEPTH}"):
        check_shape(query)


@pytest.mark.parametrize("query", LONG.values(), ids=LONG.keys())
def test_long_chains_are_refused(query: str) -> None:
    """5,000 OPTIONALs, triple patterns, or 10,000 operators: refused, naming the limit."""
    with pytest.raises(QueryTooComplexError, match=f"limit is {MAX_CLAUSES}"):
        check_shape(query)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH,
        "SELECT * { ?s ?p ?o FILTER(?o = '" + "(" * 500 + "') } # " + "{" * 500,
        "SELECT * { VALUES (?x ?y) { " + "(1 -2) " * 20000 + "} ?s ?p ?x }",
        "SELECT * { " + "OPTIONAL { ?s ?p ?o } " * 100 + "}",
    ],
    ids=["at-the-limit", "brackets-in-strings-and-comments", "values", "hundred-optionals"],
)
def test_ordinary_queries_pass(query: str) -> None:
    """At the depth limit, brackets in strings and comments, and 20,000 VALUES rows pass."""
    check_shape(query)
