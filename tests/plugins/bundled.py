"""Every bundled dataset published by the real pipeline and served over HTTP: the site as a
new user meets it after ``make serve``, for the tests that look at whole pages.

Publishing everything takes minutes, so it is done once per test session, under the
server's own address (every IRI on a page dereferences on the site itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.publish.pipeline import Outcome
from tests.plugins.project import ROOT
from tests.plugins.servers import serving


def bundled_layout(build: Path) -> Layout:
    """The publisher's layout (every mapping, shape, ontology and what else it names), read
    from the repository whatever the working folder, building into ``build``."""
    layout = Layout()
    rooted: dict[str, Any] = {
        f.name: ROOT / value
        for f in fields(layout)
        if isinstance(value := getattr(layout, f.name), Path) and not value.is_absolute()
    }
    return replace(layout, **{**rooted, "build": build})


@dataclass(frozen=True)
class Bundled:
    """Every bundled dataset, published once and served: where, and what publishing said."""

    url: str
    """The server's address, also the base of every IRI published."""
    outcome: Outcome
    store_dir: Path


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundled]:
    """All the bundled data published by the real pipeline under a server's own address,
    and that server running."""
    work = tmp_path_factory.mktemp("bundled")
    outcomes: list[Outcome] = []

    def make(url: str) -> Settings:
        settings = Settings(base_iri=url, store_dir=work / "store")
        outcomes.append(publish(settings, bundled_layout(work / "build")))
        return settings

    with serving(make, start_seconds=300) as settings:
        yield Bundled(settings.base_iri, outcomes[0], work / "store")


@pytest.fixture(scope="session")
def bundled_site(bundled: Bundled) -> str:
    """The URL of a server of every bundled dataset, published under that URL."""
    return bundled.url
