"""``/favicon.ico``: the site's icon, for the clients that ask for it at the root without
reading a page's ``<link rel="icon">`` (pages link ``/static/favicon.svg``).

The icon is ``static/favicon.ico``, a 32x32 rendering of ``static/favicon.svg``. It does not
change with the release, so it is read once and sent with a validator of its own content
and a day's freshness: browsers ask for it on every site visit otherwise.
"""

from __future__ import annotations

import hashlib
from functools import cache

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import STATIC
from opendatacommunities.web.http import send

ICON = STATIC / "favicon.ico"
#: A day: long enough to spare the requests, short enough for a new icon to show.
ICON_CACHE_CONTROL = "public, max-age=86400"


@cache
def _icon() -> Rendered:
    body = ICON.read_bytes()
    etag = '"favicon-' + hashlib.sha256(body).hexdigest()[:16] + '"'
    headers = {
        "content-type": "image/vnd.microsoft.icon",
        "cache-control": ICON_CACHE_CONTROL,
        "etag": etag,
    }
    return Rendered(body, headers, etag)


async def favicon(request: Request) -> Response:
    """``/favicon.ico``: the icon (304 when the client's copy is current)."""
    return send(request, _icon())
