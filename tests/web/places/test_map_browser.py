"""A choropleth in a real browser (Debian's Chromium through Playwright): the colour each
ward is painted with is its class's colour, the keyboard reaches every ward, focus names
the ward and its figure below the map, and nothing is fetched from elsewhere."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser

from tests.plugins.maps import AREA, MISSING_WARD

PAINTED = """() => Array.from(document.querySelectorAll("figure.map a.area")).map(a => [
  a.dataset.area, getComputedStyle(a.querySelector("path")).fill])"""


def _rgb(colour: str) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def test_painted_colours_focus_and_no_outside_requests(browser: Browser, map_site: str) -> None:
    query = "?refPeriod=2020&sex=f"
    data = httpx.get(f"{map_site}/data/people/map.json{query}").json()
    colours = {AREA + a["area"]: a["colour"] for a in data["areas"]}
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests: list[str] = []
    failed: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    # The site's favicon is not this page's concern.
    page.on(
        "response",
        lambda r: failed.append(r.url) if r.status >= 400 and "favicon" not in r.url else None,
    )
    page.goto(f"{map_site}/data/people/map{query}")
    painted = dict(page.evaluate(PAINTED))
    assert len(painted) == 23
    for iri, fill in painted.items():
        if iri == AREA + MISSING_WARD:
            assert fill.startswith("url(")
        else:
            assert fill == _rgb(colours[iri])
    page.focus(f'figure.map a.area[data-area="{AREA}S13002967"]')
    detail = page.text_content("figure.map .map-detail") or ""
    (calton,) = [a for a in data["areas"] if a["area"] == "S13002967"]
    assert detail == f"{calton['label']}: {calton['value']:,.0f}"
    tabbable = page.evaluate(
        "() => Array.from(document.querySelectorAll('figure.map a.area'))"
        ".filter(a => a.tabIndex >= 0).length"
    )
    assert tabbable == 23
    assert all(url.startswith(map_site) for url in requests) and failed == []
    page.close()
