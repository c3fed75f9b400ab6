"""Five-star ratings on dataset pages, computed from what the store holds: tried over real
HTTP on a small project published by the real pipeline (``tests/plugins/catalogue.py``)."""

from __future__ import annotations

import re

import httpx

from tests.plugins.web import BROWSER


def _stars(site: str, path: str) -> dict[str, object]:
    response = httpx.get(f"{site}{path}.json")
    assert response.status_code == 200, response.text
    stars = response.json()["stars"]
    assert isinstance(stars, dict)
    return stars


def _reasons(stars: dict[str, object]) -> list[str]:
    each = stars["each"]
    assert isinstance(each, list)
    return [star["reason"] for star in each]


def test_an_own_cube_that_links_out_has_five_stars(catalogue_site: str) -> None:
    stars = _stars(catalogue_site, "/data/people")
    assert stars["stars"] == 5
    reasons = _reasons(stars)
    assert reasons[0] == "Open Government Licence v3.0 is an open licence"
    assert "2 in Council areas" in reasons[4]


def test_areas_linked_to_the_official_uris_have_five_stars(catalogue_site: str) -> None:
    stars = _stars(catalogue_site, "/data/areas")
    assert stars["stars"] == 5
    assert _reasons(stars)[4] == "links to things in other data: 3 in statistics.gov.scot"
    example = r"such as http://\S+/id/statistical-geography/S120000\d\d$"
    assert re.search(example, _reasons(stars)[3])


def test_a_dataset_without_licence_has_no_stars_and_says_so(catalogue_site: str) -> None:
    stars = _stars(catalogue_site, "/data/harvest/trees")
    assert stars["stars"] == 0
    assert _reasons(stars)[0] == "no licence stated, so no first star"
    assert "not structured data" in _reasons(stars)[1]


def test_a_licence_not_known_to_be_open_earns_no_star(catalogue_site: str) -> None:
    stars = _stars(catalogue_site, "/data/harvest/parking")
    assert stars["stars"] == 0
    reasons = _reasons(stars)
    assert "not one known to be open" in reasons[0]
    # The downloads are structured, but the stars build on each other.
    assert reasons[1].endswith("star 1 is not earned")


def test_a_harvested_csv_under_an_open_licence_has_three_stars(catalogue_site: str) -> None:
    stars = _stars(catalogue_site, "/data/harvest/bins")
    assert stars["stars"] == 3
    reasons = _reasons(stars)
    assert reasons[2] == "downloads in open formats: CSV"  # the PDF beside it earns nothing
    assert "no RDF download" in reasons[3]


def test_the_rating_is_shown_with_its_reasons_on_the_pages(catalogue_site: str) -> None:
    for path, count in (("/data/people", 5), ("/data/harvest/trees", 0), ("/data/areas", 5)):
        page = httpx.get(catalogue_site + path, headers={"accept": BROWSER}).text
        assert f"{count} of 5 stars" in page, path
        assert len(re.findall(r'<li class="(?:earned|missing)">', page)) == 5
    trees = httpx.get(catalogue_site + "/data/harvest/trees", headers={"accept": BROWSER}).text
    assert "no licence stated, so no first star" in trees


def test_things_that_are_not_datasets_have_no_rating(catalogue_site: str) -> None:
    document = httpx.get(catalogue_site + "/doc/statistical-geography/S12000049.json").json()
    assert "stars" not in document
