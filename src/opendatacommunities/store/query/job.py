"""One SPARQL query for a worker to run: the query, the release, the protocol's dataset and
the formats the client accepts."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

Term = NamedNode | BlankNode | Literal | Triple


@dataclass(frozen=True)
class Job:
    """One query to run, with the protocol's dataset and the formats the client accepts."""

    query: str
    store_path: str
    solutions_format: str | None = None
    """Media type for SELECT and ASK results, or None if the client accepts none."""
    graph_format: str | None = None
    """Media type for CONSTRUCT and DESCRIBE results, or None if the client accepts none."""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: dict[str, Term] = field(default_factory=dict)
    base_iri: str | None = None
    site: str | None = None
    """The site's base IRI: the query may use its common prefixes (``query_prefixes``)
    without declaring them."""
