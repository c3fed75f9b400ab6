"""Pages of documents with live blocks (stories, dashboards): a list, and each document as
HTML (readable with scripts off) or as JSON (its blocks' numbers), made once per release.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import HTML, JSON, WebFormat
from opendatacommunities.places.blocks import Block
from opendatacommunities.places.geometry import area_geometries
from opendatacommunities.places.stories import Document, Prose
from opendatacommunities.store import Release
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext, get_context
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.negotiation import choose
from opendatacommunities.web.places.frames import read_frame
from opendatacommunities.web.places.live import Shown, map_areas, show
from opendatacommunities.web.serving import serve_once

_FORMATS = (HTML, JSON)


@dataclass(frozen=True)
class Family:
    """A kind of document: where its pages are and what they are called."""

    root: str
    """``/stories`` or ``/dashboards``."""
    noun: str
    """"Data story" or "Dashboard"."""
    plural: str
    introduction: str

    def documents(self, context: AppContext) -> dict[str, Document]:
        """This family's documents, by name."""
        return context.stories if self.root == "/stories" else context.dashboards


def _format(request: Request, suffix: str | None, what: str) -> WebFormat:
    if suffix is not None:
        found = next((f for f in _FORMATS if f.key == suffix), None)
        if found is None:
            raise NotFoundError(f"{what} is available as .html or .json, not .{suffix}.")
        return found
    return choose(request.headers.get("accept"), _FORMATS, what)


def _headers(release: Release, fmt: WebFormat, variant: str) -> dict[str, str]:
    return {
        **release_headers(release, fmt.content_type, f"{fmt.key}-{variant}"),
        "vary": "Accept",
    }


async def _show(context: AppContext, release: Release, block: Block) -> Shown:
    """A block with its numbers; a map's boundaries are read off the event loop (the first
    read of a release parses every area's geometry)."""
    frame = await read_frame(context, release, block)
    areas = map_areas(block, frame)
    shapes = await run_in_threadpool(area_geometries, release, areas) if areas else {}
    return show(block, frame, shapes)


async def _shown(context: AppContext, release: Release, document: Document) -> list[Shown]:
    return [await _show(context, release, block) for block in document.blocks]


def _block_json(shown: Shown) -> dict[str, Any]:
    frame, block = shown.frame, shown.block
    return {
        "kind": block.kind,
        "line": block.line,
        "caption": block.caption,
        "source": frame.page,
        "csv": frame.csv,
        "error": frame.error,
        "columns": [
            {"key": k, "heading": h} for k, h in zip(frame.keys, frame.headings, strict=True)
        ],
        "rows": [
            [c.number if c.number is not None else (c.iri or c.text) for c in row]
            for row in frame.rows
        ],
    }


def _document_json(family: Family, document: Document, shown: list[Shown]) -> bytes:
    data = {
        "name": document.name,
        "title": document.title,
        "summary": document.summary,
        "url": f"{family.root}/{document.name}",
        "blocks": [_block_json(s) for s in shown],
    }
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _parts(document: Document, shown: list[Shown]) -> list[Markup | Shown]:
    """The document's prose (already sanitised) and its blocks, in order."""
    blocks = iter(shown)
    return [Markup(p.html) if isinstance(p, Prose) else next(blocks) for p in document.parts]


async def _render(
    context: AppContext, release: Release, family: Family, document: Document, fmt: WebFormat
) -> Rendered:
    shown = await _shown(context, release, document)
    if fmt is JSON:
        body = _document_json(family, document, shown)
    else:
        template = context.templates.get_template("document.html")
        parts = _parts(document, shown)
        body = template.render(family=family, document=document, parts=parts).encode()
    headers = _headers(release, fmt, f"{family.root.strip('/')}-{document.name}")
    return Rendered(body, headers, headers["etag"])


async def document_page(request: Request, family: Family, name: str) -> Response:
    """One document, as HTML or JSON (by suffix or Accept)."""
    stem, dot, suffix = name.rpartition(".")
    name, chosen = (stem, suffix) if dot else (name, None)
    context = get_context(request)
    document = family.documents(context).get(name)
    if document is None:
        raise NotFoundError(f"There is no {family.noun.lower()} {name!r}; see {family.root}.")
    fmt = _format(request, chosen, family.noun)
    release = context.live.current()
    key = (release.id, family.root, name, fmt.key)
    return await serve_once(
        request, release.id, key, lambda: _render(context, release, family, document, fmt)
    )


async def listing(request: Request, family: Family, suffix: str | None = None) -> Response:
    """Every document of a family, with its summary (HTML or JSON)."""
    context = get_context(request)
    fmt = _format(request, suffix, family.plural)
    documents = list(family.documents(context).values())
    if fmt is JSON:
        items = [
            {
                "name": d.name,
                "title": d.title,
                "summary": d.summary,
                "url": f"{family.root}/{d.name}",
            }
            for d in documents
        ]
        body = json.dumps({family.root.strip("/"): items}, ensure_ascii=False, indent=2)
        return Response(
            body.encode(), headers={"content-type": JSON.content_type, "vary": "Accept"}
        )
    template = context.templates.get_template("documents.html")
    body = template.render(family=family, documents=documents)
    return Response(body, headers={"content-type": HTML.content_type, "vary": "Accept"})
