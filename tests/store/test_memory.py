"""In-memory graphs: loading, querying, patterns, and pyoxigraph's errors translated."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, Literal, NamedNode, Quad, QuerySolutions, RdfFormat

from opendatacommunities.errors import GraphQueryError, SourceError
from opendatacommunities.store.memory import MemoryGraph

EX = "http://example.org/"
TURTLE = f"""@prefix ex: <{EX}> .
ex:a ex:p ex:b ; ex:label "A" .
ex:b ex:p ex:c .
"""


def _graph() -> MemoryGraph:
    graph = MemoryGraph()
    graph.load(TURTLE.encode(), RdfFormat.TURTLE)
    return graph


def test_loads_and_counts() -> None:
    """Loaded triples land in the default graph and are counted and iterated."""
    graph = _graph()
    assert len(graph) == 3
    assert {q.graph_name for q in graph} == {DefaultGraph()}


def test_loads_into_a_named_graph_and_queries_the_union() -> None:
    """``to_graph`` names the graph; ``union`` reads every graph as the default one."""
    graph = MemoryGraph()
    named = NamedNode(EX + "g")
    graph.load(TURTLE.encode(), RdfFormat.TURTLE, to_graph=named)
    query = f"SELECT ?o WHERE {{ <{EX}a> <{EX}p> ?o }}"
    assert list(graph.select(query)) == []
    assert [row["o"] for row in graph.select(query, union=True)] == [NamedNode(EX + "b")]
    assert [row["o"] for row in graph.query(query, default_graph=named)] == [NamedNode(EX + "b")]  # type: ignore[index,union-attr]
    assert graph.dump(named).count(b"\n") == 3 and graph.dump(DefaultGraph()) == b""


def test_loads_files_by_extension(tmp_path: Path) -> None:
    """``of_file`` picks the format from the extension; a relative IRI resolves on ``base_iri``."""
    path = tmp_path / "data.ttl"
    path.write_text(TURTLE, encoding="utf-8")
    assert len(MemoryGraph.of_file(path)) == 3
    graph = MemoryGraph()
    graph.load(b"<a> <b> <c> .", RdfFormat.TURTLE, base_iri=EX)
    assert [q.subject for q in graph] == [NamedNode(EX + "a")]


def test_select_ask_and_update() -> None:
    """SELECT gives rows, ASK a bool, and an update changes the graph."""
    graph = _graph()
    rows = graph.select(f"SELECT ?s WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s")
    assert isinstance(rows, QuerySolutions)
    assert [row["s"] for row in rows] == [NamedNode(EX + "a"), NamedNode(EX + "b")]
    assert graph.ask(f'ASK {{ ?s <{EX}label> "A" }}') is True
    graph.update(f"DELETE WHERE {{ ?s <{EX}label> ?l }}")
    assert graph.ask(f"ASK {{ ?s <{EX}label> ?l }}") is False


def test_custom_functions_are_called() -> None:
    """``functions`` adds SPARQL extension functions written in Python."""
    shout = NamedNode(EX + "shout")
    graph = _graph()
    query = f"SELECT ({shout}(?l) AS ?x) WHERE {{ ?s <{EX}label> ?l }}"
    result = graph.query(query, functions={shout: lambda term: Literal(term.value.upper())})
    assert [row["x"] for row in result] == [Literal("A")]  # type: ignore[index,union-attr]


def test_patterns_match_quads() -> None:
    """``quads`` matches any of subject, predicate, object, graph."""
    graph = _graph()
    p = NamedNode(EX + "p")
    assert {q.subject for q in graph.quads(None, p)} == {NamedNode(EX + "a"), NamedNode(EX + "b")}
    assert [q.object for q in graph.quads(NamedNode(EX + "a"), p)] == [NamedNode(EX + "b")]
    assert list(graph.quads(None, None, NamedNode(EX + "a"))) == []
    assert len(list(graph.quads(graph=DefaultGraph()))) == 3


def test_extend_keeps_blank_node_labels() -> None:
    """Quads added with ``extend`` keep their blank nodes (loading renames them)."""
    from pyoxigraph import BlankNode

    graph = MemoryGraph()
    node = BlankNode("keep")
    graph.extend([Quad(node, NamedNode(EX + "p"), Literal("1"))])
    assert [q.subject for q in graph] == [node]


def test_bad_rdf_is_a_source_error_naming_the_file(tmp_path: Path) -> None:
    """pyoxigraph's SyntaxError becomes a SourceError naming the file (or "RDF data")."""
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken\.ttl: cannot read RDF"):
        MemoryGraph.of_file(broken)
    with pytest.raises(SourceError, match=r"^RDF data: cannot read RDF"):
        MemoryGraph().load(b"not turtle", RdfFormat.TURTLE)
    with pytest.raises(SourceError, match=r"missing\.nt"):
        MemoryGraph().load(path=tmp_path / "missing.nt")
    with pytest.raises(SourceError, match="unknown RDF file extension"):
        MemoryGraph.of_file(tmp_path / "data.xyz")


def test_bad_queries_are_graph_query_errors() -> None:
    """A query the engine refuses, or of the wrong form, is a GraphQueryError."""
    graph = _graph()
    with pytest.raises(GraphQueryError, match="the query cannot run"):
        graph.query("SELEC ?s WHERE { ?s ?p ?o }")
    with pytest.raises(GraphQueryError, match="not a SELECT"):
        graph.select("ASK { ?s ?p ?o }")
    with pytest.raises(GraphQueryError, match="not an ASK"):
        graph.ask("SELECT * WHERE { ?s ?p ?o }")
    with pytest.raises(GraphQueryError, match="the update cannot run"):
        graph.update("INSERT NOTHING")
    assert len(graph) == 3
