"""Fixtures for publishing tests: a new, empty project laid out as ``odc publish`` expects."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout

Project = tuple[Settings, Layout]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Empty ``mappings/``, ``shapes/`` and ``ontologies/`` folders, with the build folder
    and the release root where ``odc publish`` puts them (``var/build``, ``var/store``)."""
    for name in ("mappings", "shapes", "ontologies"):
        (tmp_path / name).mkdir()
    layout = Layout(
        mappings=tmp_path / "mappings",
        shapes=tmp_path / "shapes",
        ontologies=tmp_path / "ontologies",
        build=tmp_path / "var" / "build",
    )
    return Settings(store_dir=tmp_path / "var" / "store"), layout
