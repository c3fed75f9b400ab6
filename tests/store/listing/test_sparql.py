"""The SPARQL of a list, run on a real release of the fixtures: the page's items in order,
the capped count, the page's values and their RDF with its Hydra view."""

from __future__ import annotations

import pyoxigraph
from pyoxigraph import QuerySolutions, RdfFormat

from opendatacommunities.store import Release
from opendatacommunities.store.listing import read_parameters, scope_of
from opendatacommunities.store.listing.query import ListQuery, resolve
from opendatacommunities.store.listing.rows import Statements, View, cell, page_rdf
from opendatacommunities.store.listing.sparql import count_query, page_query, values_query
from tests.plugins.project import BASE

SG = f"{BASE}/id/statistical-geography/"
MAX_PAGE = 100_000
"""The site's bound on pages (``web.target.MAX_PAGE``)."""
GEO = f"{BASE}/def/geography/"


def _query(release: Release, *items: tuple[str, str]) -> ListQuery:
    scope = scope_of(release, BASE, [GEO + "ElectoralWard", GEO + "CouncilArea"])
    return resolve(read_parameters(list(items), max_page=MAX_PAGE), scope)


def _select(release: Release, text: str) -> list[str]:
    result = release.store.query(text, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return [str(row[0].value) for row in result]


def test_pages_in_order_with_one_more(release: Release) -> None:
    """Sorted by code, descending; the page asks for one item more than it shows."""
    query = _query(release, ("type", "ElectoralWard"), ("_sort", "-notation"), ("_pageSize", "2"))
    assert _select(release, page_query(query)) == [
        SG + "S13002971",
        SG + "S13002970",
        SG + "S13002969",
    ]


def test_counts_stop_past_the_cap(release: Release) -> None:
    """The count query counts the matching items (here well under the cap)."""
    query = _query(release, ("type", "CouncilArea"), ("exists-status", "true"))
    assert _select(release, count_query(query)) == ["2"]


def test_a_dataset_is_its_graph(release: Release) -> None:
    """``dataset`` keeps the items typed in that graph."""
    query = _query(release, ("dataset", "reference-geography"), ("notation", "S92000003"))
    assert _select(release, page_query(query)) == [SG + "S92000003"]
    query = _query(release, ("dataset", "ontology"), ("notation", "S92000003"))
    assert _select(release, page_query(query)) == []


def test_values_follow_paths_and_write_hydra(release: Release) -> None:
    """The values of a column along a path, shown by name; the page as Turtle with its
    members, count and next page."""
    query = _query(release, ("type", "ElectoralWard"), ("_properties", "parent.within"))
    linn = SG + "S13002967"
    result = release.store.query(
        values_query([linn], query.columns), use_default_graph_as_union=True
    )
    triples = list(result)
    statements = Statements(triples)
    column = query.columns[0]
    assert column is not None
    assert [v.iri for v in cell(statements, linn, column, lambda iri: None)] == [SG + "S92000003"]
    assert statements.label(linn) == "Linn" and statements.notation(linn) == "S13002967"
    view = View(f"{BASE}/resources", f"{BASE}/resources?_page=1", None, f"{BASE}/r?_page=2", 5)
    body = page_rdf(triples, [linn], view, RdfFormat.TURTLE)
    parsed = pyoxigraph.Store()
    parsed.load(body, format=RdfFormat.TURTLE)
    asked = parsed.query(
        "ASK { ?c <http://www.w3.org/ns/hydra/core#member> ?m ; "
        "<http://www.w3.org/ns/hydra/core#totalItems> 5 ; "
        "<http://www.w3.org/ns/hydra/core#view>/<http://www.w3.org/ns/hydra/core#next> ?n }"
    )
    assert bool(asked)
