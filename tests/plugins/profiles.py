"""A release of real geography and statistics for the places pages, published once: the
countries, local authorities and wards, Glasgow's ward boundaries, the census tenure and
Scottish employment cubes from their source CSVs, and a small cube of Glasgow's wards and
their council area made here (a cube no code knows of)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.web import create_app
from tests.plugins.project import BASE, ROOT

MAPPINGS = (
    "geography-countries.json",
    "geography-local-authorities.json",
    "geography-wards.json",
    "geography-glasgow-ward-boundaries.json",
    "census2011-tenure.cube.json",
    "sg-employment.cube.json",
)
#: Glasgow's wards (from the boundaries' source) and the council area they lie in.
GLASGOW = "S12000049"
WARD_CUBE = {
    "dc:title": "Green spaces by ward",
    "csv": "../sample/green.csv",
    "dimensions": [
        {"name": "refArea", "label": "Area", "kind": "area", "column": "Code"},
        {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
    ],
    "measures": [
        {"name": "parks", "label": "Parks", "datatype": "integer", "unit": "parks"},
        {"name": "greenShare", "label": "Green space", "datatype": "decimal", "unit": "per cent"},
    ],
    "observations": {
        "columns": [
            {"column": "Parks", "measure": "parks"},
            {"column": "Green", "measure": "greenShare"},
        ]
    },
}


def glasgow_wards() -> list[tuple[str, str]]:
    """(code, name) of each ward in Glasgow's boundaries file."""
    lines = (ROOT / "data/geography/glasgow_ward_boundaries.csv").read_text().splitlines()
    return [(line.split(",")[0], line.split(",")[1]) for line in lines[1:] if line[:1] == "S"]


def green_rows() -> list[tuple[str, str, int, str]]:
    """The made-up cube's rows: each ward in 2022 and 2023, and Glasgow City's totals."""
    rows = []
    for year in (2022, 2023):
        for n, (code, _) in enumerate(glasgow_wards()):
            rows.append((code, str(year), n % 7 + year - 2020, f"{10 + n * 1.5:.1f}"))
        rows.append((GLASGOW, str(year), 400 + year - 2022, "25.5"))
    return rows


def _write_cube(mappings: Path, sample: Path) -> None:
    lines = ["Code,Year,Parks,Green", *(",".join(map(str, row)) for row in green_rows())]
    (sample / "green.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (mappings / "green.cube.json").write_text(json.dumps(WARD_CUBE), encoding="utf-8")


@pytest.fixture(scope="session")
def places(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the release above."""
    work = tmp_path_factory.mktemp("places")
    mappings, sample = work / "mappings", work / "sample"
    mappings.mkdir()
    sample.mkdir()
    (work / "data").symlink_to(ROOT / "data")
    for name in MAPPINGS:
        shutil.copy(ROOT / "mappings" / name, mappings / name)
    _write_cube(mappings, sample)
    layout = Layout(mappings, ROOT / "shapes", ROOT / "ontologies", work / "build")
    publish(Settings(store_dir=work / "store"), layout, workers=0)
    settings = Settings(base_iri=BASE, store_dir=work / "store", reload_seconds=60)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client
