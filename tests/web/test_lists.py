"""``/resources`` with the Linked Data API's conventions, over HTTP, on the Glasgow fixtures
plus wards with populations and dates, and 10,050 numbered things (more than a count goes)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode, RdfFormat

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER

SG = f"{BASE}/id/statistical-geography/"
GEO = f"{BASE}/def/geography/"
GLASGOW = SG + "S12000049"
THINGS = 10_050
EXTRA = """
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix geography: </def/geography/> .
@prefix sg: </id/statistical-geography/> .
geography:population a owl:DatatypeProperty .
sg:S13002967 geography:population 23000 ; dct:issued "2019-05-01"^^xsd:date .
sg:S13002968 geography:population 21000 ; dct:issued "2017-05-04"^^xsd:date .
sg:S13002969 geography:population 9500 ; dct:issued "2017-05-04"^^xsd:date .
sg:S13002970 geography:population 100000 ; dct:issued "2022-05-05"^^xsd:date .
"""


def _things() -> str:
    lines = ["@prefix ex: <http://example.org/> .", "@prefix schema: <http://schema.org/> ."]
    lines += [f"ex:t{n} a schema:Thing ; schema:position {n} ." for n in range(THINGS)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The app over the fixtures, the wards' figures and the numbered things."""
    store = tmp_path_factory.mktemp("lists") / "store"
    publish(store, BASE, extra=EXTRA + "\n" + _things())
    settings = Settings(base_iri=BASE, store_dir=store, reload_seconds=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def _json(client: TestClient, **params: str) -> dict[str, Any]:
    response = client.get("/resources.json", params=params)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


def _labels(client: TestClient, **params: str) -> list[str]:
    return [row["label"] for row in _json(client, **params)["results"]]


def _problems(client: TestClient, path: str = "/resources.json", **params: str) -> list[Any]:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problems: list[Any] = response.json()["invalid-params"]
    return problems


WARDS = ["Cardonald", "Govan", "Greater Pollok", "Linn", "Newlands/Auldburn"]


def test_type_by_iri_curie_or_local_name(lists: TestClient) -> None:
    """A class is named by its IRI, a CURIE or its local name: the same list each time."""
    for kind in (GEO + "ElectoralWard", "geography:ElectoralWard", "ElectoralWard"):
        assert _labels(lists, type=kind) == WARDS


def test_dataset_picks_the_graph(lists: TestClient) -> None:
    """``dataset`` keeps the resources typed in that dataset's graph; its name, its IRI and
    its graph's IRI all name it."""
    for dataset in ("extra", f"{BASE}/data/extra", f"{BASE}/graph/extra"):
        found = _json(lists, dataset=dataset, type="schema:Thing", _pageSize="1")
        assert found["results"][0]["uri"].startswith("http://example.org/t")
    wards = _labels(lists, dataset="reference-geography", type="ElectoralWard")
    assert wards == WARDS
    assert _labels(lists, dataset="ontology", type="ElectoralWard") == []


def test_property_values_iris_curies_and_text(lists: TestClient) -> None:
    """``parent=`` takes an IRI, a path of this site or a CURIE; text matches whatever its
    language; local names and CURIEs name the property alike."""
    for value in (
        GLASGOW,
        "/id/statistical-geography/S12000049",
        "statistical-geography:S12000049",
    ):
        assert _labels(lists, parent=value) == WARDS
    assert _labels(lists, **{"geography:parent": GLASGOW, "type": "ElectoralWard"}) == WARDS
    assert _labels(lists, **{"rdfs:label": "Linn"}) == ["Linn"]
    assert _labels(lists, notation="S12000046") == ["Glasgow City"]


def test_paths_follow_properties(lists: TestClient) -> None:
    """``parent.label=`` and ``parent.within.notation=`` walk from each ward to its council
    area and on; a path in ``_properties`` shows the value reached."""
    assert _labels(lists, **{"parent.label": "Glasgow City"}) == WARDS
    assert _labels(lists, **{"parent.within.notation": "S92000003"}) == WARDS
    assert _labels(lists, **{"parent.label": "North Lanarkshire"}) == []
    found = _json(lists, type="ElectoralWard", _properties="label,parent.within.label")
    assert {row["parent.within.label"][0] for row in found["results"]} == {"Scotland"}


def test_numbers_compare_as_numbers(lists: TestClient) -> None:
    """9500 is less than 21000 (as text it would not be); bounds are inclusive."""
    assert _labels(lists, **{"min-population": "21000"}) == [
        "Cardonald",
        "Linn",
        "Newlands/Auldburn",
    ]
    assert _labels(lists, **{"max-population": "21000"}) == ["Greater Pollok", "Newlands/Auldburn"]
    assert _labels(lists, **{"min-population": "9500.0", "max-population": "1e4"}) == [
        "Greater Pollok"
    ]
    assert _labels(lists, population="23000") == ["Linn"]


def test_dates_compare_as_dates(lists: TestClient) -> None:
    """Dates are compared as dates, along ``dcterms:issued``."""
    assert _labels(lists, **{"min-issued": "2019-01-01"}) == ["Cardonald", "Linn"]
    assert _labels(lists, **{"dcterms:issued": "2017-05-04"}) == [
        "Greater Pollok",
        "Newlands/Auldburn",
    ]


def test_exists_true_and_false(lists: TestClient) -> None:
    """``exists-status=true`` keeps the council areas with a status, ``false`` the others."""
    with_status = _labels(lists, type="CouncilArea", **{"exists-status": "true"})
    without = _labels(lists, type="CouncilArea", **{"exists-status": "false"})
    assert with_status == ["Glasgow City", "Glasgow City"]
    assert "North Lanarkshire" in without and "Glasgow City" not in without
    assert _labels(lists, **{"exists-population": "true"}) == [
        "Cardonald",
        "Greater Pollok",
        "Linn",
        "Newlands/Auldburn",
    ]


def test_sorting_by_several_keys(lists: TestClient) -> None:
    """``_sort`` takes several keys, ``-`` for descending; items without a value come last;
    numbers sort as numbers and dates as dates."""
    by_population = _labels(lists, type="ElectoralWard", _sort="population")
    assert by_population == ["Greater Pollok", "Newlands/Auldburn", "Linn", "Cardonald", "Govan"]
    assert _labels(lists, type="ElectoralWard", _sort="-population")[:4] == [
        "Cardonald",
        "Linn",
        "Newlands/Auldburn",
        "Greater Pollok",
    ]
    assert _labels(lists, type="ElectoralWard", _sort="issued,-label") == [
        "Newlands/Auldburn",
        "Greater Pollok",
        "Linn",
        "Cardonald",
        "Govan",
    ]
    assert _labels(lists, type="ElectoralWard", _sort="parent.label,-notation") == [
        "Govan",
        "Cardonald",
        "Greater Pollok",
        "Newlands/Auldburn",
        "Linn",
    ]


def test_paging_and_its_limit(lists: TestClient) -> None:
    """``_pageSize`` and ``_page`` walk the list with next and previous links; the pages
    together hold the whole list once; past the end is a 404."""
    seen, link = [], "/resources.json?type=ElectoralWard&_sort=notation&_pageSize=2"
    while link:
        page = lists.get(link).json()
        assert len(page["results"]) <= 2 and page["pageSize"] == 2
        seen += [row["label"] for row in page["results"]]
        link = page["next"]
    assert sorted(seen) == WARDS and len(seen) == 5
    second = _json(lists, type="ElectoralWard", _pageSize="2", _page="2")
    assert second["previous"] is not None and second["page"] == 2
    response = lists.get("/resources.json", params={"type": "ElectoralWard", "_page": "9"})
    assert response.status_code == 404
    assert _json(lists, type="ElectoralWard", _pageSize="500")["pageSize"] == 500


def test_properties_pick_the_columns(lists: TestClient) -> None:
    """``_properties`` names the columns of the JSON, the CSV and the HTML table: IRIs as
    data, names on the page."""
    params = {"type": "ElectoralWard", "_properties": "label,population,parent", "_sort": "label"}
    found = _json(lists, **params)
    assert found["columns"] == ["uri", "label", "population", "parent", "page"]
    first = found["results"][0]
    assert first["label"] == ["Cardonald"]
    assert first["population"] == ["100000"]
    assert first["parent"] == [GLASGOW]
    rows = list(csv.DictReader(io.StringIO(lists.get("/resources.csv", params=params).text)))
    assert [row["population"] for row in rows] == ["100000", "", "9500", "23000", "21000"]
    page = lists.get("/resources", params=params, headers={"accept": BROWSER})
    assert page.status_code == 200
    assert '<th scope="col">population</th>' in page.text
    assert '<a href="/doc/statistical-geography/S12000049">Glasgow City</a>' in page.text


RDF = {"ttl": RdfFormat.TURTLE, "nt": RdfFormat.N_TRIPLES, "rdf": RdfFormat.RDF_XML}
RDF["jsonld"] = RdfFormat.JSON_LD


@pytest.mark.parametrize("suffix", ["html", "json", "csv", *RDF])
def test_every_format_parses(lists: TestClient, suffix: str) -> None:
    """Each format of a filtered, sorted, paged list parses, and holds the page's items."""
    params = {"parent": GLASGOW, "_sort": "-label", "_pageSize": "2", "_properties": "label,parent"}
    response = lists.get(f"/resources.{suffix}", params=params)
    assert response.status_code == 200, response.text
    if suffix == "json":
        assert [r["label"] for r in json.loads(response.text)["results"]] == [
            ["Newlands/Auldburn"],
            ["Linn"],
        ]
    elif suffix == "csv":
        assert [row["label"] for row in csv.DictReader(io.StringIO(response.text))] == [
            "Newlands/Auldburn",
            "Linn",
        ]
    elif suffix == "html":
        assert response.headers["content-type"].startswith("text/html")
        assert 'rel="next"' in response.text and "Page 1 of 3" in response.text
    else:
        _check_rdf(response.content, RDF[suffix])


def _check_rdf(body: bytes, rdf: RdfFormat) -> None:
    store = pyoxigraph.Store()
    store.load(body, format=rdf, base_iri=BASE + "/")
    hydra = "http://www.w3.org/ns/hydra/core#"
    members = {
        q.object.value for q in store.quads_for_pattern(None, NamedNode(hydra + "member"), None)
    }
    assert members == {SG + "S13002968", SG + "S13002967"}
    parents = store.quads_for_pattern(None, NamedNode(GEO + "parent"), NamedNode(GLASGOW))
    assert len(list(parents)) == 2
    totals = list(store.quads_for_pattern(None, NamedNode(hydra + "totalItems"), None))
    assert [t.object.value for t in totals] == ["5"]
    assert list(store.quads_for_pattern(None, NamedNode(hydra + "next"), None))


def test_accept_picks_the_format(lists: TestClient) -> None:
    """Without a suffix, ``Accept`` chooses; the answer varies by it."""
    response = lists.get("/resources?type=ElectoralWard", headers={"accept": "text/turtle"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.headers["vary"] == "Accept"
    refused = lists.get("/resources?type=ElectoralWard", headers={"accept": "image/png"})
    assert refused.status_code == 406


def test_counts_are_exact_or_say_more_than(lists: TestClient) -> None:
    """Past 10,000 the count says "more than 10,000" and gives no total; below, the total is
    exact; paging still goes on past the cap."""
    everything = _json(lists, type="schema:Thing", **{"min-schema:position": "0"})
    assert everything["total"] is None
    assert everything["count"] == "more than 10,000"
    assert everything["next"] is not None
    tail = _json(lists, type="schema:Thing", **{"min-schema:position": "10000"})
    assert tail["total"] == 50 and tail["count"] == "50"
    last = _json(
        lists,
        type="schema:Thing",
        _sort="-schema:position",
        _page="201",
        **{"min-schema:position": "0"},
    )
    assert [row["uri"] for row in last["results"]][-2:] == [
        "http://example.org/t1",
        "http://example.org/t0",
    ]
    assert last["next"] is None and len(last["results"]) == 50
    page = lists.get("/resources", params={"type": "schema:Thing", "min-schema:position": "0"})
    assert "more than 10,000" in page.text


def test_text_filter_still_works_with_other_filters(lists: TestClient) -> None:
    """``q`` filters by name or code, alone with a type as before, and with other filters."""
    assert _labels(lists, type="ElectoralWard", q="gov") == ["Govan"]
    assert _labels(lists, q="glasgow", **{"exists-status": "true"}) == [
        "Glasgow City",
        "Glasgow City",
    ]
    assert _labels(lists, q="linn", _sort="label", **{"min-population": "1"}) == ["Linn"]


@pytest.mark.parametrize(
    ("params", "name", "value"),
    [
        ({"type": "ElectoralWard", "nonsense": "1"}, "nonsense", "nonsense"),
        ({"type": "ElectoralWard", "min-population": "many"}, "min-population", "many"),
        ({"type": "ElectoralWard", "_pageSize": "501"}, "_pageSize", "501"),
        ({"type": "ElectoralWard", "_sort": "-nonsense"}, "_sort", "nonsense"),
        ({"type": "ElectoralWard", "_page": "0"}, "_page", "0"),
        ({"type": "ElectoralWard", "min-issued": "May 2019"}, "min-issued", "May 2019"),
        ({"type": "ElectoralWard", "exists-status": "yes"}, "exists-status", "yes"),
        ({"type": "ElectoralWard", "_properties": "label,nope"}, "_properties", "nope"),
        ({"type": "ElectoralWard", "_view": "all"}, "_view", None),
        ({"type": "NoSuchClass"}, "type", "NoSuchClass"),
        ({"type": "ElectoralWard", "dataset": "nowhere"}, "dataset", "nowhere"),
        ({"parent": "not an iri"}, "parent", "not an iri"),
        ({"_sort": "label"}, "type", None),
    ],
)
def test_bad_parameters_answer_400_naming_them(
    lists: TestClient, params: dict[str, str], name: str, value: str | None
) -> None:
    """Each bad parameter is named, with its value, in the problem details."""
    problems = _problems(lists, **params)
    assert any(p["name"] == name and p.get("value") == value for p in problems), problems


def test_unknown_format_is_400(lists: TestClient) -> None:
    """A suffix that is no format of lists is named, with those there are."""
    problems = _problems(lists, "/resources.xlsx", type="ElectoralWard")
    assert problems[0]["name"] == "format" and problems[0]["value"] == "xlsx"
    assert ".ttl" in problems[0]["reason"]


def test_a_browser_gets_the_400_as_a_page(lists: TestClient) -> None:
    """The same problem, for a browser, is an HTML page naming the parameter (escaped)."""
    response = lists.get("/resources", params={"type": "<b>x</b>"}, headers={"accept": BROWSER})
    assert response.status_code == 400
    assert "type" in response.text and "<b>x</b>" not in response.text


def test_values_cannot_change_the_query(lists: TestClient) -> None:
    """Quotes, braces and angle brackets in values are data, never SPARQL."""
    hostile = '" } UNION { ?item ?p ?o } #'
    assert _labels(lists, **{"rdfs:label": hostile}) == []
    assert _problems(lists, parent=f"{GLASGOW}> . ?item ?p ?o . <x:y")[0]["name"] == "parent"


def test_openapi_documents_every_parameter(lists: TestClient) -> None:
    """Both list operations are in the OpenAPI document, each parameter described with
    examples where a value helps (``test_openapi_fuzz`` calls them as described)."""
    document = lists.get("/openapi.json").json()
    for path in ("/resources", "/resources.{suffix}"):
        parameters = {p["name"]: p for p in document["paths"][path]["get"]["parameters"]}
        expected = {"type", "dataset", "q", "filters", "_sort", "_page", "_pageSize"}
        assert expected | {"_properties"} <= set(parameters)
        assert all(p["description"] for p in parameters.values())
        assert all(
            "examples" in parameters[name] for name in expected - {"_page"} | {"_properties"}
        )
        assert "500" in parameters["_pageSize"]["description"]
        assert "400" in document["paths"][path]["get"]["responses"]


def test_the_page_links_its_other_formats(lists: TestClient) -> None:
    """An HTML list names each other format of the same list in its ``Link`` header."""
    page = lists.get("/resources?type=ElectoralWard&_sort=label", headers={"accept": BROWSER})
    assert (
        '</resources.csv?type=ElectoralWard&_sort=label>; rel="alternate"' in page.headers["link"]
    )
    assert 'type="text/turtle"' in page.headers["link"]
    assert lists.head("/resources.ttl?type=ElectoralWard").status_code == 200


def test_long_lists_without_sort_page_in_a_fixed_order(lists: TestClient) -> None:
    """Past the count's cap and with no ``_sort``, pages follow the store's order: each
    page the same every time, no item on two pages; unlabelled items show their IRI and
    their class in words."""
    first = _json(lists, type="schema:Thing", _pageSize="100")
    second = _json(lists, type="schema:Thing", _pageSize="100", _page="2")
    ones = {row["uri"] for row in first["results"]}
    twos = {row["uri"] for row in second["results"]}
    assert len(ones) == len(twos) == 100 and not ones & twos
    assert first["results"][0]["kind"] == "thing"
    assert first["results"][0]["label"] == first["results"][0]["uri"]
    # Another order of the same parameters: another address, so the query runs again.
    repeat = lists.get("/resources.json?_page=2&_pageSize=100&type=schema%3AThing")
    assert [r["uri"] for r in repeat.json()["results"]] == [r["uri"] for r in second["results"]]


RESERVED = ["type", "dataset", "q", "_page", "_pageSize", "_sort", "_properties", "_view"]
PATHS = ["label", "parent", "parent.label", "min-population", "max-issued", "exists-status"]
PARAMETER_NAMES = st.sampled_from([*RESERVED, *PATHS, "rdfs:label"])
PARAMETER_VALUES = st.one_of(
    st.sampled_from(["ElectoralWard", "extra", "2", "600", "-population,label", "true"]),
    st.sampled_from([GLASGOW, "/id/x", "geography:CouncilArea", "2019-01-01", "1e3", "Linn"]),
    st.text(max_size=20),
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.one_of(PARAMETER_NAMES, st.text(max_size=12)), PARAMETER_VALUES)))
def test_any_parameters_get_a_list_or_a_named_400(
    lists: TestClient, items: list[tuple[str, str]]
) -> None:
    """Whatever the parameters: a list, a 404 (no such page), or a 400 whose problems each
    name a parameter; never a server error."""
    response = lists.get("/resources.json", params=items)
    assert response.status_code in (200, 400, 404), response.text
    if response.status_code == 400:
        problems = response.json()["invalid-params"]
        assert problems and all(p["name"] and p["reason"] for p in problems)


def test_the_page_shows_its_filters_escaped(lists: TestClient) -> None:
    """The HTML list names each filter with a link to the list without it; values from the
    address are escaped wherever they appear."""
    hostile = "<script>alert(1)</script>"
    page = lists.get(
        "/resources",
        params=[("type", "ElectoralWard"), ("rdfs:label", hostile), ("_sort", "label")],
        headers={"accept": BROWSER},
    )
    assert page.status_code == 200
    assert hostile not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "<code>rdfs:label</code>" in page.text
    assert 'href="/resources?type=ElectoralWard&amp;_sort=label"' in page.text


def test_a_list_past_the_time_limit_says_how_to_narrow_it(tmp_path: Path) -> None:
    """A list whose queries outrun the time limit (here 5 ms, for 10,050 things sorted) is
    stopped and answered 503, saying what makes a list quicker."""
    store = tmp_path / "store"
    publish(store, BASE, extra=_things())
    settings = Settings(base_iri=BASE, store_dir=store, reload_seconds=0, sparql_timeout=0.005)
    with TestClient(create_app(settings)) as client:
        response = client.get(
            "/resources.json", params={"type": "schema:Thing", "_sort": "-schema:position"}
        )
    assert response.status_code == 503
    assert "name a type, add a filter" in response.json()["detail"]
    assert response.headers["retry-after"] == "5"
