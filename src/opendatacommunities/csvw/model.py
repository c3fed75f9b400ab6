"""The annotated table model (Model for Tabular Data §4) built from normalised metadata.

Inherited properties are resolved here once per column (column, then schema, then table, then
table group), so that converting a row never looks anything up twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from opendatacommunities.errors import MetadataError

from .datatypes import STRING, Datatype
from .dialect import Dialect, read_dialect
from .language import languages_match

Json = Any


@dataclass
class Column:
    """A column with its inherited annotations resolved."""

    number: int
    name: str
    titles: dict[str, list[str]]
    virtual: bool = False
    suppress_output: bool = False
    about_url: str | None = None
    property_url: str | None = None
    value_url: str | None = None
    datatype: Datatype = STRING
    default: str = ""
    lang: str = "und"
    null: tuple[str, ...] = ("",)
    ordered: bool = False
    required: bool = False
    separator: str | None = None
    text_direction: str = "inherit"
    has_name: bool = False

    @property
    def label(self) -> str:
        """How error messages name the column: its first title, else its name."""
        for texts in self.titles.values():
            if texts:
                return texts[0]
        return unquote(self.name)


@dataclass(frozen=True)
class ForeignKey:
    """Referencing column names, and the table and columns they point to."""

    columns: tuple[str, ...]
    resource: str | None
    schema_reference: str | None
    referenced: tuple[str, ...]


@dataclass
class Table:
    """One table of a group: its URL, dialect, columns, keys and annotations."""

    url: str
    columns: list[Column]
    dialect: Dialect
    id: str | None = None
    schema_id: str | None = None
    suppress_output: bool = False
    primary_key: tuple[str, ...] = ()
    row_titles: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    annotations: dict[str, Json] = field(default_factory=dict)
    notes: list[Json] = field(default_factory=list)
    has_dialect: bool = False
    scopes: list[dict[str, Json]] = field(default_factory=list)
    from_header: bool = False


@dataclass
class TableGroup:
    """The tables converted together, with the group's own annotations."""

    tables: list[Table]
    id: str | None = None
    annotations: dict[str, Json] = field(default_factory=dict)
    notes: list[Json] = field(default_factory=list)


_INHERITED_FIELDS = {
    "aboutUrl": "about_url",
    "propertyUrl": "property_url",
    "valueUrl": "value_url",
    "datatype": "datatype",
    "default": "default",
    "lang": "lang",
    "null": "null",
    "ordered": "ordered",
    "required": "required",
    "separator": "separator",
    "textDirection": "text_direction",
}


def build_group(group: dict[str, Json], source: str, warn: Callable[[str], None]) -> TableGroup:
    """Turn a normalised table group description into the model.

    :raises MetadataError: duplicate column names, misplaced virtual columns, bad keys.
    """
    tables = [build_table(t, group, source, warn) for t in group["tables"]]
    result = TableGroup(
        tables=tables,
        id=group.get("@id"),
        annotations=_annotations(group),
        notes=group.get("notes", []),
    )
    check_references(result, source)
    return result


def _annotations(description: dict[str, Json]) -> dict[str, Json]:
    return {k: v for k, v in description.items() if ":" in k}


def build_table(
    table: dict[str, Json], group: dict[str, Json], source: str, warn: Callable[[str], None]
) -> Table:
    """Build one table, inheriting the group's schema and dialect where it has none."""
    if "url" not in table:
        raise MetadataError("a table description must have a url", file=source)
    schema: dict[str, Json] = table.get("tableSchema", group.get("tableSchema")) or {}
    dialect: dict[str, Json] | None = table.get("dialect", group.get("dialect"))
    scopes: list[dict[str, Json]] = [schema, table, group]
    columns = build_columns(schema.get("columns", []), scopes, source)
    names = [c.name for c in columns if c.has_name]
    return Table(
        url=table["url"],
        columns=columns,
        dialect=read_dialect(dialect or {}),
        id=table.get("@id"),
        schema_id=schema.get("@id"),
        suppress_output=table.get("suppressOutput", False),
        primary_key=_references(schema, "primaryKey", names, source, warn),
        row_titles=_references(schema, "rowTitles", names, source, warn),
        foreign_keys=tuple(_foreign_key(fk, names, source) for fk in schema.get("foreignKeys", [])),
        annotations=_annotations(table),
        notes=table.get("notes", []),
        has_dialect=dialect is not None,
        scopes=scopes,
        from_header=table.get("_embedded", False),
    )


def build_columns(
    descriptions: list[dict[str, Json]], scopes: list[dict[str, Json]], source: str
) -> list[Column]:
    """Build columns in order, checking names are unique and virtual columns come last."""
    columns: list[Column] = []
    seen_virtual = False
    for number, description in enumerate(descriptions, start=1):
        column = build_column(number, description, scopes)
        if seen_virtual and not column.virtual:
            raise MetadataError(f"column {column.label!r} follows a virtual column", file=source)
        seen_virtual = seen_virtual or column.virtual
        if any(c.name == column.name for c in columns):
            raise MetadataError(f"two columns are named {column.name!r}", file=source)
        columns.append(column)
    return columns


def build_column(
    number: int, description: dict[str, Json], scopes: list[dict[str, Json]]
) -> Column:
    """Build a column, taking each inherited property from the nearest scope that sets it."""
    titles = description.get("titles", {})
    name = description.get("name") or description.get("_name") or f"_col.{number}"
    column = Column(
        number=number,
        name=name,
        titles=titles,
        virtual=description.get("virtual", False),
        suppress_output=description.get("suppressOutput", False),
        has_name="name" in description,
    )
    for key, attribute in _INHERITED_FIELDS.items():
        for scope in (description, *scopes):
            if key in scope:
                value = scope[key]
                setattr(column, attribute, tuple(value) if key == "null" else value)
                break
    return column


def name_from_title(title: str) -> str:
    """The column name a title gives: percent-encoded so it can be a template variable.

    >>> name_from_title("Inventory Date"), name_from_title("yyyy-MM-dd")
    ('Inventory%20Date', 'yyyy%2DMM%2Ddd')
    """
    return "".join(
        char if char.isascii() and (char.isalnum() or char in "._") else _percent(char)
        for char in title
    )


def _percent(char: str) -> str:
    return "".join(f"%{byte:02X}" for byte in char.encode("utf-8"))


def _references(
    schema: dict[str, Json], key: str, names: list[str], source: str, warn: Callable[[str], None]
) -> tuple[str, ...]:
    refs = schema.get(key, [])
    unknown = [r for r in refs if r not in names]
    if unknown:
        warn(f"{source}: {key} names unknown columns {unknown}; ignored")
        return ()
    return tuple(refs)


def _foreign_key(fk: dict[str, Json], names: list[str], source: str) -> ForeignKey:
    columns = fk.get("columnReference")
    reference = fk.get("reference")
    if not columns or not isinstance(reference, dict):
        raise MetadataError("a foreign key needs columnReference and reference", file=source)
    if any(c not in names for c in columns):
        raise MetadataError(f"foreign key names unknown columns {columns}", file=source)
    resource, schema_ref = reference.get("resource"), reference.get("schemaReference")
    if (resource is None) == (schema_ref is None):
        raise MetadataError(
            "a foreign key reference needs exactly one of resource and schemaReference", file=source
        )
    referenced = reference.get("columnReference")
    if not referenced:
        raise MetadataError("a foreign key reference needs a columnReference", file=source)
    return ForeignKey(tuple(columns), resource, schema_ref, tuple(referenced))


def referenced_table(group: TableGroup, key: ForeignKey) -> Table | None:
    """The table a foreign key points to, by URL or by schema identifier."""
    for table in group.tables:
        if key.resource is not None and table.url == key.resource:
            return table
        if key.schema_reference is not None and table.schema_id == key.schema_reference:
            return table
    return None


def check_references(group: TableGroup, source: str) -> None:
    """Every foreign key must point at a table of the group and at columns it has."""
    for table in group.tables:
        for key in table.foreign_keys:
            target = referenced_table(group, key)
            if target is None:
                raise MetadataError(
                    "foreign key points to no table of the group "
                    f"({key.resource or key.schema_reference})",
                    file=source,
                )
            names = {c.name for c in target.columns}
            if any(name not in names for name in key.referenced):
                raise MetadataError(
                    f"foreign key points to unknown columns {list(key.referenced)}", file=source
                )


def compatible(columns: list[Column], embedded: list[Column]) -> str:
    """Check metadata columns against embedded ones (§5.5.1); return the problem, or ''."""
    real = [c for c in columns if not c.virtual]
    if len(real) != len(embedded):
        return f"the metadata describes {len(real)} columns but the file has {len(embedded)}"
    for ours, theirs in zip(real, embedded, strict=True):
        if not _columns_compatible(ours, theirs):
            return (
                f"column {ours.number} ({ours.label!r}) does not match "
                f"the file's header {theirs.label!r}"
            )
    return ""


def _columns_compatible(a: Column, b: Column) -> bool:
    if not (a.has_name or a.titles) or not (b.has_name or b.titles):
        return True
    if a.has_name and b.has_name and a.name == b.name:
        return True
    if a.has_name != b.has_name and bool(a.titles) != bool(b.titles):
        return True
    for lang_a, texts_a in a.titles.items():
        for lang_b, texts_b in b.titles.items():
            if languages_match(lang_a, lang_b) and set(texts_a) & set(texts_b):
                return True
    return False
