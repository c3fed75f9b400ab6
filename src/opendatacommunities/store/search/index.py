"""Searching the entries of a release: every word typed must match a word of one name or
the code of an entry (as it is, begun, inside it or nearly spelt, ``spelling``), and the
best matches come first: an exact code, an exact name, names starting with the text, words
starting so, words holding the text, near spellings.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from opendatacommunities.store.search.begun import Begun
from opendatacommunities.store.search.parts import WORD, Entry, Parts, fold, parts_of
from opendatacommunities.store.search.spelling import INSIDE, NEAR, PREFIX, allowed_slips


@dataclass(frozen=True)
class Hit:
    """A search result: the entry, and how well it matched (0 is best)."""

    entry: Entry
    rank: int
    slips: int = 0
    """How many letters the words were mistyped by, in all."""


class SearchIndex:
    """Every labelled resource of a store, searchable by words of its names or its code."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self._use(parts_of(entries))

    @classmethod
    def from_parts(cls, parts: Parts) -> SearchIndex:
        """The index made of ``parts`` (as ``search.file`` reads them)."""
        index = cls.__new__(cls)
        index._use(parts)
        return index

    def _use(self, parts: Parts) -> None:
        self.parts = parts
        self.entries = parts.entries
        self._by_iri = {entry.iri: entry for entry in self.entries}
        self.type_counts = Counter(t for entry in self.entries for t in entry.types)
        self.spelling = parts.spelling
        self._begun = Begun(parts)

    def get(self, iri: str) -> Entry | None:
        """The entry of ``iri``, if it is labelled."""
        return self._by_iri.get(iri)

    def quick(self, text: str, limit: int) -> bool:
        """Whether a search for ``text`` keeping ``limit`` results is sure to be quick (a
        millisecond or so): enough names begin with it, or one of its words is found by
        looking at few words (``CHEAP``) in few entries (``FEW_ENTRIES``). One that is not
        ("s s s", "and and") may gather tens of thousands of matches."""
        words = WORD.findall(fold(text))
        if not words or self._begun.best(" ".join(words), limit) is not None:
            return True
        postings = self.parts.postings
        for word in dict.fromkeys(words):
            if self.spelling.cost(word) <= CHEAP:
                found = self.spelling.matches(word)
                if sum(postings.size(t) for t in found) <= FEW_ENTRIES:
                    return True
        return False

    def search(
        self,
        text: str,
        *,
        kind: str | None = None,
        kinds: AbstractSet[str] | None = None,
        limit: int | None = None,
    ) -> list[Hit]:
        """Entries whose names or code match every word of ``text``, best first (the first
        ``limit`` only, when given); only those of type ``kind``, and of one of the types
        ``kinds``, when given. A word matches a word of a name that it is, starts, lies inside
        or nearly spells (``Spelling``). An empty ``text`` lists every entry (of those types)
        by name."""
        words = WORD.findall(fold(text))

        def wanted(entry: Entry) -> bool:
            if kind is not None and kind not in entry.types:
                return False
            return kinds is None or not kinds.isdisjoint(entry.types)

        if not words:
            return [Hit(e, EVERYTHING) for e in self.entries if wanted(e)][:limit]
        whole, everything = " ".join(words), kind is None and kinds is None
        parts = self.parts
        if limit is not None and everything:
            begun = self._begun.best(whole, limit)
            if begun is not None:
                return self._head(whole, begun, limit)
        # A word typed twice matches as once: each distinct word is matched once, and its
        # quality counted as often as it was typed.
        distinct = list(dict.fromkeys(words))
        typed = [distinct.index(word) for word in words]
        hits = []
        for position, qualities in self._candidates(distinct).items():
            quality = [qualities[i] for i in typed]
            entry = parts.entries[position]
            if everything or wanted(entry):
                rank = _rank(whole, parts.labels[position], parts.notations[position], max(quality))
                slips = sum(q - NEAR for q in quality if q >= NEAR) if rank == NEAR_RANK else 0
                numbered = rank in _PLACES_FIRST and parts.numbered[position] == 1
                hits.append((rank, slips, numbered, position, entry))
        if limit is None:
            hits.sort(key=lambda hit: hit[:4])  # the position last: ties stay in label order
        else:
            hits = heapq.nsmallest(limit, hits, key=lambda hit: hit[:4])
        return [Hit(entry, rank, slips) for rank, slips, _, _, entry in hits]

    def _head(self, whole: str, positions: Iterable[int], limit: int) -> list[Hit]:
        """The best ``limit`` of entries a name or code of which begins with ``whole``."""
        parts = self.parts
        hits = []
        for position in positions:
            rank = _rank(whole, parts.labels[position], parts.notations[position], PREFIX)
            numbered = rank in _PLACES_FIRST and parts.numbered[position] == 1
            hits.append((rank, numbered, position))
        return [Hit(parts.entries[p], rank) for rank, _, p in heapq.nsmallest(limit, hits)]

    def _candidates(self, words: list[str]) -> dict[int, list[int]]:
        """Entry position -> how well each word matched it, for the entries every word
        matches. Of the words listed, the one matching the fewest entries finds the
        candidates; a candidate's own words are then checked against the others."""
        # Words that may be mistyped are listed with their near spellings, and so are the
        # others when that is cheap; the rest ("010" lies inside tens of thousands of codes)
        # are checked on the candidates' own words only.
        spelling = self.spelling
        matches = {
            i: spelling.matches(w)
            for i, w in enumerate(words)
            if allowed_slips(w) or spelling.cost(w) <= CHEAP
        }
        if not matches:
            cheapest = min(range(len(words)), key=lambda i: spelling.cost(words[i]))
            matches = {cheapest: spelling.matches(words[cheapest])}
        postings = self.parts.postings
        sizes = {i: sum(postings.size(t) for t in found) for i, found in matches.items()}
        first = min(sizes, key=sizes.__getitem__)
        best: dict[int, int] = {}
        for token, quality in matches[first].items():
            for position in postings[token]:
                if best.get(position, quality + 1) > quality:
                    best[position] = quality
        found: dict[int, list[int]] = {}
        for position, quality in best.items():
            qualities = self._others(words, first, matches, self.parts.tokens[position])
            if qualities is not None:
                found[position] = [quality, *qualities]
        return found

    def _others(
        self,
        words: list[str],
        first: int,
        matches: dict[int, dict[int, int]],
        tokens: Sequence[int],
    ) -> list[int] | None:
        """How well each word but ``first`` matches one of ``tokens``; None if one does not."""
        qualities = []
        for i, typed in enumerate(words):
            if i == first:
                continue
            known = matches.get(i)
            if known is not None:
                seen = [known[t] for t in tokens if t in known]
            else:
                graded = (self.spelling.quality(typed, self.spelling.words[t]) for t in tokens)
                seen = [q for q in graded if q is not None]
            if not seen:
                return None
            qualities.append(min(seen))
        return qualities


CHEAP = 2_000
"""How many words listing the matches of a word may look at (``Spelling.cost``) for it to be
listed even though it cannot be mistyped."""
FEW_ENTRIES = 1_000
"""How many entries the words a word matches may hold for a search to be quick."""
EVERYTHING = 4
"""The rank of every entry listed for an empty search."""
NEAR_RANK = 5
"""The rank of an entry some word only nearly spells."""
_PLACES_FIRST = frozenset({2, NEAR_RANK})
"""Ranks at which a place's subdivisions, named after it and so beginning with or nearly
spelling the same text ("Springburn - 01" for "springburn"), come after the places."""


def _rank(whole: str, labels: tuple[str, ...], notation: str, worst: int) -> int:
    """0 exact code, 1 exact name, 2 name or code starting with the text, 3 every word
    starting a word of a name, 4 every word inside one, 5 some word nearly spelt."""
    if worst > PREFIX:
        # Some word only lies inside a word, or is misspelt: the name and the code can be
        # neither the text nor begin with it, so the names need not be compared.
        return 4 if worst == INSIDE else NEAR_RANK
    if whole == notation:
        return 0
    if whole in labels:
        return 1
    if notation.startswith(whole) or any(joined.startswith(whole) for joined in labels):
        return 2
    return 3
