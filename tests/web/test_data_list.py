"""``/data``: every dataset, own and harvested, with filters as links, sorting, paging and
``.json``/``.csv`` twins that honour them; bad parameters answer 400 naming the parameter;
the catalogue's RDF formats still describe it. Tried over real HTTP on a small project
published by the real pipeline (``tests/plugins/catalogue.py``)."""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import httpx
import pytest
import rdflib

from tests.plugins.project import BASE
from tests.plugins.web import BROWSER

ALL = {
    "A council's catalogue (harvested)",
    "Bin collection days",
    "Council areas",
    "Parking fines",
    "People by council area",
    "Street trees",
}


def _json(site: str, query: str = "") -> dict[str, object]:
    response = httpx.get(f"{site}/data.json{query}")
    assert response.status_code == 200, response.text
    document = response.json()
    assert isinstance(document, dict)
    return document


def _titles(document: dict[str, object]) -> list[str]:
    datasets = document["datasets"]
    assert isinstance(datasets, list)
    return [d["title"] for d in datasets]


def _html(site: str, query: str = "") -> str:
    response = httpx.get(f"{site}/data{query}", headers={"accept": BROWSER})
    assert response.status_code == 200, response.text
    return response.text


def test_every_dataset_is_listed_with_what_people_look_for(catalogue_site: str) -> None:
    document = _json(catalogue_site)
    assert document["total"] == 6
    assert set(_titles(document)) == ALL
    datasets = document["datasets"]
    assert isinstance(datasets, list)
    people = next(d for d in datasets if d["title"] == "People by council area")
    assert people["themes"] == ["Population"]
    assert people["publisher"] == "Scottish Government"
    assert people["licence"] == "Open Government Licence v3.0"
    assert people["geography_levels"] == ["local authority"]
    assert people["periods"] == ["2019", "2020"]
    assert re.match(r"20\d\d-\d\d-\d\dT", people["last_published"])
    assert people["stars"]["stars"] == 5
    trees = next(d for d in datasets if d["title"] == "Street trees")
    assert (trees["licence"], trees["harvested"]) == ("licence not stated", True)
    assert trees["publisher"] == "Glasgow City Council"
    assert trees["stars"]["stars"] == 0


def test_the_page_shows_each_dataset_with_its_stars(catalogue_site: str) -> None:
    page = _html(catalogue_site)
    assert "Catalogue" in page
    shown = unescape(page)
    assert all(f">{title}</a>" in shown for title in ALL)
    assert 'href="/data/people"' in page
    assert "licence not stated" in page
    assert "<b>Every</b>" not in page  # the harvested HTML shows as text
    assert "&lt;b&gt;Every&lt;/b&gt;" in page
    assert re.search(r"Last published</dt><dd>\d{1,2} [A-Z][a-z]+ 20\d\d</dd>", page)
    assert page.count("of 5 stars</dd>") == 6


def test_filters_are_links_with_counts_and_a_way_to_clear(catalogue_site: str) -> None:
    page = _html(catalogue_site)
    link = re.search(r'<a href="([^"]*publisher=Glasgow[^"]*)">Glasgow City Council</a>', page)
    assert link is not None
    assert re.search(r"Glasgow City Council</a> <span class=\"count\">4</span>", page)
    filtered = _html(catalogue_site, unescape(link[1]).removeprefix("/data"))
    assert '<strong aria-current="true">Glasgow City Council</strong>' in filtered
    assert 'href="/data">× Any publisher</a>' in filtered
    assert "People by council area" not in filtered


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("?theme=Environment", {"Bin collection days", "Street trees"}),
        ("?publisher=Scottish+Government", {"Council areas", "People by council area"}),
        ("?licence=licence+not+stated", {"Street trees"}),
        ("?level=local+authority&theme=population", {"People by council area"}),
        ("?publisher=Glasgow+City+Council&theme=Transport", {"Parking fines"}),
    ],
)
def test_filters_choose_the_datasets(catalogue_site: str, query: str, titles: set[str]) -> None:
    document = _json(catalogue_site, query)
    assert set(_titles(document)) == titles
    assert document["total"] == len(titles)


def test_facet_counts_follow_the_other_filters(catalogue_site: str) -> None:
    facets = _json(catalogue_site, "?publisher=Glasgow+City+Council")["facets"]
    assert isinstance(facets, dict)
    # Counted among Glasgow's entries, not the whole catalogue...
    assert {f["value"]: f["count"] for f in facets["theme"]} == {"Environment": 2, "Transport": 1}
    # ... while the publishers are counted as if no publisher were chosen.
    publishers = {f["value"]: f["count"] for f in facets["publisher"]}
    assert publishers == {"Glasgow City Council": 4, "Scottish Government": 2}


def test_sorting(catalogue_site: str) -> None:
    assert _titles(_json(catalogue_site)) == sorted(ALL, key=str.casefold)
    assert _titles(_json(catalogue_site, "?sort=-title")) == sorted(
        ALL, key=str.casefold, reverse=True
    )
    by_stars = _json(catalogue_site, "?sort=-stars")["datasets"]
    assert isinstance(by_stars, list)
    stars = [d["stars"]["stars"] for d in by_stars]
    assert stars == sorted(stars, reverse=True) and stars[0] == 5 and stars[-1] == 0
    newest = _titles(_json(catalogue_site, "?sort=-published"))
    # The harvested entries have no date: they come last.
    assert set(newest[-3:]) == {"Bin collection days", "Parking fines", "Street trees"}


def test_paging_keeps_an_honest_total(catalogue_site: str) -> None:
    seen: list[str] = []
    for page in (1, 2, 3):
        document = _json(catalogue_site, f"?page_size=2&page={page}&sort=title")
        assert (document["total"], document["pages"]) == (6, 3)
        seen += _titles(document)
    assert seen == sorted(ALL, key=str.casefold)
    first = _json(catalogue_site, "?page_size=2")
    assert first["links"] == {
        "next": "/data?page=2&page_size=2",
        "last": "/data?page=3&page_size=2",
    }
    assert httpx.get(catalogue_site + "/data.json?page_size=2&page=4").status_code == 404
    html = _html(catalogue_site, "?page_size=2&page=2")
    assert "Page 2 of 3" in html and 'rel="next" href="/data?page=3&amp;page_size=2"' in html


def test_the_csv_twin_honours_filters_and_sorting(catalogue_site: str) -> None:
    response = httpx.get(catalogue_site + "/data.csv?publisher=Glasgow+City+Council&sort=-title")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["title"] for r in rows] == [
        "Street trees",
        "Parking fines",
        "Bin collection days",
        "A council's catalogue (harvested)",
    ]
    trees = rows[0]
    assert (trees["licence"], trees["stars"], trees["harvested"]) == (
        "licence not stated",
        "0",
        "yes",
    )


def test_the_page_links_its_twins_with_the_same_filters(catalogue_site: str) -> None:
    page = _html(catalogue_site, "?theme=Environment&sort=-stars")
    assert 'href="/data.json?theme=Environment&amp;sort=-stars"' in page
    assert 'href="/data.csv?theme=Environment&amp;sort=-stars"' in page


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?sort=size", "sort"),
        ("?publisher=Nobody", "publisher"),
        ("?level=galaxy", "level"),
        ("?licence=free", "licence"),
        ("?theme=Housing", "theme"),
        ("?page=0", "page"),
        ("?page_size=5000", "page_size"),
        ("?colour=red", "colour"),
        ("?theme=Environment&theme=Transport", "theme"),
    ],
)
def test_bad_parameters_answer_400_naming_them(
    catalogue_site: str, query: str, parameter: str
) -> None:
    for suffix in (".json", ".csv", ""):
        response = httpx.get(f"{catalogue_site}/data{suffix}{query}", headers={"accept": BROWSER})
        assert response.status_code == 400, (suffix, response.text)
        assert parameter in response.text
    problem = httpx.get(f"{catalogue_site}/data.json{query}").json()
    assert [p["name"] for p in problem["invalid-params"]] == [parameter]


def test_the_rdf_formats_still_describe_the_catalogue(catalogue_site: str) -> None:
    for path, headers in (("/data.ttl", {}), ("/data", {"accept": "text/turtle"})):
        response = httpx.get(catalogue_site + path, headers=headers)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/turtle")
        graph = rdflib.Graph().parse(data=response.text, format="turtle")
        listed = set(graph.objects(rdflib.URIRef(BASE + "/data"), rdflib.DCAT.dataset))
        assert rdflib.URIRef(BASE + "/data/people") in listed
    negotiated = httpx.get(catalogue_site + "/data", headers={"accept": "application/json"})
    assert negotiated.json()["total"] == 6
    assert negotiated.headers["vary"] == "Accept"


def test_sorting_is_offered_in_words_as_links(catalogue_site: str) -> None:
    page = _html(catalogue_site, "?theme=Environment")
    assert '<strong aria-current="true">title, A to Z</strong>' in page
    assert '<a href="/data?theme=Environment&amp;sort=-stars">most stars first</a>' in page
    newest = _html(catalogue_site, "?sort=-published")
    assert '<strong aria-current="true">newest first</strong>' in newest


def test_test_entries_left_in_a_harvested_catalogue_are_flagged(catalogue_site: str) -> None:
    datasets = _json(catalogue_site, "?theme=Transport")["datasets"]
    assert isinstance(datasets, list)
    assert datasets[0]["test_entry"] == "a test left in the council's catalogue"
    page = unescape(_html(catalogue_site, "?theme=Transport"))
    assert "Not a real dataset: a test left in the council's catalogue." in page
    assert "test entry" not in unescape(_html(catalogue_site, "?theme=Environment"))


def test_the_page_names_its_other_formats(catalogue_site: str) -> None:
    page = _html(catalogue_site)
    assert '<link rel="alternate" type="text/turtle" href="/data.ttl"' in page
    assert '<link rel="alternate" type="text/csv" href="/data.csv"' in page
    head = httpx.head(catalogue_site + "/data.json")
    assert head.status_code == 200 and head.headers["content-type"].startswith("application/json")
