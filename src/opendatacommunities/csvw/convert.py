"""Generating RDF from annotated tables (csv2rdf §4.2), row by row, as N-Triples lines.

Nothing is held per row beyond the row itself: lines are yielded as each row is converted, so
memory stays flat however long the table is (key checks keep only compact key sets).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from opendatacommunities import vocab
from opendatacommunities.vocab import CSVW, RDF, XSD

from .cells import CellValue, compile_cell, template_value
from .emission import Cell, ColumnOutput, plan_emitters
from .fetch import Fetcher
from .jsonld import common_triples, notes_triples
from .keys import KeyChecker
from .model import Column, Table, TableGroup
from .reporting import CellSaying, Reporter
from .rows import DataRow, TableReader, open_table, reconcile
from .terms import BlankNodes, Triple, iri, literal

TYPE = iri(RDF + "type")
RDFS_COMMENT = iri(vocab.RDFS_COMMENT)
_C = {
    name: iri(CSVW + name)
    for name in (
        "TableGroup",
        "Table",
        "Row",
        "table",
        "row",
        "url",
        "rownum",
        "describes",
        "title",
    )
}


@dataclass(frozen=True)
class Options:
    """How to convert: minimal mode leaves out the table, row and group structure."""

    minimal: bool = False


def triple(s: str, p: str, o: str) -> str:
    """One N-Triples line."""
    return f"{s} {p} {o} .\n"


def _lines(triples: Iterator[Triple]) -> Iterator[str]:
    for s, p, o in triples:
        yield f"{s} {p} {o} .\n"


def convert_group(
    group: TableGroup,
    g: str,
    fetcher: Fetcher,
    report: Reporter,
    options: Options,
    blanks: BlankNodes,
) -> Iterator[str]:
    """Yield the N-Triples lines for a whole table group whose node is ``g``."""
    standard = not options.minimal
    keys = KeyChecker(group, report)
    if standard:
        yield triple(g, TYPE, _C["TableGroup"])
        yield from _annotation_lines(g, group.annotations, group.notes, blanks)
    for table in group.tables:
        reader = open_table(table, fetcher)
        reconcile(reader, table, table.scopes, report)
        converter = TableConverter(table, reader, report, options, blanks, keys)
        if table.suppress_output:
            converter.check_only()
            continue
        t = iri(table.id) if table.id else blanks.new()
        if standard:
            yield triple(g, _C["table"], t)
            yield triple(t, TYPE, _C["Table"])
            yield triple(t, _C["url"], iri(table.url))
            yield from _annotation_lines(t, table.annotations, table.notes, blanks)
        yield from converter.lines(t)
        if standard and table.from_header:
            for comment in reader.comments:
                yield triple(t, RDFS_COMMENT, literal(comment))
    keys.finish()


def _annotation_lines(
    subject: str, annotations: dict[str, object], notes: list[object], blanks: BlankNodes
) -> Iterator[str]:
    for name, value in annotations.items():
        yield from _lines(common_triples(subject, name, value, blanks))
    if notes:
        yield from _lines(notes_triples(subject, notes, blanks))


class TableConverter:
    """Converts the rows of one table, with every per-column decision made up front."""

    def __init__(
        self,
        table: Table,
        reader: TableReader,
        report: Reporter,
        options: Options,
        blanks: BlankNodes,
        keys: KeyChecker,
    ) -> None:
        self.table, self.reader, self.report, self.blanks, self.keys = (
            table,
            reader,
            report,
            blanks,
            keys,
        )
        self.standard = not options.minimal
        self.columns = table.columns
        self.parsers = [compile_cell(c) for c in self.columns]
        self.real = sum(1 for c in self.columns if not c.virtual)
        base = table.url.split("#", 1)[0]
        self.base = table.url
        self.row_url = iri(base)[:-1] + "#row="
        self.outputs = [ColumnOutput(c, table.url, base) for c in self.columns]
        self.titles = [i for i, c in enumerate(self.columns) if c.name in table.row_titles]
        self.real_parsers = [
            (i, c, self.parsers[i]) for i, c in enumerate(self.columns) if not c.virtual
        ]
        # A virtual column's cells all hold its default: parse it once.
        self.virtual_values = [
            self.parsers[i]("")[0] for i, c in enumerate(self.columns) if c.virtual
        ]
        self.virtual_variables = {
            c.name: template_value(v)
            for c, v in zip(
                [c for c in self.columns if c.virtual], self.virtual_values, strict=True
            )
        }

    def check_only(self) -> None:
        """Parse and check a suppressed table (keys, datatypes) without output."""
        for row in self.reader.rows():
            self.parse_row(row)

    def parse_row(self, row: DataRow) -> tuple[list[CellValue], dict[str, object]]:
        """Parse every cell of a row; return the values and the URI template variables."""
        cells = row.cells
        if len(cells) != self.real:
            self._ragged(row)
        values: list[CellValue] = []
        variables = dict(self.virtual_variables)
        variables["_row"], variables["_sourceRow"] = row.number, row.source_number
        width = len(cells)
        for index, column, parse in self.real_parsers:
            raw = cells[index] if index < width else ""
            value, errors, notes = parse(raw)
            if errors:
                self._cell_errors(errors, row, column, raw)
            if notes:
                self._cell_notes(notes, row, column, raw)
            values.append(value)
            variables[column.name] = template_value(value)
        values.extend(self.virtual_values)
        self.keys.add_row(self.table, self.columns, values, row.source_number, self.reader.display)
        return values, variables

    def _cell_errors(self, errors: list[str], row: DataRow, column: Column, raw: str) -> None:
        self._tell(self.report.cell, errors, row, column, raw)

    def _cell_notes(self, notes: list[str], row: DataRow, column: Column, raw: str) -> None:
        self._tell(self.report.note, notes, row, column, raw)

    def _tell(
        self, say: CellSaying, messages: list[str], row: DataRow, column: Column, raw: str
    ) -> None:
        for message in messages:
            say(
                message,
                file=self.reader.display,
                row=row.source_number,
                column=column.label,
                index=column.number,
                value=raw,
            )

    def _ragged(self, row: DataRow) -> None:
        count = len(row.cells)
        if count < self.real:
            # The first missing cell: it has no value.
            where, value = self.columns[count].label, None
        else:
            where, value = None, row.cells[self.real]  # the first extra cell
        self.report.cell(
            f"the row has {count} cells but the table has {self.real} columns",
            file=self.reader.display,
            row=row.source_number,
            column=where,
            index=count + 1 if count < self.real else self.real + 1,
            value=value,
        )

    def lines(self, t: str) -> Iterator[str]:
        """Yield the lines for the table's rows, one string per row."""
        standard, blanks = self.standard, self.blanks
        emitters = plan_emitters(self.outputs)
        for row in self.reader.rows():
            values, variables = self.parse_row(row)
            out: list[str] = []
            row_node = blanks.new() if standard else None
            if row_node is not None:
                self._row_lines(out, t, row_node, row, values)
            cell = Cell(variables, blanks.new(), row_node, blanks)
            for emitter in emitters:
                emitter.emit(out, values, cell)
            yield "".join(out)

    def _row_lines(
        self, out: list[str], t: str, r: str, row: DataRow, values: list[CellValue]
    ) -> None:
        out.append(f"{t} {_C['row']} {r} .\n{r} {TYPE} {_C['Row']} .\n")
        out.append(f'{r} {_C["rownum"]} "{row.number}"^^<{XSD}integer> .\n')
        out.append(f"{r} {_C['url']} {self.row_url}{row.source_number}> .\n")
        for index in self.titles:
            value = values[index]
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    out.append(triple(r, _C["title"], self.outputs[index].term(item)))
