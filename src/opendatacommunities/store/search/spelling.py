"""The words of every name and code of a release, and the ones a typed word may mean.

A search word matches a word of a name when it is that word, starts it ("glasg"), lies inside
it ("ston" in "anderston"), or is a slip or two of the finger away ("andersten"). The distinct
words of a release number some tens of thousands; each is indexed by its three-letter pieces
(trigrams), so the words near a typed one are found by counting shared pieces over short
lists, and only those few are compared letter by letter (edit distance).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable

from rapidfuzz.distance import OSA
from rapidfuzz.process import extract

from opendatacommunities.store.search.lists import KeyedLists

EXACT = 0
PREFIX = 1
INSIDE = 2
NEAR = 3
"""A word within the allowed edit distance; the distance is added to this."""
FEW = 10


def allowed_slips(word: str) -> int:
    """How many edits a typed word may be from the word meant: none for short words and
    codes (a code one digit off is another area), one up to seven letters, then two.

    >>> [allowed_slips(w) for w in ("cat", "glasgow", "andersten", "s1200004")]
    [0, 1, 2, 0]
    """
    if not word.isalpha() or len(word) <= 3:
        return 0
    return 1 if len(word) <= 7 else 2


def edit_distance(first: str, second: str, bound: int) -> int:
    """How many letters must be added, removed, changed or swapped with the next to make one
    word the other (optimal string alignment), or ``bound + 1`` when it is more than that.

    >>> edit_distance("andersten", "anderston", 2), edit_distance("glasgwo", "glasgow", 2)
    (1, 1)
    >>> edit_distance("mon", "glasgow", 2)
    3
    """
    # rapidfuzz's C++, stopping at the bound: the Python loop it replaces took most of the
    # time of a search for a mistyped word.
    return int(OSA.distance(first, second, score_cutoff=bound))


def trigrams(word: str) -> set[str]:
    """The three-letter pieces of ``word``, its ends marked so that they count too.

    >>> sorted(trigrams("mon"))
    ['  m', ' mo', 'mon', 'on ']
    """
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class Spelling:
    """The distinct words of a release, findable by prefix, by piece and by near spelling."""

    def __init__(
        self, words: list[str], pieces: KeyedLists[str], sized: KeyedLists[tuple[str, int]]
    ) -> None:
        self.words = words
        """Sorted."""
        self._ids = {word: i for i, word in enumerate(words)}
        self.pieces = pieces
        """Three-letter piece -> the numbers of the words holding it."""
        self.sized = sized
        """(piece, length) -> the numbers of the words of letters of that length holding it."""

    @classmethod
    def of(cls, words: Iterable[str]) -> Spelling:
        """The words given, indexed."""
        ordered = sorted(set(words))
        pieces: dict[str, list[int]] = {}
        # Near spellings are only ever sought among words of letters, of about the typed
        # length: keyed by length too, the lists to count over are a fraction as long.
        sized: dict[tuple[str, int], list[int]] = {}
        for i, word in enumerate(ordered):
            for piece in trigrams(word):
                pieces.setdefault(piece, []).append(i)
                if word.isalpha():
                    sized.setdefault((piece, len(word)), []).append(i)
        return cls(ordered, KeyedLists.of(pieces), KeyedLists.of(sized))

    def id_of(self, word: str) -> int:
        """The number of a word of the release.

        :raises KeyError: for a word the release does not hold.
        """
        return self._ids[word]

    def matches(self, typed: str) -> dict[int, int]:
        """Word number -> how well it matches ``typed`` (``EXACT``, ``PREFIX``, ``INSIDE``, or
        ``NEAR`` plus the edit distance): every word of the release that ``typed`` may mean."""
        found: dict[int, int] = {}
        start = bisect.bisect_left(self.words, typed)
        for i in range(start, len(self.words)):
            if not self.words[i].startswith(typed):
                break
            found[i] = EXACT if self.words[i] == typed else PREFIX
        if len(typed) >= 3:
            self._inside_or_near(typed, found)
        return found

    def cost(self, typed: str) -> int:
        """How many words ``matches`` looks at for ``typed``, near spellings aside: those it
        begins, and those holding its rarest piece."""
        start = bisect.bisect_left(self.words, typed)
        begun = bisect.bisect_left(self.words, typed + "\U0010ffff", start) - start
        if len(typed) < 3:
            return begun
        return begun + min(self.pieces.size(p) for p in trigrams(typed) if " " not in p)

    def quality(self, typed: str, word: str) -> int | None:
        """How well ``typed`` matches the one word ``word`` (as in ``matches``), or None."""
        if word.startswith(typed):
            return EXACT if word == typed else PREFIX
        if len(typed) >= 3 and typed in word:
            return INSIDE
        slips = allowed_slips(typed)
        if slips:
            distance = edit_distance(typed, word, slips)
            if distance <= slips:
                return NEAR + distance
        return None

    def _inside_or_near(self, typed: str, found: dict[int, int]) -> None:
        """Add the words holding ``typed`` inside them, and those few edits from it."""
        own = trigrams(typed)
        # A word holding ``typed`` holds each of its inner pieces: the rarest one's list of
        # words is the shortest to check.
        rarest = min((p for p in own if " " not in p), key=self.pieces.size)
        for i in self.pieces.get(rarest):
            if i not in found and typed in self.words[i]:
                found[i] = INSIDE
        slips = allowed_slips(typed)
        # Near spellings are sought only for a word that few words start with or hold: a
        # word that does ("nort", "north") is being typed, not mistyped, and counting the
        # pieces it shares with every word would cost tens of milliseconds.
        if slips and len(found) < FEW:
            self._near(typed, own, slips, found)

    def _near(self, typed: str, own: set[str], slips: int, found: dict[int, int]) -> None:
        """Add the words at most ``slips`` edits from ``typed``."""
        # An edit spoils at most three pieces, a swap of two letters four: a word with fewer
        # than this many in common is further away than allowed.
        needed = max(1, len(own) - 4 * slips)
        shared: Counter[int] = Counter()
        for length in range(len(typed) - slips, len(typed) + slips + 1):
            for piece in own:
                shared.update(self.sized.get((piece, length)))
        close = [i for i, count in shared.items() if count >= needed and i not in found]
        # Compared in one call: rapidfuzz's loop runs in C++, without a Python call a word.
        compared = extract(
            typed,
            [self.words[i] for i in close],
            scorer=OSA.distance,
            score_cutoff=slips,
            limit=None,
        )
        for _, distance, at in compared:
            found[close[at]] = NEAR + int(distance)
