"""One exception hierarchy for the whole platform.

Web-facing errors carry the HTTP status they map to; errors about source data carry the
``file:row:column`` position and the offending value so that a publisher can act on them.
"""

from __future__ import annotations


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
