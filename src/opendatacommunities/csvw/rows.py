"""Reading a table's file into header and data rows, and checking it against the metadata."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from opendatacommunities.errors import MetadataError

from .dialect import Dialect, open_text, read_records, trim_cell
from .fetch import Fetcher
from .model import Column, Table, build_column, compatible, name_from_title
from .reporting import Reporter


@dataclass
class DataRow:
    """A data row: its number among data rows, its source row number and its cells."""

    number: int
    source_number: int
    cells: list[str]


@dataclass
class TableReader:
    """Reads one table's file: the header first (for titles and comments), then data rows."""

    table: Table
    path: Path
    display: str
    titles: list[list[str]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    _records: Iterator[tuple[int, str, list[str] | None]] | None = None

    def read_header(self) -> None:
        """Consume skipped rows and header rows; remember the titles and comments."""
        dialect = self.table.dialect
        self._records = read_records(open_text(self.path, dialect), dialect)
        for _ in range(dialect.skip_rows):
            record = next(self._records, None)
            if record is None:
                return
            if record[1]:
                self.comments.append(record[1])
        header_rows = 0
        while header_rows < dialect.header_row_count:
            record = next(self._records, None)
            if record is None:
                return
            if record[2] is None:
                self.comments.append(record[1])
                continue
            header_rows += 1
            self._add_titles(record[2][dialect.skip_columns :], dialect)
        if dialect.header_row_count == 0:
            self._peek_width()

    def _peek_width(self) -> None:
        # With no header, the first data row says how many columns there are.
        assert self._records is not None
        pending: list[tuple[int, str, list[str] | None]] = []
        for record in self._records:
            pending.append(record)
            if record[2] is not None:
                self.titles = [[] for _ in record[2][self.table.dialect.skip_columns :]]
                break
        self._records = itertools.chain(pending, self._records)

    def _add_titles(self, cells: list[str], dialect: Dialect) -> None:
        for index, cell in enumerate(cells):
            title = trim_cell(cell, dialect.trim)
            while len(self.titles) <= index:
                self.titles.append([])
            if title.strip():
                self.titles[index].append(title)

    def rows(self) -> Iterator[DataRow]:
        """The data rows, after the header; comment lines are kept for the table's notes."""
        assert self._records is not None, "read_header first"
        dialect = self.table.dialect
        number = 0
        trim, skip = dialect.trim, dialect.skip_columns
        for source_number, content, cells in self._records:
            if cells is None:
                self.comments.append(content)
                continue
            if dialect.skip_blank_rows and all(c == "" for c in cells):
                continue
            number += 1
            cells = cells[skip:] if skip else cells
            if trim:
                cells = [trim_cell(c, trim) for c in cells]
            yield DataRow(number, source_number, cells)


def open_table(table: Table, fetcher: Fetcher) -> TableReader:
    """Find a table's file and read its header.

    :raises MetadataError: when the file is not there.
    """
    path = fetcher.local_path(table.url)
    if path is None or not path.is_file():
        raise MetadataError(f"cannot read the table at {table.url}", file=str(path or table.url))
    reader = TableReader(table=table, path=path, display=str(path))
    reader.read_header()
    return reader


def embedded_columns(reader: TableReader, table: Table, lang: str) -> list[Column]:
    """Columns as the file's header describes them (embedded metadata, §5.4)."""
    return [
        build_column(i + 1, {"titles": {lang: titles}} if titles else {}, [])
        for i, titles in enumerate(reader.titles)
    ]


def _embedded_description(column: Column, named: bool) -> dict[str, object]:
    if not named or not column.titles:
        return {}
    description: dict[str, object] = {"titles": column.titles}
    first = next(iter(column.titles.values()))
    if first:
        description["_name"] = name_from_title(first[0])
    return description


def reconcile(
    reader: TableReader, table: Table, scopes: list[dict[str, object]], report: Reporter
) -> None:
    """Merge the file's header with the metadata: adopt it when the metadata has no columns,
    otherwise check the two are compatible (a warning if not, as the spec asks of converters)."""
    lang = next((str(s["lang"]) for s in scopes if "lang" in s), "und")
    embedded = embedded_columns(reader, table, lang)
    if not table.columns:
        # Titles name the columns only when the file's header is the only metadata there is;
        # metadata without columns leaves them unnamed (_col.N).
        table.columns = [
            build_column(c.number, _embedded_description(c, table.from_header), scopes)
            for c in embedded
        ]
        return
    if reader.table.dialect.header_row_count == 0:
        return
    problem = compatible(table.columns, embedded)
    if problem:
        report.warn(f"{reader.display}: metadata and file do not match: {problem}")
    _add_unnamed(table, len(embedded))


def _add_unnamed(table: Table, width: int) -> None:
    # Cells beyond the described columns get columns of their own (§8: "if there is no
    # such column, create a new column"), placed before any virtual columns.
    real = [c for c in table.columns if not c.virtual]
    virtual = [c for c in table.columns if c.virtual]
    extra = [build_column(n, {}, []) for n in range(len(real) + 1, width + 1)]
    if extra:
        table.columns = real + extra + virtual
        for number, column in enumerate(table.columns, start=1):
            column.number = number
