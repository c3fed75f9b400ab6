"""Resource pages through the app: 303s, every format, readable HTML, caching, errors."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib import RDFS, URIRef
from rdflib.compare import isomorphic
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app, resources
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER, SG

LINN = URIRef(f"{BASE}{SG}S13002967")
GLASGOW_DOC = "/doc/statistical-geography/S12000049"
LINN_DOC = "/doc/statistical-geography/S13002967"
RDF_SUFFIXES = {"ttl": "turtle", "nt": "nt", "rdf": "xml", "jsonld": "json-ld"}


def parse(body: str, rdflib_format: str) -> rdflib.Graph:
    return rdflib.Graph().parse(data=body, format=rdflib_format, publicID=BASE + "/")


# --- /id/ ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_id_redirects_to_doc(client: TestClient, method: str) -> None:
    response = client.request(method, SG + "S13002967", headers={"accept": BROWSER})
    assert response.status_code == 303
    assert response.headers["location"] == LINN_DOC
    assert response.headers["vary"] == "Accept"


def test_id_with_a_suffix_redirects_to_that_format(client: TestClient) -> None:
    response = client.get(SG + "S13002967.ttl")
    assert response.status_code == 303
    assert response.headers["location"] == LINN_DOC + ".ttl"


def test_unknown_id_is_a_helpful_404(client: TestClient) -> None:
    response = client.get(SG + "S12000044", headers={"accept": "application/json"})
    assert response.status_code == 404
    hrefs = [s["href"] for s in response.json()["suggestions"]]
    assert "/doc/statistical-geography/S12000050" in hrefs


# --- /doc/ formats --------------------------------------------------------------------------


def test_no_accept_gets_turtle(client: TestClient) -> None:
    response = client.get(LINN_DOC, headers={"accept": ""})
    assert response.headers["content-type"] == "text/turtle; charset=utf-8"
    assert response.headers["vary"] == "Accept"
    assert response.headers["content-location"] == LINN_DOC + ".ttl"
    graph = parse(response.text, "turtle")
    assert str(graph.value(LINN, RDFS.label)) == "Linn"


@pytest.mark.parametrize(("suffix", "rdflib_format"), RDF_SUFFIXES.items())
def test_every_rdf_format_parses_to_the_same_graph(
    client: TestClient, suffix: str, rdflib_format: str
) -> None:
    reference = parse(client.get(GLASGOW_DOC + ".ttl").text, "turtle")
    response = client.get(f"{GLASGOW_DOC}.{suffix}")
    assert response.status_code == 200
    assert "vary" not in response.headers
    graph = parse(response.text, rdflib_format)
    assert isomorphic(graph, reference)
    glasgow = URIRef(BASE + SG + "S12000049")
    assert str(graph.value(glasgow, RDFS.label)) == "Glasgow City"
    # Labels of linked resources come along, so clients can name them without asking.
    scotland = URIRef(BASE + SG + "S92000003")
    assert str(graph.value(scotland, RDFS.label)) == "Scotland"


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/ld+json", "application/ld+json"),
        ("application/json", "application/json"),
        ("text/csv", "text/csv"),
        (BROWSER, "text/html"),
    ],
)
def test_accept_picks_the_format(client: TestClient, accept: str, media_type: str) -> None:
    response = client.get(LINN_DOC, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_jsonld_has_a_readable_context(client: TestClient) -> None:
    document = client.get(LINN_DOC + ".jsonld").json()
    assert document["@context"]["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    ward = next(n for n in document["@graph"] if n["@id"] == "statistical-geography:S13002967")
    assert ward["notation"] == "S13002967"
    assert ward["parent"] == "statistical-geography:S12000049"


def test_plain_json_names_everything(client: TestClient) -> None:
    document = client.get(LINN_DOC + ".json").json()
    assert (document["label"], document["type"], document["notation"]) == (
        "Linn",
        "electoral ward",
        "S13002967",
    )
    parent = next(p for p in document["properties"] if p["label"] == "parent area")
    assert parent["values"] == [
        {
            "uri": BASE + SG + "S12000049",
            "label": "Glasgow City",
            "type": "council area",
            "notation": "S12000049",
        }
    ]


def test_csv_is_a_table_of_statements(client: TestClient) -> None:
    response = client.get(LINN_DOC + ".csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    parent = next(r for r in rows if r["predicate_label"] == "parent area")
    assert parent["subject"] == str(LINN)
    assert parent["object_label"] == "Glasgow City"
    label = next(r for r in rows if r["predicate"] == str(RDFS.label) and r["subject"] == str(LINN))
    assert (label["object"], label["language"]) == ("Linn", "en")


def test_format_links_in_headers(client: TestClient) -> None:
    links = client.get(LINN_DOC + ".ttl").headers["link"]
    for suffix in ("html", "nt", "rdf", "jsonld", "json", "csv"):
        assert f'<{LINN_DOC}.{suffix}>; rel="alternate"' in links


# --- HTML -----------------------------------------------------------------------------------


def html(client: TestClient, path: str) -> str:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    text: str = response.text
    return text


def test_html_page_reads_like_a_page(client: TestClient) -> None:
    page = html(client, GLASGOW_DOC)
    assert "<h1>Glasgow City</h1>" in page
    assert "Council area · <code>S12000049</code>" in page  # the type, in words
    # Linked values by label, with their type and code.
    assert '<a href="/doc/statistical-geography/S92000003">Scotland</a>' in page
    assert "country · <code>S92000003</code>" in page
    # Properties by their labels.
    assert ">parent area<" not in page  # Glasgow has no parent property itself...
    assert ">within<" in page
    # ...incoming links grouped under the ontology's inverse wording.
    assert 'Areas within <span class="count">5</span>' in page
    assert '<a href="/doc/statistical-geography/S13002970">Cardonald</a>' in page
    # Every other format, and SPARQL.
    for suffix in ("ttl", "nt", "rdf", "jsonld", "json", "csv"):
        assert f'href="{GLASGOW_DOC}.{suffix}"' in page
    assert "/sparql?query=DESCRIBE%20%3Chttp%3A%2F%2Flocalhost%3A8000%2Fid%2F" in page


def test_html_escapes_raw_html_from_the_data(client: TestClient) -> None:
    page = html(client, "/doc/statistical-geography/S13002968")
    assert "<script>alert" not in page
    assert "<b>Newlands</b>" not in page
    assert "&lt;script&gt;alert(&#39;owned&#39;)&lt;/script&gt;" in page
    assert "&amp;amp; Auldburn" in page


def test_html_map_of_a_boundary(client: TestClient) -> None:
    page = html(client, LINN_DOC)
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="map"' in page
    assert '<path class="area"' in page
    # The map is drawn by the server: the only script is the site's own search box.
    scripts = re.findall(r"<script[^>]*>", page)
    assert scripts == ['<script src="/static/suggest.js" defer>']
    assert not re.search(r'(src|href)="https?://(?!localhost)[^"]*\.(js|png|css)', page)


def test_archived_code_says_what_replaced_it(client: TestClient) -> None:
    page = html(client, "/doc/statistical-geography/S12000046")
    assert "This has been replaced by" in page
    assert '<a href="/doc/statistical-geography/S12000049">Glasgow City</a>' in page


def test_incoming_wording_without_an_inverse(client: TestClient) -> None:
    assert "Within Scotland" in html(client, "/doc/statistical-geography/S92000003")
    assert "Every electoral ward" in html(client, "/def/geography/ElectoralWard")
    assert "Replaces" in html(client, GLASGOW_DOC + "?page=2")
    # A noun for a label: the resource is what the linking ones have as that.
    concept = html(client, "/def/statistical-entity/S13")
    assert "Has electoral ward as statistical entity" in concept


def test_incoming_links_are_paged(client: TestClient) -> None:
    first = client.get(GLASGOW_DOC + ".json").json()["incoming"]
    second = client.get(GLASGOW_DOC + ".json?page=2").json()["incoming"]
    assert (first["pages"], first["total"]) == (2, 6)
    names = [i["label"] for page in (first, second) for g in page["groups"] for i in g["items"]]
    assert len(names) == 6
    assert names[:4] == ["Cardonald", "Govan", "Greater Pollok", "Linn"]
    response = client.get(GLASGOW_DOC, headers={"accept": BROWSER})
    assert f'<{GLASGOW_DOC}?page=2>; rel="next"' in response.headers["link"]
    assert 'rel="next"' in response.text
    assert client.get(GLASGOW_DOC + "?page=3").status_code == 404
    assert client.get(GLASGOW_DOC + "?page=zero").status_code == 400


def test_def_pages_are_served_directly(client: TestClient) -> None:
    response = client.get("/def/geography/parent", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    graph = parse(response.text, "turtle")
    assert str(graph.value(URIRef(BASE + "/def/geography/parent"), RDFS.label)) == "parent area"
    assert "Statistical geography" in html(client, "/def/geography")


def test_resource_describes_other_sites_iris(client: TestClient) -> None:
    official = "http://statistics.gov.scot/id/statistical-geography/S13002967"
    page = html(client, f"/resource?uri={official}")
    assert "Same as" in page and ">Linn</a>" in page
    response = client.get(f"/resource.ttl?uri={official}")
    assert response.status_code == 200
    assert (LINN, rdflib.OWL.sameAs, URIRef(official)) in parse(response.text, "turtle")
    assert client.get(f"/resource?uri={BASE}{SG}S13002967").status_code == 200


def test_resource_needs_a_valid_iri(client: TestClient) -> None:
    assert client.get("/resource").status_code == 400
    assert client.get("/resource?uri=not%20an%20iri").status_code == 400
    assert client.get("/resource.xyz?uri=http://x/").status_code == 404


# --- HTTP: HEAD, 406, caching ---------------------------------------------------------------


def test_head_has_headers_and_no_body(client: TestClient) -> None:
    get = client.get(LINN_DOC, headers={"accept": BROWSER})
    head = client.head(LINN_DOC, headers={"accept": BROWSER})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["etag"] == get.headers["etag"]


def test_406_names_what_is_on_offer(client: TestClient) -> None:
    response = client.get(LINN_DOC, headers={"accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"].startswith("application/problem+json")
    for media_type in ("text/html", "text/turtle", "application/ld+json", "text/csv"):
        assert media_type in response.json()["available"]


def test_etag_and_last_modified_give_304(client: TestClient) -> None:
    first = client.get(LINN_DOC, headers={"accept": "text/turtle"})
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(LINN_DOC, headers={"accept": "text/turtle", "if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == etag
    since = client.get(LINN_DOC, headers={"accept": "text/turtle", "if-modified-since": modified})
    assert since.status_code == 304
    other = client.get(LINN_DOC, headers={"accept": BROWSER, "if-none-match": etag})
    assert other.status_code == 200  # another format, another ETag
    old = '"an-old-release-ttl"'
    assert client.get(LINN_DOC + ".ttl", headers={"if-none-match": old}).status_code == 200


def test_repeated_requests_are_served_from_the_cache(client: TestClient) -> None:
    first = client.get(LINN_DOC, headers={"accept": BROWSER})
    context = client.app.state.odc  # type: ignore[attr-defined]
    hits = context.requests.hits
    second = client.get(LINN_DOC, headers={"accept": BROWSER})
    assert context.requests.hits == hits + 1
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def test_pages_with_many_links_render_off_the_event_loop(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop: dict[str, bool] = {}
    real_render = resources._render

    def render(*args: Any) -> Any:
        on_loop[args[1]] = _on_event_loop()  # _render(target, iri, anything)
        return real_render(*args)

    monkeypatch.setattr(resources, "_render", render)
    glasgow, linn = f"{BASE}{SG}S12000049", str(LINN)
    pages = {}
    for inline_links in (3, 300):  # Glasgow has 6 links in, Linn 1
        monkeypatch.setattr(resources, "INLINE_LINKS", inline_links)
        with TestClient(create_app(settings)) as client:
            pages[inline_links] = client.get(GLASGOW_DOC, headers={"accept": BROWSER}).content
            assert client.get(LINN_DOC, headers={"accept": BROWSER}).status_code == 200
        assert on_loop == {glasgow: inline_links > 6, linn: True}
    assert pages[3] == pages[300]


# --- errors ---------------------------------------------------------------------------------


def test_404_did_you_mean_for_a_replaced_code(client: TestClient) -> None:
    page = client.get("/doc/statistical-geography/S12000044", headers={"accept": BROWSER})
    assert page.status_code == 404
    assert "Did you mean" in page.text
    assert '<a href="/doc/statistical-geography/S12000050">North Lanarkshire</a>' in page.text
    assert '<a href="/search?q=S12000044">' in page.text


def test_404_did_you_mean_for_a_mistyped_code(client: TestClient) -> None:
    response = client.get("/doc/statistical-geography/s12000049", headers={"accept": "text/plain"})
    assert response.status_code == 404
    first = response.json()["suggestions"][0]
    assert first["text"] == "Glasgow City"
    assert first["href"] == "/doc/statistical-geography/S12000049"
    from_def = client.get("/def/statistical-geography/S12000049", headers={"accept": BROWSER})
    assert 'href="/doc/statistical-geography/S12000049"' in from_def.text


def test_one_json_error_shape(client: TestClient) -> None:
    for path in ("/doc/nothing/here", "/no/such/route", "/resource"):
        response = client.get(path, headers={"accept": "application/json"})
        body = response.json()
        assert set(body) >= {"type", "title", "status", "detail", "instance"}
        assert body["status"] == response.status_code
        assert body["instance"] == path


def test_no_release_yet_is_503_then_served_without_restart(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "store", reload_seconds=0)
    with TestClient(create_app(settings)) as client:
        response = client.get(LINN_DOC)
        assert response.status_code == 503
        assert "retry-after" in response.headers
        publish(tmp_path / "store", BASE)
        assert client.get(LINN_DOC).status_code == 200


def test_static_css_is_served(client: TestClient) -> None:
    response = client.get("/static/site.css")
    assert response.status_code == 200
    assert "font-family" in response.text
    assert "url(" not in response.text  # no fonts or images fetched from anywhere


def test_error_pages_escape_what_the_client_sent(client: TestClient) -> None:
    response = client.get("/doc/<script>x</script>", headers={"accept": BROWSER})
    assert response.status_code == 404
    assert "<script>x" not in response.text


def test_json_of_the_404(client: TestClient) -> None:
    body = json.loads(client.get(SG + "S12000044", headers={"accept": "application/json"}).text)
    assert body["title"] == "Not Found"


@pytest.mark.parametrize("path", ["/id/100%25", "/doc/a%20b", "/doc/%5Bx%5D.ttl", "/def/%25%25"])
def test_odd_paths_are_clean_404s(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_unexpected_errors_are_logged_and_generic(settings: Settings) -> None:
    app = create_app(settings)

    async def boom(request: Request) -> Response:
        raise RuntimeError("secret internal detail")

    app.router.add_route("/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        for accept, media_type in (("*/*", "application/problem+json"), (BROWSER, "text/html")):
            response = client.get("/boom", headers={"accept": accept})
            assert response.status_code == 500
            assert response.headers["content-type"].startswith(media_type)
            assert "secret" not in response.text
        problem = client.get("/boom", headers={"accept": "application/json"}).json()
        assert problem["status"] == 500
        assert "logged" in problem["detail"]


def test_method_not_allowed_keeps_allow_header(client: TestClient) -> None:
    response = client.post(LINN_DOC)
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]
