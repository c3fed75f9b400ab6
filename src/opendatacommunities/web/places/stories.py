"""``/stories`` and ``/stories/{name}``: data stories, Markdown from ``stories/`` with live
blocks (``places.blocks``), as pages readable with scripts off and as JSON (their numbers)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.web.places.documents import Family, document_page, listing

STORIES = Family(
    "/stories",
    "Data story",
    "Data stories",
    "What the data says about places, in words and pictures. Every number is read from the "
    "data as published: follow a figure's links to the query or slice behind it.",
)


async def stories(request: Request, suffix: str | None = None) -> Response:
    """The list of stories."""
    return await listing(request, STORIES, suffix)


async def story(request: Request, name: str) -> Response:
    """One story (``.json``: its blocks' numbers)."""
    return await document_page(request, STORIES, name)
