"""Warnings and cell problems: where they go, and when a problem stops the conversion.

The W3C suite expects a converter to carry on past cell errors with a warning; a publisher
wants them to stop the run. :class:`Reporter` does either, and names ``file:row:column`` and
the value in both cases.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from opendatacommunities.errors import CellError


@dataclass
class Reporter:
    """Collects warnings; in strict mode turns cell problems into :class:`CellError`."""

    strict: bool = False
    sink: Callable[[str], None] | None = None
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Report a warning (a processing problem that does not stop the output)."""
        self.warnings.append(message)
        if self.sink is not None:
            self.sink(message)

    def cell(self, message: str, *, file: str, row: int, column: str, value: str | None) -> None:
        """Report a problem with one cell (or a row, when ``column`` names its position).

        :raises CellError: in strict mode.
        """
        error = CellError(message, file=file, row=row, column=column, value=value)
        if self.strict:
            raise error
        self.warn(str(error))
