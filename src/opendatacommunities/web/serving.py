"""Serve from the cache, or render once: the one path of every response that stays the same
for the whole release.

A response is kept in the app's ``ResponseCache`` under a key naming what it is (its release
first), and the request it answered is noted in the ``RequestIndex``, so that ``FastPath``
answers a repeat before any routing. It is sent with the release's validators (304s) and
HEAD support (``http.send``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import get_context
from opendatacommunities.web.fastpath import key_of
from opendatacommunities.web.http import send


def keep(request: Request, release_id: str, rendered: Rendered, key: Hashable = None) -> None:
    """Keep ``rendered`` (a 200 that depends only on the release, the URL and the ``Accept``
    header) for the life of the release: under ``key``, or the request's own key without
    one; a repeat of ``request`` is then answered from it."""
    context = get_context(request)
    asked = key_of(request, release_id)
    context.cache.put(asked if key is None else key, rendered)
    context.requests.put(asked, asked if key is None else key)


async def serve_once(
    request: Request,
    release_id: str,
    key: Hashable,
    render: Callable[[], Awaitable[Rendered]],
) -> Response:
    """The response kept under ``key``; rendered (``render``) and kept first when there is
    none yet. ``key`` must start with ``release_id``'s release: it names what is rendered,
    whatever request asks for it."""
    rendered = get_context(request).cache.get(key)
    if rendered is None:
        rendered = await render()
    keep(request, release_id, rendered, key)
    return send(request, rendered)


def serve_rendered(request: Request, release_id: str, rendered: Rendered) -> Response:
    """``rendered``, just made for ``request``: kept under the request's own key, and sent."""
    keep(request, release_id, rendered)
    return send(request, rendered)
