"""Releases: built beside the live one, swapped in one rename, never half-visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat

from opendatacommunities.errors import NoReleaseError, ReleaseError
from opendatacommunities.store import Reader, ReleaseRoot
from tests.plugins.project import BASE
from tests.plugins.releases import publish

WARD = f"{BASE}/id/statistical-geography/S13002967"


def test_nothing_published_yet(tmp_path: Path) -> None:
    root = ReleaseRoot(tmp_path / "store")
    assert root.pointer() is None
    assert root.current_path() is None
    assert root.releases() == []
    with pytest.raises(NoReleaseError):
        root.open_current_read_only()


def test_commit_makes_the_release_current(root: ReleaseRoot) -> None:
    link = root.current_link
    assert link.is_symlink()
    # Relative, so that the whole root can be moved.
    assert not os.path.isabs(os.readlink(link))
    release = root.open_current_read_only()
    assert release.path == root.current_path()
    assert release.id == release.path.name
    assert root.releases() == [release.path]
    assert Reader(release.store).is_subject(WARD)
    assert release.published.tzinfo is not None


def test_release_is_read_only(root: ReleaseRoot) -> None:
    release = root.open_current_read_only()
    with pytest.raises(RuntimeError, match="read-write"):
        release.store.update("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }")


def test_new_release_swaps_in_and_old_handle_keeps_working(root: ReleaseRoot) -> None:
    old = root.open_current_read_only()
    publish(root.root, BASE, files=("ontology.ttl",))
    new = root.open_current_read_only()
    assert new.id != old.id
    assert root.pointer() == os.path.join("releases", new.id)
    # The old release is untouched and still readable by whoever holds it.
    assert Reader(old.store).is_subject(WARD)
    assert not Reader(new.store).is_subject(WARD)
    assert [p.name for p in root.releases()] == [old.id, new.id]


def test_failed_build_leaves_the_live_release_alone(root: ReleaseRoot) -> None:
    before = root.pointer()
    with pytest.raises(SyntaxError), root.new_release() as draft:
        draft.load(b"<a> <b> .", RdfFormat.TURTLE, base_iri=BASE + "/")
    assert not draft.path.exists()
    assert root.pointer() == before
    assert len(root.releases()) == 1


def test_uncommitted_draft_is_never_current(root: ReleaseRoot) -> None:
    before = root.pointer()
    draft = root.new_release()
    draft.load(b'<http://x/a> <http://x/b> "c" .', RdfFormat.N_TRIPLES)
    assert root.pointer() == before
    draft.discard()
    assert not draft.path.exists()
    with pytest.raises(ReleaseError):
        draft.store  # noqa: B018 - a discarded draft has no store


def test_activate_refuses_a_directory_outside_the_root(root: ReleaseRoot, tmp_path: Path) -> None:
    stranger = tmp_path / "elsewhere"
    stranger.mkdir()
    with pytest.raises(ReleaseError):
        root.activate(stranger)


def test_current_that_is_not_a_symlink_is_an_error(tmp_path: Path) -> None:
    root = ReleaseRoot(tmp_path)
    (tmp_path / "current").mkdir()
    with pytest.raises(ReleaseError):
        root.pointer()


def test_prune_keeps_the_current_and_previous_release(root: ReleaseRoot) -> None:
    for _ in range(3):
        publish(root.root, BASE, files=("ontology.ttl",))
    abandoned = root.releases_dir / "00000000T000000000000Z-dead00"
    abandoned.mkdir()
    kept_before = root.releases()[-2:]
    deleted = root.prune(keep=2)
    assert len(deleted) == 3
    assert root.releases() == kept_before
    assert root.current_path() == kept_before[-1]
    assert not abandoned.exists()
    with pytest.raises(ValueError):
        root.prune(keep=0)


def test_prune_spares_a_release_that_is_still_open(root: ReleaseRoot) -> None:
    """A release some reader holds is not deleted, however old; once let go, it goes."""
    oldest = root.open_current_read_only()
    for _ in range(3):
        publish(root.root, BASE, files=("ontology.ttl",))
    assert oldest.path not in root.prune(keep=1)
    assert (oldest.path / "release.json").is_file()
    assert Reader(oldest.store).is_subject(f"{BASE}/id/statistical-geography/S13002967")
    assert oldest.hold is not None
    oldest.hold.release()
    assert oldest.path in root.prune(keep=1)
    assert not oldest.path.exists()
    assert len(root.releases()) == 1


def test_prune_spares_a_draft_in_progress_and_deletes_a_killed_ones(root: ReleaseRoot) -> None:
    killed = subprocess.run(
        [sys.executable, "-c", _DRAFT_THEN_DIE, str(root.root)], capture_output=True, text=True
    )
    assert killed.returncode == -signal.SIGKILL
    abandoned = root.releases_dir / killed.stdout.strip()
    assert abandoned.is_dir()
    with root.new_release() as draft:
        draft.load(b"<http://x/a> <http://x/b> <http://x/c> .", RdfFormat.N_TRIPLES)
        assert root.prune() == [abandoned]
        assert draft.path.is_dir()
        draft.commit()
    assert root.current_path() == draft.path


_DRAFT_THEN_DIE = """
import os, signal, sys
from pathlib import Path
from opendatacommunities.store import ReleaseRoot
draft = ReleaseRoot(Path(sys.argv[1])).new_release()
print(draft.id, flush=True)
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_loads_into_named_graphs(tmp_path: Path) -> None:
    root = ReleaseRoot(tmp_path)
    with root.new_release() as draft:
        draft.load(b'<http://x/a> <http://x/b> "c" .', RdfFormat.N_TRIPLES, graph="http://x/g")
        draft.commit()
    release = root.open_current_read_only()
    assert list(release.store.named_graphs()) == [NamedNode("http://x/g")]
