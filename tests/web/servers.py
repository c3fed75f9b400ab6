"""Real uvicorn servers for tests: the app on a free loopback port, in a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
import uvicorn

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app


def _test_config(settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(create_app(settings), log_level="warning", lifespan="on")


@contextmanager
def serving(
    make_settings: Callable[[str], Settings],
    make_config: Callable[[Settings], uvicorn.Config] = _test_config,
    start_seconds: float = 10,
) -> Iterator[Settings]:
    """Serve the app made from ``make_settings(url)`` (url: the server's own address) until
    the block ends; yields the settings, whose ``base_iri`` is usually that url.
    ``make_config`` gives uvicorn's configuration (default: the app with uvicorn's own);
    the server must be up within ``start_seconds`` (start-up reads the release's words)."""
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
