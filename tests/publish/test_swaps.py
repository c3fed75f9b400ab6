"""A server across publishes: the release it reads stays on disk until it has moved on, and
is deleted by a later publish once no process holds it."""

from __future__ import annotations

import gc
import time
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.store.search import SEARCH_INDEX
from opendatacommunities.web.app import create_app
from opendatacommunities.web.explore import HOME_PAGE
from opendatacommunities.web.fastpath import request_key
from tests.plugins.areas import rows, write_areas

TITLE = "Council areas"


@pytest.fixture
def site(project: tuple[Settings, Layout]) -> tuple[Settings, Layout]:
    settings, layout = project
    write_areas(layout.mappings, "areas", rows(0, 20), title=TITLE)
    # Looked at only when a request comes: the server stays on its release while idle.
    return replace(settings, reload_seconds=3600), layout


def test_an_idle_server_across_two_publishes_keeps_answering(
    site: tuple[Settings, Layout],
) -> None:
    settings, layout = site
    publish(settings, layout)
    root = ReleaseRoot(settings.store_dir)
    first = root.current_path()
    assert first is not None
    with TestClient(create_app(settings)) as client:
        assert client.get("/doc/statistical-geography/S12000000").status_code == 200
        publish(settings, layout)
        publish(settings, layout)
        # The server still reads the first release: it is on disk, though two newer exist.
        assert first.is_dir()
        for n in range(1, 20):
            page = client.get(f"/doc/statistical-geography/S12{n:06d}")
            assert page.status_code == 200, page.text
        latest = root.current_path()
        assert latest is not None
        deadline = time.monotonic() + 30
        while client.app.state.odc.live.current().id != latest.name:  # type: ignore[attr-defined]
            assert time.monotonic() < deadline, "the server did not move to the new release"
            time.sleep(0.01)
        assert client.get("/doc/statistical-geography/S12000000.ttl").status_code == 200
        # Moved on and no request reads it any more: the next publish deletes it.
        publish(settings, layout)
        assert not first.exists()
        assert len(root.releases()) == 2


def test_the_home_page_is_rendered_once_per_release(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    with TestClient(create_app(settings)) as client:
        live = client.app.state.odc.live  # type: ignore[attr-defined]
        # Rendered before the app serves, and then only sent.
        rendered = live.current().cache.get(HOME_PAGE)
        first = client.get("/")
        again = client.get("/?from=elsewhere", headers={"Accept": "text/html"})
        assert first.status_code == again.status_code == 200
        assert first.text == again.text == rendered
        assert TITLE in rendered


def test_a_new_release_is_prepared_before_it_is_served(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    with TestClient(create_app(settings)) as client:
        live = client.app.state.odc.live  # type: ignore[attr-defined]
        old = live.current()
        frozen = gc.get_freeze_count()
        write_areas(layout.mappings, "areas", rows(0, 21), title=TITLE)
        publish(settings, layout)
        deadline = time.monotonic() + 30
        while (new := live.current()) is old:
            assert time.monotonic() < deadline, "the server did not move to the new release"
            time.sleep(0.001)
        # The moment it is served, its per-release work is already done: no request does it.
        assert {"search-index", "home-page", "lexicon", "cube-index"} <= new.cache.names()
        index = new.cache.get(SEARCH_INDEX)
        assert index is not None and "Area 20" in [entry.label for entry in index.entries]
        # ...and what it keeps is out of the collector's sight, as the first release's is.
        assert gc.get_freeze_count() > frozen
        page = client.get("/search.json?q=area+20")
        assert page.status_code == 200 and page.json()["total"] == 1
        assert client.get("/").text == new.cache.get(HOME_PAGE)


def test_pages_in_demand_are_rendered_for_a_new_release_before_it_is_served(
    site: tuple[Settings, Layout],
) -> None:
    settings, layout = site
    publish(settings, layout)
    with TestClient(create_app(settings)) as client:
        context = client.app.state.odc  # type: ignore[attr-defined]
        old = context.live.current()
        paths = ["/doc/statistical-geography/S12000003", "/search?q=area+1", "/"]
        for path in paths * 2:  # the second visit is answered from the cache
            assert client.get(path, headers={"Accept": "text/html"}).status_code == 200
        publish(settings, layout)
        # Requests keep coming while the new release is prepared; none waits for it.
        deadline = time.monotonic() + 30
        while old.id in client.get(paths[1], headers={"Accept": "text/html"}).headers["etag"]:
            assert time.monotonic() < deadline, "the server did not move to the new release"
        new = context.live.current()
        # Already rendered for the new release the moment it is served.
        for path in paths:
            address, _, query = path.partition("?")
            key = request_key(new.id, address, query.encode(), b"text/html")
            assert context.requests.get(key) is not None, path
        page = client.get(paths[0], headers={"Accept": "text/html"})
        assert page.status_code == 200 and new.id in page.headers["etag"]
        # The old release was let go of: nothing is rendered for it twice.
        assert old.cache.names() == set()


def test_a_server_started_before_the_first_publish_serves_it(
    site: tuple[Settings, Layout],
) -> None:
    settings, layout = site
    with TestClient(create_app(settings)) as client:
        assert client.get("/").status_code == 503
        publish(settings, layout)
        started = time.monotonic()
        page = client.get("/doc/statistical-geography/S12000000")
        # Opened by that request, and not made to wait for pages to be rendered ahead on
        # the event loop it is itself holding.
        assert page.status_code == 200
        assert time.monotonic() - started < 20
        assert client.get("/").status_code == 200
