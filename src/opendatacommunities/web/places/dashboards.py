"""``/dashboards`` and ``/dashboards/{theme}``: a page per theme (deprivation, housing,
labour market), from ``dashboards/{theme}.md``; each panel is a live block fed by a named
query and links to it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.web.places.documents import Family, document_page, listing

DASHBOARDS = Family(
    "/dashboards",
    "Dashboard",
    "Dashboards",
    "A page per theme, each panel fed by a named query that you can run yourself, change, "
    "or download.",
)


async def dashboards(request: Request, suffix: str | None = None) -> Response:
    """The list of dashboards."""
    return await listing(request, DASHBOARDS, suffix)


async def dashboard(request: Request, theme: str) -> Response:
    """One theme's dashboard (``.json``: its panels' numbers)."""
    return await document_page(request, DASHBOARDS, theme)
