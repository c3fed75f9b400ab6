"""/data/{dataset}/map over a published project with real Glasgow ward boundaries: the
fill of each ward is the colour of its class, computed from the source CSV's figures; the
legend's bounds; a ward without a figure; data zones as points; the JSON and CSV twins
agree; bad parameters are refused with a 400; a repeat is answered from the cache."""

from __future__ import annotations

import csv
import io
import re
import time
import xml.etree.ElementTree as ET

import httpx
import pytest

from opendatacommunities.places.classes import YLGNBU
from tests.plugins.maps import (
    AREA,
    COUNCILS,
    DATA_ZONES,
    MISSING_WARD,
    glasgow_wards,
    ward_people,
)

SVG = "{http://www.w3.org/2000/svg}"
PEOPLE = "/data/people/map"


def _source(year: int, sex: str) -> dict[str, float]:
    """The figures of the source CSV (as the project wrote it), by ward code."""
    found = {}
    for code, _ in glasgow_wards():
        value = ward_people(code, year, sex)
        if value is not None:
            found[code] = float(value)
    return found


def _svg(html: str) -> ET.Element:
    found = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" role="group".*?</svg>', html, re.S)
    assert found is not None
    return ET.fromstring(found.group(0))


def test_each_ward_is_filled_with_the_colour_of_its_class(map_site: str) -> None:
    data = httpx.get(f"{map_site}{PEOPLE}.json?refPeriod=2020&sex=m").json()
    classes = data["classes"]
    assert [c["colour"] for c in classes] == list(YLGNBU)
    source = _source(2020, "M")
    assert classes[0]["lower"] == min(source.values()) and classes[-1]["upper"] == max(
        source.values()
    )
    assert sum(c["areas"] for c in classes) == len(source) == 22
    html = httpx.get(f"{map_site}{PEOPLE}?refPeriod=2020&sex=m").text
    links = {a.get("data-area"): a for a in _svg(html).iter(f"{SVG}a")}
    assert len(links) == 23
    for code, value in list(source.items())[::3]:  # a sample of the wards
        (colour,) = [c["colour"] for c in classes if c["lower"] <= value <= c["upper"]]
        link = links[AREA + code]
        assert link.find(f"{SVG}path").get("fill") == colour  # type: ignore[union-attr]
        assert link.get("href") == f"/doc/statistical-geography/{code}"
    missing = links[AREA + MISSING_WARD].find(f"{SVG}path")
    assert missing is not None and (missing.get("fill") or "").startswith("url(#")
    for c in classes:
        assert f"{c['lower']:,.0f} to {c['upper']:,.0f}" in html


def test_the_csv_and_json_twins_agree(map_site: str) -> None:
    data = httpx.get(f"{map_site}{PEOPLE}.json?refPeriod=2019&sex=f").json()
    response = httpx.get(f"{map_site}{PEOPLE}.csv?refPeriod=2019&sex=f")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert list(rows[0]) == ["area", "label", "value", "class", "colour"]
    assert len(rows) == len(data["areas"]) == 23
    for row, area in zip(rows, data["areas"], strict=True):
        assert row["area"] == area["area"] and row["label"] == area["label"]
        assert float(row["value"]) == area["value"] == _source(2019, "F")[row["area"]]
        assert int(row["class"]) == area["class"] and row["colour"] == area["colour"]


def test_a_ward_without_a_figure_says_so(map_site: str) -> None:
    data = httpx.get(f"{map_site}{PEOPLE}.json?refPeriod=2020&sex=f").json()
    (missing,) = [a for a in data["areas"] if a["value"] is None]
    assert missing["area"] == MISSING_WARD and missing["class"] is None
    assert missing["colour"] is None and missing["status"]
    rows = httpx.get(f"{map_site}{PEOPLE}.csv?refPeriod=2020&sex=f").text
    assert f"{MISSING_WARD}," in rows and re.search(rf"{MISSING_WARD},[^,]+,,,\r\n", rows)


def test_data_zones_known_by_their_centroids_are_points(map_site: str) -> None:
    data = httpx.get(f"{map_site}/data/scores/map.json").json()
    assert data["kind"] == "points" and len(data["areas"]) == len(DATA_ZONES)
    html = httpx.get(f"{map_site}/data/scores/map").text
    circles = list(_svg(html).iter(f"{SVG}circle"))
    assert len(circles) == len(DATA_ZONES)
    by_value = {a["area"]: a["colour"] for a in data["areas"]}
    fills = {c.get("fill") for c in circles}
    assert fills == set(by_value.values())
    assert "each shown as a dot at its centre" in " ".join(html.split())


def test_the_form_offers_the_other_dimensions_without_script(map_site: str) -> None:
    html = httpx.get(f"{map_site}{PEOPLE}").text
    assert '<form class="slicer" method="get" action="/data/people/map">' in html
    assert '<select name="sex">' in html and '<select name="refPeriod">' in html
    article = html.split("<article")[1].split("</article>")[0]
    assert '<select name="refArea">' not in article and "<script" not in article


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("rows=refPeriod", "rows"),
        ("refArea=S13002967", "refArea"),
        ("level=Country", "Country"),
        ("colour=red", "colour"),
        ("sex=f&sex=m", "sex"),
    ],
)
def test_bad_parameters_are_refused(map_site: str, query: str, named: str) -> None:
    response = httpx.get(f"{map_site}{PEOPLE}.json?{query}")
    assert response.status_code == 400 and named in response.json()["detail"]


def test_an_unknown_code_or_format_is_not_found(map_site: str) -> None:
    assert httpx.get(f"{map_site}{PEOPLE}.json?sex=x").status_code == 404
    assert httpx.get(f"{map_site}{PEOPLE}.ttl").status_code == 404


def test_a_repeat_is_answered_from_the_cache(map_site: str) -> None:
    url = f"{map_site}{PEOPLE}.json?refPeriod=2019&sex=m"
    first = httpx.get(url)
    started = time.perf_counter()
    again = httpx.get(url)
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert first.headers["access-control-allow-origin"] == "*"
    assert 'rel="alternate csv"' in first.headers["link"]
    unchanged = httpx.get(url, headers={"if-none-match": first.headers["etag"]})
    assert unchanged.status_code == 304
    assert time.perf_counter() - started < 1.0  # generous: only guards against a recompute loop


def test_the_dataset_page_and_the_slicer_link_to_the_map(map_site: str) -> None:
    page = httpx.get(f"{map_site}/data/people", headers={"accept": "text/html"}).text
    assert 'href="/data/people/map"' in page and 'href="/data/people/map?measure=people"' in page
    slicer = httpx.get(f"{map_site}/data/people/slice?columns=none&refPeriod=2019&sex=m").text
    found = re.search(r'href="(/data/people/map\?[^"]+)">on a map', slicer)
    assert found is not None
    link = found.group(1).replace("&amp;", "&")
    assert "refPeriod=2019" in link and "sex=m" in link
    data = httpx.get(f"{map_site}{link.replace('/map?', '/map.json?')}").json()
    assert data["view"] == "People by ward, 2019, M"


def test_a_cube_of_several_levels_maps_the_level_with_shapes(map_site: str) -> None:
    data = httpx.get(f"{map_site}/data/mixed/map.json").json()
    assert data["level"]["key"] == "ElectoralWard" and len(data["areas"]) == 23
    assert [lv["key"] for lv in data["levels"]] == ["LocalAuthority", "ElectoralWard"]
    councils = httpx.get(f"{map_site}/data/mixed/map.json?level=localauthority").json()
    assert len(councils["areas"]) == len(COUNCILS)
    assert not any(area["drawn"] for area in councils["areas"])
    assert councils["classes"][-1]["upper"] == 100 * len(COUNCILS)
    page = httpx.get(f"{map_site}/data/mixed/map?level=LocalAuthority").text
    assert "there is no map to draw" in " ".join(page.split())
    assert '<select name="level">' in page
