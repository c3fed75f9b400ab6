"""Searching the entries of a release: every word typed must match a word of one name or
the code of an entry (as it is, begun, inside it or nearly spelt, ``spelling``), and the
best matches come first: an exact code, an exact name, names starting with the text, words
starting so, words holding the text, near spellings.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from opendatacommunities.store.search.lists import Lists
from opendatacommunities.store.search.spelling import INSIDE, NEAR, PREFIX, Spelling

_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """``text`` in lower case without accents, for matching.

    >>> fold("Ynys Môn")
    'ynys mon'
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Entry:
    """A labelled resource: its IRI, its names (English first), code, types, and what it
    lies within (names repeat: "Castle" is a ward of 23 authorities)."""

    iri: str
    labels: tuple[str, ...]
    notation: str | None
    types: tuple[str, ...]
    parents: tuple[str, ...] = ()
    status: str | None = None
    """``archived`` for a code no longer in use."""

    @property
    def label(self) -> str:
        """The name to show."""
        return self.labels[0]


@dataclass(frozen=True)
class Hit:
    """A search result: the entry, and how well it matched (0 is best)."""

    entry: Entry
    rank: int
    slips: int = 0
    """How many letters the words were mistyped by, in all."""


@dataclass(frozen=True)
class Parts:
    """What an index is made of, each entry at its position (entries in order of their
    folded first name): what ``search.file`` writes and reads."""

    entries: list[Entry]
    labels: list[tuple[str, ...]]
    """The folded names of each entry."""
    notations: list[str]
    """The folded code of each entry ("" for none)."""
    numbered: bytes
    """1 for an entry whose first name holds a digit, else 0."""
    spelling: Spelling
    tokens: Lists
    """The numbers of the words of each entry's names and code, ascending."""
    postings: Lists
    """The positions of the entries holding each word, ascending."""


def parts_of(entries: Iterable[Entry]) -> Parts:
    """The parts of an index of ``entries``."""
    folded = [
        (entry, tuple(_words(label) for label in entry.labels), _words(entry.notation or ""))
        for entry in entries
    ]
    folded.sort(key=lambda item: (item[1][0], item[0].iri))
    spelling = Spelling.of(w for _, labels, code in folded for w in _split(labels, code))
    tokens = [sorted(spelling.id_of(w) for w in _split(labels, code)) for _, labels, code in folded]
    postings: list[list[int]] = [[] for _ in spelling.words]
    for position, held in enumerate(tokens):
        for token in held:
            postings[token].append(position)
    # A name with a number in it ("Anderston - 01", "Cardiff 001A") is a statistical
    # subdivision named after a place: among names that begin with the text, or nearly
    # spell it, the places come first (see _PLACES_FIRST).
    numbered = bytes(any(c.isdigit() for c in labels[0]) for _, labels, _ in folded)
    return Parts(
        [entry for entry, _, _ in folded],
        [labels for _, labels, _ in folded],
        [code for _, _, code in folded],
        numbered,
        spelling,
        Lists.of(tokens),
        Lists.of(postings),
    )


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

    def get(self, iri: str) -> Entry | None:
        """The entry of ``iri``, if it is labelled."""
        return self._by_iri.get(iri)

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
        words = _WORD.findall(fold(text))

        def wanted(entry: Entry) -> bool:
            if kind is not None and kind not in entry.types:
                return False
            return kinds is None or not kinds.isdisjoint(entry.types)

        if not words:
            return [Hit(e, EVERYTHING) for e in self.entries if wanted(e)][:limit]
        whole, everything = " ".join(words), kind is None and kinds is None
        parts = self.parts
        hits = []
        for position, quality in self._candidates(words).items():
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

    def _candidates(self, words: list[str]) -> dict[int, list[int]]:
        """Entry position -> how well each word matched it, for the entries every word
        matches. Of the words of three letters or more, the one matching the fewest entries
        finds the candidates; a candidate's own words are then checked against the others
        (a shorter word begins too many words to list them all)."""
        matches = {i: self.spelling.matches(w) for i, w in enumerate(words) if len(w) >= 3}
        if not matches:
            matches = {0: self.spelling.matches(words[0])}
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


EVERYTHING = 4
"""The rank of every entry listed for an empty search."""
NEAR_RANK = 5
"""The rank of an entry some word only nearly spells."""
_PLACES_FIRST = frozenset({2, NEAR_RANK})
"""Ranks at which a place's subdivisions, named after it and so beginning with or nearly
spelling the same text ("Springburn - 01" for "springburn"), come after the places."""


def _words(text: str) -> str:
    """The folded words of ``text``, one space apart: what queries are matched against."""
    return " ".join(_WORD.findall(fold(text)))


def _split(labels: tuple[str, ...], notation: str) -> set[str]:
    return {w for joined in (*labels, notation) for w in joined.split()}


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
