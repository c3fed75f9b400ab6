"""What killed publishes leave behind: a publish starts by removing their drafts and
half-written files, never the draft of a publish still running, and a kill just after the
swap leaves two releases on disk, not three."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import CellError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.areas import rows, write_areas


@pytest.fixture
def site(project: tuple[Settings, Layout]) -> tuple[Settings, Layout]:
    write_areas(project[1].mappings, "small", rows(0, 20))
    return project


def drafts(store: Path) -> list[Path]:
    """Release directories never committed."""
    found = (store / "releases").iterdir()
    return [path for path in found if not (path / "release.json").is_file()]


def start_publish(settings: Settings, layout: Layout, *options: str) -> subprocess.Popen[str]:
    """``odc publish`` in a process of its own, over ``layout``."""
    return subprocess.Popen(
        [sys.executable, "-m", "opendatacommunities.cli", "publish", *options],
        cwd=layout.mappings.parent,
        env={**os.environ, "ODC_STORE_DIR": str(settings.store_dir)},
        stderr=subprocess.DEVNULL,
        text=True,
    )


def wait_for(condition: object, child: subprocess.Popen[str], what: str) -> None:
    """Poll ``condition`` (a callable) until true, while ``child`` runs."""
    assert callable(condition)
    deadline = time.monotonic() + 120
    while not condition():
        assert child.poll() is None, f"the publish ended before {what}"
        assert time.monotonic() < deadline, f"no {what} in time"
        time.sleep(0.001)


def test_a_publish_starts_by_removing_what_a_killed_one_left(
    site: tuple[Settings, Layout],
) -> None:
    settings, layout = site
    publish(settings, layout)
    write_areas(layout.mappings, "big", rows(100_000, 300_000))
    child = start_publish(settings, layout, "--workers", "2")
    # The small dataset is mapped and loading into a draft while the big one is mapped.
    partial = layout.build / "big.nt.part"
    wait_for(lambda: partial.exists() and drafts(settings.store_dir), child, "draft")
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert partial.exists() and drafts(settings.store_dir)
    # The next publish fails (a bad cell), and still the leftovers are gone: they went first.
    (layout.mappings / "big.json").unlink()
    write_areas(layout.mappings, "small", rows(0, 20) + "S1300296,Linn\n")
    with pytest.raises(CellError):
        publish(settings, layout)
    assert drafts(settings.store_dir) == []
    assert list(layout.build.glob("*.part")) == []


def test_a_kill_just_after_the_swap_leaves_two_releases(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    root = ReleaseRoot(settings.store_dir)
    publish(settings, layout)
    publish(settings, layout)
    before = root.pointer()
    child = start_publish(settings, layout)
    wait_for(lambda: root.pointer() != before, child, "swap")
    at_the_swap = len(root.releases())
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert at_the_swap == 2
    assert len(list(root.releases_dir.iterdir())) == 2
