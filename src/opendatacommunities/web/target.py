"""What a request for a document asks for: the ``Target`` (release, address, format, page),
and the one reading of the ``page`` parameter."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request

from opendatacommunities.errors import BadRequestError
from opendatacommunities.formats import WebFormat
from opendatacommunities.store import Release
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.views import Address

MAX_PAGE = 100_000
"""The last page any list or description may be asked for. A page is a few dozen items, so
this is millions of them, beyond the longest list published; a larger number is a mistake
(or a probe) answered at once with 400, before anything is read."""


def whole_number(text: str, highest: int) -> int | None:
    """``text`` as a whole number from 1 to ``highest`` (ASCII digits only), else None.

    >>> whole_number("3", 10), whole_number("11", 10), whole_number("٣", 10)
    (3, None, None)
    """
    if text.isdigit() and text.isascii() and 1 <= int(text) <= highest:
        return int(text)
    return None


def page_number(text: str) -> int:
    """The page ``text`` (a ``page`` parameter) names.

    >>> page_number("3")
    3

    :raises BadRequestError: unless it is a whole number from 1 to ``MAX_PAGE``.
    """
    number = whole_number(text, MAX_PAGE)
    if number is None:
        raise BadRequestError(f"page must be a whole number from 1 to {MAX_PAGE}, not {text!r}.")
    return number


def requested_page(request: Request) -> int:
    """The page ``request`` asks for: its ``page`` parameter, 1 without one."""
    return page_number(request.query_params.get("page", "1"))


@dataclass(frozen=True)
class Target:
    """One document, as a request asks for it."""

    context: AppContext
    release: Release
    address: Address
    """Where the document is, without a format suffix."""
    fmt: WebFormat
    page: int = 1
    negotiated: bool = True
    """Whether the format was chosen by ``Accept`` (no suffix): the response then varies."""
