"""The figures a VoID description of a release gives: its size, its classes, and the links
out to other sites' URIs, read once per release."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pyoxigraph import QuerySolutions

from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import DCAT, OWL_SAME_AS, RDF_TYPE, SKOS, VOID

#: The properties that say two IRIs name the same thing: what a linkset counts.
LINK_PREDICATES = (OWL_SAME_AS, SKOS + "exactMatch")


@dataclass(frozen=True)
class VoidFigures:
    """A release's size and links, as VoID states them."""

    triples: int
    classes: tuple[tuple[str, int], ...]
    """Each class, with how many resources it has, most first."""
    links: tuple[tuple[str, str, int], ...]
    """(predicate, target URI space, count) for each target space with links."""
    datasets: tuple[tuple[str, int], ...] = ()
    """Each dataset of the catalogue with the triples it was published with."""


def void_figures(release: Release, targets: Sequence[str], catalogue: str) -> VoidFigures:
    """Count ``release``'s triples, its resources by class, and its links (``LINK_PREDICATES``)
    to IRIs under each of ``targets`` (URI spaces, such as ``http://statistics.gov.scot/``);
    list the datasets of ``catalogue`` with their sizes."""
    store = release.store
    classes = store.query(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) {{ ?s <{RDF_TYPE}> ?c }} GROUP BY ?c",
        use_default_graph_as_union=True,
    )
    assert isinstance(classes, QuerySolutions)
    by_class = sorted(
        ((str(row[0].value), int(row[1].value)) for row in classes if row[0] is not None),
        key=lambda pair: (-pair[1], pair[0]),
    )
    values = " ".join(f"<{p}>" for p in LINK_PREDICATES)
    links = store.query(
        f"SELECT ?p ?o {{ VALUES ?p {{ {values} }} ?s ?p ?o FILTER(isIRI(?o)) }}",
        use_default_graph_as_union=True,
    )
    assert isinstance(links, QuerySolutions)
    counted: Counter[tuple[str, str]] = Counter()
    for predicate, target in links:
        space = next((t for t in targets if str(target.value).startswith(t)), None)
        if space is not None:
            counted[(str(predicate.value), space)] += 1
    found = tuple(sorted((p, space, n) for (p, space), n in counted.items()))
    return VoidFigures(len(store), tuple(by_class), found, _datasets(release, catalogue))


def _datasets(release: Release, catalogue: str) -> tuple[tuple[str, int], ...]:
    result = release.store.query(
        f"SELECT ?d (MAX(?n) AS ?size) {{ <{catalogue}> <{DCAT}dataset> ?d . "
        f"?d <{VOID}triples> ?n }} GROUP BY ?d ORDER BY ?d",
        use_default_graph_as_union=True,
    )
    assert isinstance(result, QuerySolutions)
    return tuple((str(row[0].value), int(row[1].value)) for row in result)
