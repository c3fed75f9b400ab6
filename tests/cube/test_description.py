"""Reading cube descriptions: notes (keys starting with ``//``) are ignored anywhere; any
other key the format does not have is an error naming it, never silently dropped."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from opendatacommunities.cube.description import read_description
from opendatacommunities.errors import MetadataError
from tests.plugins.project import BASE, ROOT


def _description() -> dict[str, Any]:
    return {
        "//": "a note",
        "dc:title": "Rates",
        "csv": "rates.csv",
        "dimensions": [
            {"//": "why", "name": "refArea", "kind": "area", "column": "Code"},
            {"name": "sex", "label": "Sex", "column": "Sex"},
        ],
        "measures": [{"//": "why", "name": "rate", "datatype": "decimal"}],
        "missing": [".."],
        "//missing": "another note",
        "observations": {
            "//": "why",
            "columns": [{"//": "why", "column": "Rate", "measure": "rate", "codes": {}}],
        },
    }


def _read(tmp_path: Path, data: dict[str, Any]) -> None:
    path = tmp_path / "rates.cube.json"
    path.write_text(json.dumps(data))
    read_description(path)


def test_notes_are_ignored_everywhere(tmp_path: Path) -> None:
    """A `//` key, or one starting with `//`, is a note at any level."""
    _read(tmp_path, _description())


@pytest.mark.parametrize(
    ("place", "message"),
    [
        (lambda d: d, "(top): unknown key 'colour'"),
        (lambda d: d["dimensions"][1], "dimensions[1]: unknown key 'colour'"),
        (lambda d: d["measures"][0], "measures[0]: unknown key 'colour'"),
        (lambda d: d["observations"], "observations: unknown key 'colour'"),
        (lambda d: d["observations"]["columns"][0], "observations.columns[0]: unknown key"),
    ],
)
def test_an_unknown_key_is_named(tmp_path: Path, place: Any, message: str) -> None:
    """A misspelt key (`colour`, `colum`) stops the publish, naming where it is."""
    data = _description()
    place(data)["colour"] = "red"
    with pytest.raises(MetadataError, match=re.escape(message)):
        _read(tmp_path, data)


def test_a_misspelt_column_is_not_silently_dropped(tmp_path: Path) -> None:
    """`colum` for `column` used to be ignored (and the dimension then had no value)."""
    data = _description()
    data["dimensions"][1]["colum"] = data["dimensions"][1].pop("column")
    with pytest.raises(MetadataError) as error:
        _read(tmp_path, data)
    assert str(error.value) == (
        f"{tmp_path / 'rates.cube.json'}: dimensions[1]: unknown key 'colum' (expected one "
        "of codes, column, kind, label, name, parents, property, value, or a note: //...)"
    )


@pytest.mark.parametrize("mapping", sorted((ROOT / "mappings").glob("*.cube.json")))
def test_bundled_descriptions_are_read(mapping: Path) -> None:
    """Every bundled cube description uses only the format's keys."""
    assert read_description(mapping).measures


def test_a_measure_definition_and_the_datasets_derived_from(tmp_path: Path) -> None:
    """A measure may say what it is (its `skos:definition`), and a derived cube name what it
    was computed from; an empty definition is refused."""
    data = _description()
    data["prov:wasDerivedFrom"] = [{"@id": BASE + "/data/simd2020"}]
    data["measures"][0]["definition"] = "A share: never summed across areas."
    path = tmp_path / "rates.cube.json"
    path.write_text(json.dumps(data))
    assert read_description(path).measures[0].definition == "A share: never summed across areas."
    data["measures"][0]["definition"] = ""
    with pytest.raises(MetadataError, match=r"measures\[0\]\.definition: expected a non-empty"):
        _read(tmp_path, data)
