"""A small project whose catalogue shows every kind of entry, published by the real pipeline
and served over HTTP: council areas linked to the official URIs (statistics.gov.scot), a cube
of people by council area and year (linked to the areas), and a harvested catalogue of three
entries (one under an open licence with a CSV download, one with no licence stated, one under
a licence not known to be open and flagged as a test entry)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from tests.plugins.project import BASE, ROOT
from tests.plugins.servers import serving_url

OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
GEOGRAPHY = BASE + "/def/geography/"
AREAS = "code,name\nS12000049,Glasgow City\nS12000050,North Lanarkshire\nS12000046,Old Glasgow\n"
PEOPLE = "Geography,Year,Value\n" + "".join(
    f"{code},{year},{n}\n"
    for year in (2019, 2020)
    for n, code in enumerate(["S12000049", "S12000050"], start=year)
)
HARVEST = (
    "id,title,description,licence,subject,test\n"
    f"bins,Bin collection days,When bins are emptied.,{OGL},Environment,\n"
    "trees,Street trees,<b>Every</b> street tree.,,Environment,\n"
    "parking,Parking fines,Fines issued.,http://example.org/licence/closed,Transport,"
    "a test left in the council's catalogue\n"
)
DOWNLOADS = (
    "dataset,id,format,url\n"
    "bins,csv,CSV,https://example.org/bins.csv\n"
    "bins,pdf,PDF,https://example.org/bins.pdf\n"
    "trees,page,ArcGIS Hub Dataset,https://example.org/trees\n"
    "parking,xls,XLS,https://example.org/parking.xls\n"
)


def _column(name: str, prop: str, **more: object) -> dict[str, object]:
    return {"name": name, "titles": name, "propertyUrl": prop, **more}


def _virtual(name: str, prop: str, value: str, **more: object) -> dict[str, object]:
    return {"name": name, "virtual": True, "propertyUrl": prop, "valueUrl": value, **more}


def _areas() -> dict[str, object]:
    about = BASE + "/id/statistical-geography/{code}"
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "../data/areas.csv",
        "dc:title": "Council areas",
        "dc:description": "Scotland's council areas, with their official URIs.",
        "dc:license": {"@id": OGL},
        "dc:publisher": {"@id": "https://www.gov.scot"},
        "dc:subject": "Geography",
        "tableSchema": {
            "aboutUrl": about,
            "columns": [
                _column("code", "skos:notation"),
                _column("name", "rdfs:label"),
                _virtual("kind", "rdf:type", GEOGRAPHY + "LocalAuthority"),
                _virtual(
                    "official",
                    "owl:sameAs",
                    "http://statistics.gov.scot/id/statistical-geography/{code}",
                ),
            ],
        },
    }


def _people() -> dict[str, object]:
    return {
        "dc:title": "People by council area",
        "dc:description": "How many people live in each council area, by year.",
        "dc:license": OGL,
        "dc:publisher": "Scottish Government",
        "dc:subject": "Population",
        "csv": "../data/people.csv",
        "dimensions": [
            {"name": "refArea", "label": "Council area", "kind": "area", "column": "Geography"},
            {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
        ],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"value": "Value"},
    }


def _harvest() -> dict[str, object]:
    entry = BASE + "/data/harvest/{id}"
    download = BASE + "/data/harvest/{dataset}/download/{id}"
    entries = [
        _column("id", "dc:identifier"),
        _column("title", "dc:title", lang="en"),
        _column("description", "dc:description", lang="en"),
        _column("licence", "dc:license", valueUrl="{+licence}"),
        _column("subject", "dc:subject"),
        _column("test", BASE + "/def/catalogue/testEntry"),
        _virtual("type", "rdf:type", "dcat:Dataset"),
        _virtual("harvested", "rdf:type", BASE + "/def/catalogue/HarvestedDataset"),
        _virtual("publisher", "dc:publisher", "https://www.glasgow.gov.uk"),
        _virtual("listed", "dcat:dataset", entry, aboutUrl=BASE + "/data"),
    ]
    downloads = [
        _column("dataset", "dc:identifier", suppressOutput=True),
        _column("id", "dc:identifier", suppressOutput=True),
        _column("format", "dc:format"),
        _column("url", "dcat:accessURL", valueUrl="{+url}"),
        _virtual("type", "rdf:type", "dcat:Distribution"),
        _virtual("of", "dcat:distribution", download, aboutUrl=entry.replace("{id}", "{dataset}")),
    ]
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "dc:title": "A council's catalogue (harvested)",
        "dc:license": {"@id": OGL},
        "dc:publisher": {"@id": "https://www.glasgow.gov.uk"},
        "tables": [
            {"url": "../data/harvest.csv", "tableSchema": {"aboutUrl": entry, "columns": entries}},
            {
                "url": "../data/downloads.csv",
                "tableSchema": {"aboutUrl": download, "columns": downloads},
            },
        ],
    }


def write_catalogue_project(folder: Path) -> Layout:
    """The project's mappings and CSV files, written into ``folder``."""
    mappings, data = folder / "mappings", folder / "data"
    mappings.mkdir()
    data.mkdir()
    for name, text in (
        ("areas.csv", AREAS),
        ("people.csv", PEOPLE),
        ("harvest.csv", HARVEST),
        ("downloads.csv", DOWNLOADS),
    ):
        (data / name).write_text(text, encoding="utf-8")
    for name, mapping in (
        ("areas.json", _areas()),
        ("people.cube.json", _people()),
        ("harvest.json", _harvest()),
    ):
        (mappings / name).write_text(json.dumps(mapping), encoding="utf-8")
    return Layout(
        mappings=mappings,
        shapes=folder / "shapes",
        ontologies=ROOT / "ontologies",
        build=folder / "build",
    )


@pytest.fixture(scope="module")
def catalogue_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The URL of a server over the published project (IRIs minted under ``BASE``)."""
    folder = tmp_path_factory.mktemp("catalogue")
    settings = Settings(base_iri=BASE, store_dir=folder / "store", reload_seconds=0)
    publish(settings, write_catalogue_project(folder), workers=0)
    with serving_url(settings) as url:
        yield url
