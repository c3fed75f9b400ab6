"""Validation results: one `Violation` per SHACL validation result, gathered in a `Report`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from pyoxigraph import NamedNode

from .paths import PathExpr, to_sparql
from .vocab import SH_INFO, SH_VIOLATION, SH_WARNING, Term

#: Maps a violation's focus node and result path to where the triple came from (``file:row:col``).
Locator = Callable[[Term, PathExpr | None], str | None]

_SEVERITY_WORDS = {SH_VIOLATION: "", SH_WARNING: "warning: ", SH_INFO: "info: "}


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result.

    ``constraint`` names the constraint parameter and its value (``sh:minCount 1``); ``path_text``
    and ``shape_label`` are the short forms of the path and shape used in messages.
    """

    focus: Term
    path: PathExpr | None
    value: Term | None
    component: NamedNode
    shape: Term
    severity: NamedNode
    message: str
    constraint: str
    path_text: str = ""
    shape_label: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """The identity of a result: focus, path, constraint component, value, source shape."""
        return (
            str(self.focus),
            to_sparql(self.path) if self.path is not None else "",
            self.component.value,
            str(self.value) if self.value is not None else "",
            str(self.shape),
        )

    def to_text(self, locate: Locator | None = None) -> str:
        """One line in words: ``[where: ]<focus> path: message (constraint) [shape]``.

        >>> from pyoxigraph import NamedNode as N
        >>> v = Violation(N("http://e/a"), N("http://e/p"), None, N("http://e/C"),
        ...     N("http://e/S"), SH_VIOLATION, "expected at least 1 value", "sh:minCount 1",
        ...     "ex:p", "ex:S")
        >>> v.to_text(lambda focus, path: "areas.csv:3:2")
        'areas.csv:3:2: <http://e/a> ex:p: expected at least 1 value (sh:minCount 1) [ex:S]'
        """
        where = locate(self.focus, self.path) if locate is not None else None
        prefix = f"{where}: " if where else ""
        subject = f"{self.focus} {self.path_text}" if self.path_text else str(self.focus)
        severity = _SEVERITY_WORDS.get(self.severity, f"{self.severity.value}: ")
        shape = self.shape_label or str(self.shape)
        return f"{prefix}{subject}: {severity}{self.message} ({self.constraint}) [{shape}]"


@dataclass(frozen=True)
class Report:
    """The outcome of validating a data graph against shapes.

    ``conforms`` follows SHACL: true only when there is no result of any severity. ``notes`` say
    how the report was made where that matters (shapes the fast engine handed to pyshacl).
    """

    violations: tuple[Violation, ...]
    notes: tuple[str, ...] = field(default=())

    @classmethod
    def of(cls, violations: Iterable[Violation], notes: Iterable[str] = ()) -> Report:
        """A report with duplicates removed and results sorted by `Violation.key`."""
        unique = {violation.key: violation for violation in violations}
        return cls(tuple(unique[key] for key in sorted(unique)), tuple(notes))

    @property
    def conforms(self) -> bool:
        """Whether the data conforms: no validation result at all."""
        return not self.violations

    @property
    def blocking(self) -> tuple[Violation, ...]:
        """The results of severity sh:Violation (warnings and infos do not stop a publish)."""
        return tuple(v for v in self.violations if v.severity == SH_VIOLATION)

    def merged(self, other: Report) -> Report:
        """This report and another one as one report."""
        return Report.of((*self.violations, *other.violations), (*self.notes, *other.notes))

    def to_text(self, locate: Locator | None = None) -> str:
        """Every violation on its own line, then every note as a ``note:`` line."""
        lines = [violation.to_text(locate) for violation in self.violations]
        lines.extend(f"note: {note}" for note in self.notes)
        return "\n".join(lines)
