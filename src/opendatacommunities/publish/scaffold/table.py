"""Starting CSVW metadata for a plain (not statistical) table (``odc new table``), from its
header and a sample of its rows. Each guess is noted in an ``rdfs:comment`` of the column or
schema it is about: CSVW allows that common property there, and it is never written out as
RDF (only a table's and a table group's are).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opendatacommunities.iris import AUTHORED_BASE, IriSpace

from .cube import csv_reference, name_from, title_from
from .sample import GSS, Column, Sample

Json = dict[str, Any]
_GSS_FORMAT = GSS.pattern
_AUTHORED = IriSpace(AUTHORED_BASE)


def _names(sample: Sample) -> dict[str, str]:
    """A distinct CSVW column name for each header."""
    names: dict[str, str] = {}
    for column in sample.columns:
        name = name_from(column.header)
        while name in names.values():
            name += "X"
        names[column.header] = name
    return names


def _key(sample: Sample) -> Column | None:
    """The first column of GSS codes that is unique in the sample: each row is an area."""
    for column in sample.columns:
        if column.kind == "area" and len(set(column.cells)) == len(column.cells):
            return column
    return None


def _datatype(column: Column) -> tuple[Any, str]:
    """The CSVW datatype of a column, and what the note says about it."""
    grouped = any("," in cell for cell in column.cells)
    if column.kind in ("integer", "decimal"):
        base = column.kind
        if grouped:
            return {"base": base, "format": {"groupChar": ","}}, f"{base}s with , between thousands"
        return base, f"{base}s"
    if column.kind == "area":
        return {"base": "string", "format": _GSS_FORMAT}, "GSS area codes"
    return "string", "text" if column.kind == "text" else f"{column.kind}s, kept as text"


def _column(column: Column, name: str, dataset: str, key: Column | None) -> Json:
    datatype, what = _datatype(column)
    described: Json = {"rdfs:comment": f"guessed: {what}.", "name": name, "titles": column.header}
    if column is key:
        described["propertyUrl"] = "skos:notation"
        described["rdfs:comment"] += " Each row is the area with this code."
        described["required"] = True
    else:
        described["propertyUrl"] = _AUTHORED.definition(f"{dataset}/{name}")
        described["rdfs:comment"] += (
            " The property is minted for this dataset: use a known vocabulary's where one fits."
        )
    if column.kind == "area" and column is not key:
        # A link to the area, not a string: its page, its name and level come with it.
        described["valueUrl"] = _AUTHORED.area(f"{{{name}}}")
    described["datatype"] = datatype
    if column.markers:
        described["null"] = column.markers
        described["rdfs:comment"] += (
            f" Cells with no value: {', '.join(map(repr, column.markers))}."
        )
    return described


def describe_table(sample: Sample, target: Path) -> Json:
    """Starting CSVW metadata for ``sample``'s CSV, to be written to ``target``."""
    dataset = target.name.removesuffix(".json")
    key = _key(sample)
    names = _names(sample)
    schema: Json = {
        "rdfs:comment": f"Written by odc new table from the header and the first {sample.rows} "
        f"rows of {sample.path.name}. Check each guess (the rdfs:comment notes), then publish.",
    }
    if key is not None:
        schema["aboutUrl"] = _AUTHORED.area(f"{{{names[key.header]}}}")
        schema["primaryKey"] = names[key.header]
    else:
        schema["rdfs:comment"] += (
            " No column identifies a row, so each row is numbered: name the columns that "
            "identify one in aboutUrl and primaryKey."
        )
        schema["aboutUrl"] = f"{_AUTHORED.id_iri(dataset)}/{{_row}}"
    schema["columns"] = [_column(c, names[c.header], dataset, key) for c in sample.columns]
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": title_from(sample.path),
        "tables": [{"url": csv_reference(sample.path, target), "tableSchema": schema}],
    }
