"""The one place where exceptions become HTTP responses.

A browser gets an HTML page, a client that asks for JSON gets RFC 9457 problem details (one
JSON shape for every error), anything else gets text/plain. Errors we raise on purpose
(``HttpError`` and the platform's ``OdcError``) say what went wrong; anything else is logged
and answered with a generic 500 that leaks nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from http import HTTPStatus

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import OdcError
from opendatacommunities.web.negotiation import ERROR_FORMATS, HTML, PLAIN, negotiate

log = logging.getLogger(__name__)

GENERIC_500 = "Something went wrong on our side. It has been logged; please try again later."


@dataclass(frozen=True)
class Suggestion:
    """A link offered on an error page ("did you mean ...")."""

    href: str
    text: str
    note: str = ""


class HttpError(OdcError):
    """An error that maps to an HTTP status, with a message fit to show to the client."""

    status = 500

    def __init__(
        self,
        detail: str,
        *,
        suggestions: Sequence[Suggestion] = (),
        available: Sequence[str] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.suggestions = tuple(suggestions)
        self.available = tuple(available)
        self.headers = dict(headers or {})


class BadRequestError(HttpError):
    """400: the request itself is wrong (a bad parameter, a query that does not parse)."""

    status = 400


class ForbiddenError(HttpError):
    """403: understood, but not allowed here (SPARQL Update on the public endpoint)."""

    status = 403


class NotFoundError(HttpError):
    """404, with suggestions of what the client may have meant."""

    status = 404


class NotAcceptableError(HttpError):
    """406: none of the formats on offer is acceptable; ``available`` lists them."""

    status = 406


class PayloadTooLargeError(HttpError):
    """413: the request body is larger than we accept."""

    status = 413


class UnsupportedMediaTypeError(HttpError):
    """415: the request body is in a format we do not read."""

    status = 415


@dataclass(frozen=True)
class Problem:
    """Everything an error response says, whatever its format."""

    status: int
    detail: str
    instance: str
    suggestions: tuple[Suggestion, ...] = ()
    available: tuple[str, ...] = ()

    @property
    def title(self) -> str:
        """The status phrase ("Not Found")."""
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"

    def as_json(self) -> bytes:
        """RFC 9457 problem details, with our ``suggestions`` and ``available`` members."""
        body: dict[str, object] = {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": self.instance,
        }
        if self.suggestions:
            body["suggestions"] = [asdict(s) for s in self.suggestions]
        if self.available:
            body["available"] = list(self.available)
        return json.dumps(body, ensure_ascii=False).encode()

    def as_text(self) -> bytes:
        """A plain-text rendering: status line, message, then one line per link or type."""
        lines = [f"{self.status} {self.title}", "", self.detail]
        if self.available:
            lines += ["", "Available media types:", *(f"  {t}" for t in self.available)]
        if self.suggestions:
            lines += ["", "Did you mean:"]
            lines += [
                f"  {s.text} <{s.href}>{f' ({s.note})' if s.note else ''}" for s in self.suggestions
            ]
        return ("\n".join(lines) + "\n").encode()


def problem_response(request: Request, problem: Problem, headers: Mapping[str, str]) -> Response:
    """Render ``problem`` in the format the client prefers (HTML, JSON or text)."""
    chosen = negotiate(request.headers.get("accept"), ERROR_FORMATS) or PLAIN
    if chosen is HTML:
        templates = request.app.state.odc.templates
        body = templates.get_template("error.html").render(problem=problem).encode()
    elif chosen is PLAIN:
        body = problem.as_text()
    else:
        body = problem.as_json()
    all_headers = {**headers, "content-type": chosen.content_type, "cache-control": "no-store"}
    return Response(body, status_code=problem.status, headers=all_headers)


def _instance(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def _odc_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OdcError)
    if isinstance(exc, HttpError):
        problem = Problem(
            exc.status, exc.detail, _instance(request), exc.suggestions, exc.available
        )
        return problem_response(request, problem, exc.headers)
    if exc.status >= 500 and exc.status != HTTPStatus.SERVICE_UNAVAILABLE:
        return await _unexpected(request, exc)
    headers = {"retry-after": "5"} if exc.status == HTTPStatus.SERVICE_UNAVAILABLE else {}
    return problem_response(request, Problem(exc.status, str(exc), _instance(request)), headers)


async def _http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    detail = exc.detail if exc.status_code != 404 else f"There is no page at {request.url.path}."
    problem = Problem(exc.status_code, detail, _instance(request))
    return problem_response(request, problem, exc.headers or {})


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path"))
        parts.append(f"{where}: {error.get('msg', 'invalid')}")
    problem = Problem(400, "Bad request parameters: " + "; ".join(parts), _instance(request))
    return problem_response(request, problem, {})


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, Problem(500, GENERIC_500, _instance(request)), {})


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn every exception into one of our error responses."""
    app.add_exception_handler(OdcError, _odc_error)
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(Exception, _unexpected)
