"""What a page must do in a real browser, checked as a new user would meet it: no console
error, no request leaving the site, no horizontal overflow at a desktop and a phone width,
every control reached by Tab with its focus visible, no serious or critical finding of
axe-core (vendored in ``tests/vendor/axe-core``, run inside the page under test), and a
screenshot of each page kept as a test artefact.

Screenshots go to ``var/screenshots`` (``ODC_SCREENSHOT_DIR`` names another folder); the
folder is printed at the end of the run.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Route

from tests.plugins.project import ROOT

#: A desktop's and a phone's viewport: every page is usable at both.
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = Path(os.environ.get("ODC_SCREENSHOT_DIR", ROOT / "var" / "screenshots"))
#: The impacts of axe-core's findings that fail a page.
FAILING_IMPACTS = ("serious", "critical")
#: The tallest page (in pixels) kept whole in a screenshot.
MAX_SCREENSHOT_HEIGHT = 12000
#: The most Tab presses one page is walked with (a page needing more is itself a problem).
MAX_TABS = 1500
_STARTED = time.time()

# Every element a keyboard user must be able to reach, as the page shows it; each is marked
# with its place in document order, so that where focus lands can be told.
_FOCUSABLE = """() => {
  const wanted = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, '
    + 'summary, [tabindex]';
  const found = [];
  for (const el of document.querySelectorAll(wanted)) {
    if (el.disabled || el.getAttribute('tabindex') === '-1') continue;
    if (el.closest('[inert], [hidden]')) continue;
    if (!el.checkVisibility({visibilityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    el.dataset.odcFocus = String(found.length);
    found.push(el.outerHTML.slice(0, 100));
  }
  return found;
}"""
# The element with focus: its mark, and whether its focus can be seen (an outline or a
# shadow: Chromium's own focus ring is an outline of style "auto").
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const style = getComputedStyle(el);
  const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {mark: el.dataset.odcFocus ?? null, visible: ring || style.boxShadow !== 'none',
          html: el.outerHTML.slice(0, 100)};
}"""
# How much wider than the viewport the page is, in CSS pixels (0: it fits).
_OVERFLOW = "() => document.documentElement.scrollWidth - window.innerWidth"
# Text that its box cuts off: a table header or link whose words do not all show.
_CUT = """(selector) => [...document.querySelectorAll(selector)]
  .filter(el => el.scrollHeight > el.clientHeight + 1 || el.scrollWidth > el.clientWidth + 1)
  .map(el => el.textContent.trim())"""
_AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""


@dataclass
class Visit:
    """A page open in the browser, and what went wrong while it loaded and was used."""

    page: Page
    origin: str
    errors: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        """Note a console error."""
        if message.type == "error":
            self.errors.append(f"console: {message.text} ({message.location.get('url')})")

    def on_request(self, request: Request) -> None:
        """Note a request to anywhere but the site (data and blob URLs stay in the page)."""
        url = request.url
        if not url.startswith(("data:", "blob:", "about:")) and _origin(url) != self.origin:
            self.foreign.append(url)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _stay_on_site(origin: str) -> Any:
    """A route handler refusing every request that would leave the site: the machine may
    have no network, and nothing may wait on one."""

    def handle(route: Route) -> None:
        url = route.request.url
        if url.startswith(("data:", "blob:")) or _origin(url) == origin:
            route.continue_()
        else:
            route.abort()

    return handle


@contextmanager
def visit(browser: Browser, url: str, width: str = "desktop") -> Iterator[Visit]:
    """``url`` open in a fresh browser context of the ``width`` viewport (``WIDTHS``), once
    it has loaded and its requests are over; the page must answer 200."""
    w, h = WIDTHS[width]
    context = browser.new_context(viewport={"width": w, "height": h})
    page = context.new_page()
    seen = Visit(page, _origin(url))
    page.on("console", seen.on_console)
    page.on("pageerror", lambda error: seen.errors.append(f"script error: {error}"))
    page.on("request", seen.on_request)
    page.on("requestfailed", lambda r: seen.errors.append(f"request failed: {r.url}"))
    context.route("**/*", _stay_on_site(seen.origin))
    try:
        response = page.goto(url, wait_until="networkidle")
        assert response is not None and response.status == 200, (url, response and response.status)
        yield seen
    finally:
        context.close()


def overflow(seen: Visit) -> int:
    """How many CSS pixels wider than the viewport the page is (0: no horizontal scroll)."""
    return int(seen.page.evaluate(_OVERFLOW))


def cut_text(seen: Visit, selector: str) -> list[str]:
    """The texts of the elements matching ``selector`` that their own box cuts off."""
    return list(seen.page.evaluate(_CUT, selector))


def keyboard_problems(seen: Visit) -> list[str]:
    """Tab from the top of the page to its end: every control not reached, and every one
    whose focus cannot be seen (empty: all reached, all visibly focused)."""
    page = seen.page
    wanted: list[str] = page.evaluate(_FOCUSABLE)
    assert len(wanted) < MAX_TABS, f"{len(wanted)} controls: too many to walk with Tab"
    page.evaluate("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }")
    reached: set[int] = set()
    problems: list[str] = []
    for _ in range(len(wanted) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(_FOCUSED)
        if focused is None:
            if reached:
                break  # past the last control: focus left the page
            continue
        if focused["mark"] is not None:
            reached.add(int(focused["mark"]))
        if not focused["visible"]:
            problems.append(f"focus not visible: {focused['html']}")
    problems += [f"not reached by Tab: {wanted[i]}" for i in range(len(wanted)) if i not in reached]
    return problems


@cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_findings(seen: Visit) -> list[str]:
    """axe-core's serious and critical findings on the page as it is, one line each."""
    seen.page.evaluate(_axe_source())
    found: list[dict[str, Any]] = seen.page.evaluate(_AXE_RUN)
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in FAILING_IMPACTS
    ]


def screenshot(seen: Visit, name: str) -> Path:
    """The whole page (the window alone, past ``MAX_SCREENSHOT_HEIGHT`` pixels) as a PNG
    under ``SCREENSHOTS``, named ``name`` (made safe for a file)."""
    path = SCREENSHOTS / (re.sub(r"[^A-Za-z0-9_.-]+", "-", name).strip("-") + ".png")
    path.parent.mkdir(parents=True, exist_ok=True)
    height = seen.page.evaluate("() => document.documentElement.scrollHeight")
    # A very long page (a whole catalogue as text) is kept as the window shows it.
    whole = height <= MAX_SCREENSHOT_HEIGHT
    seen.page.screenshot(path=path, full_page=whole, timeout=120_000)
    return path


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Where the run's screenshots are, when it took any (read from the folder, as the
    workers of a distributed run took them)."""
    if SCREENSHOTS.is_dir():
        taken = [p for p in SCREENSHOTS.glob("*.png") if p.stat().st_mtime >= _STARTED]
        if taken:
            terminalreporter.write_line(f"screenshots: {len(taken)} in {SCREENSHOTS}")


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The folder this run's screenshots are saved in."""
    return SCREENSHOTS
