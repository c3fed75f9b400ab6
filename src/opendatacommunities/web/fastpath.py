"""Serve already-rendered responses straight from ASGI, before any routing.

Between releases the data cannot change, so once a route has rendered a response for a given
request (method-independent: path, query string and ``Accept`` header), the same request
gets the same bytes until the next release. Routes record what they served
(``serving.keep``); ``FastPath`` answers repeats itself, skipping the framework's routing,
validation and middleware. Conditional requests (``If-None-Match``, ``If-Modified-Since``)
and anything not seen before go through the app as usual.

A few answers cost less to compute than to look up through the framework (``direct``: the
suggestions of a search box, from the release's search index in memory): those are made
here too, for a request the cache does not hold, and kept in it; what they cannot answer
(no index yet, bad input) goes through the app, which says what is wrong.

Keys start with the release, so a swap leaves every page to render again. To keep the first
requests after a swap as fast as those before it, the latest requests answered from the cache
(``REPLAYED`` of them) are rendered for a new release before the server switches to it
(``replay``, one of the release's warmers), on the event loop beside the requests being served.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Hashable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from opendatacommunities.errors import OdcError
from opendatacommunities.store import LiveStore, Release
from opendatacommunities.web.cache import Rendered, RequestIndex

log = logging.getLogger(__name__)
_CONDITIONAL = (b"if-none-match", b"if-modified-since")
#: How many of the latest distinct requests answered from the cache are rendered for a new
#: release before it is served.
REPLAYED = 500
#: The longest a new release waits for them; it is served then, rendered or not.
REPLAY_SECONDS = 60.0
#: Not rendered ahead: answers of the SPARQL workers, kept apart from pages.
_NOT_REPLAYED = ("/sparql", "/queries")
Direct = Callable[[Release, bytes], Rendered | None]
"""Answers a path directly from a release and the query string, or None to leave it to the
app."""


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


def key_of(request: Request, release_id: str) -> Hashable:
    """The cache key of ``request`` in the release ``release_id``."""
    scope = request.scope
    accept, _ = _accept_and_conditional(scope)
    return request_key(release_id, scope["path"], scope["query_string"], accept)


class FastPath:
    """ASGI wrapper answering remembered requests from the cache."""

    def __init__(self, app: ASGIApp, live: LiveStore, cache: RequestIndex) -> None:
        self.app = app
        self.live = live
        self.cache = cache
        self._recent: deque[tuple[str, bytes, bytes]] = deque(maxlen=REPLAYED * 4)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._template: Scope | None = None
        self.direct: dict[str, Direct] = {}
        """Paths answered here for the release (see the module's documentation)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve from the cache when possible, else hand over to the app. Every release the
        request reads stays on disk until it is answered (``LiveStore.request``)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._template is None:  # the first request: from now on, new releases replay
            self._template, self._loop = dict(scope), asyncio.get_running_loop()
            self.live.warmers.append(self.replay)
        with self.live.request():
            await self._serve(scope, receive, send)

    async def _serve(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        accept, conditional = _accept_and_conditional(scope)
        rendered = None if conditional else self._rendered(scope, accept)
        if rendered is None:
            await self.app(scope, receive, send)
            return
        self._recent.append((scope["path"], scope["query_string"], accept))
        await send({"type": "http.response.start", "status": 200, "headers": rendered.raw_headers})
        body = b"" if scope["method"] == "HEAD" else rendered.body
        await send({"type": "http.response.body", "body": body})

    def _rendered(self, scope: Scope, accept: bytes) -> Rendered | None:
        """The answer kept for the request, or else one made here (``direct``); None for
        the app to answer."""
        try:
            release = self.live.current()
        except OdcError:
            return None  # the app answers with the proper error response
        key = request_key(release.id, scope["path"], scope["query_string"], accept)
        rendered = self.cache.get(key)
        if rendered is None:
            direct = self.direct.get(scope["path"])
            if direct is not None:
                # Kept like a rendered page: autocompletion repeats the same beginnings.
                rendered = direct(release, scope["query_string"])
                if rendered is not None:
                    self.cache.keep(key, rendered)
        return rendered

    def replay(self, release: Release) -> None:
        """Render the latest requests answered from the cache for ``release``, which is not
        served yet (blocking, from the thread warming it), so that they are answered from the
        cache as soon as it is."""
        loop = self._loop
        if loop is None or loop.is_closed() or _running_loop() is loop:
            return  # called from the loop itself (a first release opened by a request)
        wanted = [
            request
            for request in dict.fromkeys(reversed(self._recent))
            if not request[0].startswith(_NOT_REPLAYED)
        ][:REPLAYED]
        future = asyncio.run_coroutine_threadsafe(self._render(release, wanted), loop)
        try:
            future.result(timeout=REPLAY_SECONDS)
        except TimeoutError:
            future.cancel()
            log.warning("release %s: rendering the latest pages took too long", release.id)

    async def _render(self, release: Release, wanted: list[tuple[str, bytes, bytes]]) -> None:
        assert self._template is not None
        with self.live.preview(release):
            for path, query, accept in wanted:
                scope = {
                    **self._template,
                    "method": "GET",
                    "path": path,
                    "raw_path": path.encode(),
                    "query_string": query,
                    "headers": [(b"accept", accept)] if accept else [],
                    "state": dict(self._template.get("state", {})),  # its own, as a request's
                }
                try:
                    await self.app(scope, _one_empty_request(), _ignore)
                except Exception:  # the visitor who asks for it meets the error itself
                    log.debug("could not render %s ahead", path, exc_info=True)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


def _one_empty_request() -> Receive:
    """An ASGI receive for a GET: its empty body, then nothing (no disconnect either)."""
    received = False

    async def receive() -> Message:
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # a streamed response cancels this when it is done
        raise AssertionError("unreachable")

    return receive


async def _ignore(message: Message) -> None:
    """An ASGI send that drops what a response rendered ahead sends."""
