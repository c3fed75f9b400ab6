"""In-memory graphs: the store the publishing checks run on (SHACL, the Data Cube integrity
constraints, links between datasets), and the one way other packages load RDF to query it.

``validation`` and ``cube`` sit beside ``store`` in the layers, yet need a graph to query:
this module is the one part of ``store`` they may import (the layers contract in
``pyproject.toml`` says so), which keeps pyoxigraph's ``Store`` and the running of SPARQL
inside ``store``. pyoxigraph's exceptions are translated here: a file that cannot be read is
a ``SourceError`` naming it, a query the engine refuses is a ``GraphQueryError``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    RdfFormat,
    Store,
    Triple,
)

from opendatacommunities.errors import GraphQueryError, SourceError

#: A graph of a store: its default graph or a named graph.
GraphName = NamedNode | BlankNode | DefaultGraph
#: The graphs a query reads as its default graph: one, or the union of several.
DefaultGraphs = GraphName | list[GraphName]
#: A SPARQL function written in Python, called by the engine with the arguments' terms.
Function = Callable[..., NamedNode | BlankNode | Literal | Triple | None]
#: What a query answers: rows (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
Results = QuerySolutions | QueryBoolean | QueryTriples


class MemoryGraph:
    """An RDF dataset held in memory: loaded from files or quads, then queried.

    >>> graph = MemoryGraph()
    >>> graph.load(b"<http://e/s> <http://e/p> 1 .", RdfFormat.TURTLE)
    >>> len(graph), graph.ask("ASK { ?s <http://e/p> 1 }")
    (1, True)
    """

    def __init__(self) -> None:
        self._store = Store()

    @classmethod
    def of_file(cls, path: Path) -> MemoryGraph:
        """A graph holding one RDF file (format from its extension) in its default graph.

        :raises SourceError: if the file is missing, of an unknown format, or not valid RDF.
        """
        fmt = RdfFormat.from_extension(path.suffix.lstrip("."))
        if fmt is None:
            raise SourceError("unknown RDF file extension", file=str(path))
        graph = cls()
        graph.load(path=path, format=fmt)
        return graph

    def load(
        self,
        data: bytes | None = None,
        format: RdfFormat = RdfFormat.N_TRIPLES,
        *,
        path: Path | None = None,
        base_iri: str | None = None,
        to_graph: GraphName | None = None,
    ) -> None:
        """Add the triples of ``data`` or of the file at ``path`` (into ``to_graph``, else the
        default graph), streamed rather than held twice; blank nodes get fresh names.

        :raises SourceError: naming the file (or "RDF data") and the parser's message.
        """
        try:
            self._store.bulk_load(
                data, format, path=path, base_iri=base_iri, to_graph=to_graph or DefaultGraph()
            )
        except (OSError, SyntaxError, ValueError) as error:
            raise SourceError(f"cannot read RDF: {error}", file=str(path or "RDF data")) from None

    def extend(self, quads: Iterable[Quad]) -> None:
        """Add ``quads`` as they are (their blank nodes keep their names)."""
        self._store.extend(quads)

    def query(
        self,
        text: str,
        *,
        union: bool = False,
        default_graph: DefaultGraphs | None = None,
        functions: dict[NamedNode, Function] | None = None,
    ) -> Results:
        """Run a SPARQL query. ``union`` reads every graph as the default graph, and
        ``default_graph`` names the graphs it reads; ``functions`` adds extension functions.

        :raises GraphQueryError: if the engine refuses the query or fails running it.
        """
        try:
            return self._store.query(
                text,
                use_default_graph_as_union=union,
                default_graph=default_graph,
                custom_functions=functions,
            )
        except (OSError, SyntaxError, ValueError) as error:
            raise GraphQueryError(f"the query cannot run: {error}") from None

    def select(self, text: str, *, union: bool = False) -> QuerySolutions:
        """The rows of a SELECT query (``union``: over every graph, as for ``query``).

        :raises GraphQueryError: if it cannot run, or is not a SELECT.
        """
        result = self.query(text, union=union)
        if not isinstance(result, QuerySolutions):
            raise GraphQueryError("the query is not a SELECT")
        return result

    def ask(self, text: str) -> bool:
        """The answer of an ASK query.

        :raises GraphQueryError: if it cannot run, or is not an ASK.
        """
        result = self.query(text)
        if not isinstance(result, QueryBoolean):
            raise GraphQueryError("the query is not an ASK")
        return bool(result)

    def update(self, text: str) -> None:
        """Run a SPARQL update (the graph is the checker's own copy, so it may change).

        :raises GraphQueryError: if the engine refuses the update or fails running it.
        """
        try:
            self._store.update(text)
        except (OSError, SyntaxError, ValueError) as error:
            raise GraphQueryError(f"the update cannot run: {error}") from None

    def quads(
        self,
        subject: NamedNode | BlankNode | Triple | None = None,
        predicate: NamedNode | None = None,
        obj: NamedNode | BlankNode | Literal | Triple | None = None,
        graph: GraphName | None = None,
    ) -> Iterator[Quad]:
        """The quads matching a pattern (None matches anything; every graph unless named)."""
        return self._store.quads_for_pattern(subject, predicate, obj, graph)

    def dump(self, graph: GraphName, format: RdfFormat = RdfFormat.N_TRIPLES) -> bytes:
        """The triples of one graph, serialised."""
        return self._store.dump(format=format, from_graph=graph) or b""

    def __iter__(self) -> Iterator[Quad]:
        return iter(self._store)

    def __len__(self) -> int:
        return len(self._store)
