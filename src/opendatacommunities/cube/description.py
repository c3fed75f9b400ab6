"""Cube descriptions: what a publisher writes, in ``mappings/{cube}.cube.json``, to publish a
CSV table of statistics as an RDF Data Cube. README.md ("Statistics: cubes") documents
every field.

>>> slug("Owned with a mortgage or loan")
'owned-with-a-mortgage-or-loan'
"""

from __future__ import annotations

import codecs
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opendatacommunities.cube.totals import TotalsRule, read_totals
from opendatacommunities.errors import MetadataError

#: The measure datatypes a description may give, and their XSD names.
DATATYPES = {"integer": "integer", "decimal": "decimal", "double": "double"}
#: How a dimension's values become IRIs.
KINDS = ("codes", "area", "period")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")


def slug(text: str) -> str:
    """A code's URL segment: lower case, words joined by hyphens; ``+`` is kept as a word,
    so that ``90+`` (ninety and over) and ``90`` are two codes.

    >>> slug("Owned: Owned outright"), slug("90+"), slug("Aged 16+ years")
    ('owned-owned-outright', '90-plus', 'aged-16-plus-years')
    """
    words = text.lower().replace("+", " plus ")
    return re.sub(r"[^a-z0-9]+", "-", words).strip("-") or "blank"


@dataclass(frozen=True)
class Dimension:
    """A dimension: where its value comes from, and what kind of value it is."""

    name: str
    label: str
    kind: str
    """``codes`` (a code list of this cube), ``area`` (a GSS code: the geography URI) or
    ``period`` (a year, quarter or month: the reference.data.gov.uk interval)."""
    property: str | None = None
    """An existing property to reuse (CURIE or IRI); None mints ``/def/{cube}/{name}``."""
    column: str | None = None
    value: str | None = None
    """A constant value for every observation (instead of a column)."""
    parents: dict[str, str] = field(default_factory=dict)
    """Code label -> parent code label, for a hierarchical code list."""
    codes: tuple[str, ...] | None = None
    """A closed code list (labels): values outside it are not added to the list, so their
    observations break IC-19 and the publish stops. None: the codes are the values met."""


@dataclass(frozen=True)
class Measure:
    """A measure: its name (also its value in a measure-type column), label, type and unit."""

    name: str
    label: str
    datatype: str = "decimal"
    unit: str | None = None
    source: str | None = None
    """The text naming this measure in the measure column, when it differs from the label."""
    suffix: str | None = None
    """Text a cell may write after the number, not part of it (``%`` for ``8%`` per cent)."""
    definition: str | None = None
    """What the measure is, in words (``skos:definition``): how it was computed, and whether
    values may be summed across areas."""


@dataclass(frozen=True)
class WideColumn:
    """A value column of a wide table: which measure and which codes its cells are."""

    column: str
    measure: str
    codes: dict[str, str]


@dataclass(frozen=True)
class CubeDescription:
    """A whole cube description, checked."""

    name: str
    path: Path
    csv: Path
    about: dict[str, object]
    dimensions: tuple[Dimension, ...]
    measures: tuple[Measure, ...]
    missing: dict[str, str] = field(default_factory=lambda: {"": "not available"})
    """Markers of cells with no value, and what each means ("*": "suppressed")."""
    value_column: str | None = None
    measure_column: str | None = None
    wide: tuple[WideColumn, ...] = ()
    header_pattern: str | None = None
    """For Nomis-style wide tables: a regular expression whose group ``path`` is the code's
    path in the hierarchy, levels separated by ``": "``."""
    pattern_dimension: str | None = None
    encoding: str = "utf-8"
    measure_dimension: bool = False
    """Give observations ``qb:measureType`` even with a single measure."""
    totals: tuple[TotalsRule, ...] = ()
    """Rules picking the rows that are totals of others (marked with the total attribute)."""

    @property
    def measure_type(self) -> bool:
        """Whether observations carry ``qb:measureType`` (more than one measure, or asked)."""
        return self.measure_dimension or len(self.measures) > 1


def _fail(path: Path, where: str, message: str) -> MetadataError:
    return MetadataError(f"{where}: {message}", file=str(path))


#: The keys each object of a description may have. Keys starting with ``//`` are notes
#: (``odc new cube`` writes one per guess), and the top level also takes ``dc:`` metadata.
KEYS = {
    "(top)": {
        "name",
        "csv",
        "dimensions",
        "measures",
        "missing",
        "observations",
        "encoding",
        "measureType",
        "totals",
    },
    "dimensions": {"name", "label", "kind", "column", "value", "property", "parents", "codes"},
    "measures": {"name", "label", "datatype", "unit", "source", "suffix", "definition"},
    "observations": {"value", "measure", "columns", "pattern", "dimension"},
    "observations.columns": {"column", "measure", "codes"},
}


def _catalogued(key: str) -> bool:
    """Whether a top-level key describes the dataset in the catalogue (read by
    ``publish.datasets``): ``dc:`` terms and ``prov:wasDerivedFrom``."""
    return key.startswith("dc:") or key == "prov:wasDerivedFrom"


def _check_keys(path: Path, data: dict[str, Any], kind: str, where: str) -> None:
    """Refuse a key the format does not have (a misspelling would otherwise be ignored)."""
    allowed = KEYS[kind]
    for key in data:
        if key in allowed or key.startswith("//") or (kind == "(top)" and _catalogued(key)):
            continue
        raise _fail(
            path,
            where,
            f"unknown key {key!r} (expected one of {', '.join(sorted(allowed))}, or a note: //...)",
        )


def _text(
    path: Path, data: dict[str, Any], key: str, where: str, default: str | None = None
) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value:
        raise _fail(path, f"{where}.{key}", "expected a non-empty string")
    return value


def _dimension(path: Path, data: Any, index: int) -> Dimension:
    where = f"dimensions[{index}]"
    if not isinstance(data, dict):
        raise _fail(path, where, "expected an object")
    _check_keys(path, data, "dimensions", where)
    name = _text(path, data, "name", where)
    if not _NAME.match(name):
        raise _fail(path, f"{where}.name", f"{name!r} must be letters and digits")
    kind = data.get("kind", "codes")
    if kind not in KINDS:
        raise _fail(path, f"{where}.kind", f"{kind!r} is not one of {', '.join(KINDS)}")
    parents = data.get("parents", {})
    if not isinstance(parents, dict):
        raise _fail(path, f"{where}.parents", "expected an object of child -> parent labels")
    return Dimension(
        name=name,
        label=_text(path, data, "label", where, name),
        kind=kind,
        property=data.get("property"),
        column=data.get("column"),
        value=data.get("value"),
        parents={str(k): str(v) for k, v in parents.items()},
        codes=tuple(str(c) for c in data["codes"]) if "codes" in data else None,
    )


def _measure(path: Path, data: Any, index: int) -> Measure:
    where = f"measures[{index}]"
    if not isinstance(data, dict):
        raise _fail(path, where, "expected an object")
    _check_keys(path, data, "measures", where)
    datatype = data.get("datatype", "decimal")
    if datatype not in DATATYPES:
        raise _fail(path, f"{where}.datatype", f"{datatype!r} is not one of {', '.join(DATATYPES)}")
    name = _text(path, data, "name", where)
    if not _NAME.match(name):
        raise _fail(path, f"{where}.name", f"{name!r} must be letters and digits")
    suffix = data.get("suffix")
    if suffix is not None and (not isinstance(suffix, str) or not suffix.strip()):
        raise _fail(path, f"{where}.suffix", "expected a non-empty string")
    return Measure(
        name,
        _text(path, data, "label", where, name),
        datatype,
        data.get("unit"),
        data.get("source"),
        suffix.strip() if suffix is not None else None,
        _optional_text(path, data, "definition", where),
    )


def _optional_text(path: Path, data: dict[str, Any], key: str, where: str) -> str | None:
    if key not in data:
        return None
    return _text(path, data, key, where)


def _wide(path: Path, data: Any, measures: set[str]) -> tuple[WideColumn, ...]:
    columns = []
    for index, item in enumerate(data or []):
        where = f"observations.columns[{index}]"
        if not isinstance(item, dict):
            raise _fail(path, where, "expected an object")
        _check_keys(path, item, "observations.columns", where)
        measure = _text(path, item, "measure", where)
        if measure not in measures:
            raise _fail(path, f"{where}.measure", f"{measure!r} is not a measure of the cube")
        codes = item.get("codes", {})
        columns.append(WideColumn(_text(path, item, "column", where), measure, dict(codes)))
    return tuple(columns)


#: What the usual markers of a cell with no value mean.
MARKERS = {"*": "suppressed", "": "not available", "n/a": "not applicable", "..": "not available"}


def _missing(path: Path, data: Any) -> dict[str, str]:
    if isinstance(data, list):
        return {str(marker): MARKERS.get(str(marker), str(marker)) for marker in data}
    if isinstance(data, dict):
        return {str(marker): str(meaning) for marker, meaning in data.items()}
    raise _fail(path, "missing", "expected a list of markers, or an object marker -> meaning")


def read_description(path: Path) -> CubeDescription:
    """Read and check a cube description.

    :raises MetadataError: naming the file and the field that is wrong.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MetadataError(f"cannot read the cube description: {exc}", file=str(path)) from None
    if not isinstance(data, dict):
        raise _fail(path, "(top)", "a cube description is a JSON object")
    _check_keys(path, data, "(top)", "(top)")
    dimensions = tuple(_dimension(path, d, i) for i, d in enumerate(data.get("dimensions", [])))
    measures = tuple(_measure(path, m, i) for i, m in enumerate(data.get("measures", [])))
    if not measures:
        raise _fail(path, "measures", "a cube needs at least one measure")
    observations = data.get("observations", {})
    if not isinstance(observations, dict):
        raise _fail(path, "observations", "expected an object")
    _check_keys(path, observations, "observations", "observations")
    about = {k: v for k, v in data.items() if k.startswith("dc:")}
    description = CubeDescription(
        name=str(data.get("name") or path.name.removesuffix(".cube.json")),
        path=path,
        csv=(path.parent / _text(path, data, "csv", "(top)")).resolve(),
        about=about,
        dimensions=dimensions,
        measures=measures,
        missing=_missing(path, data.get("missing", [""])),
        value_column=observations.get("value"),
        measure_column=observations.get("measure"),
        wide=_wide(path, observations.get("columns"), {m.name for m in measures}),
        header_pattern=_pattern(path, observations.get("pattern")),
        pattern_dimension=observations.get("dimension"),
        encoding=_encoding(path, data.get("encoding", "utf-8")),
        measure_dimension=bool(data.get("measureType", False)),
        totals=read_totals(path, data.get("totals"), any(d.kind == "area" for d in dimensions)),
    )
    _check_layout(description)
    return description


def _pattern(path: Path, value: object) -> str | None:
    """The header pattern of Nomis tables: a regular expression with a group ``path``."""
    if value is None:
        return None
    where = "observations.pattern"
    if not isinstance(value, str):
        raise _fail(path, where, "expected a string")
    try:
        compiled = re.compile(value)
    except re.error as error:
        raise _fail(path, where, f"not a regular expression ({error})") from None
    if "path" not in compiled.groupindex:
        raise _fail(path, where, "no group (?P<path>...) for the codes' path")
    return value


def _encoding(path: Path, value: object) -> str:
    if not isinstance(value, str):
        raise _fail(path, "encoding", "expected a string")
    try:
        codecs.lookup(value)
    except LookupError:
        raise _fail(path, "encoding", f"unknown encoding {value!r}") from None
    return value


def _check_layout(cube: CubeDescription) -> None:
    names = {d.name for d in cube.dimensions}
    from_columns = {d.name for d in cube.dimensions if d.column is None and d.value is None}
    if cube.wide or cube.header_pattern:
        covered = set().union(*(c.codes for c in cube.wide)) if cube.wide else set()
        if cube.pattern_dimension:
            covered.add(cube.pattern_dimension)
        if from_columns - covered:
            missing = ", ".join(sorted(from_columns - covered))
            raise _fail(cube.path, "observations", f"no value for the dimensions {missing}")
        for column in cube.wide:
            unknown = set(column.codes) - names
            if unknown:
                raise _fail(cube.path, "observations.columns", f"unknown dimensions {unknown}")
    elif cube.value_column is None:
        raise _fail(cube.path, "observations.value", "name the column holding the values")
    elif from_columns:
        raise _fail(cube.path, "dimensions", f"{sorted(from_columns)} need a column or a value")
    if cube.measure_type and not (cube.wide or cube.measure_column):
        raise _fail(cube.path, "observations.measure", "name the column naming each row's measure")
