"""Cell problems and warnings: a publisher's run stops at a bad cell, naming it; the W3C
suite's lenient mode carries on with a warning that names it the same way."""

from __future__ import annotations

import pytest

from opendatacommunities.csvw.reporting import Reporter
from opendatacommunities.errors import CellError


def _bad_cell(report: Reporter) -> None:
    """Report the one bad cell these tests share."""
    report.cell("expected an integer", file="people.csv", row=4, column="Value", value="n/a")


def test_strict_mode_stops_at_a_bad_cell_naming_it() -> None:
    """File, row, column and value are all in the error, and nothing is warned."""
    report = Reporter(strict=True)
    with pytest.raises(CellError) as raised:
        _bad_cell(report)
    assert str(raised.value) == "people.csv:4:Value: expected an integer (value 'n/a')"
    assert report.warnings == []


def test_lenient_mode_warns_and_carries_on() -> None:
    """Every warning also reaches the sink, in order."""
    seen: list[str] = []
    report = Reporter(sink=seen.append)
    _bad_cell(report)
    report.warn("no metadata found")
    assert report.warnings == [
        "people.csv:4:Value: expected an integer (value 'n/a')",
        "no metadata found",
    ]
    assert seen == report.warnings


def test_a_note_is_only_a_warning_even_in_strict_mode() -> None:
    """Something odd about a valid cell never stops the run."""
    report = Reporter(strict=True)
    report.note("leading zeros dropped", file="a.csv", row=2, column="25", value="007", index=26)
    assert report.warnings == [
        "a.csv:2:25 (column \"25\", the 26th): leading zeros dropped (value '007')"
    ]


def test_relocated_problems_name_the_source_cell() -> None:
    """A cube's tidy table reports the cell of the CSV the publisher wrote."""

    def to_source(error: CellError) -> CellError:
        return CellError(error.message, file="source.csv", row=9, column="2011", value=error.value)

    report = Reporter(strict=True, relocate=to_source)
    with pytest.raises(CellError, match=r"^source\.csv:9:2011: expected an integer"):
        _bad_cell(report)
    report.note("odd", file="tidy.csv", row=1, column="v", value="x", index=1)
    assert report.warnings == ["source.csv:9:2011: odd (value 'x')"]
