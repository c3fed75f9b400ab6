"""Finding resources by name or code: an index of every labelled resource of a release.

A release holds some tens of thousands of labelled resources (areas, codes, datasets,
vocabulary terms) beside millions of unlabelled observations. The index reads the labelled
ones once per release (about a second) and then answers a search in memory: matching words
against folded labels ("Ynys Mon" finds "Ynys Môn") and codes, ranked so that an exact code
or name comes first.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import Literal, NamedNode, Store

from opendatacommunities.iris import DCT, LABEL_PROPERTIES, RDF_TYPE, SKOS_NOTATION
from opendatacommunities.store.releases import Release

_WORD = re.compile(r"\w+")
_LABELS = (*LABEL_PROPERTIES, DCT + "title")


def fold(text: str) -> str:
    """``text`` in lower case without accents, for matching.

    >>> fold("Ynys Môn")
    'ynys mon'
    """
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


def _language_rank(literal: Literal) -> int:
    language = literal.language or ""
    return 0 if language in ("", "en") or language.startswith("en-") else 1


@dataclass
class _Gathered:
    labels: list[Literal] = field(default_factory=list)
    notations: set[str] = field(default_factory=set)
    types: set[str] = field(default_factory=set)
    parents: set[str] = field(default_factory=set)
    status: set[str] = field(default_factory=set)


def _values(store: Store, subject: NamedNode, predicate: str) -> Iterator[str]:
    for quad in store.quads_for_pattern(subject, NamedNode(predicate), None, None):
        yield str(getattr(quad.object, "value", quad.object))


def _collect(store: Store, parent: str | None, status: str | None) -> dict[str, _Gathered]:
    """Labels, codes, types and parents of every labelled IRI, read straight from the
    indexes (one scan per label property, then lookups per subject)."""
    found: dict[str, _Gathered] = {}
    for prop in _LABELS:
        for quad in store.quads_for_pattern(None, NamedNode(prop), None, None):
            subject, label = quad.subject, quad.object
            if isinstance(subject, NamedNode) and isinstance(label, Literal):
                labels = found.setdefault(subject.value, _Gathered()).labels
                if label not in labels:
                    labels.append(label)
    for iri, gathered in found.items():
        subject = NamedNode(iri)
        gathered.notations.update(_values(store, subject, SKOS_NOTATION))
        gathered.types.update(_values(store, subject, RDF_TYPE))
        if parent is not None:
            gathered.parents.update(_values(store, subject, parent))
        if status is not None:
            gathered.status.update(_values(store, subject, status))
    return found


class SearchIndex:
    """Every labelled resource of a store, searchable by words of its names or its code."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        self.entries = sorted(entries, key=lambda e: (fold(e.label), e.iri))
        self._folded = [
            (entry, tuple(_words(label) for label in entry.labels), _words(entry.notation or ""))
            for entry in self.entries
        ]
        self._by_iri = {entry.iri: entry for entry in self.entries}
        self.type_counts = Counter(t for entry in self.entries for t in entry.types)

    @classmethod
    def build(
        cls, store: Store, *, parent: str | None = None, status: str | None = None
    ) -> SearchIndex:
        """Read every labelled IRI of ``store`` (all graphs), with what each lies within
        along the property ``parent`` and its value of ``status``."""
        entries = []
        for iri, found in _collect(store, parent, status).items():
            ordered = sorted(found.labels, key=lambda lit: (_language_rank(lit), lit.value))
            names = tuple(dict.fromkeys(lit.value for lit in ordered))
            notation = min(found.notations) if found.notations else None
            types, parents = tuple(sorted(found.types)), tuple(sorted(found.parents))
            state = min(found.status) if found.status else None
            entries.append(Entry(iri, names, notation, types, parents, state))
        return cls(entries)

    def get(self, iri: str) -> Entry | None:
        """The entry of ``iri``, if it is labelled."""
        return self._by_iri.get(iri)

    def search(self, text: str, *, kind: str | None = None) -> list[Hit]:
        """Entries whose names or code match every word of ``text``, best first; only those
        of type ``kind`` when given. An empty ``text`` lists every entry (of that type)."""
        words = _WORD.findall(fold(text))
        whole = " ".join(words)
        hits = []
        for entry, labels, notation in self._folded:
            if kind is not None and kind not in entry.types:
                continue
            rank = _rank(words, whole, labels, notation)
            if rank is not None:
                hits.append(Hit(entry, rank))
        hits.sort(key=lambda hit: hit.rank)  # stable: ties stay in label order
        return hits


def _words(text: str) -> str:
    """The folded words of ``text``, one space apart: what queries are matched against."""
    return " ".join(_WORD.findall(fold(text)))


def _rank(words: list[str], whole: str, labels: tuple[str, ...], notation: str) -> int | None:
    """0 exact code, 1 exact name, 2 name or code starting with the text, 3 every word
    starting a word of a name, 4 every word somewhere in a name; None for no match."""
    if not words:
        return 4
    if whole == notation:
        return 0
    best: int | None = None
    if notation.startswith(whole):
        best = 2
    for joined in labels:
        if not all(w in joined for w in words):
            continue
        if joined == whole:
            return 1
        if joined.startswith(whole):
            rank = 2
        elif all(re.search(rf"\b{re.escape(w)}", joined) for w in words):
            rank = 3
        else:
            rank = 4
        best = rank if best is None else min(best, rank)
    return best


_BUILDING = threading.Lock()


def search_index(
    release: Release, *, parent: str | None = None, status: str | None = None
) -> SearchIndex:
    """The index of ``release`` (see ``SearchIndex.build``), built on first use and kept as
    long as the release is served (concurrent first requests wait for one build)."""
    index = release.memo.get("search-index")
    if index is None:
        with _BUILDING:
            index = release.memo.get("search-index")
            if index is None:
                index = release.memo["search-index"] = SearchIndex.build(
                    release.store, parent=parent, status=status
                )
    assert isinstance(index, SearchIndex)
    return index
