"""Finding resources by name or code: an index of every labelled resource of a release.

A release holds some tens of thousands of labelled resources (areas, codes, datasets,
vocabulary terms) beside millions of unlabelled observations. The index takes their names and
codes from the release's lexicon (read when the release is opened), adds each one's types,
parents and status once, and then answers a search in memory: matching words against folded
names ("Ynys Mon" finds "Ynys Môn") and codes, ranked so that an exact code or name comes
first.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from pyoxigraph import QuerySolutions, Store

from opendatacommunities.store.cache import Slot
from opendatacommunities.store.lexicon import Lexicon, lexicon_of
from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import LABEL_PROPERTIES, RDF_TYPE

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


def _pairs(store: Store, query: str) -> dict[str, set[str]]:
    """Subject IRI -> the values of ``?o``, from a query selecting ``?s ?o``."""
    found: dict[str, set[str]] = {}
    result = store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    for subject, value in result:
        values = found.setdefault(str(subject.value), set())
        if value is not None:
            values.add(str(value.value))
    return found


def _types_of_labelled(store: Store) -> dict[str, set[str]]:
    """The types of every labelled subject. The OPTIONAL makes Oxigraph start from the
    labels (some tens of thousands), not from every typed observation (millions)."""
    labels = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)
    query = f"SELECT ?s ?o {{ ?s {labels} ?l OPTIONAL {{ ?s <{RDF_TYPE}> ?o }} }}"
    return _pairs(store, query)


class SearchIndex:
    """Every labelled resource of a store, searchable by words of its names or its code."""

    def __init__(self, entries: Iterable[Entry]) -> None:
        folded = [
            (entry, tuple(_words(label) for label in entry.labels), _words(entry.notation or ""))
            for entry in entries
        ]
        folded.sort(key=lambda item: (item[1][0], item[0].iri))
        self._folded = folded
        self.entries = [entry for entry, _, _ in folded]
        self._by_iri = {entry.iri: entry for entry in self.entries}
        self.type_counts = Counter(t for entry in self.entries for t in entry.types)

    @classmethod
    def build(
        cls, lexicon: Lexicon, *, parent: str | None = None, status: str | None = None
    ) -> SearchIndex:
        """Every labelled IRI of the lexicon's store, with what each lies within along the
        property ``parent`` and its value of ``status``."""
        store = lexicon.store
        types = _types_of_labelled(store)
        parents = _pairs(store, f"SELECT ?s ?o {{ ?s <{parent}> ?o }}") if parent else {}
        states = _pairs(store, f"SELECT ?s ?o {{ ?s <{status}> ?o }}") if status else {}
        entries = []
        for iri, word in lexicon.words.items():
            if word.label is None:
                continue
            state = min(states[iri]) if iri in states else None
            entries.append(
                Entry(
                    iri,
                    (word.label, *word.other_labels),
                    word.notation,
                    tuple(sorted(types.get(iri, ()))),
                    tuple(sorted(parents.get(iri, ()))),
                    state,
                )
            )
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


#: Where a release keeps its search index.
SEARCH_INDEX: Slot[SearchIndex] = Slot("search-index")


def search_index(
    release: Release, *, parent: str | None = None, status: str | None = None
) -> SearchIndex:
    """The index of ``release`` (see ``SearchIndex.build``), built on first use and kept as
    long as the release is served (concurrent first requests wait for one build)."""

    def build() -> SearchIndex:
        return SearchIndex.build(lexicon_of(release), parent=parent, status=status)

    return release.cache.once(SEARCH_INDEX, build)
