"""Broken cubes are refused by ``odc publish`` with the integrity constraint named and the
CSV cell it came from; the live release is left as it was."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import SourceError, ValidationFailedError
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import ROOT

FIXTURE = ROOT / "tests" / "data" / "cube-broken"
GOOD = (FIXTURE / "employment.csv").read_text()


def _layout(tmp_path: Path, csv_text: str) -> tuple[Settings, Layout]:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    shutil.copy(FIXTURE / "employment.cube.json", mappings)
    for name in ("glasgow.json", "glasgow.csv"):  # the area the cube's observations name
        shutil.copy(FIXTURE / name, mappings)
    (mappings / "employment.csv").write_text(csv_text)
    layout = Layout(
        mappings=mappings,
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=tmp_path / "build",
    )
    return Settings(store_dir=tmp_path / "store"), layout


def test_the_good_cube_publishes(tmp_path: Path) -> None:
    """The fixture itself is a well-formed cube: it publishes."""
    settings, layout = _layout(tmp_path, GOOD)
    outcome = publish(settings, layout)
    assert sorted(p.dataset.name for p in outcome.published) == ["employment", "glasgow"]


def test_duplicate_observation_is_ic12(tmp_path: Path) -> None:
    """A row repeating another's dimension values is IC-12, at its row and column."""
    duplicate = GOOD + "S12000049,2017-Q2,Male,Rate,74.1\n"
    settings, layout = _layout(tmp_path, duplicate)
    with pytest.raises(SourceError, match="IC-12") as error:
        publish(settings, layout)
    assert str(error.value).startswith(f"{layout.mappings / 'employment.csv'}:10:Value")
    assert "row 9" in str(error.value)
    assert ReleaseRoot(tmp_path / "store").releases() == []  # nothing published
    assert ReleaseRoot(tmp_path / "store").pointer() is None


def test_missing_measure_is_ic17(tmp_path: Path) -> None:
    """A point of a measure-dimension cube with one of its two measures missing is IC-17,
    reported on the observation that is there, with its CSV cell."""
    without = GOOD.replace("S12000049,2017-Q2,Male,Rate,74.0\n", "")
    settings, layout = _layout(tmp_path, without)
    with pytest.raises(ValidationFailedError, match="IC-17") as error:
        publish(settings, layout)
    text = str(error.value)
    assert "All measures present in measures dimension cube" in text
    # The Male count, alone:
    assert f'{layout.mappings / "employment.csv"}:7:Value (column "Value", the 5th): ' in text
    assert "S12000049/quarter/2017-Q2/male/count" in text


def test_code_outside_its_list_is_ic19(tmp_path: Path) -> None:
    """A gender outside the closed code list (Female, Male) is IC-19, with its cell."""
    other = GOOD.replace(
        "S12000049,2017-Q2,Male,Count,21000", "S12000049,2017-Q2,Other,Count,21000"
    )
    settings, layout = _layout(tmp_path, other.replace("Q2,Male,Rate", "Q2,Other,Rate"))
    with pytest.raises(ValidationFailedError, match="IC-19") as error:
        publish(settings, layout)
    text = str(error.value)
    assert f"{layout.mappings / 'employment.csv'}:7:Value" in text
    assert "/def/concept/employment/gender/other" in text
    assert "/def/dimension/employment/gender" in text
