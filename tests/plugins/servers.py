"""Real uvicorn servers for tests: the app on a free loopback port, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.releases import publish


def _test_config(settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")


@contextmanager
def serving(
    make_settings: Callable[[str], Settings],
    make_config: Callable[[Settings], uvicorn.Config] = _test_config,
    start_seconds: float = 60,
) -> Iterator[Settings]:
    """Serve the app made from ``make_settings(url)`` (url: the server's own address) until
    the block ends; yields the settings, whose ``base_iri`` is usually that url.
    ``make_config`` gives uvicorn's configuration (default: the app with uvicorn's own);
    the server must be up within ``start_seconds``: generous, as the app warms its caches
    before it listens, slowly on a loaded machine."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    settings = make_settings(f"http://127.0.0.1:{sock.getsockname()[1]}")
    config = make_config(settings)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + start_seconds
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield settings
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@dataclass(frozen=True)
class LiveServer:
    """A uvicorn server running the app; its base IRI is its own URL."""

    url: str
    settings: Settings


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The app served by uvicorn in a thread, on a free port, with the fixtures minted under
    the server's own URL so that every IRI really dereferences."""

    with serving_fixtures(tmp_path / "store", reload_seconds=0) as settings:
        yield LiveServer(settings.base_iri, settings)


@contextmanager
def serving_url(settings: Settings) -> Iterator[str]:
    """Serve the app made from ``settings`` (IRIs minted under their own base, not the
    server's address) until the block ends; yields the server's URL."""
    urls: list[str] = []

    def make(url: str) -> Settings:
        urls.append(url)
        return settings

    with serving(make):
        yield urls[0]


@contextmanager
def serving_fixtures(store: Path, *, extra: str = "", **options: Any) -> Iterator[Settings]:
    """The Turtle fixtures (and ``extra`` Turtle) published into the release root ``store``
    under the server's own URL, so that every IRI dereferences, and served with ``options``
    as further settings until the block ends; yields the settings."""

    def make(url: str) -> Settings:
        publish(store, url, extra=extra)
        return Settings(base_iri=url, store_dir=store, **options)

    with serving(make) as settings:
        yield settings
