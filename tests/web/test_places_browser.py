"""Acceptance of the places pages in a real browser (Debian's Chromium through Playwright),
on the site of every bundled dataset: the geography levels, a Glasgow ward's profile, a
comparison of two wards, a choropleth, each dashboard and each story. On each: no console
error, no request leaving the site, Tab reaches every link, button and input with its focus
visible, axe-core finds nothing serious or critical, nothing wider than a desktop's or a
phone's screen; the map's colours are its data's. Screenshots are kept (see
``tests/plugins/pages.py``).

A page whose route is not in the route table yet is skipped, saying so; a served page is
always checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from playwright.sync_api import Browser

from opendatacommunities.web.routes import ROWS
from tests.plugins.pages import (
    WIDTHS,
    Visit,
    axe_findings,
    keyboard_problems,
    overflow,
    screenshot,
    visit,
)

# Publishes all the bundled data: once per run, on the worker that runs the group.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bundled")]

WARD = "S13002967"  # Linn, a ward of Glasgow City
OTHER_WARD = "S13002968"  # Newlands/Auldburn, its neighbour
PROFILE = f"/doc/statistical-geography/{WARD}"
COMPARE = f"/compare?areas={WARD},{OTHER_WARD}"
#: A choropleth of Glasgow's wards (whose boundaries are bundled): their SIMD summaries.
CHOROPLETH = "/data/simd2020-glasgow-wards/map?level=ElectoralWard"
#: How many areas of a map have their colour checked (spread over the range of values).
SAMPLED_AREAS = 12


def _require(pattern: str) -> None:
    """Skip when the route table has no row for ``pattern`` yet (the page is not served)."""
    if pattern not in {row.pattern for row in ROWS}:
        pytest.skip(f"page not yet served: no route {pattern}")


def _problems(browser: Browser, url: str, name: str) -> Iterator[str]:
    """Everything wrong with the page at ``url``, at each width; screenshots taken."""
    for width in sorted(WIDTHS):
        with visit(browser, url, width) as seen:
            screenshot(seen, f"places-{name}-{width}")
            yield from (f"{width}: {p}" for p in _page_problems(seen, width))


def _page_problems(seen: Visit, width: str) -> list[str]:
    problems = []
    if (wider := overflow(seen)) > 0:
        problems.append(f"page {wider} px wider than the window")
    problems += axe_findings(seen)
    if width == "desktop":  # the same controls at both widths: one walk with Tab is enough
        problems += keyboard_problems(seen)
    # Errors and requests noted while the page loaded and while it was used.
    return [*seen.errors, *(f"left the site: {url}" for url in seen.foreign), *problems]


def _check(browser: Browser, site: str, path: str, name: str) -> None:
    problems = list(_problems(browser, site + path, name))
    assert problems == [], f"{path}:\n" + "\n".join(problems)


def test_geography_levels(bundled_site: str, browser: Browser) -> None:
    _require("/geography")
    _check(browser, bundled_site, "/geography", "geography")


def test_glasgow_ward_profile(bundled_site: str, browser: Browser) -> None:
    _check(browser, bundled_site, PROFILE, "ward-profile")


def test_comparison_of_two_wards(bundled_site: str, browser: Browser) -> None:
    _require("/compare")
    _check(browser, bundled_site, COMPARE, "compare")


def test_choropleth(bundled_site: str, browser: Browser) -> None:
    _require("/data/{dataset}/map")
    _check(browser, bundled_site, CHOROPLETH, "choropleth")


def _listed(site: str, index: str) -> list[str]:
    """The pages an index (``/stories``, ``/dashboards``) links to, in its order."""
    response = httpx.get(site + index, headers={"accept": "text/html"})
    assert response.status_code == 200, index
    links = re.findall(rf'href="({re.escape(index)}/[^"/?#.]+)"', response.text)
    assert links, f"{index} lists nothing"
    return list(dict.fromkeys(links))


def test_every_dashboard(bundled_site: str, browser: Browser) -> None:
    _require("/dashboards/{theme}")
    for path in _listed(bundled_site, "/dashboards"):
        _check(browser, bundled_site, path, path.rsplit("/", 1)[1])


def test_every_story(bundled_site: str, browser: Browser) -> None:
    _require("/stories/{name}")
    for path in _listed(bundled_site, "/stories"):
        _check(browser, bundled_site, path, path.rsplit("/", 1)[1])


# Each area the map draws: its IRI and the fill of its shapes (a path, or dots).
_FILLS = """() => [...document.querySelectorAll('figure.map svg a[data-area]')].map(a => ({
  area: a.dataset.area,
  fills: [...a.querySelectorAll('path, circle')].map(s => s.getAttribute('fill'))}))"""


def _twin(path: str) -> str:
    """The JSON twin of a page's path (``/x/map?q`` -> ``/x/map.json?q``)."""
    parts = urlsplit(path)
    return parts.path + ".json" + (f"?{parts.query}" if parts.query else "")


def _class_colour(classes: list[dict[str, Any]], value: float) -> str:
    """The colour of the class ``value`` falls in (classes lowest first, bounds inclusive)."""
    found = [c for c in classes if c["lower"] <= value <= c["upper"]]
    assert len(found) == 1, (value, classes)
    return str(found[0]["colour"]).lower()


def _sampled(values: dict[str, float]) -> list[str]:
    """Areas spread over the range of values, the lowest and highest among them."""
    ordered = sorted(values, key=values.__getitem__)
    step = max(1, len(ordered) // SAMPLED_AREAS)
    return list(dict.fromkeys([*ordered[::step], ordered[-1]]))


def test_choropleth_colours_are_the_data(bundled_site: str, browser: Browser) -> None:
    """For areas sampled over the range, the fill the browser shows is the colour of the
    class that the area's value in the map's JSON twin falls in."""
    _require("/data/{dataset}/map")
    data = httpx.get(bundled_site + _twin(CHOROPLETH)).json()
    values = {a["uri"]: float(a["value"]) for a in data["areas"] if a["value"] is not None}
    classes = data["classes"]
    assert len(values) >= 2 and len(classes) >= 2
    assert sum(c["areas"] for c in classes) == len(values)
    with visit(browser, bundled_site + CHOROPLETH) as seen:
        drawn = {a["area"]: a["fills"] for a in seen.page.evaluate(_FILLS)}
    for area in _sampled(values):
        assert area in drawn, f"{area} is not on the map"
        expected = _class_colour(classes, values[area])
        assert {f.lower() for f in drawn[area]} == {expected}, (area, values[area])
