"""The search index is written into the release at publish time and goes live with it: a
server reads it instead of building it, a republish swaps it with the store, and a release
published before there was a file still searches (the server builds its index)."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.store.search import SEARCH_FILE, SEARCH_INDEX
from opendatacommunities.web.app import create_app
from tests.plugins.areas import rows, write_areas

BUILDING = "building its search index"


@pytest.fixture
def site(project: tuple[Settings, Layout]) -> tuple[Settings, Layout]:
    settings, layout = project
    write_areas(layout.mappings, "areas", rows(0, 20), title="Council areas")
    return replace(settings, reload_seconds=3600), layout


def _total(client: TestClient, text: str) -> int:
    page = client.get("/search.json", params={"q": text})
    assert page.status_code == 200, page.text
    total: int = page.json()["total"]
    return total


def test_the_index_file_is_in_the_release_and_the_server_reads_it(
    site: tuple[Settings, Layout], caplog: pytest.LogCaptureFixture
) -> None:
    settings, layout = site
    publish(settings, layout)
    release = ReleaseRoot(settings.store_dir).current_path()
    assert release is not None and (release / SEARCH_FILE).stat().st_size > 0
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        assert _total(client, "Area 7") == 1
        assert _total(client, "S12000013") == 1
        assert _total(client, "Aera 13") == 1  # a slip of the finger, from the file's tables
        index = client.app.state.odc.live.current().cache.get(SEARCH_INDEX)  # type: ignore[attr-defined]
        assert index is not None and len(index.entries) >= 20
    assert not [r for r in caplog.records if BUILDING in r.getMessage()]


def test_a_republish_swaps_the_index_with_the_store(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    with TestClient(create_app(settings)) as client:
        live = client.app.state.odc.live  # type: ignore[attr-defined]
        old = live.current()
        assert _total(client, "S12000000") == 1 and _total(client, "Borough 99") == 0
        write_areas(layout.mappings, "areas", rows(1, 19) + "S12000099,Borough 99\n")
        publish(settings, layout)
        deadline = time.monotonic() + 30
        while live.current() is old:
            assert time.monotonic() < deadline, "the server did not move to the new release"
            time.sleep(0.001)
        # The first search on the new release finds the new name and not the old code.
        assert _total(client, "Borough 99") == 1
        assert _total(client, "S12000000") == 0
        assert _total(client, "Area 5") == 1


def test_an_unchanged_publish_keeps_the_file(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    root = ReleaseRoot(settings.store_dir)
    publish(settings, layout)
    first = root.current_path()
    publish(settings, layout)
    second = root.current_path()
    assert first is not None and second is not None and first != second
    assert (second / SEARCH_FILE).read_bytes() == (first / SEARCH_FILE).read_bytes()


def test_a_release_without_the_file_still_searches(
    site: tuple[Settings, Layout], caplog: pytest.LogCaptureFixture
) -> None:
    settings, layout = site
    publish(settings, layout)
    release = ReleaseRoot(settings.store_dir).current_path()
    assert release is not None
    (release / SEARCH_FILE).unlink()  # as a release published before the file existed
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        assert _total(client, "Area 7") == 1
        assert _total(client, "Aera 13") == 1
    assert [r for r in caplog.records if BUILDING in r.getMessage()]


def test_a_damaged_file_is_set_aside_and_the_index_built(
    site: tuple[Settings, Layout], caplog: pytest.LogCaptureFixture
) -> None:
    settings, layout = site
    publish(settings, layout)
    release = ReleaseRoot(settings.store_dir).current_path()
    assert release is not None
    path = release / SEARCH_FILE
    path.write_bytes(path.read_bytes()[:-100])
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings)) as client:
        assert _total(client, "S12000013") == 1
    warnings = [r.getMessage() for r in caplog.records if BUILDING in r.getMessage()]
    assert len(warnings) == 1 and "cut short" in warnings[0]
