"""The catalogue's provenance: what each dataset was made from, as the publisher knows it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from opendatacommunities.publish.catalog import Published, catalog_lines
from opendatacommunities.publish.datasets import Dataset
from tests.plugins.project import BASE


def test_sources_are_recorded_relative_to_the_project(tmp_path: Path) -> None:
    """A source file is named by its path in the project (``data/x.csv``), never by where
    the project happened to lie on the publishing machine."""
    (tmp_path / "mappings").mkdir()
    (tmp_path / "data").mkdir()
    source = tmp_path / "data" / "areas.csv"
    source.write_text("code\nS12000049\n", encoding="utf-8")
    mapping = tmp_path / "mappings" / "areas.json"
    mapping.write_text(json.dumps({"url": "../data/areas.csv"}), encoding="utf-8")
    moment = datetime(2026, 12, 4, tzinfo=UTC)
    dataset = Dataset(name="areas", mapping=mapping, about={"title": ["Areas"]})
    published = Published(dataset, [source], [], 1, moment, moment)
    text = "".join(catalog_lines(BASE, published))
    assert '"data/areas.csv"' in text
    assert '"mappings/areas.json"' in text
    assert str(tmp_path) not in text
