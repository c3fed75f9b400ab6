"""Fixtures for web tests: a published release and the app through TestClient (the app
served for real by uvicorn is ``live_server`` in ``tests/plugins/servers.py``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings over a fresh release root holding the fixtures; new releases are noticed at
    once (reload_seconds=0) and pages hold 4 incoming links so paging shows."""
    store = tmp_path / "store"
    publish(store, BASE)
    return Settings(base_iri=BASE, store_dir=store, reload_seconds=0, page_size=4)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    """The app, in process."""
    with TestClient(create_app(settings), follow_redirects=False) as test_client:
        yield test_client
