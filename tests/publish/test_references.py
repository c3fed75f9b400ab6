"""Nothing dangling: a link under the site's base must land on a published resource. An
unknown area code stops the publish, naming each code and its rows; an archived area's code
is published with a warning naming its successor."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import ValidationFailedError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE

COLUMN = 'Geography (column "Geography", the 1st)'
AREAS = (
    "code,name,status,replacement\n"
    "S12000049,Glasgow City,live,\n"
    "S12000046,Glasgow City,archived,S12000049\n"
)


def _areas_mapping(folder: Path, parent: str = "") -> None:
    """Council areas, with their status and successor (and, if given, a parent link)."""
    (folder / "areas.csv").write_text(AREAS, encoding="utf-8")
    geography = BASE + "/def/geography/"
    area = BASE + "/id/statistical-geography/{code}"
    columns = [
        {"name": "code", "titles": "code", "propertyUrl": "skos:notation"},
        {"name": "name", "titles": "name", "propertyUrl": "rdfs:label"},
        {"name": "status", "titles": "status", "propertyUrl": geography + "status"},
        {
            "name": "replacement",
            "titles": "replacement",
            "propertyUrl": "dc:isReplacedBy",
            "valueUrl": BASE + "/id/statistical-geography/{replacement}",
        },
    ]
    if parent:
        columns.append(
            {
                "name": "parent",
                "virtual": True,
                "propertyUrl": geography + "parent",
                "valueUrl": BASE + "/id/statistical-geography/" + parent,
            }
        )
    mapping = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "areas.csv",
        "dc:title": "Council areas",
        "tableSchema": {"aboutUrl": area, "columns": columns, "primaryKey": "code"},
    }
    (folder / "areas.json").write_text(json.dumps(mapping), encoding="utf-8")


def _cube(folder: Path, rows: str) -> None:
    (folder / "people.csv").write_text("Geography,Year,Value\n" + rows, encoding="utf-8")
    description = {
        "dc:title": "People by council area",
        "csv": "people.csv",
        "dimensions": [
            {"name": "refArea", "label": "Council area", "kind": "area", "column": "Geography"},
            {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
        ],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"value": "Value"},
    }
    (folder / "people.cube.json").write_text(json.dumps(description), encoding="utf-8")


@pytest.fixture
def site(project: tuple[Settings, Layout]) -> tuple[Settings, Layout]:
    _areas_mapping(project[1].mappings)
    return project


def test_known_areas_publish(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    _cube(layout.mappings, "S12000049,2011,620000\n")
    names = [item.dataset.name for item in publish(settings, layout).published]
    assert sorted(names) == ["areas", "people"]


def test_unknown_area_codes_are_named_with_their_rows(site: tuple[Settings, Layout]) -> None:
    """Each code that no published area has: one line, at its first cell, with its rows;
    nothing is published."""
    settings, layout = site
    rows = "S12000049,2011,1\nE05999999,2011,2\nE47000001,2011,3\n"
    rows += "E05999999,2012,4\nE05999999,2013,5\n"
    _cube(layout.mappings, rows)
    with pytest.raises(ValidationFailedError) as failure:
        publish(settings, layout)
    csv_file = layout.mappings / "people.csv"
    assert str(failure.value).splitlines() == [
        "2 links to resources that are not published; nothing published:",
        f"{csv_file}:3:{COLUMN}: no published area has the code 'E05999999' (rows 3, 5 and 6):"
        " check the code, or publish the area first (value 'E05999999')",
        f"{csv_file}:4:{COLUMN}: no published area has the code 'E47000001' (row 4):"
        " check the code, or publish the area first (value 'E47000001')",
    ]
    assert ReleaseRoot(settings.store_dir).pointer() is None


def test_archived_area_codes_warn_naming_the_successor(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    _cube(layout.mappings, "S12000049,2011,1\nS12000046,2011,2\n")
    messages: list[str] = []
    publish(settings, layout, progress=messages.append)
    csv_file = layout.mappings / "people.csv"
    assert (
        f"warning: {csv_file}:3:{COLUMN}: 'S12000046' is the code of an archived area "
        "(Glasgow City, replaced by S12000049) (row 3)"
    ) in messages


def test_a_cube_alone_links_to_nothing(site: tuple[Settings, Layout]) -> None:
    """A cube published without the areas it names: its codes resolve nowhere."""
    settings, layout = site
    (layout.mappings / "areas.json").unlink()
    _cube(layout.mappings, "S12000049,2011,1\n")
    with pytest.raises(ValidationFailedError, match="no published area has the code 'S12000049'"):
        publish(settings, layout)


def test_reference_data_linking_to_nothing_is_refused(site: tuple[Settings, Layout]) -> None:
    """A reference dataset's link under the base that lands nowhere names the link."""
    settings, layout = site
    _areas_mapping(layout.mappings, parent="S92000099")
    with pytest.raises(ValidationFailedError) as failure:
        publish(settings, layout)
    assert (
        f"<{BASE}/def/geography/parent>: links to <{BASE}/id/statistical-geography/S92000099>,"
        " which nothing publishes"
    ) in str(failure.value)
