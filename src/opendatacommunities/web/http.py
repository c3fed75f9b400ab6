"""HTTP caching and HEAD for rendered documents: ETag and Last-Modified per release, 304s.

A document changes only when a new release is swapped in, so the release id (plus the format)
is a strong validator and the release's publication time is its Last-Modified.

>>> etag_matches('W/"r1-ttl", "r2-ttl"', '"r2-ttl"'), etag_matches("*", '"x"')
(True, True)
>>> etag_matches('"r1-ttl"', '"r2-ttl"')
False
"""

from __future__ import annotations

from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.store import Release
from opendatacommunities.web.cache import Rendered

# Clients may keep a copy but must revalidate: a new release can be swapped in at any time,
# and revalidation is a cheap 304.
CACHE_CONTROL = "public, no-cache"
_NOT_MODIFIED_HEADERS = ("etag", "last-modified", "cache-control", "vary", "content-location")


def http_date(moment: datetime) -> str:
    """An RFC 9110 date (``Sun, 06 Nov 1994 08:49:37 GMT``)."""
    return format_datetime(moment.replace(microsecond=0), usegmt=True)


def make_etag(release_id: str, variant: str) -> str:
    """The strong ETag of one format of a document in one release."""
    return f'"{release_id}-{variant}"'


def release_headers(release: Release, content_type: str, variant: str) -> dict[str, str]:
    """The headers of a document drawn from ``release``: its type, and what lets a client
    keep a copy and revalidate it (an ETag of the release and ``variant``, the release's
    publication time as Last-Modified)."""
    return {
        "content-type": content_type,
        "etag": make_etag(release.id, variant),
        "last-modified": http_date(release.published),
        "cache-control": CACHE_CONTROL,
    }


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison (RFC 9110 section 13.1.2) of ``If-None-Match`` against our ETag."""
    if if_none_match.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in if_none_match.split(","))


def _not_modified_since(header: str, last_modified: str) -> bool:
    try:
        return parsedate_to_datetime(last_modified) <= parsedate_to_datetime(header)
    except (TypeError, ValueError, IndexError):
        return False


def is_current(request: Request, etag: str, last_modified: str | None) -> bool:
    """Whether the client's copy is current (RFC 9110 section 13.2.2): its ``If-None-Match``
    matches ``etag``, or, without one, its ``If-Modified-Since`` is no earlier than
    ``last_modified``."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        return etag_matches(if_none_match, etag)
    since = request.headers.get("if-modified-since")
    return (
        since is not None
        and last_modified is not None
        and (_not_modified_since(since, last_modified))
    )


def send(request: Request, rendered: Rendered) -> Response:
    """The response for ``rendered``: 304 if the client's copy is current, no body for HEAD."""
    headers = rendered.headers
    if is_current(request, rendered.etag, headers.get("last-modified")):
        kept = {k: v for k, v in headers.items() if k in _NOT_MODIFIED_HEADERS}
        return Response(status_code=304, headers=kept)
    if request.method == "HEAD":
        return Response(headers={**headers, "content-length": str(len(rendered.body))})
    return Response(rendered.body, headers=headers)
