"""A starting cube description for a CSV (``odc new cube``), from its header and a sample of
its rows. Every guess carries a note, a ``"//"`` member of the object it is about, which the
cube description reader ignores; the publisher reads the notes, edits, and publishes.

>>> name_from("Rural Urban"), name_from("2011 census"), name_from("90+")
('ruralUrban', 'c2011Census', 'c90')
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from opendatacommunities.cube.description import MARKERS as KNOWN_MEANINGS
from opendatacommunities.cube.tidy import period_path
from opendatacommunities.errors import SourceError

from .layout import Pattern, find_pattern
from .sample import MARKERS, Column, Sample
from .totals import guess_totals

Json = dict[str, Any]


def name_from(text: str) -> str:
    """A name of letters and digits (camelCase), as dimensions and measures need."""
    words = re.findall(r"[A-Za-z0-9]+", text)
    if not words:
        return "value"
    name = words[0].lower() + "".join(w[:1].upper() + w[1:].lower() for w in words[1:])
    return name if name[0].isalpha() else f"c{name}"


def title_from(path: Path) -> str:
    """A title from a file name: ``population-by-age.csv`` -> ``Population by age``."""
    words = re.sub(r"[-_.]+", " ", path.stem).strip()
    return words[:1].upper() + words[1:] if words else path.name


def _describes_areas(column: Column, area: Column | None) -> bool:
    """Whether a text column says one thing per area (its name, its geography level)."""
    if area is None:
        return False
    seen: dict[str, str] = {}
    return all(
        seen.setdefault(code, text) == text
        for code, text in zip(area.cells, column.cells, strict=True)
    )


def _area(column: Column) -> Json:
    return {
        "//": f"{column.header!r} holds GSS codes: the areas, "
        "/id/statistical-geography/{code}. Rows of larger areas (totals) are areas too.",
        "name": "refArea",
        "label": "Area",
        "kind": "area",
        "column": column.header,
    }


def _period(column: Column) -> Json:
    return {
        "//": f"{column.header!r} holds years, quarters or months: the periods.",
        "name": "refPeriod",
        "label": column.header,
        "kind": "period",
        "column": column.header,
    }


def _coded(column: Column, name: str) -> Json:
    distinct = len(set(column.cells))
    return {
        "//": f"{column.header!r} holds text ({distinct} different values in the sample): "
        "a code list is made from its values. Add parents for a hierarchy, codes to close it.",
        "name": name,
        "label": column.header,
        "column": column.header,
    }


def _dimensions(sample: Sample, values: list[Column]) -> tuple[list[Json], list[str]]:
    """The dimensions given by columns, and notes on the columns left out."""
    area = next((c for c in sample.columns if c.kind == "area"), None)
    period = next((c for c in sample.columns if c.kind == "period"), None)
    dimensions: list[Json] = []
    left_out: list[str] = []
    for column in sample.columns:
        if column is area:
            dimensions.append(_area(column))
        elif column is period:
            dimensions.append(_period(column))
        elif column in values:
            continue
        elif len(set(column.cells)) <= 1:
            left_out.append(f"{column.header!r} (the same in every row)")
        elif _describes_areas(column, area):
            left_out.append(f"{column.header!r} (one value per area: it describes the area)")
        elif column.kind in ("area", "period"):
            left_out.append(f"{column.header!r} (a second column of {column.kind}s)")
        else:
            dimensions.append(_coded(column, name_from(column.header)))
    return dimensions, left_out


def _missing(values: list[Column]) -> list[str] | dict[str, str]:
    found = sorted({marker for column in values for marker in column.markers})
    if all(marker in KNOWN_MEANINGS for marker in found):
        return found or [""]
    return {marker: MARKERS[marker] for marker in found}


def _datatype(columns: list[Column]) -> str:
    return "integer" if all(c.kind == "integer" for c in columns) else "decimal"


def _measure(name: str, label: str, columns: list[Column]) -> Json:
    datatype = _datatype(columns)
    what = "whole numbers" if datatype == "integer" else "numbers with decimals"
    return {
        "//": f"the sample holds {what}. Name what the values count, and give their unit "
        '(such as "people").',
        "name": name,
        "label": label,
        "datatype": datatype,
    }


def csv_reference(csv: Path, target: Path) -> str:
    """The path of ``csv`` as a mapping at ``target`` names it (relative to its folder)."""
    return Path(os.path.relpath(csv.resolve(), target.resolve().parent)).as_posix()


def _pattern_parts(found: Pattern, values: list[Column]) -> tuple[Json, Json, Json]:
    """The dimension, measure and observations of a Nomis-header pattern layout."""
    words = re.sub(r"[^A-Za-z0-9 ]+", " ", found.prefix).strip()
    ages = not words and found.ages
    name = name_from(words) if words else ("age" if ages else "category")
    label = words or ("Age" if ages else "Category")
    dimension = {
        "//": f"{len(found.headers)} value columns ({found.headers[0]!r} ... "
        f"{found.headers[-1]!r}) are the codes of one dimension, read from their headers"
        f"{' (named from the headers: rename it if they are not ages)' if ages else ''}.",
        "name": name,
        "label": label,
    }
    picked = [c for c in values if c.header in found.headers]
    observations = {
        "//": "one observation per cell of the columns whose header matches the pattern; "
        "group 'path' is the code ('A: B' puts B under A).",
        "pattern": found.regex,
        "dimension": name,
    }
    return dimension, _measure("value", "Value", picked), observations


def _periods(values: list[Column]) -> bool:
    return len(values) > 1 and all(period_path(c.header) for c in values)


def _period_parts(values: list[Column]) -> tuple[Json, Json, Json]:
    """The period dimension, measure and observations of a table with a column per period."""
    dimension = {
        "//": "the value columns' headers are periods: each column is one period.",
        "name": "refPeriod",
        "label": "Period",
        "kind": "period",
    }
    columns = [
        {"column": c.header, "measure": "value", "codes": {"refPeriod": c.header}} for c in values
    ]
    observations = {"//": "one observation per cell of each period's column.", "columns": columns}
    return dimension, _measure("value", "Value", values), observations


def _wide_parts(values: list[Column]) -> tuple[list[Json], Json]:
    """Measures and observations of a wide layout: each value column a measure."""
    measures, columns, names = [], [], set()
    for column in values:
        name = name_from(column.header)
        while name in names:
            name += "X"
        names.add(name)
        measures.append(_measure(name, column.header, [column]))
        columns.append({"column": column.header, "measure": name})
    observations = {
        "//": "each value column is a measure. If they are codes of one dimension instead "
        '(such as Male, Female), add that dimension and give each column "codes".',
        "columns": columns,
    }
    return measures, observations


def describe_cube(sample: Sample, target: Path) -> Json:
    """The starting cube description of ``sample``'s CSV, to be written to ``target``.

    :raises SourceError: the sample has no column of numbers.
    """
    values = [c for c in sample.columns if c.numeric]
    if not values:
        raise SourceError(
            "no column of numbers found in the first rows: a cube needs values",
            file=str(sample.path),
        )
    dimensions, left_out = _dimensions(sample, values)
    found = find_pattern([c.header for c in values], [c.header for c in sample.columns])
    observations: Json
    if len(values) == 1:
        measures = [_measure(name_from(values[0].header), values[0].header, values)]
        observations = {"//": "one observation per row.", "value": values[0].header}
    elif _periods(values) and not any(d.get("kind") == "period" for d in dimensions):
        dimension, measure, observations = _period_parts(values)
        dimensions.append(dimension)
        measures = [measure]
    elif found is not None:
        dimension, measure, observations = _pattern_parts(found, values)
        dimensions.append(dimension)
        measures = [measure]
        unmatched = [c.header for c in values if c.header not in found.headers]
        left_out += [
            f"{header!r} (not matched by the pattern: a total of the others can be left out)"
            for header in unmatched
        ]
    else:
        measures, observations = _wide_parts(values)
    return _document(sample, target, dimensions, measures, observations, left_out, values)


def _document(
    sample: Sample,
    target: Path,
    dimensions: list[Json],
    measures: list[Json],
    observations: Json,
    left_out: list[str],
    values: list[Column],
) -> Json:
    notes = [
        f"Written by odc new cube from the header and the first {sample.rows} rows of "
        f"{sample.path.name}. Check each guess (the // notes), then publish.",
        "Add dc:description, dc:license and dc:publisher for the catalogue.",
    ]
    if left_out:
        notes.append(f"Left out: {', '.join(left_out)}.")
    missing = _missing(values)
    found = ", ".join(repr(m) for c in values for m in c.markers if m)
    totals = guess_totals(sample)
    return {
        "//": " ".join(notes),
        "dc:title": title_from(sample.path),
        "csv": csv_reference(sample.path, target),
        "dimensions": dimensions,
        "measures": measures,
        "missing": missing,
        "//missing": "cells with no value among the numbers of the sample: "
        + (", ".join(repr(m) for m in missing) if found else "none (empty cells would be)"),
        "observations": observations,
        **({"totals": totals} if totals else {}),
    }
