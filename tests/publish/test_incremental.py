"""Incremental publishing: a dataset whose inputs are unchanged since the live release is
neither mapped nor checked again, what changed is redone with what links to it, and the
release comes out as a full publish would make it."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import ValidationFailedError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.areas import AREA_SHAPES, CODES, write_coded_areas
from tests.plugins.cubes import cube_rows, write_cube
from tests.plugins.project import BASE


@pytest.fixture
def site(project: tuple[Settings, Layout]) -> tuple[Settings, Layout]:
    """Two reference datasets of areas and two cubes over them, and the areas' shape."""
    layout = project[1]
    (layout.shapes / "areas.ttl").write_text(AREA_SHAPES, encoding="utf-8")
    write_coded_areas(layout.mappings, "areas", CODES)
    write_coded_areas(layout.mappings, "regions", ["S92000003"])
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2014)))
    write_cube(layout.mappings, "homes", cube_rows(range(2001, 2003), CODES[:1]))
    return project


def quads(store_dir: Path) -> set[str]:
    """Every quad of the live release but the catalogue's (which says when each dataset
    was published), blank nodes aside."""
    release = ReleaseRoot(store_dir).current_path()
    assert release is not None
    store = pyoxigraph.Store.read_only(str(release))
    catalog = f"<{BASE}/graph/catalog>"
    found = {str(q) for q in store if str(q.graph_name) != catalog and "_:" not in str(q)}
    del store
    return found


def full_publish(site: tuple[Settings, Layout], tmp_path: Path) -> set[str]:
    """What publishing everything from nothing makes."""
    layout = site[1]
    fresh = Settings(store_dir=tmp_path / "fresh-store")
    publish(fresh, Layout(layout.mappings, layout.shapes, layout.ontologies, tmp_path / "b2"))
    return quads(fresh.store_dir)


def test_nothing_changed_maps_and_checks_nothing(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    first = publish(settings, layout)
    assert sorted(first.mapped) == ["areas", "homes", "people", "regions"]
    before = quads(settings.store_dir)
    messages: list[str] = []
    again = publish(settings, layout, progress=messages.append)
    assert (again.mapped, again.checked) == ([], [])
    assert [item.dataset.name for item in again.published] == [
        item.dataset.name for item in first.published
    ]
    assert quads(settings.store_dir) == before
    assert any(message.startswith("nothing changed since release") for message in messages)


def test_a_changed_cube_alone_is_redone(site: tuple[Settings, Layout], tmp_path: Path) -> None:
    settings, layout = site
    publish(settings, layout)
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2016)))
    outcome = publish(settings, layout)
    assert (outcome.mapped, outcome.checked) == (["people"], ["people"])
    assert quads(settings.store_dir) == full_publish(site, tmp_path)


def test_a_changed_area_redoes_the_cubes_linking_to_it(
    site: tuple[Settings, Layout], tmp_path: Path
) -> None:
    """The reference datasets are checked together; of the cubes, only those whose areas
    the changed dataset defines are redone."""
    settings, layout = site
    write_cube(layout.mappings, "homes", "S92000003,2001,5\n")
    publish(settings, layout)
    write_coded_areas(layout.mappings, "areas", [*CODES, "S12000048"])
    outcome = publish(settings, layout)
    assert sorted(outcome.mapped) == ["areas", "people"]
    assert sorted(outcome.checked) == ["areas", "people", "regions"]
    assert quads(settings.store_dir) == full_publish(site, tmp_path)


def test_a_changed_shape_redoes_the_datasets_it_targets(
    site: tuple[Settings, Layout], tmp_path: Path
) -> None:
    settings, layout = site
    publish(settings, layout)
    stricter = AREA_SHAPES.replace("sh:minCount 1 ;", "sh:minCount 1 ; sh:minLength 2 ;")
    (layout.shapes / "areas.ttl").write_text(stricter, encoding="utf-8")
    outcome = publish(settings, layout)
    assert sorted(outcome.mapped) == ["areas", "regions"]
    assert sorted(outcome.checked) == ["areas", "regions"]
    assert quads(settings.store_dir) == full_publish(site, tmp_path)


def test_a_changed_shape_that_fails_stops_the_publish(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    before = ReleaseRoot(settings.store_dir).pointer()
    failing = AREA_SHAPES.replace("sh:minCount 1 ;", "sh:minCount 1 ; sh:minLength 50 ;")
    (layout.shapes / "areas.ttl").write_text(failing, encoding="utf-8")
    with pytest.raises(ValidationFailedError, match="SHACL violations"):
        publish(settings, layout)
    assert ReleaseRoot(settings.store_dir).pointer() == before


def test_a_new_cube_is_checked_against_the_live_areas(site: tuple[Settings, Layout]) -> None:
    """Its unknown codes are named with their rows, without checking anything else."""
    settings, layout = site
    publish(settings, layout)
    write_cube(layout.mappings, "jobs", "S12000049,2011,1\nE05999999,2011,2\n")
    with pytest.raises(ValidationFailedError) as failure:
        publish(settings, layout)
    assert "no published area has the code 'E05999999' (row 3)" in str(failure.value)
    (layout.mappings / "jobs.csv").write_text("Geography,Year,Value\nS12000047,2011,2\n")
    outcome = publish(settings, layout)
    assert (outcome.mapped, outcome.checked) == (["jobs"], ["jobs"])


def test_one_mapping_by_name_keeps_the_other_datasets(site: tuple[Settings, Layout]) -> None:
    """``odc publish mappings/x.cube.json``: x is published beside every other dataset of
    the live release, as that release holds them, even one whose files changed since."""
    settings, layout = site
    publish(settings, layout)
    before = {q for q in quads(settings.store_dir) if "/graph/homes>" in q}
    write_cube(layout.mappings, "homes", cube_rows(range(1990, 1992), CODES[:1]))
    jobs = write_cube(layout.mappings, "jobs", "S12000049,2011,1\n")
    outcome = publish(settings, layout, only=[jobs])
    assert (outcome.mapped, outcome.checked) == (["jobs"], ["jobs"])
    after = quads(settings.store_dir)
    assert {q for q in after if "/graph/homes>" in q} == before
    assert any("/graph/jobs>" in q for q in after)


def test_a_release_with_one_changed_cube_shares_the_rest(site: tuple[Settings, Layout]) -> None:
    """The new release's store is a checkpoint of the live one: its files are hard links
    until they differ."""
    settings, layout = site
    publish(settings, layout)
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2015)))
    publish(settings, layout)
    live = ReleaseRoot(settings.store_dir).current_path()
    assert live is not None
    shared = [p for p in live.iterdir() if p.suffix == ".sst" and os.stat(p).st_nlink > 1]
    assert shared, "no file of the new release is shared with the last one"


def test_a_big_change_loads_a_fresh_release(site: tuple[Settings, Layout], tmp_path: Path) -> None:
    """Replacing a dataset of more than 50,000 triples and a tenth of the release: a fresh
    release, the reused datasets read back from the live one when the build folder is
    gone."""
    settings, layout = site
    codes = [f"S13{n:06d}" for n in range(2500)]
    write_coded_areas(layout.mappings, "wards", codes)
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2015), codes))
    publish(settings, layout)
    for path in layout.build.glob("*.nt"):
        path.unlink()
    write_cube(layout.mappings, "people", cube_rows(range(2012, 2016), codes))
    outcome = publish(settings, layout)
    assert outcome.mapped == ["people"]
    live = ReleaseRoot(settings.store_dir).current_path()
    assert live is not None
    assert all(os.stat(p).st_nlink == 1 for p in live.iterdir() if p.suffix == ".sst")
    assert quads(settings.store_dir) == full_publish(site, tmp_path)


def test_a_new_base_iri_redoes_everything(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    moved = Settings(store_dir=settings.store_dir, base_iri="http://127.0.0.1:8100")
    outcome = publish(moved, layout)
    assert sorted(outcome.mapped) == ["areas", "homes", "people", "regions"]


@pytest.mark.parametrize(("keep", "left"), [(None, 2), (3, 3), (1, 1)])
def test_old_releases_are_pruned(
    site: tuple[Settings, Layout], keep: int | None, left: int
) -> None:
    settings, layout = site
    if keep is not None:
        settings = Settings.from_env(
            {"ODC_STORE_DIR": str(settings.store_dir), "ODC_KEEP_RELEASES": str(keep)}
        )
    for years in (range(2011, 2013), range(2011, 2014), range(2011, 2015), range(2011, 2016)):
        write_cube(layout.mappings, "people", cube_rows(years))
        publish(settings, layout)
    root = ReleaseRoot(settings.store_dir)
    assert len(root.releases()) == left
    assert root.current_path() == root.releases()[-1]


def test_the_first_failing_cube_stops_the_publish_at_once(site: tuple[Settings, Layout]) -> None:
    """A cube's links are checked as soon as the cube is: the rest is not mapped."""
    settings, layout = site
    publish(settings, layout)
    write_cube(layout.mappings, "bad", cube_rows(range(2000, 2010), ["E05999999"]))
    write_cube(layout.mappings, "good", "S12000049,2011,1\n")
    messages: list[str] = []
    with pytest.raises(ValidationFailedError, match="no published area has the code 'E05999999'"):
        publish(settings, layout, progress=messages.append, workers=0)
    assert not [message for message in messages if message.startswith("good:")]
