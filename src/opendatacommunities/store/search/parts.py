"""What a search index is made of: its entries (labelled resources) and, for each, its
names and code folded (lower case, no accents, words one space apart), and the tables that
find them by their words (``spelling``, ``lists``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from opendatacommunities.store.search.lists import Lists
from opendatacommunities.store.search.spelling import Spelling

WORD = re.compile(r"\w+")


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
        (entry, tuple(words(label) for label in entry.labels), words(entry.notation or ""))
        for entry in entries
    ]
    folded.sort(key=lambda item: (item[1][0], item[0].iri))
    spelling = Spelling.of(w for _, labels, code in folded for w in split(labels, code))
    tokens = [sorted(spelling.id_of(w) for w in split(labels, code)) for _, labels, code in folded]
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


def words(text: str) -> str:
    """The folded words of ``text``, one space apart: what queries are matched against."""
    return " ".join(WORD.findall(fold(text)))


def split(labels: tuple[str, ...], notation: str) -> set[str]:
    return {w for joined in (*labels, notation) for w in joined.split()}
