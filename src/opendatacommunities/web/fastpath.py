"""Serve already-rendered responses straight from ASGI, before any routing.

Between releases the data cannot change, so once a route has rendered a response for a given
request (method-independent: path, query string and ``Accept`` header), the same request
gets the same bytes until the next release. Routes record what they served with
``remember``; ``FastPath`` answers repeats itself, skipping the framework's routing,
validation and middleware. Conditional requests (``If-None-Match``, ``If-Modified-Since``)
and anything not seen before go through the app as usual.
"""

from __future__ import annotations

from collections.abc import Hashable

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from opendatacommunities.errors import OdcError
from opendatacommunities.store import LiveStore
from opendatacommunities.web.cache import Rendered, ResponseCache

_CONDITIONAL = (b"if-none-match", b"if-modified-since")


def request_key(release_id: str, path: str, query: bytes, accept: bytes) -> Hashable:
    """The cache key of a request: what can change the response, for one release."""
    return (release_id, path, query, accept)


def _accept_and_conditional(scope: Scope) -> tuple[bytes, bool]:
    accept = b""
    for name, value in scope["headers"]:
        if name == b"accept":
            accept = value
        elif name in _CONDITIONAL:
            return accept, True
    return accept, False


def remember(cache: ResponseCache, release_id: str, request: Request, rendered: Rendered) -> None:
    """Record that ``request`` was answered with ``rendered`` (a 200 that depends only on
    the release, the URL and the ``Accept`` header)."""
    scope = request.scope
    accept, _ = _accept_and_conditional(scope)
    key = request_key(release_id, scope["path"], scope["query_string"], accept)
    cache.put(key, rendered)


class FastPath:
    """ASGI wrapper answering remembered requests from the cache."""

    def __init__(self, app: ASGIApp, live: LiveStore, cache: ResponseCache) -> None:
        self.app = app
        self.live = live
        self.cache = cache

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve from the cache when possible, else hand over to the app. Every release the
        request reads stays on disk until it is answered (``LiveStore.request``)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.live.request():
            await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        accept, conditional = _accept_and_conditional(scope)
        rendered = None
        if not conditional:
            try:
                release_id = self.live.current().id
            except OdcError:
                release_id = ""  # the app answers with the proper error response
            if release_id:
                key = request_key(release_id, scope["path"], scope["query_string"], accept)
                rendered = self.cache.get(key)
        if rendered is None:
            await self.app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 200, "headers": rendered.raw_headers})
        body = b"" if scope["method"] == "HEAD" else rendered.body
        await send({"type": "http.response.body", "body": body})
