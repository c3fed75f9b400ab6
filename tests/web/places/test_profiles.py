"""Area profiles over HTTP, checked against the source CSVs they were published from: a ward
of a cube made in the test (no code knows it), council areas of the Scottish employment
cube, and English authorities of the census tenure cube. Spreads, ranks and parents' figures
are checked by a computation of their own (``statistics``), not the profile's."""

from __future__ import annotations

import csv
import re
import statistics
from typing import Any

from fastapi.testclient import TestClient

from tests.plugins.profiles import GLASGOW, green_rows
from tests.plugins.project import BASE, ROOT
from tests.plugins.web import BROWSER

EMPLOYMENT = ROOT / "data/scotland/employment/employment.csv"
TENURE = ROOT / "data/census2011/tenure-households-lad.csv"
CALTON = "S13002975"


def _profile(client: TestClient, code: str) -> dict[str, Any]:
    response = client.get(f"/doc/statistical-geography/{code}.json")
    assert response.status_code == 200, response.text
    profile: dict[str, Any] = response.json()["profile"]
    return profile


def _section(profile: dict[str, Any], title: str) -> dict[str, Any]:
    found = [s for s in profile["sections"] if s["title"] == title]
    assert len(found) == 1, [s["title"] for s in profile["sections"]]
    return found[0]


def _quartiles(values: list[float]) -> list[float]:
    return statistics.quantiles(values, n=4, method="inclusive")


def test_a_new_cube_is_on_the_profiles_of_its_areas(places: TestClient) -> None:
    """The cube made in the test is a section of a Glasgow ward's profile: its latest year,
    each measure, in words, linking to the observation and the slicer with the ward locked."""
    section = _section(_profile(places, CALTON), "Green spaces by ward")
    assert section["level"] == "ElectoralWard"
    mine = {(row[1], row[0]): row for row in green_rows()}
    _, _, parks, green = mine[("2023", CALTON)]
    figures = {f["label"]: f for f in section["figures"]}
    assert set(figures) == {"Parks, 2023", "Green space, 2023"}
    assert figures["Parks, 2023"]["value"] == parks
    assert figures["Green space, 2023"]["value"] == float(green)
    assert figures["Green space, 2023"]["words"] == f"Calton: Green space, 2023: {float(green):g}%"
    assert figures["Parks, 2023"]["observation"] == f"/data/green/{CALTON}/year/2023/parks"
    assert figures["Parks, 2023"]["slice"] == f"/data/green/slice?rows=refPeriod&refArea={CALTON}"
    assert [p["value"] for p in section["trend"]] == [
        mine[(y, CALTON)][2] for y in ("2022", "2023")
    ]


def test_a_ward_is_compared_with_its_council_area_and_the_other_wards(places: TestClient) -> None:
    """The parent's figure is Glasgow City's; the spread and rank are over the 23 wards
    alone (the council area is of another level)."""
    figure = _section(_profile(places, CALTON), "Green spaces by ward")["figures"][1]
    rows = [row for row in green_rows() if row[1] == "2023"]
    assert figure["parent"]["label"] == "Glasgow City"
    assert figure["parent"]["value"] == float(next(r[3] for r in rows if r[0] == GLASGOW))
    wards = [float(r[3]) for r in rows if r[0] != GLASGOW]
    spread = figure["spread"]
    assert spread["areas"] == len(wards) == 23
    assert [spread["minimum"], spread["maximum"]] == [min(wards), max(wards)]
    expected = _quartiles(wards)
    assert [spread["lower_quartile"], spread["median"], spread["upper_quartile"]] == expected
    higher = sum(1 for v in wards if v > figure["value"])
    assert figure["rank"].startswith(f"{higher + 1}")
    assert figure["rank"].endswith(" of 23 electoral wards")


def _employment(code: str) -> dict[tuple[str, str], int]:
    with EMPLOYMENT.open(encoding="utf-8-sig") as source:
        return {
            (row["Quarter"], row["Gender"]): int(row["Value"])
            for row in csv.DictReader(source)
            if row["Geography"] == code
        }


def test_council_areas_match_the_employment_source(places: TestClient) -> None:
    """For sampled council areas: the latest quarter's figures by gender, and the trend of
    the headline (all people) over every quarter, as the source CSV has them."""
    for code in ("S12000033", "S12000046", "S12000036"):
        source = _employment(code)
        section = _section(_profile(places, code), "Employment by council area, quarter and gender")
        shown = {f["label"]: f["value"] for f in section["figures"]}
        assert shown == {
            f"Count, {gender}, 2017-Q4": source[("2017-Q4", gender)]
            for gender in ("All", "Female", "Male")
        }
        trend = [(p["period"], p["value"]) for p in section["trend"]]
        quarters = ("2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4")
        assert trend == [(q, source[(q, "All")]) for q in quarters]
        assert section["trend_label"] == "Count, All"


def _tenure() -> dict[str, list[str]]:
    with TENURE.open(encoding="utf-8-sig") as source:
        rows = list(csv.reader(source))
    return {row[2]: row for row in rows[1:]}


def test_authorities_match_the_census_source_and_their_spread(places: TestClient) -> None:
    """Manchester's and Darlington's tenure figures are the CSV's cells; the spread of all
    households over the 348 authorities, and each rank, are computed here from the CSV."""
    table = _tenure()
    everyone = sorted(float(row[4]) for row in table.values())
    for code in ("E08000003", "E06000005"):
        section = _section(
            _profile(places, code), "2011 Census: tenure of households by local authority"
        )
        values = [f["value"] for f in section["figures"]]
        assert values == [int(cell) for cell in table[code][4:]]
        headline = section["figures"][0]
        assert headline["label"] == "Households, All, 2011"
        spread = headline["spread"]
        assert spread["areas"] == len(everyone) == 348
        expected = _quartiles(everyone)
        assert [spread["lower_quartile"], spread["median"], spread["upper_quartile"]] == [
            int(v) if v.is_integer() else v for v in expected
        ]
        higher = sum(1 for v in everyone if v > headline["value"])
        assert (
            headline["rank"]
            == f"{higher + 1}{_suffix(higher + 1)} highest of 348 local authorities"
        )


def _suffix(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def test_the_profile_page_reads_without_scripts(places: TestClient) -> None:
    """Name and kind lead, the code follows; where it sits, the headline in words, each
    figure beside its parent's and its spread; the twins are linked."""
    html = places.get(f"/doc/statistical-geography/{CALTON}", headers={"accept": BROWSER}).text
    assert "<h1>Calton</h1>" in html
    assert "Where Calton is" in html
    assert 'href="/doc/statistical-geography/S12000049">Glasgow City</a>' in html
    assert "Calton: Parks, 2023: " in html and "highest of 23 electoral wards" in html
    assert f'href="/geography/profiles/{CALTON}.csv"' in html
    assert "<script" not in html.split('<section class="where">')[1].split("</article>")[0]


def test_the_figures_twins_agree(places: TestClient) -> None:
    """The CSV twin has a row per figure of the JSON twin, with the same values."""
    document = places.get(f"/geography/profiles/{CALTON}.json").json()
    rows = list(csv.DictReader(places.get(f"/geography/profiles/{CALTON}.csv").text.splitlines()))
    figures = [f for s in document["sections"] for f in s["figures"]]
    assert [r["figure"] for r in rows] == [f["label"] for f in figures]
    assert [float(r["value"]) for r in rows] == [f["value"] for f in figures]
    assert all(r["area"] == f"{BASE}/id/statistical-geography/{CALTON}" for r in rows)
    assert places.get("/geography/profiles/S99999999.csv").status_code == 404
    assert places.get(f"/geography/profiles/{CALTON}.xml").status_code == 404


def test_a_council_area_has_the_figures_of_its_former_code(places: TestClient) -> None:
    """Glasgow City under its current code: its wards are listed; the employment cube names
    it by the code it replaced (S12000046), and those figures are its own, so said."""
    profile = _profile(places, GLASGOW)
    assert profile["children_total"] >= 23
    assert CALTON in {c["code"] for c in profile["children"]}
    titles = [s["title"] for s in profile["sections"]]
    assert titles == ["Employment by council area, quarter and gender", "Green spaces by ward"]
    employment, green = profile["sections"]
    assert (employment["former_code"], green["former_code"]) == ("S12000046", None)
    source = _employment("S12000046")
    assert employment["figures"][0]["value"] == source[("2017-Q4", "All")]
    assert employment["figures"][0]["words"].startswith("Glasgow City: Count, All, 2017-Q4: ")


def test_a_ward_s_neighbours_are_the_wards_it_touches(places: TestClient) -> None:
    """Calton shares a stretch of boundary with Dennistoun and with Anderston/City/Yorkhill
    in the boundaries file (checked by hand); an authority with no boundary has none."""
    neighbours = {n["label"] for n in _profile(places, CALTON)["neighbours"]}
    assert {"Dennistoun", "Anderston/City/Yorkhill"} <= neighbours
    assert neighbours == {"Dennistoun", "Anderston/City/Yorkhill", "East Centre", "Shettleston"}
    assert all(n["kind"] == "electoral ward" for n in _profile(places, CALTON)["neighbours"])
    assert _profile(places, "E08000003")["neighbours"] == []
    html = places.get(f"/doc/statistical-geography/{CALTON}", headers={"accept": BROWSER}).text
    link = re.search(r'href="(/compare\?areas=[^"]+)">Compare Calton with its neighbours', html)
    assert link is not None
    compared = places.get(link[1].replace("/compare?", "/compare.json?")).json()
    assert {a["label"] for a in compared["areas"]} == {"Calton", *neighbours}


def test_the_profile_draws_a_map_and_a_spine_per_headline(places: TestClient) -> None:
    """Calton is drawn among its neighbours, itself highlighted, each area a link to its
    page; its parks headline is a spine against the spread of Glasgow's wards."""
    html = places.get(f"/doc/statistical-geography/{CALTON}", headers={"accept": BROWSER}).text
    where = html.split('<section class="where">')[1].split("</section>")[0]
    drawn = re.search(r"<svg.*?</svg>", where, re.S)
    assert drawn is not None
    areas = re.findall(r'<a href="([^"]+)" class="(area[^"]*)"', drawn.group())
    assert (f"/doc/statistical-geography/{CALTON}", "area highlight") in areas
    assert len(areas) == 5 and [c for _, c in areas].count("area highlight") == 1
    green = html.split(">Green spaces by ward</a></h3>")[1].split("</section>")[0]
    spine = re.search(r'<figure class="chart spine".*?</figure>', green, re.S)
    assert spine is not None
    assert '<circle class="area"' in spine.group() and '<rect class="quartiles"' in spine.group()
    assert "Lower quartile" in spine.group() and "Glasgow City" in spine.group()
