"""Glasgow City Council's catalogue, harvested: the bundled mapping published alone, once per
test session, for the tests of the harvest's triples and of its pages in a browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT


@pytest.fixture(scope="session")
def harvest_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings whose store holds the harvest (``mappings/glasgow-open-data.json``) alone."""
    folder = tmp_path_factory.mktemp("harvest")
    settings = Settings(base_iri=BASE, store_dir=folder / "store", reload_seconds=0)
    layout = Layout(
        mappings=ROOT / "mappings",
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=folder / "build",
        include="glasgow-open-data.json",
    )
    publish(settings, layout, workers=0)
    return settings


@pytest.fixture(scope="session")
def harvest_release(harvest_settings: Settings) -> Path:
    """The directory of the release holding the harvest."""
    release = ReleaseRoot(harvest_settings.store_dir).current_path()
    assert release is not None
    return release
