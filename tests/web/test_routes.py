"""The route table: every row reachable, every overlap of patterns the one the table states,
and each overlap decided as stated over HTTP, against a small cube published for real."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute, Match

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from opendatacommunities.web.routes import ROWS, STATIC_PREFIX, TableRoute, routes
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER, TINY_CUBE

# A cube of two colours, one measure, its codes-used collection and its observations.


def _matching(path: str, table: list[BaseRoute]) -> list[BaseRoute]:
    """The routes whose pattern matches a GET of ``path``, in match order."""
    scope = {"type": "http", "method": "GET", "path": path, "root_path": ""}
    return [route for route in table if route.matches(scope)[0] is not Match.NONE]


def test_every_row_answers_its_example() -> None:
    table = routes()
    for row in ROWS:
        first = _matching(row.example, table)[0]
        assert isinstance(first, TableRoute) and first.row is row, row.pattern


def test_patterns_overlap_only_where_the_table_says_which_wins() -> None:
    table = routes()
    patterns = [row.pattern for row in ROWS]
    assert len(set(patterns)) == len(patterns)
    for row in ROWS:
        also = [
            r.row.pattern for r in _matching(row.example, table)[1:] if isinstance(r, TableRoute)
        ]
        assert also == list(row.wins_over), row.pattern
        # The row that wins comes first.
        assert all(patterns.index(p) > patterns.index(row.pattern) for p in row.wins_over)


def test_static_files_come_after_every_row() -> None:
    table = routes()
    assert not _matching(STATIC_PREFIX + "/x.js", table[:-1])
    assert [r.path for r in _matching(STATIC_PREFIX + "/x.js", table)] == [STATIC_PREFIX]  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The fixtures and the tiny cube, published and served in process."""
    store = tmp_path_factory.mktemp("routes") / "store"
    publish(store, BASE, extra=TINY_CUBE)
    settings = Settings(base_iri=BASE, store_dir=store, reload_seconds=0)
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client


def _variant(client: TestClient, path: str, accept: str) -> str:
    """What answered: the variant the ETag names (``cube-html``, ``ttl``...), after 200."""
    response = client.get(path, headers={"accept": accept})
    assert response.status_code == 200, (path, response.text)
    release = client.app.state.odc.live.current().id  # type: ignore[attr-defined]
    return str(response.headers["etag"]).strip('"').removeprefix(f"{release}-")


def test_the_slicer_and_downloads_win_over_the_documents(client: TestClient) -> None:
    sliced = client.get("/data/tiny/slice.csv")
    assert sliced.status_code == 200
    assert sliced.headers["content-type"].startswith("text/csv")
    assert "Red" in sliced.text and "Blue" in sliced.text
    assert client.get("/data/tiny/slice", headers={"accept": BROWSER}).status_code == 200
    download = client.get("/data/tiny/observations.csv")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    # A dataset that is no cube has no slicer: the slicer says so, not the documents.
    missing = client.get("/data/nothing/slice", headers={"accept": "application/json"})
    assert missing.status_code == 404
    assert "no statistics cube at /data/nothing" in missing.json()["detail"]
    # A release with no dumps: the dumps' own handler says so, not the documents.
    dump = client.get("/data/tiny/dump.nt.gz", headers={"accept": "application/json"})
    assert dump.status_code == 404
    assert "no dataset 'tiny' with a dump" in dump.json()["detail"]


def test_a_cube_page_for_browsers_its_description_for_the_rest(client: TestClient) -> None:
    assert _variant(client, "/data/tiny", BROWSER) == "cube-html"
    assert _variant(client, "/data/tiny.html", "text/turtle") == "cube-html"
    assert _variant(client, "/data/tiny", "text/turtle") == "ttl"
    assert _variant(client, "/data/tiny.ttl", BROWSER) == "ttl"


def test_pages_of_a_cubes_parts_for_browsers(client: TestClient) -> None:
    assert _variant(client, "/data/tiny/red/count", BROWSER) == "observation-html"
    assert _variant(client, "/data/tiny/red/count", "text/turtle") == "ttl"
    assert _variant(client, "/data/tiny/codes-used/colour", BROWSER) == "codes-used-html-1"
    assert _variant(client, "/data/tiny/codes-used/colour.nt", BROWSER) == "nt"
    # Not a part of the cube: the document pattern's own handler says there is nothing.
    assert client.get("/data/tiny/nothing", headers={"accept": BROWSER}).status_code == 404


def test_a_codes_page_for_browsers_other_definitions_described(client: TestClient) -> None:
    assert _variant(client, "/def/concept/tiny/colour/red", BROWSER) == "code-html"
    assert _variant(client, "/def/concept/tiny/colour/red", "text/turtle") == "ttl"
    assert _variant(client, "/def/tiny/colour", BROWSER) == "html"
    assert _variant(client, "/def/geography", BROWSER) == "html"


def test_the_sparql_endpoint_is_one_label_in_the_metrics(client: TestClient) -> None:
    query = {"query": "ASK {}"}
    assert client.get("/sparql.csv", params=query).status_code == 200
    assert client.get("/sparql.csv", params=query).status_code == 200  # remembered
    scraped = client.get("/metrics").text
    assert 'odc_http_requests_total{method="GET",route="/sparql",status="200"} 2.0' in scraped
    assert 'route="/sparql.{suffix}"' not in scraped


def test_any_method_reaches_the_endpoint_which_says_what_it_allows(client: TestClient) -> None:
    preflight = client.options("/sparql")
    assert preflight.status_code == 204
    assert "POST" in preflight.headers["access-control-allow-methods"]
    refused = client.put("/sparql.csv", headers={"accept": "application/json"})
    assert refused.status_code == 405
    assert refused.headers["allow"] == "GET, HEAD, POST, OPTIONS"
    assert refused.json()["status"] == 405
    # Every other row reads only.
    assert client.post("/search").status_code == 405
