"""LiveStore: follows `current` without a restart, never blocking on a reopen."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from opendatacommunities.errors import NoReleaseError
from opendatacommunities.store import LiveStore, Reader, ReleaseRoot
from opendatacommunities.store.lexicon import LEXICON
from tests.plugins.project import BASE
from tests.plugins.releases import publish

WARD = f"{BASE}/id/statistical-geography/S13002967"
NEW_WARD = f"{BASE}/id/statistical-geography/S13003133"
NORTH_EAST = (
    "<id/statistical-geography/S13003133> <http://www.w3.org/2000/01/rdf-schema#label> 'NE' ."
)


def wait_for(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Poll ``condition`` until it is true."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not met in time")
        time.sleep(0.01)


def test_no_release_then_one_without_restart(tmp_path: Path) -> None:
    live = LiveStore(ReleaseRoot(tmp_path / "store"), check_every=0)
    with pytest.raises(NoReleaseError):
        live.current()
    publish(tmp_path / "store", BASE)
    assert Reader(live.current().store).is_subject(WARD)


def test_same_release_object_while_pointer_is_unchanged(root: ReleaseRoot) -> None:
    live = LiveStore(root, check_every=0)
    assert live.current() is live.current()


def test_swap_is_picked_up_and_old_handle_served_meanwhile(root: ReleaseRoot) -> None:
    live = LiveStore(root, check_every=0)
    old = live.current()
    publish(root.root, BASE, extra=NORTH_EAST)
    # The first call after the swap may still answer from the old release (the new one
    # opens in the background), but it never fails and soon serves the new one.
    first = live.current()
    current = root.current_path()
    assert current is not None and first.id in {old.id, current.name}
    wait_for(lambda: live.current().id != old.id)
    assert Reader(live.current().store).is_subject(NEW_WARD)
    assert Reader(old.store).is_subject(WARD)


def test_releases_are_served_with_their_words_read(root: ReleaseRoot) -> None:
    live = LiveStore(root, check_every=0)
    old = live.current()
    assert LEXICON in old.cache
    publish(root.root, BASE, extra=NORTH_EAST)
    wait_for(lambda: live.current().id != old.id)
    # Swapped in only once read: no request waits for the words of the new release.
    lexicon = live.current().cache.get(LEXICON)
    assert lexicon is not None and lexicon.label(NEW_WARD) == "NE"


def test_refresh_opens_the_new_release_at_once(root: ReleaseRoot) -> None:
    live = LiveStore(root, check_every=3600)
    old = live.current()
    publish(root.root, BASE, extra=NORTH_EAST)
    assert live.refresh().id != old.id


def test_an_idle_server_moves_on_and_lets_the_old_release_go(root: ReleaseRoot) -> None:
    live = LiveStore(root, check_every=0.01)
    old = live.current()
    live.watch()
    try:
        publish(root.root, BASE, extra=NORTH_EAST)
        # No request came, yet the new release was opened and the old one let go of.
        assert old.hold is not None
        wait_for(lambda: not old.hold.held)  # type: ignore[union-attr]
    finally:
        live.close()
    assert live.current().id == root.current_path().name  # type: ignore[union-attr]
    assert root.prune(keep=1) == [old.path]


def test_a_release_in_use_by_a_request_is_held_until_it_ends(root: ReleaseRoot) -> None:
    live = LiveStore(root, check_every=0)
    with live.request():
        old = live.current()
        publish(root.root, BASE, extra=NORTH_EAST)
        wait_for(lambda: live.current() is not old)
        # The server moved on, but this request still reads the old release.
        assert old.hold is not None and old.hold.held
        assert old.path not in root.prune(keep=1)
        assert Reader(old.store).is_subject(WARD)
    assert not old.hold.held
    assert root.prune(keep=1) == [old.path]


def test_unreadable_release_keeps_the_old_one(root: ReleaseRoot, tmp_path: Path) -> None:
    live = LiveStore(root, check_every=0)
    old = live.current()
    broken = root.releases_dir / "99999999T000000000000Z-broken"
    broken.mkdir()
    (broken / "CURRENT").write_text("garbage\n")
    root.activate(broken)
    for _ in range(20):
        assert live.current() is old
        time.sleep(0.01)
    publish(root.root, BASE, extra=NORTH_EAST)
    wait_for(lambda: live.current().id not in (old.id, broken.name))
