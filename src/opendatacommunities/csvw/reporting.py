"""Warnings and cell problems: where they go, and when a problem stops the conversion.

The W3C suite expects a converter to carry on past cell errors with a warning; a publisher
wants them to stop the run. :class:`Reporter` does either, and names ``file:row:column`` and
the value in both cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from opendatacommunities.errors import CellError


class CellSaying(Protocol):
    """How a cell's problem or note is told: ``Reporter.cell`` or ``Reporter.note``."""

    def __call__(
        self, message: str, *, file: str, row: int, column: str, value: str, index: int
    ) -> None: ...


@dataclass
class Reporter:
    """Collects warnings; in strict mode turns cell problems into :class:`CellError`.

    ``relocate`` names a cell's real origin when the table mapped was made from another
    (a cube's tidy table names the source CSV's cell each value came from).
    """

    strict: bool = False
    sink: Callable[[str], None] | None = None
    warnings: list[str] = field(default_factory=list)
    relocate: Callable[[CellError], CellError] | None = None

    def warn(self, message: str) -> None:
        """Report a warning (a processing problem that does not stop the output)."""
        self.warnings.append(message)
        if self.sink is not None:
            self.sink(message)

    def cell(
        self,
        message: str,
        *,
        file: str,
        row: int,
        column: str | None,
        value: str | None,
        index: int | None = None,
    ) -> None:
        """Report a problem with one cell: ``column`` is its header (None beyond the header),
        ``index`` its place in the row (from 1).

        :raises CellError: in strict mode.
        """
        error = CellError(message, file=file, row=row, column=column, value=value, index=index)
        if self.relocate is not None:
            error = self.relocate(error)
        if self.strict:
            raise error
        self.warn(str(error))

    def note(
        self, message: str, *, file: str, row: int, column: str, value: str, index: int
    ) -> None:
        """Report something odd about a valid cell: a warning, in strict mode too."""
        where = CellError(message, file=file, row=row, column=column, value=value, index=index)
        if self.relocate is not None:
            where = self.relocate(where)
        self.warn(str(where))
