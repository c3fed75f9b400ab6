"""The words of a release, read once: the label and code of every labelled IRI, and how
properties with an ``owl:inverseOf`` read backwards.

A page shows every IRI it links to by name, so every page needs the labels of a dozen or
more IRIs. Asking the store for them costs milliseconds per page; a release holds only some
tens of thousands of labelled IRIs (areas, codes, vocabulary terms) beside millions of
unlabelled observations, so reading them all once, when the release is opened, makes the
labels of any page a few dictionary lookups. Types are asked per IRI (observations are
typed too, and there are millions of them) and remembered, up to a bound.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, QuerySolutions, Triple

from opendatacommunities.store.cache import Slot
from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import LABEL_PROPERTIES, OWL_INVERSE_OF, RDF_TYPE, SKOS_NOTATION

# How many IRIs' types are remembered; past this the memo starts again (types are cheap to
# read back, a few tens of microseconds each).
TYPES_REMEMBERED = 200_000
_TYPE = NamedNode(RDF_TYPE)


def language_rank(literal: Literal) -> int:
    """0 for English or no language, 1 for a regional English, 2 for anything else.

    >>> [language_rank(Literal("x", language=t)) for t in ("en", "en-GB", "cy")]
    [0, 1, 2]
    """
    language = (literal.language or "").lower()
    if language in ("", "en"):
        return 0
    return 1 if language.startswith("en-") else 2


@dataclass(frozen=True, slots=True)
class Word:
    """What the lexicon knows of one IRI."""

    label: str | None = None
    """The chosen label: ``skos:prefLabel`` over ``rdfs:label``, English first."""
    label_triple: Triple | None = None
    """The statement of that label, as it is in the store."""
    notation: str | None = None
    inverse_label: str | None = None
    """For a property with an ``owl:inverseOf``: the inverse's label."""
    other_labels: tuple[str, ...] = ()
    """Its other names (Ynys Môn beside Isle of Anglesey), for search."""


_NOTHING = Word()


def _pairs(store: GraphStore, predicate: str) -> Iterator[tuple[NamedNode, object]]:
    """(subject IRI, object) of every triple with ``predicate``, in any graph."""
    # No FILTER(isIRI(?s)): testing the type here is a third of the time it takes Oxigraph.
    result = store.query(f"SELECT ?s ?o {{ ?s <{predicate}> ?o }}", use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    for subject, obj in result:
        if isinstance(subject, NamedNode):
            yield subject, obj


def _best_labels(store: GraphStore) -> tuple[dict[str, Triple], dict[str, tuple[str, ...]]]:
    """The chosen label statement of every labelled IRI, and the other label values of
    those that have more than one."""
    best: dict[str, tuple[tuple[int, int, str], NamedNode, Literal]] = {}
    others: dict[str, set[str]] = {}
    for index, prop in enumerate(LABEL_PROPERTIES):
        for subject, label in _pairs(store, prop):
            if isinstance(label, Literal):
                # The value last: labels of the same rank are chosen the same way every time.
                rank = (language_rank(label), index, label.value)
                held = best.get(subject.value)
                if held is None or rank < held[0]:
                    best[subject.value] = (rank, subject, label)
                if held is not None:
                    others.setdefault(subject.value, {held[2].value}).add(label.value)
    predicates = [NamedNode(p) for p in LABEL_PROPERTIES]
    alternatives = {
        iri: tuple(sorted(values - {best[iri][2].value}))
        for iri, values in others.items()
        if len(values) > 1
    }
    return {
        iri: Triple(subject, predicates[rank[1]], label)
        for iri, (rank, subject, label) in best.items()
    }, alternatives


def _notations(store: GraphStore) -> dict[str, str]:
    found: dict[str, str] = {}
    for subject, notation in _pairs(store, SKOS_NOTATION):
        if isinstance(notation, Literal):
            held = found.get(subject.value)
            found[subject.value] = notation.value if held is None else min(held, notation.value)
    return found


def _inverse_labels(store: GraphStore, labels: dict[str, Triple]) -> dict[str, str]:
    """For each property P with ``P owl:inverseOf Q`` or ``Q owl:inverseOf P``: Q's label."""
    candidates: dict[str, list[Literal]] = {}
    for subject, other in _pairs(store, OWL_INVERSE_OF):
        if isinstance(other, NamedNode):
            for prop, inverse in ((subject.value, other.value), (other.value, subject.value)):
                label = labels.get(inverse)
                if label is not None and isinstance(label.object, Literal):
                    candidates.setdefault(prop, []).append(label.object)
    return {
        prop: min(found, key=lambda lit: (language_rank(lit), lit.value)).value
        for prop, found in candidates.items()
    }


class Lexicon:
    """Labels, codes and inverse wording of every IRI of one (read-only) store."""

    def __init__(self, store: GraphStore, words: dict[str, Word]) -> None:
        self.store = store
        self.words = words
        self._types: dict[str, tuple[str, ...]] = {}

    @classmethod
    def read(cls, store: GraphStore) -> Lexicon:
        """Read every label, notation and ``owl:inverseOf`` of ``store`` (all graphs)."""
        labels, alternatives = _best_labels(store)
        notations = _notations(store)
        inverses = _inverse_labels(store, labels)
        words = {}
        for iri in labels.keys() | notations.keys() | inverses.keys():
            triple = labels.get(iri)
            label = triple.object if triple is not None else None
            text = label.value if isinstance(label, Literal) else None
            other = alternatives.get(iri, ())
            words[iri] = Word(text, triple, notations.get(iri), inverses.get(iri), other)
        return cls(store, words)

    def word(self, iri: str) -> Word:
        """What is known of ``iri`` (an empty ``Word`` for an unlabelled IRI)."""
        return self.words.get(iri, _NOTHING)

    def label(self, iri: str) -> str | None:
        """The chosen label of ``iri``, if it has one."""
        return self.words.get(iri, _NOTHING).label

    def types(self, iri: str) -> tuple[str, ...]:
        """The ``rdf:type`` IRIs of ``iri``, in the store's order.

        :raises ValueError: if ``iri`` is not an IRI.
        """
        known = self._types.get(iri)
        if known is None:
            quads = self.store.quads_for_pattern(NamedNode(iri), _TYPE, None, None)
            found = (q.object.value for q in quads if isinstance(q.object, NamedNode))
            known = tuple(dict.fromkeys(found))
            if len(self._types) >= TYPES_REMEMBERED:
                self._types = {}
            self._types[iri] = known
        return known


#: Where a release keeps its lexicon.
LEXICON: Slot[Lexicon] = Slot("lexicon")


def lexicon_of(release: Release) -> Lexicon:
    """The lexicon of ``release``, read on first use and kept in its cache for as long as
    the release is served. Concurrent first calls wait for one read."""
    return release.cache.once(LEXICON, lambda: Lexicon.read(release.store))
