"""A release's cache: what is derived from a release (its lexicon, search index, rendered
pages...), kept for as long as the release is served.

A release never changes, so nothing kept here goes stale; it is all dropped when the release
is let go. Each kind of value has a typed ``Slot``, declared once beside the code that makes
it, so mypy checks what is put in and what comes out; ``once`` makes a slot's value once,
however many threads ask for it at the same time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class Slot(Generic[T]):
    """The place of one kind of value in every release's cache. Slots are told apart by
    identity (declare each once, as a module constant); ``name`` shows in listings."""

    name: str


class ReleaseCache:
    """Values derived from one release, each in its slot.

    >>> WORDS: Slot[list[str]] = Slot("words")
    >>> cache = ReleaseCache()
    >>> cache.get(WORDS) is None
    True
    >>> cache.once(WORDS, lambda: ["ward"]), cache.once(WORDS, lambda: ["never made"])
    (['ward'], ['ward'])
    >>> cache.names(), cache.drop(), cache.names()
    ({'words'}, [['ward']], set())
    """

    def __init__(self) -> None:
        self._values: dict[Slot[Any], object] = {}
        self._making: dict[Slot[Any], threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, slot: Slot[T]) -> T | None:
        """The value in ``slot``, or None when it has not been made (yet)."""
        return cast("T | None", self._values.get(slot))

    def once(self, slot: Slot[T], make: Callable[[], T]) -> T:
        """The value in ``slot``, made by ``make`` on first use. Concurrent first calls wait
        for one ``make``; other slots are not held up meanwhile, so ``make`` may itself use
        the cache (a search index reads the lexicon)."""
        found = self.get(slot)
        if found is not None:
            return found
        with self._lock(slot):
            found = self.get(slot)
            if found is None:
                found = make()
                self._values[slot] = found
        return found

    def put(self, slot: Slot[T], value: T) -> None:
        """Keep ``value`` in ``slot``, replacing what was there."""
        self._values[slot] = value

    def names(self) -> set[str]:
        """The names of the slots that hold a value."""
        return {slot.name for slot in list(self._values)}

    def drop(self) -> list[object]:
        """Empty the cache, and return what it held (for the caller to free at its pace)."""
        with self._guard:
            dropped = list(self._values.values())
            self._values.clear()
        return dropped

    def __contains__(self, slot: Slot[Any]) -> bool:
        return slot in self._values

    def _lock(self, slot: Slot[Any]) -> threading.Lock:
        with self._guard:
            return self._making.setdefault(slot, threading.Lock())
