"""Fixtures for the remote-store tests: an engine, emptied, with settings pointing at it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.store.remote.endpoint import Endpoint
from tests.plugins.engines import Engine


@pytest.fixture(params=["oxigraph_engine", "virtuoso_engine"])
def engine(request: pytest.FixtureRequest) -> Engine:
    """Each remote engine in turn, with every graph dropped."""
    found: Engine = request.getfixturevalue(request.param)
    found.clear()
    return found


@pytest.fixture
def remote_settings(engine: Engine, tmp_path: Path) -> Settings:
    """Settings of a platform whose releases live on ``engine``."""
    return Settings.from_env({**engine.environment(), "ODC_STORE_DIR": str(tmp_path / "store")})


@pytest.fixture
def endpoint(remote_settings: Settings) -> Iterator[Endpoint]:
    """A client of ``engine``'s endpoints."""
    client = Endpoint(remote_settings)
    yield client
    client.close()
