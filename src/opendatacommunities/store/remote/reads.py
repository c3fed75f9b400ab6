"""One release on a remote engine, read as the embedded store is (``GraphStore``).

Every query is scoped to the release's own graphs through the protocol's
``default-graph-uri`` and ``named-graph-uri``; the site's graph names are turned into the
release's (``layout.release_graph``) in the query text and back in the answers, so readers
see the same names as in an embedded release. Answers are parsed by pyoxigraph into the
objects its ``Store`` returns.

Where the engines differ from the embedded store, this is the one place that evens it out:
Virtuoso names blank nodes ``nodeID://...``, which the SPARQL results formats do not allow
(the prefix is dropped); a blank node cannot be asked about by its label on any engine (a
label in a query is a fresh variable), so patterns with a blank node match nothing here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolution,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
    parse_query_results,
)

from opendatacommunities.errors import GraphQueryError
from opendatacommunities.store.graph_store import GraphName
from opendatacommunities.store.remote import control
from opendatacommunities.store.remote.endpoint import Endpoint, Scope
from opendatacommunities.store.remote.layout import DEFAULT, release_graph, release_iri

RESULTS = "application/sparql-results+json"
TRIPLES = "application/n-triples"
_KIND = re.compile(
    r"^\s*(?:(?:PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*|#[^\n]*\n\s*)*(\w+)", re.IGNORECASE
)


class RemoteStore:
    """Release ``release_id``'s graphs on the engine ``endpoint`` reaches, read-only."""

    def __init__(self, endpoint: Endpoint, release_id: str) -> None:
        self.endpoint = endpoint
        self.release_id = release_id
        self.lateral = endpoint.lateral
        """Whether its engine runs ``LATERAL`` joins (see ``lateral_join``)."""
        self._prefix = release_iri(release_id) + ":"
        names = control.graphs_of(endpoint, release_id)
        self._engine_graphs = [g for g in names if g != release_graph(release_id, DEFAULT)]
        self._site_graphs = [g.removeprefix(self._prefix) for g in self._engine_graphs]
        # Longest first: a graph whose name starts with another's is replaced whole.
        self._renames = sorted(
            zip(self._site_graphs, self._engine_graphs, strict=True), key=lambda p: -len(p[0])
        )

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        """The release's named graphs, by the site's names."""
        return iter([NamedNode(g) for g in self._site_graphs])

    def __len__(self) -> int:
        """How many quads the release holds."""
        solutions = self.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", union=True)
        assert isinstance(solutions, QuerySolutions)
        row = next(iter(solutions), None)
        value = row[0] if row is not None else None
        return int(value.value) if isinstance(value, Literal) else 0

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
        union: bool = False,
    ) -> QuerySolutions | QueryBoolean | QueryTriples:
        """Run ``query`` on the engine over this release's graphs.

        :raises GraphQueryError: the engine refused or failed it.
        """
        scope = self._scope(use_default_graph_as_union or union, default_graph)
        text = self._to_engine(query)
        kind = _kind(query)
        if kind in {"CONSTRUCT", "DESCRIBE"}:
            return self._triples(text, scope)
        answer = self.endpoint.query(text, RESULTS, scope)
        try:
            return parse_query_results(self._from_engine(answer), QueryResultsFormat.JSON)
        except (SyntaxError, ValueError) as exc:
            raise GraphQueryError(f"the engine's answer does not parse: {exc}") from exc

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: NamedNode | BlankNode | Literal | Triple | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[Quad]:
        """The release's quads matching the pattern, by one query."""
        terms = (subject, predicate, object)
        if any(isinstance(t, BlankNode | Triple) for t in terms) or isinstance(
            graph_name, BlankNode
        ):
            return iter(())
        s, p, o = (str(t) if t is not None else f"?{n}" for t, n in zip(terms, "spo", strict=True))
        graph = "?g" if graph_name is None else f"<{self._graph_iri(graph_name)}>"
        query = f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH {graph} {{ {s} {p} {o} }} }}"
        solutions = self.query(query)
        assert isinstance(solutions, QuerySolutions)
        bound = (subject, predicate, object)
        return iter([_quad(row, bound, graph_name) for row in solutions])  # type: ignore[arg-type]

    def _graph_iri(self, graph: GraphName) -> str:
        if isinstance(graph, DefaultGraph):
            return release_graph(self.release_id, DEFAULT)
        return self._prefix + graph.value

    def _scope(self, union: bool, default: GraphName | list[GraphName] | None) -> Scope:
        named = [*self._engine_graphs, release_graph(self.release_id, DEFAULT)]
        if union:
            return Scope(default=named, named=named)
        chosen: Sequence[GraphName] = (
            [] if default is None else default if isinstance(default, list) else [default]
        )
        if not chosen:
            chosen = [DefaultGraph()]
        return Scope(default=[self._graph_iri(g) for g in chosen], named=named)

    def _to_engine(self, query: str) -> str:
        for site, engine in self._renames:
            query = query.replace(f"<{site}>", f"<{engine}>")
        return query

    def _from_engine(self, answer: bytes) -> bytes:
        answer = answer.replace(f'"{self._prefix}'.encode(), b'"')
        # Virtuoso's blank nodes are "nodeID://b1234": not a blank node label.
        return answer.replace(b'"nodeID://', b'"')

    def _triples(self, text: str, scope: Scope) -> QueryTriples:
        """A CONSTRUCT's or DESCRIBE's triples, as pyoxigraph's own answer to one."""
        answer = self.endpoint.query(text, TRIPLES, scope)
        answer = answer.replace(f"<{self._prefix}".encode(), b"<")
        held = Store()
        try:
            held.load(answer, RdfFormat.N_TRIPLES)
        except (SyntaxError, ValueError) as exc:
            raise GraphQueryError(f"the engine's answer does not parse: {exc}") from exc
        result = held.query("CONSTRUCT WHERE { ?s ?p ?o }")
        assert isinstance(result, QueryTriples)
        return result


def _kind(query: str) -> str:
    match = _KIND.match(query)
    return match.group(1).upper() if match else ""


def _quad(
    row: QuerySolution,
    terms: tuple[NamedNode | None, NamedNode | None, NamedNode | Literal | None],
    graph_name: GraphName | None,
) -> Quad:
    s, p, o = (
        given if given is not None else row[name] for given, name in zip(terms, "spo", strict=True)
    )
    graph = graph_name if graph_name is not None else row["g"]
    if isinstance(graph, NamedNode) and graph.value == DEFAULT:
        graph = DefaultGraph()
    return Quad(s, p, o, graph)  # type: ignore[arg-type]
