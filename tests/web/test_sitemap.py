"""``/robots.txt`` and the sitemaps, over the Glasgow fixtures plus a dataset, a cube and
another site's concept: every listed page is counted against the store, and past the size
limit the sitemap becomes an index whose children list the same pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import QuerySolutions

from opendatacommunities.config import Settings
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish

NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
EXTRA = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
</data/wards> a dcat:Dataset ; rdfs:label "Wards" .
</data/tiny> a qb:DataSet, dcat:Dataset ; rdfs:label "Tiny cube" .
</def/concept-scheme/colour> a skos:ConceptScheme ; rdfs:label "Colours" .
<http://elsewhere.example/concept/red> a skos:Concept ; rdfs:label "Red" .
"""
# What the sitemap must list, counted straight from the store: local IRIs typed as datasets,
# concepts, schemes, or with a class of the geography vocabulary.
PAGES_QUERY = f"""
SELECT (COUNT(DISTINCT ?s) AS ?n) {{
  ?s a ?t .
  FILTER(STRSTARTS(STR(?s), "{BASE}/"))
  FILTER(?t IN (<http://www.w3.org/ns/dcat#Dataset>, <http://purl.org/linked-data/cube#DataSet>,
                <http://www.w3.org/2004/02/skos/core#Concept>,
                <http://www.w3.org/2004/02/skos/core#ConceptScheme>)
         || (STRSTARTS(STR(?t), "{BASE}/def/geography/")
             && EXISTS {{ ?t a <http://www.w3.org/2002/07/owl#Class> }}))
}}"""


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    """A release of the fixtures and the extra resources above."""
    store = tmp_path / "store"
    publish(store, BASE, EXTRA)
    return store


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), follow_redirects=False)


@pytest.fixture
def site(store_dir: Path) -> Iterator[TestClient]:
    """The app, with the protocol's sitemap size."""
    with _client(Settings(base_iri=BASE, store_dir=store_dir, reload_seconds=0)) as client:
        yield client


def _pages_in_store(store_dir: Path) -> int:
    release = ReleaseRoot(store_dir).open_current_read_only()
    result = release.store.query(PAGES_QUERY, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return int(next(iter(result))[0].value)


def _locs(body: bytes, element: str) -> list[str]:
    root = ET.fromstring(body)
    return [e.text or "" for e in root.findall(f"sm:{element}/sm:loc", NS)]


def test_the_sitemap_lists_every_page_once(site: TestClient, store_dir: Path) -> None:
    response = site.get("/sitemap.xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    urls = _locs(response.content, "url")
    assert len(urls) == len(set(urls)) == _pages_in_store(store_dir)
    assert f"{BASE}/doc/statistical-geography/S12000049" in urls
    assert {f"{BASE}/data/wards", f"{BASE}/data/tiny"} <= set(urls)
    assert f"{BASE}/def/concept-scheme/colour" in urls
    assert not [url for url in urls if not url.startswith(BASE + "/") or "/resource" in url]


def test_lastmod_is_the_release_and_repeats_are_304(site: TestClient, store_dir: Path) -> None:
    published = ReleaseRoot(store_dir).open_current_read_only().published
    response = site.get("/sitemap.xml")
    root = ET.fromstring(response.content)
    lastmods = {e.text for e in root.findall("sm:url/sm:lastmod", NS)}
    assert lastmods == {published.isoformat(timespec="seconds")}
    again = site.get("/sitemap.xml", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    head = site.head("/sitemap.xml")
    assert head.status_code == 200 and head.content == b""


def test_past_the_limit_the_sitemap_is_an_index(site: TestClient, store_dir: Path) -> None:
    every = _locs(site.get("/sitemap.xml").content, "url")
    settings = Settings(base_iri=BASE, store_dir=store_dir, reload_seconds=0, sitemap_size=4)
    with _client(settings) as small:
        index = small.get("/sitemap.xml")
        children = _locs(index.content, "sitemap")
        assert children == [f"{BASE}/sitemap-{n}.xml" for n in range(1, len(children) + 1)]
        assert len(children) == -(-len(every) // 4) > 1
        listed = []
        for child in children:
            part = _locs(small.get(child.removeprefix(BASE)).content, "url")
            assert 1 <= len(part) <= 4
            listed += part
        assert listed == every
        missing = small.get(f"/sitemap-{len(children) + 1}.xml")
        assert missing.status_code == 404
        assert f"there are {len(children)}" in missing.text


def test_child_sitemaps_are_not_found_when_one_holds_all(site: TestClient) -> None:
    response = site.get("/sitemap-1.xml", headers={"accept": "application/json"})
    assert response.status_code == 404
    assert "/sitemap.xml lists every page" in response.text


def test_robots_points_at_the_sitemap_and_away_from_queries(site: TestClient) -> None:
    response = site.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /sparql" in lines and "Allow: /" in lines
    assert f"Sitemap: {BASE}/sitemap.xml" in lines
