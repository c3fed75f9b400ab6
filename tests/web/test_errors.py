"""Every error a machine gets is RFC 9457 problem details; browsers get an HTML page."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.config import Settings
from opendatacommunities.errors import (
    BodyTimeoutError,
    BusyError,
    OdcError,
    QueryTimeoutError,
    QueryTooComplexError,
    ReleaseError,
    ResultTooLargeError,
    UnacceptableResultError,
)
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.web import BROWSER

LINN_DOC = "/doc/statistical-geography/S13002967"
PROBLEM = "application/problem+json"
MEMBERS = {"type", "title", "status", "detail", "instance"}


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM
    body: dict[str, object] = response.json()
    assert set(body) >= MEMBERS
    assert body["status"] == status
    return body


@pytest.mark.parametrize("accept", [None, "*/*", "text/plain", "text/turtle", "application/json"])
def test_a_404_is_problem_details_whatever_a_machine_accepts(
    client: TestClient, accept: str | None
) -> None:
    headers = {"accept": accept} if accept is not None else {}
    body = _problem(client.get("/no/such/page", headers=headers), 404)
    assert body["instance"] == "/no/such/page"
    assert body["title"] == "Not Found"


def test_a_browser_still_gets_an_html_page(client: TestClient) -> None:
    response = client.get("/no/such/page", headers={"accept": BROWSER})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_406_lists_what_is_available(client: TestClient) -> None:
    body = _problem(client.get(LINN_DOC, headers={"accept": "image/png"}), 406)
    assert "text/turtle" in body["available"]  # type: ignore[operator]


def test_404_suggestions_are_members(client: TestClient) -> None:
    response = client.get("/doc/statistical-geography/s12000049", headers={"accept": "text/plain"})
    body = _problem(response, 404)
    suggestions = body["suggestions"]
    assert isinstance(suggestions, list)
    assert {"href": "/doc/statistical-geography/S12000049", "text": "Glasgow City"}.items() <= (
        suggestions[0].items()
    )


@pytest.mark.parametrize(
    ("method", "path", "options", "status"),
    [
        ("GET", "/sparql", {"params": {"query": "SELECT * WHERE { ?s ?p }"}}, 400),
        ("GET", "/sparql", {"params": {"update": "CLEAR ALL"}}, 403),
        ("GET", "/sparql.nope", {"params": {"query": "ASK {}"}}, 404),
        ("POST", "/sparql", {"content": b"ASK {}", "headers": {"content-type": "text/x"}}, 415),
        ("POST", "/sparql", {"data": {"query": "ASK {" + " " * (1 << 20) + "}"}}, 413),
        ("GET", "/sparql.nt", {"params": {"query": "ASK {}"}}, 406),
        ("PUT", "/sparql", {}, 405),
    ],
)
def test_sparql_endpoint_errors_are_problem_details(
    client: TestClient, method: str, path: str, options: dict[str, object], status: int
) -> None:
    response = client.request(method, path, **options)  # type: ignore[arg-type]
    body = _problem(response, status)
    assert body["detail"]


def test_a_syntax_error_points_at_the_line_and_column(client: TestClient) -> None:
    query = "SELECT *\nWHERE { ?s ?p }"
    body = _problem(client.get("/sparql", params={"query": query}), 400)
    detail = str(body["detail"])
    assert detail.startswith("error at 2:")
    assert "\n  WHERE { ?s ?p }\n" in detail and detail.endswith("^")


def test_a_missing_uri_names_the_parameter(client: TestClient) -> None:
    body = _problem(client.get("/resource", params={"uri": ""}), 400)
    assert "uri" in str(body["detail"])


@pytest.mark.parametrize("name", ["default-graph-uri", "named-graph-uri"])
@pytest.mark.parametrize("value", ["x", "http://example.org/a graph", ""])
def test_a_graph_parameter_that_is_no_iri_is_a_400(
    client: TestClient, name: str, value: str
) -> None:
    for response in (
        client.get("/sparql", params={"query": "ASK {}", name: value}),
        client.post("/sparql", data={"query": "ASK {}", name: value}),
    ):
        body = _problem(response, 400)
        assert name in str(body["detail"]) and repr(value) in str(body["detail"])
        assert body["invalid-params"] == [
            {"name": name, "reason": body["invalid-params"][0]["reason"], "value": value}  # type: ignore[index]
        ]


def test_resource_uri_that_is_no_iri_names_the_parameter(client: TestClient) -> None:
    body = _problem(client.get("/resource", params={"uri": "http://a b"}), 400)
    assert body["invalid-params"][0]["name"] == "uri"  # type: ignore[index]


def test_nothing_published_is_a_503_with_problem_details(tmp_path: Path) -> None:
    settings = Settings(base_iri=BASE, store_dir=tmp_path / "empty")
    with TestClient(create_app(settings)) as client:
        for response in (
            client.get(LINN_DOC),
            client.get("/sparql", params={"query": "ASK {}"}),
        ):
            body = _problem(response, 503)
            assert response.headers["retry-after"] == "5"
            assert "published" in str(body["detail"])


def test_a_bad_parameter_names_itself(client: TestClient) -> None:
    body = _problem(client.get("/resource", params={"uri": "not an iri"}), 400)
    assert body["invalid-params"][0]["name"] == "uri"  # type: ignore[index]
    assert "uri" in str(body["detail"])


@pytest.mark.parametrize(
    "error",
    [
        BusyError("another publish is running"),
        QueryTooComplexError("the query nests 300 deep"),
        ResultTooLargeError("the results outgrew 1 MB"),
        UnacceptableResultError("triples"),
        BodyTimeoutError("the body stopped arriving"),
        QueryTimeoutError("stopped after 30 s"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_an_error_answers_with_the_status_its_class_carries(
    tmp_path: Path, error: OdcError
) -> None:
    app = create_app(Settings(base_iri=BASE, store_dir=tmp_path / "empty"))

    async def fail(request: Request) -> Response:
        raise error

    app.router.add_route("/fail", fail)
    with TestClient(app) as client:
        body = _problem(client.get("/fail"), error.status)
        assert body["detail"] == str(error)
        assert body["instance"] == "/fail"


def test_an_error_of_ours_without_a_status_is_a_generic_500(tmp_path: Path) -> None:
    app = create_app(Settings(base_iri=BASE, store_dir=tmp_path / "empty"))

    async def fail(request: Request) -> Response:
        raise ReleaseError("/srv/odc/current is not a symlink")

    app.router.add_route("/fail", fail)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = _problem(client.get("/fail"), 500)
        assert "symlink" not in str(body["detail"])
