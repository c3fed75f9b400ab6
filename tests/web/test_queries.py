"""Named queries over a real server: forms, typed parameters, results in every format, the
OpenAPI description, and injection attempts that must stay inert."""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.errors import MetadataError, ParameterError
from opendatacommunities.store.named_queries import Parameter, read_named_query
from opendatacommunities.web import create_app
from tests.plugins.project import BASE, ROOT
from tests.plugins.releases import publish
from tests.plugins.servers import serving_fixtures

GLASGOW = "/id/statistical-geography/S12000049"
AUTHORED = BASE


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The shipped named queries over the glasgow fixtures."""
    root = tmp_path_factory.mktemp("named") / "store"

    with serving_fixtures(root, queries_dir=ROOT / "queries") as settings:
        yield settings.base_iri


def test_wards_of_a_council_area(server: str) -> None:
    """The wards of Glasgow City, by name, as CSV and as SPARQL JSON."""
    params = {"area": server + GLASGOW}
    text = httpx.get(f"{server}/queries/wards-of-area.csv", params=params).text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows, text
    assert all(row["area"] == server + GLASGOW for row in rows)
    assert [r["wardLabel"] for r in rows] == sorted(r["wardLabel"] for r in rows)
    results = httpx.get(f"{server}/queries/wards-of-area.json", params=params).json()
    assert len(results["results"]["bindings"]) == len(rows)


def test_editor_examples_run(server: str) -> None:
    """Every example on the editor's page is a query that runs (one per named query), and the
    Glasgow ones find Glasgow's wards and history in the fixtures."""
    page = httpx.get(f"{server}/sparql", headers={"accept": "text/html"}).text
    links = [html.unescape(h) for h in re.findall(r'href="(/sparql\?query=[^"]+)"', page)]
    assert len(links) == len(list((ROOT / "queries").glob("*.rq")))
    found = {}
    for link in links:
        query = parse_qs(urlsplit(link).query)["query"][0]
        response = httpx.get(f"{server}/sparql.json", params={"query": query})
        assert response.status_code == 200, (query, response.text)
        found[query] = len(response.json()["results"]["bindings"])
    assert all(n > 0 for q, n in found.items() if "S12000049" in q or "S12000046" in q), found


def test_html_form_and_table(server: str) -> None:
    """Without parameters: a form. With them: a table of labels linked to their pages, and
    links to the JSON and CSV twins."""
    html = {"accept": "text/html"}
    form = httpx.get(f"{server}/queries/wards-of-area", headers=html).text
    assert '<input id="param-area" name="area"' in form
    assert "<table" not in form
    page = httpx.get(
        f"{server}/queries/wards-of-area", params={"area": server + GLASGOW}, headers=html
    ).text
    assert '<a href="/doc/statistical-geography/' in page
    assert "/queries/wards-of-area.csv?area=" in page
    listing = httpx.get(f"{server}/queries", headers=html).text
    assert "Wards of a council area" in listing


@pytest.mark.parametrize(
    "value",
    [
        '"} } ; DROP ALL ; SELECT * { ?s ?p ?o',
        'x" ) } UNION { ?s ?p ?o } #',
        "Glasgow' || true || '",
        "\\u0022 } UNION { ?s ?p ?o } #",
    ],
)
def test_injection_is_inert(server: str, value: str) -> None:
    """Values that would break out of a pasted string are only text: no results, no error,
    no change of meaning (the value is bound as a literal)."""
    response = httpx.get(f"{server}/queries/areas-by-name.json", params={"name": value})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"] == []


def test_injection_through_an_iri_parameter_is_refused(server: str) -> None:
    """An IRI parameter takes IRIs only: anything else is a 400 naming the parameter."""
    bad = "http://x/> ?p ?o } UNION { ?s ?p ?o } #"
    response = httpx.get(f"{server}/queries/wards-of-area.json", params={"area": bad})
    assert response.status_code == 400
    assert "area" in response.text


def test_search_by_name_finds_the_area(server: str) -> None:
    """Areas by name: a real search, case-insensitive."""
    response = httpx.get(f"{server}/queries/areas-by-name.json", params={"name": "glasgow"})
    labels = {b["areaLabel"]["value"] for b in response.json()["results"]["bindings"]}
    assert "Glasgow City" in labels


def test_missing_parameter_and_unknown_query(server: str) -> None:
    """A missing value is a 400 naming it; an unknown query a 404."""
    missing = httpx.get(f"{server}/queries/wards-of-area.json")
    assert missing.status_code == 400
    assert "area" in missing.text
    assert httpx.get(f"{server}/queries/no-such-query").status_code == 404


def test_openapi_describes_every_named_query(server: str) -> None:
    """/openapi.json has one operation per query file, with typed parameters."""
    document = httpx.get(f"{server}/openapi.json").json()
    assert document["openapi"].startswith("3.")
    names = {p.stem for p in (ROOT / "queries").glob("*.rq")}
    assert {f"/queries/{n}" for n in names} <= set(document["paths"])
    parameter = document["paths"]["/queries/wards-of-area"]["get"]["parameters"][0]
    assert parameter["name"] == "area"
    assert parameter["schema"] == {"type": "string", "format": "uri"}
    assert "/sparql" in document["paths"]


def test_typed_parameters() -> None:
    """Each declared type gives its RDF term, and refuses what is not of the type."""
    assert str(Parameter("n", "integer", "").term("7")).endswith("XMLSchema#integer>")
    assert str(Parameter("d", "date", "").term("2019-12-01")).endswith("XMLSchema#date>")
    assert str(Parameter("x", "decimal", "").term("-.5")).endswith("XMLSchema#decimal>")
    bad_values = [("integer", "7.5"), ("date", "2019-13-01"), ("boolean", "yes")]
    # What Python reads as numbers but XML Schema does not: digit separators, other
    # scripts' digits, exponents, NaN.
    bad_values += [("integer", "1_000"), ("integer", "\u0663"), ("decimal", "1e5")]
    bad_values += [("decimal", "NaN"), ("decimal", "Infinity"), ("date", "20191201")]
    for kind, bad in bad_values:
        with pytest.raises(ParameterError):
            Parameter("p", kind, "").term(bad)


def test_header_errors_name_the_file(tmp_path: Path) -> None:
    """A query file with a malformed header is refused with its name."""
    path = tmp_path / "bad.rq"
    shutil.copy(ROOT / "queries" / "wards-of-area.rq", path)
    path.write_text("# parameter: area uri The area\n" + path.read_text())
    with pytest.raises(MetadataError, match=r"bad\.rq"):
        read_named_query(path, base_iri=AUTHORED, authored_base=AUTHORED)


IMD = "def/concept/iod2019-domains/domain/index-of-multiple-deprivation-imd"
DEPRIVATION = f"""
@prefix geo: <def/geography/> .
@prefix sdmx: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix dim: <def/dimension/iod2019-domains/> .
@prefix measure: <def/measure/iod2019-domains/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<id/statistical-geography/E01000002> geo:localAuthority <id/statistical-geography/E09000099> ;
    rdfs:label "Somewhere 001B"@en .
<id/statistical-geography/E01000001> geo:localAuthority <id/statistical-geography/E09000099> ;
    rdfs:label "Somewhere 001A"@en .
<id/statistical-geography/E01000003> geo:localAuthority <id/statistical-geography/E09000098> .
<obs/1r> sdmx:refArea <id/statistical-geography/E01000001> ; dim:domain <{IMD}> ; measure:rank 300 .
<obs/1d> sdmx:refArea <id/statistical-geography/E01000001> ; dim:domain <{IMD}> ; measure:decile 2 .
<obs/1c> sdmx:refArea <id/statistical-geography/E01000001> ;
    dim:domain <def/concept/iod2019-domains/domain/crime> ; measure:rank 7 .
<obs/2r> sdmx:refArea <id/statistical-geography/E01000002> ; dim:domain <{IMD}> ; measure:rank 20 .
<obs/2d> sdmx:refArea <id/statistical-geography/E01000002> ; dim:domain <{IMD}> ; measure:decile 1 .
<obs/3r> sdmx:refArea <id/statistical-geography/E01000003> ; dim:domain <{IMD}> ; measure:rank 1 .
"""


def test_deprivation_of_the_neighbourhoods_of_an_area(tmp_path: Path) -> None:
    """Every LSOA of the authority asked for, most deprived first, with the IMD rank and
    decile and no other domain's figures; other authorities' LSOAs are left out."""

    with serving_fixtures(
        tmp_path / "store", extra=DEPRIVATION, queries_dir=ROOT / "queries"
    ) as settings:
        url = settings.base_iri
        area = {"area": f"{url}/id/statistical-geography/E09000099"}
        text = httpx.get(f"{url}/queries/deprivation-in-area.csv", params=area).text
    rows = [(r["lsoaLabel"], r["rank"], r["decile"]) for r in csv.DictReader(io.StringIO(text))]
    assert rows == [("Somewhere 001B", "20", "1"), ("Somewhere 001A", "300", "2")]


TYPED = """# title: Typed parameters
# parameter: n integer A whole number
# parameter: area iri An area
SELECT ?n ?area WHERE {}
"""


@pytest.fixture
def typed(tmp_path: Path) -> Iterator[TestClient]:
    """The app with one named query taking an integer and an IRI."""
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "typed.rq").write_text(TYPED)
    publish(tmp_path / "store", AUTHORED)
    settings = Settings(base_iri=AUTHORED, store_dir=tmp_path / "store", queries_dir=folder)
    with TestClient(create_app(settings)) as client:
        yield client


def _invalid(response: httpx.Response) -> dict[str, dict[str, str]]:
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    invalid = {p["name"]: p for p in problem["invalid-params"]}
    for name in invalid:
        assert name in problem["detail"]
    return invalid


def test_each_missing_parameter_is_named(typed: TestClient) -> None:
    invalid = _invalid(typed.get("/queries/typed.json"))
    assert set(invalid) == {"n", "area"}
    assert all("missing" in p["reason"] for p in invalid.values())
    assert set(_invalid(typed.get("/queries/typed.csv", params={"n": "1"}))) == {"area"}


def test_each_unknown_parameter_is_named(typed: TestClient) -> None:
    params = {"n": "1", "area": "http://x/a", "foo": "1", "bar": ""}
    invalid = _invalid(typed.get("/queries/typed.json", params=params))
    assert set(invalid) == {"foo", "bar"}
    assert "n, area" in invalid["foo"]["reason"]  # what the query does take


def test_values_not_of_their_type_are_named(typed: TestClient) -> None:
    invalid = _invalid(typed.get("/queries/typed.json", params={"n": "abc", "area": "x y"}))
    assert invalid["n"]["value"] == "abc" and "integer" in invalid["n"]["reason"]
    assert invalid["area"]["value"] == "x y" and "IRI" in invalid["area"]["reason"]


def test_a_repeated_parameter_is_refused(typed: TestClient) -> None:
    params = [("n", "1"), ("n", "2"), ("area", "http://x/a")]
    assert "2 values" in _invalid(typed.get("/queries/typed.json", params=params))["n"]["reason"]


def test_good_values_answer_and_the_form_needs_none(typed: TestClient) -> None:
    answer = typed.get("/queries/typed.json", params={"n": "7", "area": "http://x/a"})
    assert answer.status_code == 200
    binding = answer.json()["results"]["bindings"][0]
    assert binding["n"]["value"] == "7" and binding["area"]["value"] == "http://x/a"
    form = typed.get("/queries/typed", headers={"accept": "text/html"})
    assert form.status_code == 200 and "<form" in form.text
    refused = typed.get("/queries/typed", params={"foo": "1"}, headers={"accept": "text/html"})
    assert refused.status_code == 400 and "foo" in refused.text


def test_an_unacceptable_accept_is_a_406(typed: TestClient) -> None:
    params = {"n": "7", "area": "http://x/a"}
    response = typed.get("/queries/typed", params=params, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.json()["available"]


def test_openapi_describes_the_problem_details(typed: TestClient) -> None:
    """Every error response of the API is described as the Problem schema, and a real 400
    holds only members that schema names."""
    document = typed.get("/openapi.json").json()
    schema = document["components"]["schemas"]["Problem"]
    assert set(schema["required"]) == {"type", "title", "status", "detail", "instance"}
    ref = {"$ref": "#/components/schemas/Problem"}
    operation = document["paths"]["/queries/typed"]["get"]
    for status in ("400", "406", "503"):
        assert operation["responses"][status]["content"]["application/problem+json"] == {
            "schema": ref
        }
    for method in ("get", "post"):
        responses = document["paths"]["/sparql"][method]["responses"]
        for status in ("400", "403", "406", "413", "415", "503"):
            assert responses[status]["content"]["application/problem+json"] == {"schema": ref}
    problem = typed.get("/queries/typed.json", params={"n": "x"}).json()
    assert set(problem) <= set(schema["properties"])
    invalid = schema["properties"]["invalid-params"]["items"]
    assert all(set(p) <= set(invalid["properties"]) for p in problem["invalid-params"])
