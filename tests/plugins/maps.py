"""A small project for maps, published by the real pipeline: Glasgow's 23 wards with their
real boundaries (the bundled CSV and boundary mapping), five data zones known only by their
centroids, and two cubes made here: people by ward, year and sex (one ward without a figure
in 2020), and a score by data zone."""

from __future__ import annotations

import csv
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import Release, ReleaseRoot
from tests.plugins.project import BASE, ROOT
from tests.plugins.servers import serving_url

GEOGRAPHY = BASE + "/def/geography/"
AREA = BASE + "/id/statistical-geography/"
BOUNDARIES = ROOT / "data" / "geography" / "glasgow_ward_boundaries.csv"
#: Data zones (made up codes) and their centroids, in Glasgow.
DATA_ZONES = {
    "S01010001": (-4.25, 55.86),
    "S01010002": (-4.20, 55.85),
    "S01010003": (-4.30, 55.88),
    "S01010004": (-4.22, 55.83),
    "S01010005": (-4.28, 55.84),
}
#: Council areas (made-up codes) with no shape: more of them than wards.
COUNCILS = [f"S12000{n}" for n in range(901, 931)]
#: The ward without a figure in 2020.
MISSING_WARD = "S13002977"


def glasgow_wards() -> list[tuple[str, str]]:
    """The (code, name) of each ward in the bundled boundaries CSV, in its order."""
    with BOUNDARIES.open(encoding="utf-8-sig", newline="") as handle:
        return [(row["WD25CD"], row["WD25NM"]) for row in csv.DictReader(handle)]


def ward_people(code: str, year: int, sex: str) -> int | None:
    """The made-up figure of a ward, year and sex (None: no figure)."""
    if code == MISSING_WARD and year == 2020:
        return None
    return int(code[-3:]) * 10 + (year - 2019) * 7 + (3 if sex == "F" else 0)


def _people_csv() -> str:
    lines = ["Geography,Year,Sex,Value"]
    for code, _ in glasgow_wards():
        for year in (2019, 2020):
            for sex in ("F", "M"):
                value = ward_people(code, year, sex)
                lines.append(f"{code},{year},{sex},{'' if value is None else value}")
    return "\n".join(lines) + "\n"


def _zones_csv() -> str:
    rows = [f"{code},Zone {code[-1]},POINT ({x} {y})" for code, (x, y) in DATA_ZONES.items()]
    return "code,name,centroid\n" + "\n".join(rows) + "\n"


def _column(name: str, prop: str, **more: object) -> dict[str, object]:
    return {"name": name, "titles": name, "propertyUrl": prop, **more}


def _virtual(name: str, prop: str, value: str, about: str | None = None) -> dict[str, object]:
    column: dict[str, object] = {"name": name, "virtual": True, "propertyUrl": prop}
    column["valueUrl"] = value
    if about is not None:
        column["aboutUrl"] = about
    return column


def _names(url: str, code: str, name: str, kind: str) -> dict[str, object]:
    """Areas of ``kind``: their codes and names; other columns left out."""
    columns = [
        {"name": "code", "titles": code, "propertyUrl": "skos:notation"},
        {"name": "name", "titles": name, "propertyUrl": "rdfs:label"},
        _virtual("kind", "rdf:type", GEOGRAPHY + kind),
    ]
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": url,
        "dc:title": f"Areas: {kind}",
        "tableSchema": {"aboutUrl": AREA + "{code}", "columns": columns},
    }


def _zone_centroids() -> dict[str, object]:
    centroid = BASE + "/id/geometry/{code}/centroid"
    wkt = {"base": "string", "@id": "http://www.opengis.net/ont/geosparql#wktLiteral"}
    geo = "http://www.opengis.net/ont/geosparql#"
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "../data/zones.csv",
        "dc:title": "Data zone centroids",
        "tableSchema": {
            "aboutUrl": AREA + "{code}",
            "columns": [
                {"name": "code", "titles": "code", "suppressOutput": True},
                {"name": "name", "titles": "name", "suppressOutput": True},
                _column("centroid", geo + "asWKT", aboutUrl=centroid, datatype=wkt),
                _virtual("has", geo + "hasCentroid", centroid),
            ],
        },
    }


def _cube(title: str, csv_name: str, area_label: str, extra: list[dict[str, str]]) -> object:
    return {
        "dc:title": title,
        "csv": f"../data/{csv_name}",
        "dimensions": [
            {"name": "refArea", "label": area_label, "kind": "area", "column": "Geography"},
            {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
            *extra,
        ],
        "missing": [""],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"value": "Value"},
    }


def _scores_csv() -> str:
    rows = [f"{code},2020,{n * 11}" for n, code in enumerate(DATA_ZONES, start=1)]
    return "Geography,Year,Value\n" + "\n".join(rows) + "\n"


def _mixed_csv() -> str:
    """Figures for the wards and for more council areas than wards, in one cube."""
    rows = [f"{code},2020,{n}" for n, (code, _) in enumerate(glasgow_wards(), start=1)]
    rows += [f"{code},2020,{n * 100}" for n, code in enumerate(COUNCILS, start=1)]
    return "Geography,Year,Value\n" + "\n".join(rows) + "\n"


def write_map_project(folder: Path) -> Layout:
    """The project's mappings and CSV files, written into ``folder``."""
    mappings, data = folder / "mappings", folder / "data"
    (data / "geography").mkdir(parents=True)
    mappings.mkdir()
    shutil.copy(BOUNDARIES, data / "geography" / BOUNDARIES.name)
    shutil.copy(ROOT / "mappings" / "geography-glasgow-ward-boundaries.json", mappings)
    for name, text in (
        ("people.csv", _people_csv()),
        ("zones.csv", _zones_csv()),
        ("scores.csv", _scores_csv()),
        ("mixed.csv", _mixed_csv()),
        ("councils.csv", "code,name\n" + "".join(f"{c},Council {c}\n" for c in COUNCILS)),
    ):
        (data / name).write_text(text, encoding="utf-8")
    ward_names = _names(f"../data/geography/{BOUNDARIES.name}", "WD25CD", "WD25NM", "ElectoralWard")
    sex = [{"name": "sex", "label": "Sex", "column": "Sex"}]
    for name, mapping in (
        ("wards.json", ward_names),
        ("zones.json", _names("../data/zones.csv", "code", "name", "DataZone")),
        ("zone-centroids.json", _zone_centroids()),
        ("people.cube.json", _cube("People by ward", "people.csv", "Ward", sex)),
        ("scores.cube.json", _cube("Scores by data zone", "scores.csv", "Data zone", [])),
        ("councils.json", _names("../data/councils.csv", "code", "name", "LocalAuthority")),
        ("mixed.cube.json", _cube("People by ward and council", "mixed.csv", "Area", [])),
    ):
        (mappings / name).write_text(json.dumps(mapping), encoding="utf-8")
    return Layout(mappings=mappings, shapes=folder / "shapes", build=folder / "build")


@dataclass(frozen=True)
class MapProject:
    """The published project: its settings (for a server) and release root."""

    settings: Settings
    root: ReleaseRoot

    def release(self) -> Release:
        """The current release, opened read-only."""
        return self.root.open_current_read_only()


@pytest.fixture(scope="module")
def map_project(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MapProject]:
    """The map project published into a release root of its own."""
    folder = tmp_path_factory.mktemp("maps")
    settings = Settings(base_iri=BASE, store_dir=folder / "store", reload_seconds=0)
    outcome = publish(settings, write_map_project(folder), workers=0)
    assert outcome is not None
    yield MapProject(settings, ReleaseRoot(settings.store_dir))


@pytest.fixture(scope="module")
def map_site(map_project: MapProject) -> Iterator[str]:
    """The URL of a server over the published map project."""
    with serving_url(map_project.settings) as url:
        yield url
