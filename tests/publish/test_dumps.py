"""Dumps written at publish time: one per dataset and format beside the release, each the
dataset's graph in full, and kept by hard link when the dataset did not change."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import ValidationFailedError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.store.dumps import DUMP_FORMATS, dump_path, read_index
from tests.plugins.areas import AREA_SHAPES, CODES, write_coded_areas
from tests.plugins.cubes import cube_rows, write_cube
from tests.plugins.project import BASE

Project = tuple[Settings, Layout]
DATASETS = ["areas", "people", "regions"]


@pytest.fixture
def site(project: Project) -> Project:
    """Two reference datasets of areas and a cube over them."""
    layout = project[1]
    (layout.shapes / "areas.ttl").write_text(AREA_SHAPES, encoding="utf-8")
    write_coded_areas(layout.mappings, "areas", CODES)
    write_coded_areas(layout.mappings, "regions", ["S92000003"])
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2014)))
    return project


def _live(settings: Settings) -> Path:
    path = ReleaseRoot(settings.store_dir).current_path()
    assert path is not None
    return path


def _graph_sizes(release: Path) -> dict[str, int]:
    store = pyoxigraph.Store.read_only(str(release))
    try:
        return {
            name: len(list(store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph))))
            for name in DATASETS
            for graph in [f"{BASE}/graph/{name}"]
        }
    finally:
        del store


def test_every_dump_parses_and_holds_the_dataset(site: Project) -> None:
    settings, layout = site
    publish(settings, layout)
    release = _live(settings)
    sizes = _graph_sizes(release)
    assert all(sizes.values())
    for name in DATASETS:
        for fmt in DUMP_FORMATS:
            with gzip.open(dump_path(release, name, fmt.key)) as dump:
                triples = list(pyoxigraph.parse(dump, fmt.rdf))
            assert len(set(triples)) == len(triples) == sizes[name], (name, fmt.key)


def test_the_index_gives_each_dump_its_size_and_checksum(site: Project) -> None:
    settings, layout = site
    publish(settings, layout)
    release = _live(settings)
    index = read_index(release)
    assert sorted(index) == DATASETS
    for name, dumps in index.items():
        for fmt in DUMP_FORMATS:
            data = dump_path(release, name, fmt.key).read_bytes()
            assert dumps.files[fmt.key].bytes == len(data)
            assert dumps.files[fmt.key].sha256 == hashlib.sha256(data).hexdigest()


def test_the_turtle_dump_uses_the_site_prefixes(site: Project) -> None:
    settings, layout = site
    publish(settings, layout)
    with gzip.open(dump_path(_live(settings), "areas", "ttl"), "rt") as dump:
        text = dump.read()
    assert "@prefix skos: <http://www.w3.org/2004/02/skos/core#> ." in text
    assert "skos:notation" in text


def test_an_unchanged_dataset_keeps_its_dumps_by_hard_link(site: Project) -> None:
    settings, layout = site
    publish(settings, layout)
    first = _live(settings)
    inodes = {
        (n, f.key): dump_path(first, n, f.key).stat().st_ino for n in DATASETS for f in DUMP_FORMATS
    }
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2015)))
    outcome = publish(settings, layout)
    second = _live(settings)
    assert second != first and outcome.mapped == ["people"]
    for (name, key), inode in inodes.items():
        now = dump_path(second, name, key).stat().st_ino
        assert (now == inode) is (name != "people"), (name, key)
    assert _graph_sizes(second)["people"] > _graph_sizes(first)["people"]
    with gzip.open(dump_path(second, "people", "nt")) as dump:
        assert (
            len(list(pyoxigraph.parse(dump, pyoxigraph.RdfFormat.N_TRIPLES)))
            == (_graph_sizes(second)["people"])
        )


def test_a_failed_publish_leaves_the_live_dumps_alone(site: Project) -> None:
    settings, layout = site
    publish(settings, layout)
    first = _live(settings)
    before = dump_path(first, "areas", "nt").read_bytes()
    (layout.mappings / "areas.csv").write_text("code,name\nnot-a-code,Nowhere\n", encoding="utf-8")
    with pytest.raises(Exception, match="not-a-code"):
        publish(settings, layout)
    assert _live(settings) == first
    assert dump_path(first, "areas", "nt").read_bytes() == before
    leftovers = [p for p in (settings.store_dir / "releases").iterdir() if p != first]
    assert all(not (p / "dumps").exists() for p in leftovers)


def test_a_check_failing_after_the_loads_leaves_no_draft(site: Project) -> None:
    """A cube pointing at an area nobody published fails its check once it is loaded (and
    being dumped): the publish stops, the dumps in progress with it, and nothing is left."""
    settings, layout = site
    publish(settings, layout)
    first = _live(settings)
    write_cube(layout.mappings, "people", cube_rows(range(2011, 2014), ["S12999999"]))
    with pytest.raises(ValidationFailedError, match="S12999999"):
        publish(settings, layout)
    assert _live(settings) == first
    assert sorted(p.name for p in (settings.store_dir / "releases").iterdir()) == [first.name]
