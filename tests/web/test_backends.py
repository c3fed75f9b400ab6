"""The site's pages on each backend: the embedded store, Oxigraph server and Virtuoso hold the
same release (the fixtures and the tiny cube) and the same pages come out of each."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.store.remote.publish import RemotePublisher
from opendatacommunities.web import create_app
from tests.plugins.engines import Engine
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER, GLASGOW, TINY_CUBE


@pytest.fixture(scope="module", params=["embedded", "oxigraph_engine", "virtuoso_engine"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[TestClient]:
    """The fixtures published on one backend and served in process."""
    store = tmp_path_factory.mktemp("backend") / "store"
    release = publish(store, BASE, extra=TINY_CUBE)
    environ = {"ODC_BASE_IRI": BASE, "ODC_STORE_DIR": str(store), "ODC_RELOAD_SECONDS": "0"}
    if request.param != "embedded":
        engine: Engine = request.getfixturevalue(request.param)
        engine.clear()
        environ |= engine.environment()
        publisher = RemotePublisher(Settings.from_env(environ))
        publisher.upload(release)
        publisher.go_live(release.name)
        publisher.close()
    with TestClient(create_app(Settings.from_env(environ))) as client:
        yield client


@pytest.mark.parametrize(
    ("suffix", "media", "expected"),
    [
        ("", "text/html", "Glasgow City"),
        (".ttl", "text/turtle", "Glasgow City"),
        (".nt", "application/n-triples", '"Glasgow City"'),
        (".jsonld", "application/ld+json", "Glasgow City"),
        (".rdf", "application/rdf+xml", "Glasgow City"),
    ],
)
def test_a_document_in_each_format(
    site: TestClient, suffix: str, media: str, expected: str
) -> None:
    response = site.get(GLASGOW + suffix, headers={"accept": BROWSER})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert expected in response.text
    assert "S12000049" in response.text


def test_the_areas_glasgow_contains_are_listed_on_its_page(site: TestClient) -> None:
    page = site.get(GLASGOW, headers={"accept": BROWSER}).text
    for ward in ("Cardonald", "Govan", "Newlands/Auldburn"):
        assert ward in page


def test_a_cube_page(site: TestClient) -> None:
    page = site.get("/data/tiny", headers={"accept": BROWSER})
    assert page.status_code == 200
    assert "Tiny cube" in page.text
    assert "Colour" in page.text


def test_a_cube_slice(site: TestClient) -> None:
    """On every engine: Virtuoso 7, which has no LATERAL, gets the slicer's joins plain."""
    sliced = site.get("/data/tiny/slice.csv")
    assert sliced.status_code == 200
    assert "Red" in sliced.text and "Blue" in sliced.text
    assert "3" in sliced.text and "5" in sliced.text


def test_search_finds_an_area(site: TestClient) -> None:
    response = site.get("/search.json", params={"q": "Govan"})
    assert response.status_code == 200
    assert "/id/statistical-geography/S13002971" in response.text


def test_the_data_list_and_the_catalogue(site: TestClient) -> None:
    listing = site.get("/data", headers={"accept": BROWSER})
    assert listing.status_code == 200
    catalogue = site.get("/catalog", headers={"accept": "text/turtle"})
    assert catalogue.status_code == 200
    assert "dcat" in catalogue.text.lower()


def test_a_named_query(site: TestClient) -> None:
    response = site.get(
        "/queries/areas-by-name", params={"name": "Govan"}, headers={"accept": "text/csv"}
    )
    assert response.status_code == 200, response.text
    assert "S13002971" in response.text
