"""The ways in: the home page, search, lists of everything of a type, and the geography
levels, over the Glasgow fixtures plus two wards named "Castle" in different authorities."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER

GEO = f"{BASE}/def/geography/"
EXTRA = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix geography: </def/geography/> .
@prefix sg: </id/statistical-geography/> .
sg:W06000015 a geography:CouncilArea ; rdfs:label "Cardiff"@en, "Caerdydd"@cy ;
    skos:notation "W06000015" .
sg:W05000851 a geography:ElectoralWard ; rdfs:label "Castle"@en ; skos:notation "W05000851" ;
    geography:parent sg:W06000015 .
sg:E05001092 a geography:ElectoralWard ; rdfs:label "Castle"@en ; skos:notation "E05001092" .
sg:W06000001 a geography:CouncilArea ; rdfs:label "Ynys Môn"@cy, "Isle of Anglesey"@en ;
    skos:notation "W06000001" .
sg:S13000999 a geography:ElectoralWard ; rdfs:label "Castle Hill"@en ;
    skos:notation "S13000999" ; geography:status "archived" .
"""


@pytest.fixture
def browse(tmp_path: Path) -> Iterator[TestClient]:
    """The app over the fixtures and the extra areas above."""
    store = tmp_path / "store"
    publish(store, BASE, extra=EXTRA)
    settings = Settings(base_iri=BASE, store_dir=store, reload_seconds=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def _results(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/search.json", params={"q": query})
    assert response.status_code == 200, response.text
    results: list[dict[str, str]] = response.json()["results"]
    return results


def test_a_code_finds_its_area_first(browse: TestClient) -> None:
    """An exact code is the first hit, with the area's name, kind and page."""
    first = _results(browse, "s12000049")[0]
    assert first["uri"] == f"{BASE}/id/statistical-geography/S12000049"
    assert first["label"] == "Glasgow City"
    assert first["kind"] == "council area"
    assert first["page"] == "/doc/statistical-geography/S12000049"


def test_names_that_repeat_say_where_they_are(browse: TestClient) -> None:
    """Two wards called Castle: exact names before longer ones, each with its authority,
    the archived one marked."""
    results = _results(browse, "castle")
    assert [r["label"] for r in results] == ["Castle", "Castle", "Castle Hill"]
    assert {r["within"] for r in results[:2]} == {"Cardiff", ""}
    assert results[2]["status"] == "archived"


def test_search_ignores_accents_and_knows_other_names(browse: TestClient) -> None:
    """ "ynys mon" finds Ynys Môn, shown by its English name; Welsh names find too."""
    assert [r["label"] for r in _results(browse, "ynys mon")] == ["Isle of Anglesey"]
    assert [r["label"] for r in _results(browse, "Caerdydd")] == ["Cardiff"]


def test_every_word_must_match(browse: TestClient) -> None:
    """Words may come in any order but all must be found."""
    assert [r["label"] for r in _results(browse, "city glasgow")] == [
        "Glasgow City",
        "Glasgow City",
    ]
    assert _results(browse, "glasgow castle") == []


def test_search_page_reads_well_and_escapes(browse: TestClient) -> None:
    """The HTML page lists the matches with their kind, and shows the query escaped."""
    page = browse.get("/search", params={"q": "castle"}, headers={"accept": BROWSER})
    assert page.status_code == 200
    assert "3 matches" in page.text
    assert "in Cardiff" in page.text
    hostile = browse.get("/search", params={"q": "<script>x</script>"})
    assert "<script>x</script>" not in hostile.text
    assert "&lt;script&gt;x&lt;/script&gt;" in hostile.text


def test_search_csv_twin(browse: TestClient) -> None:
    """The CSV twin has the same rows as the JSON one."""
    response = browse.get("/search.csv", params={"q": "castle"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [row["uri"] for row in rows] == [r["uri"] for r in _results(browse, "castle")]


def test_resources_lists_everything_of_a_type(browse: TestClient) -> None:
    """Every electoral ward by name, filtered by a word; unknown types are 404s."""
    everything = browse.get("/resources.json", params={"type": GEO + "ElectoralWard"}).json()
    labels = [r["label"] for r in everything["results"]]
    assert labels == sorted(labels, key=str.casefold)
    assert {"Linn", "Castle", "Castle Hill"} <= set(labels)
    filtered = browse.get("/resources.json", params={"type": GEO + "ElectoralWard", "q": "hill"})
    assert [r["label"] for r in filtered.json()["results"]] == ["Castle Hill"]
    assert browse.get("/resources", params={"type": GEO + "Nowhere"}).status_code == 404
    assert browse.get("/resources").status_code == 400


def test_geography_levels_count_their_areas(browse: TestClient) -> None:
    """Each kind of area with its count, linked to the list of them."""
    levels = browse.get("/geography.json").json()["levels"]
    counts = {level["label"]: level["areas"] for level in levels}
    assert counts["council area"] == 5
    assert counts["country"] == 1
    page = browse.get("/geography", headers={"accept": BROWSER})
    assert "/resources?type=" in page.text


def test_home_page_shows_the_ways_in(browse: TestClient) -> None:
    """The home page answers (it was a 404), with search, geography and SPARQL."""
    page = browse.get("/", headers={"accept": BROWSER})
    assert page.status_code == 200
    for text in ('action="/search"', 'href="/sparql"', "Council area"):
        assert text in page.text
    assert browse.head("/").status_code == 200


def test_lists_revalidate_per_release(browse: TestClient) -> None:
    """An ETag per release: a second request with it gets a 304."""
    first = browse.get("/search.json", params={"q": "linn"})
    again = browse.get(
        "/search.json", params={"q": "linn"}, headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304


def test_bad_requests_name_the_problem(browse: TestClient) -> None:
    """Pages that do not exist and overlong queries are refused with a message."""
    assert browse.get("/search.xml", params={"q": "x"}).status_code == 404
    assert browse.get("/search", params={"q": "x" * 500}).status_code == 400
    assert browse.get("/search", params={"q": "castle", "page": "0"}).status_code == 400
    assert browse.get("/search", params={"q": "castle", "page": "9"}).status_code == 404
