"""Many short lists of numbers kept end to end in one array, with where each one starts.

The search index holds hundreds of thousands of such lists (the entries holding each word,
the words holding each three-letter piece). As Python lists they cost an object each to build
and to free; flat, they are two arrays that a file holds as they are and that load in one
read (``search.file``), and a list is a slice of the one array.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import Generic, TypeVar

#: The array type code of every list's numbers and starts: unsigned, at least 32 bits.
TYPECODE = "I" if array("I").itemsize >= 4 else "L"
K = TypeVar("K")


class Lists:
    """Numbered lists of non-negative integers: ``lists[i]`` is the ``i``-th list."""

    __slots__ = ("starts", "values")

    def __init__(self, starts: array[int], values: array[int]) -> None:
        self.starts = starts
        """Where each list begins in ``values``, and where the last one ends."""
        self.values = values

    @classmethod
    def of(cls, lists: Iterable[Iterable[int]]) -> Lists:
        """The lists given, in their order."""
        starts, values = array(TYPECODE, [0]), array(TYPECODE)
        for numbers in lists:
            values.extend(numbers)
            starts.append(len(values))
        return cls(starts, values)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, index: int) -> Sequence[int]:
        return self.values[self.starts[index] : self.starts[index + 1]]

    def size(self, index: int) -> int:
        """How long the ``index``-th list is, without copying it."""
        return self.starts[index + 1] - self.starts[index]


class KeyedLists(Generic[K]):
    """Lists of integers by key (a key not held has the empty list)."""

    __slots__ = ("keys", "lists")

    def __init__(self, keys: Sequence[K], lists: Lists) -> None:
        self.keys = {key: i for i, key in enumerate(keys)}
        self.lists = lists

    @classmethod
    def of(cls, lists: dict[K, list[int]]) -> KeyedLists[K]:
        """The lists of the dictionary, keyed as it keys them."""
        return cls(list(lists), Lists.of(lists.values()))

    def get(self, key: K) -> Sequence[int]:
        """The list of ``key``; empty when it has none."""
        index = self.keys.get(key)
        return () if index is None else self.lists[index]

    def size(self, key: K) -> int:
        """How long the list of ``key`` is."""
        index = self.keys.get(key)
        return 0 if index is None else self.lists.size(index)
