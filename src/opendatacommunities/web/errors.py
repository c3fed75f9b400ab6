"""The one place where exceptions become HTTP responses.

A browser (a client preferring HTML) gets an HTML page; every other client gets RFC 9457
problem details (``application/problem+json``, one JSON shape for every error), whatever
else its ``Accept`` names: RFC 9110 lets an error answer in a format not asked for, and a
machine reads one shape more easily than a body in each format it may ask for. Errors we
raise on purpose (``HttpError`` and the platform's ``OdcError``) say what went wrong;
anything else is logged and answered with a generic 500 that leaks nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from http import HTTPStatus

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response

from opendatacommunities.errors import (
    BadRequestError,
    HttpError,
    OdcError,
    ParameterError,
    ParameterProblem,
    ResponseCutShort,
    Suggestion,
)
from opendatacommunities.formats import ERROR_FORMATS, HTML, PROBLEM_JSON
from opendatacommunities.store import iri_error
from opendatacommunities.web.negotiation import negotiate

log = logging.getLogger(__name__)

GENERIC_500 = "Something went wrong on our side. It has been logged; please try again later."


class _QuietCuts(logging.Filter):
    """Drops the server's report of a ``ResponseCutShort``, which was logged already."""

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a record whose exception is a ``ResponseCutShort``."""
        return not (record.exc_info and isinstance(record.exc_info[1], ResponseCutShort))


def bad_parameters(invalid: Sequence[ParameterProblem]) -> BadRequestError:
    """A 400 naming each bad parameter, in ``detail`` and in the ``invalid-params`` member
    (RFC 9457's own example of an extension member).

    >>> bad_parameters([ParameterProblem("n", "is missing")]).detail
    'Bad parameters: n is missing.'
    """
    detail = "Bad parameters: " + "; ".join(f"{p.name} {p.reason}" for p in invalid) + "."
    members = [
        {"name": p.name, "reason": p.reason} | ({} if p.value is None else {"value": p.value})
        for p in invalid
    ]
    return BadRequestError(detail, members={"invalid-params": members})


def invalid_iris(name: str, values: Sequence[str]) -> list[ParameterProblem]:
    """The values of parameter ``name`` that are not absolute IRIs, each with the reason."""
    found = []
    for value in values:
        error = iri_error(value)
        if error is not None:
            found.append(
                ParameterProblem(name, f"is not an absolute IRI: {value!r} ({error})", value)
            )
    return found


@dataclass(frozen=True)
class Problem:
    """Everything an error response says, whatever its format."""

    status: int
    detail: str
    instance: str
    suggestions: tuple[Suggestion, ...] = ()
    available: tuple[str, ...] = ()
    members: Mapping[str, object] = field(default_factory=dict)

    @property
    def title(self) -> str:
        """The status phrase ("Not Found")."""
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return "Error"

    def as_json(self) -> bytes:
        """RFC 9457 problem details, with our ``suggestions``, ``available`` and any other
        extension members."""
        body: dict[str, object] = {
            **self.members,
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


def problem_response(request: Request, problem: Problem, headers: Mapping[str, str]) -> Response:
    """Render ``problem`` as an HTML page for a browser, as problem details for the rest."""
    chosen = negotiate(request.headers.get("accept"), ERROR_FORMATS) or PROBLEM_JSON
    if chosen is HTML:
        templates = request.app.state.odc.templates
        body = templates.get_template("error.html").render(problem=problem).encode()
    else:
        body = problem.as_json()
    all_headers = {**headers, "content-type": chosen.content_type, "cache-control": "no-store"}
    return Response(body, status_code=problem.status, headers=all_headers)


def _instance(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


async def _odc_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, OdcError)
    if isinstance(exc, ParameterError):  # from any layer: a 400 naming each parameter
        exc = bad_parameters(exc.problems)
    if isinstance(exc, HttpError):
        problem = Problem(
            exc.status, exc.detail, _instance(request), exc.suggestions, exc.available, exc.members
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


async def _client_gone(request: Request, exc: Exception) -> Response:
    # An ordinary event: the client closed the connection before sending its whole body.
    # There is no one to answer; the response only completes the framework's bookkeeping.
    log.info(
        "%s %s: the client went away before sending the whole body",
        request.method,
        request.url.path,
    )
    return Response(status_code=400)


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(request, Problem(500, GENERIC_500, _instance(request)), {})


def install_error_handlers(app: Starlette) -> None:
    """Register the handlers that turn every exception into one of our error responses."""
    app.add_exception_handler(OdcError, _odc_error)
    app.add_exception_handler(HTTPException, _http_exception)
    app.add_exception_handler(ClientDisconnect, _client_gone)
    app.add_exception_handler(Exception, _unexpected)
    server_log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _QuietCuts) for f in server_log.filters):
        server_log.addFilter(_QuietCuts())
