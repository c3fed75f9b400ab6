"""The query editor in a real browser (Debian's Chromium through Playwright): it loads from
this site alone, runs the query in its address, shows the results as a table, and keeps the
address of the query shown."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser

from tests.plugins.servers import serving_fixtures

QUERY = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?area ?label WHERE { ?area rdfs:label ?label FILTER(STR(?label) = "Glasgow City") }"""
#: Areas without their names: the table must name them anyway.
CODES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?area ?code WHERE { ?area skos:notation ?code FILTER(STR(?code) = "S12000049") }"""
GLASGOW = "/id/statistical-geography/S12000049"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The glasgow fixtures, served."""
    root = tmp_path_factory.mktemp("browser") / "store"

    with serving_fixtures(root) as settings:
        yield settings.base_iri


def test_editor_runs_the_query_in_its_address(server: str, browser: Browser) -> None:
    """Opening a shared query URL shows the query's results in a table, with nothing
    requested from any other site."""
    hosts: set[str] = set()
    page = browser.new_page()
    try:
        page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
        page.goto(f"{server}/sparql?query={quote(QUERY)}")
        cell = page.locator(".yasr table td", has_text="Glasgow City").first
        cell.wait_for(timeout=15_000)
        assert "Glasgow City" in cell.inner_text()
        assert "Glasgow City" in page.locator(".yasqe").inner_text()
        assert page.url.startswith(f"{server}/sparql?query=")
    finally:
        page.close()
    assert hosts == {urlsplit(server).netloc}


def test_results_table_names_and_links_resources(server: str, browser: Browser) -> None:
    """A resource in the results shows by its label, linked to its page on this site, with
    its IRI beside it; a literal shows as it is."""
    page = browser.new_page()
    try:
        page.goto(f"{server}/sparql?query={quote(CODES)}")
        link = page.locator(".yasr table td a.label").first
        link.wait_for(timeout=15_000)
        assert link.inner_text() == "Glasgow City"
        assert link.get_attribute("href") == GLASGOW
        cell = page.locator(".yasr table tbody tr").first
        assert f"{server}{GLASGOW}" in (cell.locator("a.iri").first.get_attribute("href") or "")
        assert "S12000049" in cell.inner_text()
        page.goto(server + GLASGOW.replace("/id/", "/doc/"))
        assert page.title().startswith("Glasgow City")
    finally:
        page.close()
