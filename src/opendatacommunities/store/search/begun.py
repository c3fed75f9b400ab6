"""The entries a name or code of which begins with a text, the best few of them found
without looking at the rest: what a suggestion for a text being typed needs.

A search ranks an entry whose code or name is the text, or begins with it, before any entry
that only has words beginning with (or holding, or nearly spelling) the words typed. So when
at least as many entries begin with the text as suggestions are wanted, they are the
suggestions, and no other entry need be looked at: "ton" begins the names of hundreds of
entries and lies inside thousands of words, and gathering them all cost milliseconds.

Entries are kept in order of their first name, folded, so those whose first name begins with
the text are one run of positions, found by halving; among them the best are the first few
without a number in their name, then the first few with one (places before the statistical
areas named after them, as ``index`` ranks them). Other names and codes are kept sorted
apart, each with its entry's order of preference (numbered or not, then position); their
run can be long ("e0" begins some forty thousand codes), so they are kept in blocks, each
with its best few noted, and only the ends of a run are looked at one by one.
"""

from __future__ import annotations

import bisect
import heapq
from itertools import islice

from opendatacommunities.store.search.parts import Parts

_LAST = "\U0010ffff"
"""Sorts after every text that begins with a given one."""
BLOCK = 128
"""Other names and codes in a block."""
NOTED = 16
"""How many of a block's best are noted: a search for more looks at every one."""


class Begun:
    """Entries by the beginnings of their folded names and codes."""

    def __init__(self, parts: Parts) -> None:
        self._firsts = [labels[0] for labels in parts.labels]
        self._plain = [p for p, numbered in enumerate(parts.numbered) if not numbered]
        self._counted = [p for p, numbered in enumerate(parts.numbered) if numbered]
        named = enumerate(zip(parts.labels, parts.notations, strict=True))
        others = sorted(
            (name, position)
            for position, (labels, code) in named
            for name in (*labels[1:], code)
            if name
        )
        self._others = [name for name, _ in others]
        # Sorted as a search ranks entries that begin with its text: by numbered, position.
        size = len(parts.numbered)
        self._preference = [parts.numbered[p] * size + p for _, p in others]
        self._size = size
        self._blocks = [
            sorted(self._preference[at : at + BLOCK])[:NOTED] for at in range(0, len(others), BLOCK)
        ]

    def best(self, whole: str, limit: int) -> set[int] | None:
        """The positions among which lie the best ``limit`` entries a name or code of which
        begins with ``whole`` (with every one of those that is ``whole``), if at least
        ``limit`` entries begin so; else None."""
        start = bisect.bisect_left(self._firsts, whole)
        end = bisect.bisect_left(self._firsts, whole + _LAST, start)
        low = bisect.bisect_left(self._others, whole)
        high = bisect.bisect_left(self._others, whole + _LAST, low)
        if (end - start) + (high - low) < limit:
            return None
        chosen = self._other_best(whole, low, high, limit)
        exact = start
        while exact < end and self._firsts[exact] == whole:
            exact += 1
        chosen.update(range(start, exact))
        for column in (self._plain, self._counted):
            at = bisect.bisect_left(column, exact)
            chosen.update(p for p in islice(column, at, at + limit) if p < end)
        # Fewer than ``limit`` chosen: the run of first names was taken whole, and so every
        # entry beginning so is here; too few to leave the others aside.
        return chosen if len(chosen) >= limit else None

    def _other_best(self, whole: str, low: int, high: int, limit: int) -> set[int]:
        """The positions of the entries of the other names and codes from ``low`` to
        ``high``: every one that is ``whole``, and the best ``limit`` of the others."""
        chosen = set()
        while low < high and self._others[low] == whole:
            chosen.add(self._preference[low] % self._size)
            low += 1
        if limit > NOTED or high - low <= 2 * BLOCK:
            preferred = self._preference[low:high]
        else:
            first, last = -(-low // BLOCK), high // BLOCK  # the blocks lying wholly inside
            preferred = (
                self._preference[low : first * BLOCK] + self._preference[last * BLOCK : high]
            )
            for block in self._blocks[first:last]:
                preferred.extend(block[:limit])
        chosen.update(p % self._size for p in heapq.nsmallest(limit, preferred))
        return chosen
