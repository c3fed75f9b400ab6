"""The resources a release has pages for, read once per release for its sitemap: its
datasets, areas and concepts, found by their types."""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode, QuerySolutions

from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import OWL, RDF_TYPE


def page_iris(release: Release, classes: Iterable[str], vocabulary: str) -> list[str]:
    """The IRIs of ``release`` typed with one of ``classes`` or with a class of
    ``vocabulary`` (a namespace: the geography's areas), once each, sorted."""
    store = release.store
    return subjects_of_types(store, (*classes, *classes_in(store, vocabulary)))


def classes_in(store: GraphStore, namespace: str) -> list[str]:
    """The OWL classes of one vocabulary (``namespace``), sorted."""
    query = (
        f"SELECT DISTINCT ?c {{ ?c <{RDF_TYPE}> <{OWL}Class> "
        f'FILTER(STRSTARTS(STR(?c), "{namespace}")) }}'
    )
    return sorted(_column(store, query))


def subjects_of_types(store: GraphStore, classes: Iterable[str]) -> list[str]:
    """Every IRI typed with one of ``classes``, once each, sorted. The ``VALUES`` block
    makes Oxigraph look each class up in its index rather than scan every typed resource
    (millions of observations)."""
    values = " ".join(str(NamedNode(iri)) for iri in classes)
    if not values:
        return []
    query = (
        f"SELECT DISTINCT ?s {{ VALUES ?t {{ {values} }} ?s <{RDF_TYPE}> ?t FILTER(isIRI(?s)) }}"
    )
    return sorted(_column(store, query))


def _column(store: GraphStore, query: str) -> set[str]:
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return {str(row[0].value) for row in result if row[0] is not None}
