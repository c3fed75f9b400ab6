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
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        self.value = value

    def __str__(self) -> str:
        where = ":".join(
            str(part) for part in (self.file, self.row, self.column) if part not in (None, "")
        )
        text = f"{where}: {self.message}" if where else self.message
        return f"{text} (value {self.value!r})" if self.value is not None else text


class MetadataError(SourceError):
    """A metadata (mapping) file is unusable: the CSVW spec says processing must stop."""


class CellError(SourceError):
    """A cell does not match its column's datatype or constraints."""


class ExistingFileError(OdcError):
    """A file that would be written is already there, and is left as it is."""
