"""Primary keys and foreign keys across the tables of a group (Model for Tabular Data §4.4, §6.6).

Checking keys is the one thing that needs memory across rows: a set of key tuples per primary
key and per foreign key end. Values are kept as the datatype's parsed values, so ``"01"`` and
``"1"`` in an integer column are the same key.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from .cells import CellValue
from .model import Column, ForeignKey, Table, TableGroup, referenced_table
from .reporting import Reporter

Key = tuple[Hashable, ...]


def _key(values: Sequence[CellValue], indexes: Sequence[int]) -> Key | None:
    parts: list[Hashable] = []
    for index in indexes:
        value = values[index]
        if value is None:
            return None
        parts.append(tuple(v.key for v in value) if isinstance(value, list) else value.key)
    return tuple(parts)


@dataclass
class _End:
    """One side of a key: the columns it reads and the keys seen so far."""

    indexes: list[int]
    seen: dict[Key, int] = field(default_factory=dict)
    duplicates: set[Key] = field(default_factory=set)


@dataclass
class _Reference:
    key: ForeignKey
    source: Table
    target: Table
    referencing: _End
    referenced: _End
    file: str = ""


def _indexes(table: Table, names: Sequence[str]) -> list[int]:
    positions = {c.name: i for i, c in enumerate(table.columns)}
    return [positions[n] for n in names if n in positions]


class KeyChecker:
    """Checks primary key uniqueness as rows arrive and foreign keys once all tables are read."""

    def __init__(self, group: TableGroup, report: Reporter) -> None:
        self.group, self.report = group, report
        self.primary: dict[int, _End] = {}
        self.references: list[_Reference] = []
        self._ready: set[int] = set()

    def _prepare(self, table: Table) -> None:
        # Column lists may come from the file's header, so indexes are known only now.
        self._ready.add(id(table))
        if table.primary_key:
            self.primary[id(table)] = _End(_indexes(table, table.primary_key))
        for key in table.foreign_keys:
            target = referenced_table(self.group, key)
            if target is not None:
                self.references.append(
                    _Reference(key, table, target, _End(_indexes(table, key.columns)), _End([]))
                )
        for ref in self.references:
            if ref.target is table:
                ref.referenced.indexes = _indexes(table, ref.key.referenced)

    def add_row(
        self, table: Table, columns: list[Column], values: list[CellValue], row: int, file: str
    ) -> None:
        """Record one parsed row; report a duplicate primary key at once."""
        if id(table) not in self._ready:
            self._prepare(table)
        primary = self.primary.get(id(table))
        if primary is not None:
            key = _key(values, primary.indexes)
            if key is not None and key in primary.seen:
                names = ", ".join(table.primary_key)
                self.report.cell(
                    f"duplicate primary key (first seen in row {primary.seen[key]})",
                    file=file,
                    row=row,
                    column=names,
                    value=", ".join(map(str, key)),
                )
            elif key is not None:
                primary.seen[key] = row
        for ref in self.references:
            if ref.source is table:
                self._remember(ref.referencing, values, row)
                ref.file = file
            if ref.target is table:
                self._remember(ref.referenced, values, row)

    @staticmethod
    def _remember(end: _End, values: list[CellValue], row: int) -> None:
        key = _key(values, end.indexes)
        if key is None:
            return
        if key in end.seen:
            end.duplicates.add(key)
        else:
            end.seen[key] = row

    def finish(self) -> None:
        """Report every foreign key value that matches no row, or more than one row."""
        for ref in self.references:
            names = ", ".join(ref.key.columns)
            for key, row in ref.referencing.seen.items():
                if key not in ref.referenced.seen:
                    problem = f"foreign key matches no row of {ref.target.url}"
                elif key in ref.referenced.duplicates:
                    problem = f"foreign key matches more than one row of {ref.target.url}"
                else:
                    continue
                self.report.cell(
                    problem, file=ref.file, row=row, column=names, value=", ".join(map(str, key))
                )
