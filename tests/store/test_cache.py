"""A release's typed cache: one value per slot, made once however many threads ask."""

from __future__ import annotations

import threading
import time

import pytest

from opendatacommunities.store.cache import ReleaseCache, Slot

NAMES: Slot[list[str]] = Slot("names")
COUNT: Slot[int] = Slot("count")


def test_slots_hold_their_own_values() -> None:
    """Each slot keeps its value; an empty slot gives None; slots are told apart by
    identity, not by name."""
    cache = ReleaseCache()
    assert cache.get(NAMES) is None and NAMES not in cache
    cache.put(NAMES, ["Linn"])
    cache.put(COUNT, 3)
    assert cache.get(NAMES) == ["Linn"] and cache.get(COUNT) == 3
    twin: Slot[int] = Slot("count")
    assert cache.get(twin) is None
    assert cache.names() == {"names", "count"}


def test_once_makes_a_value_once() -> None:
    """``once`` calls ``make`` on first use only."""
    cache = ReleaseCache()
    calls: list[int] = []

    def make() -> int:
        calls.append(1)
        return 42

    assert cache.once(COUNT, make) == 42
    assert cache.once(COUNT, make) == 42
    assert calls == [1]


def test_concurrent_first_calls_wait_for_one_make() -> None:
    """Threads asking together get the one value one of them made."""
    cache = ReleaseCache()
    calls: list[int] = []
    start = threading.Barrier(8)

    def make() -> list[str]:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive meanwhile
        return ["made"]

    results: list[list[str]] = []

    def ask() -> None:
        start.wait()
        results.append(cache.once(NAMES, make))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == [1]
    assert len(results) == 8 and all(r is results[0] for r in results)


def test_a_make_may_use_another_slot() -> None:
    """A slot's ``make`` can read another slot of the same cache (no lock is shared)."""
    cache = ReleaseCache()
    cache.put(COUNT, 2)
    assert cache.once(NAMES, lambda: ["x"] * cache.once(COUNT, lambda: 0)) == ["x", "x"]


def test_a_failed_make_leaves_the_slot_empty() -> None:
    """When ``make`` raises, nothing is kept and the next call tries again."""
    cache = ReleaseCache()

    def fail() -> int:
        raise RuntimeError("store gone")

    with pytest.raises(RuntimeError):
        cache.once(COUNT, fail)
    assert COUNT not in cache
    assert cache.once(COUNT, lambda: 7) == 7


def test_drop_empties_and_returns_the_values() -> None:
    """``drop`` hands back what was held, for freeing elsewhere, and leaves nothing."""
    cache = ReleaseCache()
    cache.put(COUNT, 1)
    cache.put(NAMES, ["a"])
    assert sorted(map(str, cache.drop())) == ["1", "['a']"]
    assert cache.names() == set() and cache.get(COUNT) is None
