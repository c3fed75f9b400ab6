"""Every exception class of the platform, in one hierarchy.

Web-facing errors carry the HTTP status they map to (``web.errors`` reads it from the class);
errors about source data carry the ``file:row:column`` position and the offending value so
that a publisher can act on them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class OdcError(Exception):
    """Base class of every error the platform raises on purpose."""

    status: int = 500


class SourceError(OdcError):
    """Bad input in a source file: names the file, and where known the row, column and value.

    >>> str(SourceError("not a number", file="a.csv", row=3, column="rank", value="x"))
    "a.csv:3:rank: not a number (value 'x')"

    With ``index``, the column's place in the row (from 1), a header that is itself a number
    cannot be taken for a position:

    >>> str(SourceError("expected an integer", file="a.csv", row=41, column="25", index=26))
    'a.csv:41:25 (column "25", the 26th): expected an integer'
    >>> str(SourceError("too many cells", file="a.csv", row=4, index=6))
    'a.csv:4:6 (the 6th column, which has no header): too many cells'
    """

    status = 400

    def __init__(
        self,
        message: str,
        *,
        file: str = "",
        row: int | None = None,
        column: str | int | None = None,
        value: str | None = None,
        index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value
        self.index = index

    def __str__(self) -> str:
        where = location(self.file, self.row, self.column, self.index)
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} (value {self.value!r})" if self.value is not None else text


def location(
    file: str, row: int | None = None, column: str | int | None = None, index: int | None = None
) -> str:
    """Where a cell is, as every error names it: ``file:row:column``, the column by its header
    and, with ``index``, by its place in the row (from 1).

    >>> location("a.csv", 3, "rank"), location("a.csv", 3, "rank", 2)
    ('a.csv:3:rank', 'a.csv:3:rank (column "rank", the 2nd)')
    """
    if index is not None:
        if column in (None, ""):
            column = f"{index} (the {ordinal(index)} column, which has no header)"
        else:
            column = f'{column} (column "{column}", the {ordinal(index)})'
    return ":".join(str(part) for part in (file, row, column) if part not in (None, ""))


def ordinal(number: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``21st``...

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 103, 111)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '103rd', '111th']
    """
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


class MetadataError(SourceError):
    """A metadata (mapping) file is unusable: the CSVW spec says processing must stop."""


class CellError(SourceError):
    """A cell does not match its column's datatype or constraints."""


class ExistingFileError(OdcError):
    """A file that would be written is already there, and is left as it is."""


class SettingsError(OdcError):
    """A setting (an ``ODC_*`` variable or an option) has a value that cannot be used."""


class PublishError(OdcError):
    """Publishing stopped; nothing was changed."""


class DocumentError(OdcError):
    """A story or dashboard that cannot be read: ``line`` is where, from 1."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class BlockSyntaxError(DocumentError):
    """A live block that cannot be read; ``line`` is its fence's line in the file."""


class BrokenReferenceError(PublishError):
    """A story's or dashboard's live block refers to a query, variable, dataset or dimension
    that does not exist; ``lines`` name each as ``stories/x.md:LINE: what is wrong``."""

    def __init__(self, lines: Sequence[str]) -> None:
        count = "1 broken reference" if len(lines) == 1 else f"{len(lines)} broken references"
        text = "\n".join(lines)
        super().__init__(f"{count} in stories and dashboards; nothing published:\n{text}")
        self.lines = list(lines)


class ValidationFailedError(PublishError):
    """The data breaks its shapes: every violation is listed, with where it came from."""


class PyshaclError(OdcError):
    """pyshacl could not validate (it rejects the shapes, for instance)."""


class UnsupportedError(Exception):
    """The fast engine cannot evaluate a shape itself; the reason says why (pyshacl will)."""


class BusyError(OdcError):
    """Another process holds a lock this one needs."""

    status = 409


class NoReleaseError(OdcError):
    """Nothing has been published yet under a release root."""

    status = 503


class ReleaseError(OdcError):
    """A release root is in a state we cannot use (say, ``current`` is not a symlink)."""


class SearchFileError(ReleaseError):
    """A release's search index file cannot be used: unreadable, damaged, of another format
    version, or made for other properties (the server then builds the index itself)."""


class DumpCancelledError(ReleaseError):
    """A dump was stopped half-way (its publish is stopping); its file is incomplete."""


class StoreError(OdcError):
    """The triple store could not do what was asked. pyoxigraph's own exceptions
    (``SyntaxError``, ``ValueError``, ``OSError``) are translated into these once, in
    ``store``, so that no other package catches an engine's exceptions."""


class NotAnIriError(StoreError):
    """A resource was asked for by a text that is not an IRI (``/resource?uri=`` lets anyone
    type one).

    >>> str(NotAnIriError("a b", "invalid IRI code point ' '"))
    "not an IRI: 'a b' (invalid IRI code point ' ')"
    """

    status = 400

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"not an IRI: {text!r} ({reason})")
        self.text = text


class GraphQueryError(StoreError):
    """A query or update the store cannot run: its syntax, a feature the engine lacks, or a
    failure while it ran. For the platform's own queries; the public endpoint's are
    answered by the query pool's errors."""


class RemoteStoreError(StoreError):
    """The remote SPARQL engine (``ODC_STORE_URL``) could not be reached, or answered a
    request with an error; the message names the endpoint, the status and the engine's words.
    """

    status = 503


class RemoteRefusedError(RemoteStoreError):
    """The remote engine refused a request as bad (4xx): a query or update it cannot run, a
    graph it will not take, or credentials it does not accept."""

    status = 500


class QueryError(OdcError):
    """A SPARQL query could not be answered."""


class QuerySyntaxError(QueryError):
    """The query does not parse; the message says where."""

    status = 400


class QueryTimeoutError(QueryError):
    """The query ran past the time limit and was stopped."""

    status = 503


class QueryMemoryError(QueryError):
    """The query needed more memory than a worker may have, and was stopped."""

    status = 503


class ResultTooLargeError(QueryError):
    """The results outgrew the size limit."""

    status = 400


class UnacceptableResultError(QueryError):
    """No format the client accepts can hold this kind of result."""

    status = 406

    def __init__(self, kind: str) -> None:
        super().__init__(f"no acceptable format for {kind}")
        self.kind = kind


class QueryTooComplexError(OdcError):
    """The query nests too deeply or chains too many clauses for the engine."""

    status = 400


class ServiceRefusedError(OdcError):
    """The query calls an endpoint that is not allow-listed, or may and cannot be read."""

    status = 400


@dataclass(frozen=True)
class ParameterProblem:
    """What is wrong with one parameter of a call: its name, why, and the value given."""

    name: str
    reason: str
    value: str | None = None


class ParameterError(OdcError):
    """Parameters missing, unknown, repeated, or with values not of their declared type."""

    status = 400

    def __init__(self, problems: Sequence[ParameterProblem]) -> None:
        super().__init__("; ".join(f"{p.name} {p.reason}" for p in problems))
        self.problems = tuple(problems)


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
        members: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.suggestions = tuple(suggestions)
        self.available = tuple(available)
        self.headers = dict(headers or {})
        self.members = dict(members or {})
        """Extension members of the problem details (``invalid-params``...)."""


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


class BodyTimeoutError(OdcError):
    """A request body stopped arriving."""

    status = 408


class ServeError(OdcError):
    """The server could not start."""


class WktError(ValueError):
    """The text is not WKT we can draw."""


class ResponseCutShort(BaseException):
    """Raised to make the server abort a response that has started and cannot be finished
    (its query ran out of time, its results outgrew the limit): the client must see the
    connection fail, never take the part it got for the whole.

    Not an ``OdcError``, nor even an ``Exception``: once the response has started there is
    no error response left to send, so, like cancellation, it must pass every ``except
    Exception`` (the framework's error handlers) on its way to the server. The event is
    logged once, as a warning, where it is raised; the server's own traceback is dropped
    (``web.errors.install_error_handlers``).
    """
