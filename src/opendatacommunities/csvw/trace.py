"""Tracing triples back to the cells they came from.

Validation reports a focus node and a property; a publisher needs the CSV ``file:row:column``
to fix. Rather than carry positions through every conversion, the mapping is run again when
a report needs them, recording only the (subject, predicate) pairs asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from opendatacommunities.errors import location

from .convert import Options, TableConverter
from .emission import Cell
from .keys import KeyChecker
from .model import Column, build_group
from .process import Job, fetcher_for, load_group
from .reporting import Reporter
from .rows import open_table, reconcile
from .terms import BlankNodes


def trace_sources(job: Job, wanted: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """Map each wanted (subject, predicate), as N-Triples terms, to ``file:row:column``.

    Pairs that the mapping never produces are left out of the result.
    """
    wanted = set(wanted)
    found: dict[tuple[str, str], str] = {}
    report = Reporter(strict=False)
    fetcher = fetcher_for(job)
    description, urls = load_group(job, fetcher, report)
    group = build_group(description, urls[0] if urls else str(job.input), report.warn)
    blanks, keys = BlankNodes(), KeyChecker(group, report)
    for table in group.tables:
        reader = open_table(table, fetcher)
        reconcile(reader, table, table.scopes, report)
        converter = TableConverter(table, reader, report, Options(minimal=True), blanks, keys)
        for row in reader.rows():
            values, variables = converter.parse_row(row)
            cell = Cell(variables, blanks.new(), None, blanks)
            for index, output in enumerate(converter.outputs):
                out: list[str] = []
                output.emit(out, values[index], cell)
                for line in "".join(out).splitlines():
                    subject, predicate, _ = line.split(" ", 2)
                    pair = (subject, predicate)
                    if pair in wanted and pair not in found:
                        found[pair] = _where(reader.display, row.source_number, output.column)
            if len(found) == len(wanted):
                return found
    return found


def _where(file: str, row: int, column: Column) -> str:
    """The cell, as errors name it (a virtual column has no place in the row)."""
    return location(file, row, column.label, None if column.virtual else column.number)
