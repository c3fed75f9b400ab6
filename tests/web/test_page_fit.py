"""Every family of page fits the screen of a desktop (1280 px) and of a phone (390 px) on the
site of every bundled dataset, in Debian's Chromium: nothing wider than the window, no column
header of the slicer cut short, no console error (the icon included), no request leaving
the site. A screenshot of each is kept."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.plugins.pages import WIDTHS, cut_text, overflow, screenshot, visit

# Publishes all the bundled data: once per run, on the worker that runs the group.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bundled")]

#: One page of each family, as a new user would open it.
PAGES = {
    "home": "/",
    "data": "/data",
    "dataset": "/data/census2011-tenure",
    "slicer": "/data/census2011-tenure/slice",
    "area": "/doc/statistical-geography/S12000049",
    "geography": "/geography",
    "sparql": "/sparql",
    "search": "/search?q=glasgow",
    "catalog": "/catalog",
}
#: The slicer's headers that the desktop width used to cut ("Shared ownership (part owned").
TENURE_HEADERS = (
    "Shared ownership (part owned and part rented)",
    "Rented from council (Local Authority)",
)


@pytest.mark.parametrize("width", sorted(WIDTHS))
@pytest.mark.parametrize("family", sorted(PAGES))
def test_page_fits_the_screen(bundled_site: str, browser: Browser, family: str, width: str) -> None:
    with visit(browser, bundled_site + PAGES[family], width) as seen:
        screenshot(seen, f"fit-{family}-{width}")
        assert overflow(seen) == 0
        assert seen.errors == []
        assert seen.foreign == []


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_slicer_headers_show_their_whole_names(
    bundled_site: str, browser: Browser, width: str
) -> None:
    """The census tenure slicer's column headers are whole and read in full, and the table
    scrolls in a region of its own that a keyboard can reach, not the page."""
    with visit(browser, bundled_site + PAGES["slicer"], width) as seen:
        headers = seen.page.locator("table.slice thead th").all_inner_texts()
        for name in TENURE_HEADERS:
            assert any(name in " ".join(h.split()) for h in headers), name
        assert cut_text(seen, "table.slice thead th, table.slice thead th *") == []
        region = seen.page.locator(".table-scroll")
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("role") == "region" and region.get_attribute("aria-label")
