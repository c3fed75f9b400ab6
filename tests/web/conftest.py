"""Fixtures for web tests: a published release, the app through TestClient, and the app
served for real by uvicorn on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.store.publishing import publish
from tests.web.servers import serving

BASE = "http://localhost:8000"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
SG = "/id/statistical-geography/"


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


@dataclass(frozen=True)
class LiveServer:
    """A uvicorn server running the app; its base IRI is its own URL."""

    url: str
    settings: Settings


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The app served by uvicorn in a thread, on a free port, with data minted under the
    server's own URL so that every IRI really dereferences."""

    def make_settings(url: str) -> Settings:
        store = tmp_path / "store"
        publish(store, url)
        return Settings(base_iri=url, store_dir=store, reload_seconds=0)

    with serving(make_settings) as settings:
        yield LiveServer(settings.base_iri, settings)
