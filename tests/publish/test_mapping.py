"""Mapping one dataset into the build folder, as a publish does: strictly, under the site's
base, written whole or not at all, with progress said as it goes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opendatacommunities.errors import SourceError
from opendatacommunities.publish.datasets import read_dataset
from opendatacommunities.publish.mapping import (
    MapTask,
    expected_work,
    map_task,
    rebase,
)
from tests.plugins.project import BASE, TEST_DATA

SITE = "https://data.example.gov.uk"
CSVW = TEST_DATA / "csvw"


def _copy(tmp_path: Path, stem: str) -> Path:
    for suffix in (".json", ".csv"):
        shutil.copy(CSVW / f"{stem}{suffix}", tmp_path / f"{stem}{suffix}")
    return tmp_path / f"{stem}.json"


def test_a_table_is_mapped_under_the_sites_base(tmp_path: Path) -> None:
    dataset = read_dataset(_copy(tmp_path, "gcc-catalogue-sample"))
    output = tmp_path / "build" / "catalogue.nt"
    output.parent.mkdir()
    said: list[str] = []
    published = map_task(MapTask(dataset, output, SITE, []), said.append)
    lines = output.read_text(encoding="utf-8").splitlines()
    assert published.triples == len(lines) == 12
    assert all(line.startswith(f"<{SITE}/data/glasgow-catalogue/") for line in lines)
    assert BASE not in output.read_text(encoding="utf-8")
    assert said == ["gcc-catalogue-sample: mapped 4 rows into 12 triples"]
    assert [p.name for p in output.parent.iterdir()] == ["catalogue.nt"]


def test_a_bad_cell_stops_the_mapping_and_leaves_the_last_output(tmp_path: Path) -> None:
    dataset = read_dataset(_copy(tmp_path, "gcc-catalogue-bad-date"))
    output = tmp_path / "catalogue.nt"
    output.write_text("the last publish's\n", encoding="utf-8")
    with pytest.raises(SourceError) as stopped:
        map_task(MapTask(dataset, output, BASE, []), [].append)
    assert "gcc-catalogue-bad-date.csv:4:DateUpdated" in str(stopped.value)
    assert "(value '2023-02-30')" in str(stopped.value)
    assert output.read_text(encoding="utf-8") == "the last publish's\n"


def test_rebase_rewrites_only_iris_under_the_authored_base() -> None:
    lines = [
        f'<{BASE}/id/a> <http://purl.org/dc/terms/title> "{BASE}/id/a" .\n',
        "<http://example.org/x> <http://example.org/p> <http://example.org/y> .\n",
    ]
    assert list(rebase(lines, BASE)) == lines
    assert list(rebase(lines, SITE)) == [
        f'<{SITE}/id/a> <http://purl.org/dc/terms/title> "{BASE}/id/a" .\n',
        lines[1],
    ]


def test_bigger_sources_are_more_work_and_broken_mappings_none(tmp_path: Path) -> None:
    small = read_dataset(_copy(tmp_path, "gcc-catalogue-sample"))
    assert expected_work(small) == (tmp_path / "gcc-catalogue-sample.csv").stat().st_size
    (tmp_path / "gcc-catalogue-sample.csv").unlink()
    assert expected_work(small) == 0
