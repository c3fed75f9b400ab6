"""The Glasgow catalogue's descriptions hold raw HTML: in a real browser (Debian's Chromium
through Playwright) none of it runs or becomes an element, neither on the harvested pages
nor if a description reached a page unconverted."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from opendatacommunities.config import Settings
from tests.plugins.project import BASE
from tests.plugins.releases import publish as publish_release
from tests.plugins.servers import serving_url

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "data" / "glasgow" / "gcc_open_data_catalogue_dcat.csv"
ENTRY = "/data/glasgow-open-data/"
# What our resource pages put in their property lists; anything else came from the data.
OUR_ELEMENTS = {"DL", "DT", "DD", "A", "SPAN", "CODE"}
HOSTILE = '<img src="x" onerror="window.__ran = 1"><script>window.__ran = 2</script>'
# Tags and attributes in the list of properties that no page of ours writes there.
FOREIGN = """(ours) => {
  const tags = new Set(ours);
  const found = [];
  for (const el of document.querySelectorAll("section.about dl *")) {
    if (!tags.has(el.tagName)) found.push(el.tagName);
    for (const attr of el.attributes) {
      if (attr.name.startsWith("on") || attr.name === "style") found.push(attr.name);
    }
  }
  return found;
}"""


def _html_rows() -> list[dict[str, str]]:
    with SOURCE.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if "<" in row["Description"]]


@pytest.fixture(scope="module")
def harvest(harvest_settings: Settings) -> Iterator[str]:
    """The harvest, published by the pipeline and served."""
    settings = harvest_settings
    with serving_url(settings) as url:
        yield url


def _inert(page: Page, url: str) -> list[str]:
    """Open ``url``; what of the data ran or became an element (empty: nothing)."""
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    found: list[str] = page.evaluate(FOREIGN, sorted(OUR_ELEMENTS))
    ran = page.evaluate("() => window.__ran === undefined ? [] : [String(window.__ran)]")
    return [*found, *ran, *dialogs]


def test_harvested_descriptions_are_inert(harvest: str, browser: Browser) -> None:
    """Every harvested entry whose description the council wrote in HTML shows it as text."""
    pages = sorted({row["PageURL"] for row in _html_rows()})
    assert len(pages) > 20
    ids = json.loads(_harvest_ids(harvest, browser))
    page = browser.new_page()
    try:
        for landing in pages:
            assert _inert(page, harvest + ENTRY + ids[landing]) == [], landing
        text = page.locator("section.about").inner_text()
        assert "&quot;" not in text and "<p" not in text
    finally:
        page.close()


def _harvest_ids(harvest: str, browser: Browser) -> str:
    """Landing page -> entry identifier, as JSON, read from the site's own SPARQL endpoint."""
    query = (
        "SELECT ?page ?id WHERE { ?d <http://www.w3.org/ns/dcat#landingPage> ?page ;"
        " <http://purl.org/dc/terms/identifier> ?id }"
    )
    page = browser.new_page()
    try:
        response = page.request.get(
            harvest + "/sparql",
            params={"query": query},
            headers={"accept": "application/sparql-results+json"},
        )
        rows = response.json()["results"]["bindings"]
    finally:
        page.close()
    return json.dumps({row["page"]["value"]: row["id"]["value"] for row in rows})


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A resource whose description is a council description as it came, HTML and all,
    after a script and an image that would run code (first: long text is shortened)."""
    root = tmp_path_factory.mktemp("raw") / "store"
    description = HOSTILE + _html_rows()[0]["Description"]
    turtle = (
        f"<{BASE}/id/raw> <http://www.w3.org/2000/01/rdf-schema#label> "
        f'"Raw description" ; <http://purl.org/dc/terms/description> {json.dumps(description)} .'
    )
    publish_release(root, BASE, extra=turtle, files=())
    with serving_url(Settings(base_iri=BASE, store_dir=root)) as url:
        yield url


def test_raw_council_html_would_be_inert(raw: str, browser: Browser) -> None:
    """Even unconverted, the council's HTML (and a script) shows as text and never runs."""
    page = browser.new_page()
    try:
        assert _inert(page, raw + "/doc/raw") == []
        text = page.locator("section.about").inner_text()
        assert "<script>window.__ran = 2</script>" in text
    finally:
        page.close()


def test_the_catalogue_lists_harvested_entries_with_their_downloads(harvest: str) -> None:
    """``/data`` lists each harvested entry as one; its page links its downloads."""
    listing = httpx.get(harvest + "/data.json?page_size=500").json()
    entries = {d["uri"]: d for d in listing["datasets"] if d["harvested"]}
    assert len(entries) == 138
    road = entries[BASE + ENTRY + "road-safety-accidents"]
    assert (road["title"], road["publisher"]) == ("Road Safety Accidents", "Glasgow City Council")
    entry = httpx.get(harvest + ENTRY + "road-safety-accidents.json").json()
    downloads = {p["label"]: p["values"] for p in entry["properties"]}["distribution"]
    assert {d["label"] for d in downloads} >= {"CSV", "GeoJSON", "KML", "Shapefile"}
    csv_page = httpx.get(harvest + ENTRY + "road-safety-accidents/download/csv.json").json()
    (url,) = {p["label"]: p["values"] for p in csv_page["properties"]}["access URL"]
    assert url["uri"].startswith("https://open-data-design-glasgowgis.hub.arcgis.com/api/download/")


def test_the_home_page_lists_the_harvest_not_each_entry(harvest: str) -> None:
    home = httpx.get(harvest + "/", headers={"accept": "text/html"}).text
    assert 'href="/data/glasgow-open-data"' in home
    assert 'href="/data/glasgow-open-data/' not in home
