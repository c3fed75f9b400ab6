"""Rows read in one call (through TSV) hold exactly the values that iterating the solutions
gives, whatever the literals hold; a graph is read alone or all graphs as one."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, Store

from opendatacommunities.store.result_rows import select_rows, solutions

P = NamedNode("http://example.org/p")
XSD = "http://www.w3.org/2001/XMLSchema#"
#: Text with everything TSV must escape: tabs, line breaks, quotes, backslashes, and
#: characters from outside the Basic Multilingual Plane.
AWKWARD = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=40
)
OBJECTS = st.one_of(
    AWKWARD.map(Literal),
    st.tuples(AWKWARD, st.sampled_from(["en", "cy", "gd-GB"])).map(
        lambda pair: Literal(pair[0], language=pair[1])
    ),
    st.integers(-(10**20), 10**20).map(Literal),
    st.floats(allow_nan=True).map(Literal),
    st.booleans().map(Literal),
    st.sampled_from(["2020-02-29", "-0044-03-15"]).map(
        lambda day: Literal(day, datatype=NamedNode(XSD + "date"))
    ),
    st.from_regex(r"[a-z][a-z0-9]{0,8}", fullmatch=True).map(
        lambda name: NamedNode(f"http://example.org/{name}")
    ),
)


def _iterated(result: QuerySolutions) -> list[tuple[str | None, ...]]:
    """The rows as iterating the solutions gives them, each term as its plain value."""
    rows = []
    for solution in result:
        terms = [solution[name] for name in result.variables]
        rows.append(tuple(None if term is None else str(term.value) for term in terms))
    return rows


@settings(max_examples=150, deadline=None)
@given(objects=st.lists(OBJECTS, min_size=1, max_size=12))
def test_rows_read_at_once_equal_rows_iterated(objects: list[Literal | NamedNode]) -> None:
    store = Store()
    for n, value in enumerate(objects):
        store.add(Quad(NamedNode(f"http://example.org/s{n}"), P, value, DefaultGraph()))
    query = "SELECT ?s ?o ?missing { ?s <http://example.org/p> ?o } ORDER BY ?s"
    fast = select_rows(store, query)
    assert fast == _iterated(solutions(store, query))
    assert all(row[2] is None for row in fast)
    assert len(fast) == len(objects)


def test_blank_nodes_keep_a_label() -> None:
    store = Store()
    store.add(Quad(BlankNode("b1"), P, Literal("x"), DefaultGraph()))
    ((subject, value),) = select_rows(store, "SELECT ?s ?o { ?s ?p ?o }")
    assert subject is not None and subject.startswith("_:")
    assert value == "x"


def test_one_graph_or_the_union_of_all() -> None:
    store = Store()
    for graph in ("a", "b"):
        g = NamedNode(f"http://example.org/graph/{graph}")
        store.add(Quad(NamedNode("http://example.org/s"), P, Literal(graph), g))
    query = "SELECT ?o { ?s ?p ?o } ORDER BY ?o"
    assert select_rows(store, query) == [("a",), ("b",)]
    assert select_rows(store, query, graph="http://example.org/graph/b") == [("b",)]
    assert select_rows(store, query, graph="http://example.org/graph/none") == []


def test_only_a_select_query_gives_rows() -> None:
    with pytest.raises(ValueError, match="a SELECT query was expected"):
        select_rows(Store(), "ASK { ?s ?p ?o }")
    with pytest.raises(SyntaxError):
        select_rows(Store(), "SELECT ?s { ?s ?p }")
