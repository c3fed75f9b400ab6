"""Mixed geography levels and totals over HTTP: a cube of two local authorities and England
(declared a total) is published for real beside the countries and authorities; the slicer
keeps the levels apart, the cube's page says it mixes them, and each area's page lists its
observations grouped by dataset, in words, in code-list order, paged."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.web import create_app
from tests.plugins.project import BASE, ROOT

HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
GEOGRAPHY = ("geography-countries.json", "geography-local-authorities.json")
#: Ages whose codes sort otherwise than the table gives them: "10" < "5" < "90-plus".
POPULATION = (
    "Code,Name,Year,0,5,10,90+\n"
    "E92000001,England,2018,585469,600001,610002,550003\n"
    "E06000001,Hartlepool,2018,987,1001,1002,503\n"
    "E06000002,Middlesbrough,2018,1700,1701,1702,704\n"
    "E92000001,England,2019,596652,600011,610012,560013\n"
    "E06000001,Hartlepool,2019,1052,1011,1012,513\n"
    "E06000002,Middlesbrough,2019,1750,1751,1752,754\n"
)
CUBE = {
    "dc:title": "Population by age",
    "csv": "../sample/population.csv",
    "dimensions": [
        {"name": "refArea", "label": "Area", "kind": "area", "column": "Code"},
        {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
        {"name": "age", "label": "Age"},
    ],
    "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
    "observations": {"pattern": r"^(?P<path>\d+\+?)$", "dimension": "age"},
    "totals": [{"level": "country"}],
}
#: A second cube naming Hartlepool, with no totals and one level.
HOUSES = "Code,Year,Houses\nE06000001,2019,40000\nE06000002,2019,60000\n"
HOUSES_CUBE = {
    "dc:title": "Houses",
    "csv": "../sample/houses.csv",
    "dimensions": [
        {"name": "refArea", "label": "Local authority", "kind": "area", "column": "Code"},
        {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
    ],
    "measures": [{"name": "houses", "label": "Houses", "datatype": "integer"}],
    "observations": {"value": "Houses"},
}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The cubes and their geography, published once; 5 observations a page."""
    work = tmp_path_factory.mktemp("levels")
    mappings, sample = work / "mappings", work / "sample"
    mappings.mkdir()
    sample.mkdir()
    (work / "data").symlink_to(ROOT / "data")
    for name in GEOGRAPHY:
        shutil.copy(ROOT / "mappings" / name, mappings / name)
    (sample / "population.csv").write_text(POPULATION, encoding="utf-8")
    (sample / "houses.csv").write_text(HOUSES, encoding="utf-8")
    (mappings / "population.cube.json").write_text(json.dumps(CUBE), encoding="utf-8")
    (mappings / "houses.cube.json").write_text(json.dumps(HOUSES_CUBE), encoding="utf-8")
    layout = Layout(mappings, ROOT / "shapes", ROOT / "ontologies", work / "build")
    publish(Settings(store_dir=work / "store"), layout, workers=0)
    settings = Settings(base_iri=BASE, store_dir=work / "store", reload_seconds=60, page_size=5)
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def _json(client: TestClient, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text)
    document = response.json()
    assert isinstance(document, dict)
    return document


def _csv(client: TestClient, url: str) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.text)
    return list(csv.reader(io.StringIO(response.text)))


# --- the slicer keeps levels apart ------------------------------------------------------------


def test_the_default_view_shows_the_main_level_only(client: TestClient) -> None:
    """By default the rows are the local authorities: England, their total, is not among
    them, and the view's address says which level it shows."""
    document = _json(client, "/data/population/slice.json?rows=refArea&columns=age")
    assert [row["code"] for row in document["data"]] == ["E06000001", "E06000002"]
    assert document["level"]["key"] == "LocalAuthority"
    assert document["level"]["label"] == "local authority"
    assert [level["key"] for level in document["levels"]] == ["LocalAuthority", "Country"]
    assert "level=LocalAuthority" in document["links"]["canonical"]


def test_each_level_has_its_own_view_in_every_format(client: TestClient) -> None:
    """``level=`` picks the level; the CSV twin holds the same rows as the JSON."""
    query = "rows=refArea&columns=age&refPeriod=2019&level=Country"
    assert _csv(client, f"/data/population/slice.csv?{query}") == [
        ["Area", "code", "0", "5", "10", "90+"],
        ["England", "E92000001", "596652", "600011", "610012", "560013"],
    ]
    document = _json(client, f"/data/population/slice.json?{query}")
    assert [row["code"] for row in document["data"]] == ["E92000001"]
    assert document["data"][0]["total"] is True
    html = client.get(f"/data/population/slice?{query}", headers={"Accept": HTML}).text
    assert '<select name="level">' in html
    assert '<option value="Country" selected>' in html


def test_an_unknown_level_is_refused_naming_the_levels(client: TestClient) -> None:
    response = client.get("/data/population/slice.json?level=Region")
    assert response.status_code == 400
    assert "'Region' is not a geography level of this cube" in response.text
    assert "LocalAuthority (local authority), Country (country)" in response.text


def test_a_locked_area_defaults_to_the_main_level(client: TestClient) -> None:
    """With the areas locked, the default area is one of the main level, never the total."""
    document = _json(client, "/data/population/slice.json?rows=age&columns=refPeriod")
    assert document["locks"]["refArea"]["code"] == "E06000001"


def test_a_cube_of_one_level_is_as_before(client: TestClient) -> None:
    """No level control and no ``level`` in the address when every area is of one level."""
    document = _json(client, "/data/houses/slice.json")
    assert "level=" not in document["links"]["canonical"]
    assert document["level"] is None


# --- the cube says it mixes levels, and marks its totals ------------------------------------


def test_the_cube_page_says_it_mixes_levels(client: TestClient) -> None:
    html = client.get("/data/population", headers={"Accept": HTML}).text
    assert (
        "This cube holds figures for 2 local authorities and 1 country, at different "
        "geography levels: the slicer shows one level at a time, and figures of different "
        "levels are not to be added together."
    ) in html
    assert "The figures for 1 country (England) are totals of others" in html


def test_a_total_observation_is_marked(client: TestClient) -> None:
    body = client.get("/data/population/E92000001/year/2019/0/people.nt").text
    assert f'<{BASE}/def/attribute/total> "true"^^<http://www.w3.org/2001/XMLSchema#boolean>' in (
        body
    )
    other = client.get("/data/population/E06000001/year/2019/0/people.nt").text
    assert "/def/attribute/total" not in other
    page = client.get("/data/population/E92000001/year/2019/0/people", headers={"Accept": HTML})
    assert "This figure is a total of others in this cube" in page.text
    other_page = client.get(
        "/data/population/E06000001/year/2019/0/people", headers={"Accept": HTML}
    )
    assert "This figure is a total" not in other_page.text


def test_a_download_says_which_rows_are_totals(client: TestClient) -> None:
    """The download of a cube that marks totals has a ``total`` column; others have none."""
    rows = _csv(client, "/data/population/observations.csv?refPeriod=2019&age=0")
    assert rows[0][-1] == "total"
    marked = {row[0]: row[-1] for row in rows[1:]}
    assert marked == {"E92000001": "true", "E06000001": "", "E06000002": ""}
    assert _csv(client, "/data/houses/observations.csv")[0][-1] == "observation"


# --- an area's page lists its observations by dataset ---------------------------------------


def test_an_area_page_groups_its_observations_by_dataset(client: TestClient) -> None:
    """Each dataset once, its observations labelled by their codes in words, in the code
    lists' order (periods by time, ages as the table gives them), five a page."""
    document = _json(client, "/doc/statistical-geography/E06000001.json")
    groups = document["statistics"]
    assert [g["title"] for g in groups] == ["Houses", "Population by age"]
    population = groups[1]
    assert population["dataset"] == f"{BASE}/data/population"
    assert (population["count"], population["page"], population["pages"]) == (8, 1, 2)
    assert [(i["label"], i["value"]) for i in population["items"]] == [
        ("People, age 0, 2018", 987),
        ("People, age 5, 2018", 1001),
        ("People, age 10, 2018", 1002),
        ("People, age 90+, 2018", 503),
        ("People, age 0, 2019", 1052),
    ]
    assert population["items"][0]["uri"] == f"{BASE}/data/population/E06000001/year/2018/0/people"
    assert population["next"] == "/doc/statistical-geography/E06000001?dataset=population&page=2"
    assert groups[0]["items"] == [
        {
            "label": "Houses, 2019",
            "value": 40000,
            "status": None,
            "total": False,
            "uri": f"{BASE}/data/houses/E06000001/year/2019/houses",
        }
    ]
    # Observations are no longer listed one link each among the links in.
    properties = [group["property"] for group in document["incoming"]["groups"]]
    assert "http://purl.org/linked-data/sdmx/2009/dimension#refArea" not in properties


def test_more_of_one_dataset(client: TestClient) -> None:
    """``dataset=`` and ``page=`` page one dataset's observations of the area."""
    document = _json(client, "/doc/statistical-geography/E06000001.json?dataset=population&page=2")
    [group] = document["statistics"]
    assert [i["label"] for i in group["items"]] == [
        "People, age 5, 2019",
        "People, age 10, 2019",
        "People, age 90+, 2019",
    ]
    assert group["prev"] == "/doc/statistical-geography/E06000001?dataset=population"
    missing = client.get("/doc/statistical-geography/E06000001.json?dataset=population&page=3")
    assert missing.status_code == 404
    unknown = client.get("/doc/statistical-geography/E06000001.json?dataset=nothing")
    assert unknown.status_code == 404
    assert "no statistics about this area in a dataset 'nothing'" in unknown.text


def test_the_html_page_reads_as_words(client: TestClient) -> None:
    html = client.get("/doc/statistical-geography/E06000001", headers={"Accept": HTML}).text
    assert "Population by age" in html
    assert "People, age 90+, 2018" in html
    assert "1,052" in html
    assert 'href="/doc/statistical-geography/E06000001?dataset=population&amp;page=2"' in html
    assert "people observation" not in html.lower()


def test_a_total_is_marked_on_its_area_page(client: TestClient) -> None:
    document = _json(client, "/doc/statistical-geography/E92000001.json")
    [group] = document["statistics"]
    assert all(item["total"] for item in group["items"])
    html = client.get("/doc/statistical-geography/E92000001", headers={"Accept": HTML}).text
    assert "total" in html
