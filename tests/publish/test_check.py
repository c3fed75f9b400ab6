"""``odc check MAPPING``: one dataset mapped and checked against the live release as a
publish would, with the same error lines, and nothing published."""

from __future__ import annotations

from pathlib import Path

import pytest

from opendatacommunities.cli import main
from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.areas import AREA_SHAPES, CODES, write_coded_areas
from tests.plugins.cubes import cube_rows, write_cube

COLUMN = 'Geography (column "Geography", the 1st)'


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A project with areas and a cube published, as the working directory."""
    for name in ("mappings", "shapes", "ontologies"):
        (tmp_path / name).mkdir()
    (tmp_path / "shapes" / "areas.ttl").write_text(AREA_SHAPES, encoding="utf-8")
    write_coded_areas(tmp_path / "mappings", "areas", CODES)
    write_cube(tmp_path / "mappings", "people", cube_rows(range(2011, 2013)))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ODC_STORE_DIR", str(tmp_path / "var" / "store"))
    publish(Settings(store_dir=tmp_path / "var" / "store"), Layout())
    return tmp_path


def test_a_good_cube_passes_and_nothing_is_published(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = ReleaseRoot(project / "var" / "store")
    before = root.pointer()
    write_cube(project / "mappings", "jobs", cube_rows(range(2011, 2012)))
    assert main(["check", "mappings/jobs.cube.json"]) == 0
    lines = capsys.readouterr().err.splitlines()
    assert "to map and check: jobs; 2 datasets reused" in lines
    assert any(line.startswith("checked (nothing published) in") for line in lines)
    assert root.pointer() == before
    assert len(root.releases()) == 1


def test_a_bad_cell_is_one_error_line(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_cube(project / "mappings", "jobs", "S12000049,2011,1\nS12000046,2011,many\n")
    assert main(["check", "mappings/jobs.cube.json"]) == 1
    error = capsys.readouterr().err.splitlines()[-1]
    csv_file = project / "mappings" / "jobs.csv"
    assert error == (
        f"error: {csv_file}:3:Value (column \"Value\", the 3rd): expected an integer (value 'many')"
    )


def test_an_unknown_area_is_named_with_its_rows(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The live release's areas are what the codes must name."""
    write_cube(project / "mappings", "jobs", "S12000049,2011,1\nE05999999,2011,2\n")
    assert main(["check", "mappings/jobs.cube.json"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{project / 'mappings' / 'jobs.csv'}:3:{COLUMN}: no published area has the code"
        " 'E05999999' (row 3): check the code, or publish the area first (value 'E05999999')"
    ) in err.splitlines()


def test_a_changed_reference_dataset_is_checked_with_the_others(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Dropping an area the live cube names: the cube is checked again, and its link to
    nothing named."""
    write_coded_areas(project / "mappings", "areas", [*CODES, "S12000048"])
    assert main(["check", "mappings/areas.json"]) == 0
    write_coded_areas(project / "mappings", "areas", CODES[:2])
    assert main(["check", "mappings/areas.json"]) == 1
    err = capsys.readouterr().err
    assert f"{project / 'mappings' / 'people.csv'}:4:{COLUMN}: no published area" in err
    assert "the code 'S12000047' (rows 4 and 7)" in err
