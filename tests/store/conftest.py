"""Fixtures for store tests: a release root with the Glasgow fixtures published."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.store import Reader, Release, ReleaseRoot
from tests.plugins.project import BASE
from tests.plugins.releases import publish


@pytest.fixture
def root(tmp_path: Path) -> ReleaseRoot:
    """A release root holding one published release of the fixtures."""
    publish(tmp_path / "store", BASE)
    return ReleaseRoot(tmp_path / "store")


@pytest.fixture
def release(root: ReleaseRoot) -> Release:
    """The current release, opened read-only."""
    return root.open_current_read_only()


@pytest.fixture
def reader(release: Release) -> Reader:
    """A reader over the current release."""
    return Reader(release.store)
