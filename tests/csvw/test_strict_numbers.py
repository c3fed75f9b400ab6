"""Numbers in a CSVW mapping, through ``odc publish``: read by the CSVW and XML Schema rules,
a bad one stops the publish with one line naming its cell, an odd one is a warning."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.csvw.datatypes import read_datatype
from opendatacommunities.errors import CellError, SourceError
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT

MAPPING = {
    "@context": "http://www.w3.org/ns/csvw",
    "url": "people.csv",
    "tableSchema": {
        "aboutUrl": f"{BASE}/id/area/{{area}}",
        "columns": [
            {"name": "area", "titles": "area"},
            {
                "name": "people",
                "titles": "people",
                "propertyUrl": f"{BASE}/def/people",
                "datatype": {"base": "integer", "format": {"groupChar": ","}},
            },
        ],
    },
}


def _publish(tmp_path: Path, people: str) -> list[str]:
    """Publish a one-row table whose ``people`` cell is ``people``; what it said."""
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    (mappings / "people.json").write_text(json.dumps(MAPPING))
    (mappings / "people.csv").write_text(f'area,people\nS12000049,"{people}"\n')
    layout = Layout(
        mappings=mappings,
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=tmp_path / "build",
    )
    said: list[str] = []
    publish(Settings(store_dir=tmp_path / "store"), layout, workers=0, progress=said.append)
    return [line.replace(str(mappings) + "/", "") for line in said]


def test_irregular_grouping_is_published_with_a_warning(tmp_path: Path) -> None:
    said = _publish(tmp_path, "1,2,3")
    assert (
        'warning: people.csv:2:people (column "people", the 2nd): '
        "irregular digit grouping: read as 123 (value '1,2,3')"
    ) in said
    assert ReleaseRoot(tmp_path / "store").pointer() is not None


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("5%", "expected an integer, not 0.05 (a per cent sign divides by 100)"),
        ("1E3", "expected an integer, not a number with an exponent"),
        ("1e3", "expected an integer"),  # CSVW's exponent is an upper-case E
        ("1_000", "expected an integer"),
        ("\u0661\u0662", "expected an integer"),  # Arabic-Indic digits
        ("NaN", "expected an integer, not NaN"),
    ],
)
def test_a_loose_number_stops_the_publish(tmp_path: Path, cell: str, message: str) -> None:
    with pytest.raises(SourceError) as error:
        _publish(tmp_path, cell)
    text = str(error.value).replace(str(tmp_path / "mappings") + "/", "")
    assert text == f'people.csv:2:people (column "people", the 2nd): {message} (value {cell!r})'
    assert ReleaseRoot(tmp_path / "store").pointer() is None


GROUPED = {"groupChar": ","}


@pytest.mark.parametrize("spec", ["integer", "long", {"base": "integer", "format": GROUPED}])
def test_an_integer_of_5000_digits_is_read_or_refused_cleanly(spec: object) -> None:
    """Python's int() refuses strings of more than 4,300 digits with a ValueError."""
    datatype = read_datatype(spec, warn=pytest.fail)
    text = "1" * 5000
    if spec == "long":
        with pytest.raises(CellError, match="is out of range for long"):
            datatype.parse(text)
    else:
        assert datatype.parse(text).key == int(Decimal(text))


def test_a_per_cent_sign_divides_exactly() -> None:
    """Dividing by 100 moves the point: no rounding to 28 digits."""
    datatype = read_datatype({"base": "decimal", "format": GROUPED}, warn=pytest.fail)
    value = datatype.parse("1." + "3" * 40 + "%")
    assert value.lexical == "0.01" + "3" * 40


def test_a_per_cent_sign_and_an_exponent_together_are_refused() -> None:
    """§6.4.2: an exponent *or* a per cent sign (a pattern with both is ignored, warned)."""
    datatype = read_datatype({"base": "double", "format": GROUPED}, warn=pytest.fail)
    with pytest.raises(CellError, match=r"^expected a double$"):
        datatype.parse("1E99999999%")
    warnings: list[str] = []
    read_datatype({"base": "double", "format": "0.0E0%"}, warn=warnings.append)
    assert warnings == ["format: '0.0E0%' is not a valid number pattern; ignoring it"]
