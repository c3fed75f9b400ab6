"""Publishing with worker processes: the same release as mapping in one process, errors that
still name their cell, workers that die with a killed publisher, and the command line's
choice of datasets and build folder."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import CellError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.publish.pipeline import STAGES
from opendatacommunities.store import ReleaseRoot
from tests.plugins.areas import rows, write_areas
from tests.plugins.project import BASE, ROOT

CUBE = ROOT / "tests" / "data" / "cube-broken"


@pytest.fixture
def site(tmp_path: Path) -> Layout:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    write_areas(mappings, "areas-a", rows(0, 3000))
    write_areas(mappings, "areas-b", rows(5000, 3000))
    shutil.copy(CUBE / "employment.cube.json", mappings)
    shutil.copy(CUBE / "employment.csv", mappings)
    return Layout(
        mappings=mappings,
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=tmp_path / "build",
    )


def _quads(store_dir: Path) -> set[tuple[str, ...]]:
    """Every quad of the current release but the catalogue's (it holds publication times)."""
    path = ReleaseRoot(store_dir).current_path()
    assert path is not None
    store = pyoxigraph.Store.read_only(str(path))
    catalog = pyoxigraph.NamedNode(f"{BASE}/graph/catalog")
    return {
        (str(q.subject), str(q.predicate), str(q.object), str(q.graph_name))
        for q in store
        if q.graph_name != catalog
    }


def _drafts(store_dir: Path) -> list[Path]:
    """Release directories that were never committed."""
    releases = store_dir / "releases"
    found = releases.iterdir() if releases.is_dir() else iter(())
    return [path for path in found if not (path / "release.json").is_file()]


def test_workers_publish_what_one_process_publishes(site: Layout, tmp_path: Path) -> None:
    """Two worker processes give the very release mapping in this process gives, and every
    stage is reported."""
    alone, pooled = tmp_path / "alone", tmp_path / "pooled"
    publish(Settings(store_dir=alone), site, workers=0)
    messages: list[str] = []
    outcome = publish(
        Settings(store_dir=pooled),
        Layout(site.mappings, site.shapes, site.ontologies, tmp_path / "build-2"),
        workers=2,
        progress=messages.append,
    )
    assert _quads(pooled) == _quads(alone)
    assert len(_quads(alone)) > 12_000
    assert [p.dataset.name for p in outcome.published] == ["areas-a", "areas-b", "employment"]
    for name in ("areas-a", "areas-b"):
        assert f"{name}: mapped 3,000 rows into 6,000 triples" in messages
        assert any(m.startswith(f"{name}: loaded 6,000 triples") for m in messages)
    assert any(m.startswith("employment: IC-1..IC-21 passed in") for m in messages)
    assert set(STAGES) | {"total"} <= set(outcome.seconds)
    assert outcome.seconds["map"] > 0 and outcome.seconds["load"] > 0


def test_a_bad_cell_met_by_a_worker_names_it(site: Layout, tmp_path: Path) -> None:
    """A bad cell found in a worker stops the publish with its own error and cell; the live
    release stays, and no draft is left behind."""
    settings = Settings(store_dir=tmp_path / "store")
    publish(settings, site, workers=2)
    before = ReleaseRoot(settings.store_dir).pointer()
    write_areas(site.mappings, "areas-b", rows(5000, 10) + "S1300296,Linn\n")
    with pytest.raises(CellError) as failure:
        publish(settings, site, workers=2)
    assert f"{site.mappings / 'areas-b.csv'}:12:code" in str(failure.value)
    assert ReleaseRoot(settings.store_dir).pointer() == before
    assert _drafts(settings.store_dir) == []


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == pid:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Whether ``pid`` is a live process (not gone, not a zombie waiting to be reaped)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "State:\tZ" not in status


def test_workers_die_with_a_killed_publisher(site: Layout, tmp_path: Path) -> None:
    """``kill -9`` of ``odc publish`` while its workers map: they stop too, and the live
    release is untouched."""
    store = tmp_path / "store"
    publish(Settings(store_dir=store), site, workers=0)
    before = ReleaseRoot(store).pointer()
    write_areas(site.mappings, "areas-a", rows(0, 200_000))
    write_areas(site.mappings, "areas-b", rows(300_000, 200_000))
    child = subprocess.Popen(
        [sys.executable, "-m", "opendatacommunities.cli", "publish", "--workers", "2"],
        cwd=site.mappings.parent,
        env={**os.environ, "ODC_STORE_DIR": str(store)},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    for line in child.stderr:  # a worker reports progress: the workers are mapping
        if "mapped" in line:
            break
    workers = _children(child.pid)
    assert len(workers) == 2
    child.send_signal(signal.SIGKILL)
    child.wait()
    killed = time.monotonic()
    while any(_running(pid) for pid in workers) and time.monotonic() < killed + 5:
        time.sleep(0.005)
    stopped = time.monotonic() - killed
    assert not [pid for pid in workers if _running(pid)]
    # At once, not after finishing the row or the second they were in (the README's word).
    assert stopped < 0.1, f"the workers took {stopped:.2f} s to stop"
    assert ReleaseRoot(store).pointer() == before


def test_the_command_line_picks_datasets_and_build_folder(site: Layout, tmp_path: Path) -> None:
    """``--include`` publishes the matching mappings only; ``--build`` says where they go."""
    store, build = tmp_path / "store", tmp_path / "elsewhere"
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    done = subprocess.run(
        [*command, "--include", "areas-*", "--build", str(build)],
        cwd=site.mappings.parent,
        env={**os.environ, "ODC_STORE_DIR": str(store)},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    graphs = {quad[3] for quad in _quads(store)}
    assert graphs == {f"<{BASE}/graph/{name}>" for name in ("areas-a", "areas-b")}
    assert sorted(p.name for p in build.glob("*.nt")) == ["areas-a.nt", "areas-b.nt"]
    assert "published in" in done.stderr
