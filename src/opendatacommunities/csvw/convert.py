"""Generating RDF from annotated tables (csv2rdf §4.2), row by row, as N-Triples lines.

Nothing is held per row beyond the row itself: lines are yielded as each row is converted, so
memory stays flat however long the table is (key checks keep only compact key sets).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from .cells import CellValue, compile_cell
from .datatypes import Value
from .fetch import Fetcher
from .jsonld import common_triples, notes_triples
from .keys import KeyChecker
from .model import Column, Table, TableGroup
from .reporting import Reporter
from .rows import DataRow, TableReader, open_table, reconcile
from .templates import Template, compile_template, to_url
from .terms import CSVW, RDF, XSD, XSD_STRING, BlankNodes, Triple, iri, literal

TYPE = iri(RDF + "type")
RDFS_COMMENT = iri("http://www.w3.org/2000/01/rdf-schema#comment")
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
        variables: dict[str, object] = {"_row": row.number, "_sourceRow": row.source_number}
        for index, column in enumerate(self.columns):
            raw = cells[index] if index < len(cells) and not column.virtual else ""
            value, errors = self.parsers[index](raw)
            for message in errors:
                self.report.cell(
                    message,
                    file=self.reader.display,
                    row=row.source_number,
                    column=column.label,
                    value=raw,
                )
            values.append(value)
            variables[column.name] = _template_value(value)
        self.keys.add_row(self.table, self.columns, values, row.source_number, self.reader.display)
        return values, variables

    def _ragged(self, row: DataRow) -> None:
        count = len(row.cells)
        where = self.columns[min(count, self.real) - 1].label if self.columns and count else "1"
        self.report.cell(
            f"row has {count} cells but the table has {self.real} columns",
            file=self.reader.display,
            row=row.source_number,
            column=where,
            value=None,
        )

    def lines(self, t: str) -> Iterator[str]:
        """Yield the lines for every row of the table."""
        standard, blanks = self.standard, self.blanks
        for row in self.reader.rows():
            values, variables = self.parse_row(row)
            default_subject = blanks.new()
            if standard:
                r = blanks.new()
                yield triple(t, _C["row"], r)
                yield triple(r, TYPE, _C["Row"])
                yield triple(r, _C["rownum"], f'"{row.number}"^^<{XSD}integer>')
                yield triple(r, _C["url"], f"{self.row_url}{row.source_number}>")
                for index in self.titles:
                    yield from self._title_lines(r, index, values[index])
            described: set[str] = set()
            for output, value in zip(self.outputs, values, strict=True):
                if output.suppressed:
                    continue
                subject = output.subject(variables, default_subject)
                if standard and subject not in described:
                    described.add(subject)
                    yield triple(r, _C["describes"], subject)
                yield from output.lines(subject, value, variables, blanks)

    def _title_lines(self, r: str, index: int, value: CellValue) -> Iterator[str]:
        output = self.outputs[index]
        for item in value if isinstance(value, list) else [value]:
            if item is not None:
                yield triple(r, _C["title"], output.term(item))


def _template_value(value: CellValue) -> object:
    if value is None:
        return None
    if isinstance(value, list):
        return [v.lexical for v in value]
    return value.lexical


class ColumnOutput:
    """Everything about how one column's cells become triples, decided once."""

    def __init__(self, column: Column, url: str, base: str) -> None:
        self.column = column
        self.url = url
        self.suppressed = column.suppress_output
        self.about = _compiled(column.about_url)
        self.value_url = _compiled(column.value_url)
        prop = _compiled(column.property_url)
        self.fixed_predicate = iri(base + "#" + column.name) if prop is None else None
        self.property = prop
        if prop is not None and not prop.names:
            self.fixed_predicate = iri(to_url(prop.expand({}), url))
        string_base = column.datatype.base == "string"
        self.language = column.lang if string_base and column.lang != "und" else None
        self.ordered = column.ordered
        self._column_vars = {
            "_column": column.number,
            "_sourceColumn": column.number,
            "_name": unquote(column.name),
        }

    def term(self, value: Value) -> str:
        """The literal for one value: language-tagged for strings, typed otherwise."""
        if value.datatype == XSD_STRING:
            return literal(value.lexical, language=self.language)
        return literal(value.lexical, value.datatype)

    def _expand(self, template: Template, variables: dict[str, object]) -> str:
        if template.per_column:
            variables = {**variables, **self._column_vars}
        return iri(to_url(template.expand(variables), self.url))

    def subject(self, variables: dict[str, object], default: str) -> str:
        """The subject of this column's cell in the current row."""
        return default if self.about is None else self._expand(self.about, variables)

    def lines(
        self, subject: str, value: CellValue, variables: dict[str, object], blanks: BlankNodes
    ) -> Iterator[str]:
        """The triples for one cell."""
        predicate = self.fixed_predicate or self._expand(self.property, variables)  # type: ignore[arg-type]
        if self.value_url is not None:
            if value is not None or self.column.virtual:
                yield triple(subject, predicate, self._expand(self.value_url, variables))
            return
        if value is None:
            return
        if isinstance(value, list):
            yield from self._list_lines(subject, predicate, value, blanks)
        else:
            yield triple(subject, predicate, self.term(value))

    def _list_lines(
        self, subject: str, predicate: str, values: list[Value], blanks: BlankNodes
    ) -> Iterator[str]:
        if not self.ordered:
            for item in values:
                yield triple(subject, predicate, self.term(item))
            return
        if not values:
            yield triple(subject, predicate, iri(RDF + "nil"))
            return
        node = blanks.new()
        yield triple(subject, predicate, node)
        for position, item in enumerate(values):
            yield triple(node, iri(RDF + "first"), self.term(item))
            following = blanks.new() if position < len(values) - 1 else iri(RDF + "nil")
            yield triple(node, iri(RDF + "rest"), following)
            node = following


def _compiled(source: str | None) -> Template | None:
    return None if source is None else compile_template(source)
