"""What the store's readers use of a release's triple store, whichever engine holds it:
pyoxigraph's ``Store`` (embedded) and ``store.remote.reads.RemoteStore`` both are one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    Quad,
    QueryBoolean,
    QuerySolutions,
    QueryTriples,
    Triple,
)

GraphName = NamedNode | BlankNode | DefaultGraph


class GraphStore(Protocol):
    """A release's triples, read-only: SPARQL queries, quad patterns and graph names."""

    def query(
        self,
        query: str,
        *,
        use_default_graph_as_union: bool = False,
        default_graph: GraphName | list[GraphName] | None = None,
    ) -> QuerySolutions | QueryBoolean | QueryTriples:
        """Run a SPARQL query over the whole store (``use_default_graph_as_union``), or
        with ``default_graph`` as its default graph."""
        ...

    def quads_for_pattern(
        self,
        subject: NamedNode | BlankNode | Triple | None,
        predicate: NamedNode | None,
        object: NamedNode | BlankNode | Literal | Triple | None,
        graph_name: GraphName | None = None,
    ) -> Iterator[Quad]:
        """The quads matching the pattern (None matches anything)."""
        ...

    def named_graphs(self) -> Iterator[NamedNode | BlankNode]:
        """The names of the store's named graphs."""
        ...

    def __len__(self) -> int:
        """How many quads the store holds."""
        ...


def lateral_join(store: GraphStore) -> str:
    """What joins two groups of a query on ``store``: SPARQL 1.2's ``LATERAL``, with which the
    second is looked up per solution of the first, where the engine runs it (Oxigraph,
    embedded or served); otherwise nothing, a plain join with the same answers (Virtuoso 7,
    an engine of SPARQL 1.1 only).

    >>> from pyoxigraph import Store
    >>> lateral_join(Store())
    'LATERAL'
    """
    return "LATERAL" if getattr(store, "lateral", True) else ""
