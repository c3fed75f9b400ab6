"""Codes are minted from labels: two labels that would mint one code are an error naming both,
and ``+`` is kept (``90+`` is ``90-plus``, not ``90``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyoxigraph import Store

from opendatacommunities.config import Settings
from opendatacommunities.errors import SourceError
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT


def _site(tmp_path: Path, description: dict[str, object], csv_text: str) -> tuple[Settings, Layout]:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    (mappings / "ages.csv").write_text(csv_text, encoding="utf-8")
    (mappings / "ages.cube.json").write_text(json.dumps(description), encoding="utf-8")
    layout = Layout(
        mappings=mappings,
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=tmp_path / "build",
    )
    return Settings(store_dir=tmp_path / "store"), layout


def _nomis(header: str, row: str) -> tuple[dict[str, object], str]:
    description = {
        "dc:title": "People by single year of age",
        "csv": "ages.csv",
        "dimensions": [
            {"name": "refPeriod", "label": "Year", "kind": "period", "value": "2011"},
            {"name": "age", "label": "Age"},
        ],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"pattern": "^Age: (?P<path>.*)$", "dimension": "age"},
    }
    return description, f"{header}\n{row}\n"


def test_plus_is_kept_in_the_code(tmp_path: Path) -> None:
    """``90`` and ``90+`` are two codes, ``90`` and ``90-plus``, each with its own value."""
    description, text = _nomis("Age: 89,Age: 90,Age: 90+", "120,95,47")
    settings, layout = _site(tmp_path, description, text)
    publish(settings, layout)
    release = ReleaseRoot(settings.store_dir).current_path()
    store = Store.read_only(str(release))
    rows = store.query(
        f"SELECT ?code ?value WHERE {{ ?o <{BASE}/def/dimension/ages/age> ?c ;"
        f" <{BASE}/def/measure/ages/people> ?value "
        'BIND(REPLACE(STR(?c), "^.*/", "") AS ?code) }',
        use_default_graph_as_union=True,
    )
    found = {row["code"].value: row["value"].value for row in rows}  # type: ignore[index,union-attr]
    assert found == {"89": "120", "90": "95", "90-plus": "47"}


def test_two_headers_minting_one_code_name_both(tmp_path: Path) -> None:
    """Labels that differ only in punctuation would mint one code: an error naming both
    labels and the header that clashes, not a misleading duplicate observation."""
    description, text = _nomis("Age: 90 and over,Age: 90 and over.", "47,48")
    settings, layout = _site(tmp_path, description, text)
    with pytest.raises(SourceError) as error:
        publish(settings, layout)
    assert str(error.value) == (
        f'{layout.mappings / "ages.csv"}:1:Age: 90 and over. (column "Age: 90 and over.", the 2nd):'
        " the labels '90 and over' and "
        "'90 and over.' of Age would both make the code '90-and-over': codes are made from "
        "labels (lower case, words joined by '-'), so rename one "
        "(value 'Age: 90 and over.')"
    )
    assert "IC-12" not in str(error.value)


def test_two_values_minting_one_code_name_both(tmp_path: Path) -> None:
    """In a tidy table, the same clash is reported at the second value's cell."""
    description = {
        "dc:title": "Households by tenure",
        "csv": "ages.csv",
        "dimensions": [
            {"name": "refPeriod", "label": "Year", "kind": "period", "value": "2011"},
            {"name": "tenure", "label": "Tenure", "column": "Tenure"},
        ],
        "measures": [{"name": "households", "label": "Households", "datatype": "integer"}],
        "observations": {"value": "Value"},
    }
    text = 'Tenure,Value\nOwned outright,10\n"Owned, outright",11\n'
    settings, layout = _site(tmp_path, description, text)
    with pytest.raises(SourceError) as error:
        publish(settings, layout)
    assert str(error.value).startswith(
        f'{layout.mappings / "ages.csv"}:3:Tenure (column "Tenure", the 1st): '
        "the labels 'Owned outright' and "
        "'Owned, outright' of Tenure would both make the code 'owned-outright'"
    )
