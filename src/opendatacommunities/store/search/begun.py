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
apart, each with its entry's position; their run is looked at whole.
"""

from __future__ import annotations

import bisect
from itertools import islice

from opendatacommunities.store.search.parts import Parts

_LAST = "\U0010ffff"
"""Sorts after every text that begins with a given one."""


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
        self._other_positions = [position for _, position in others]

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
        chosen = set(self._other_positions[low:high])
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
