"""What a release offers a list request: the properties its vocabularies declare, what each
property's values are, its classes and its datasets' graphs. The declarations are read once
per release; what a property holds is read on first use (one index lookup) and remembered."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from pyoxigraph import Literal, NamedNode, QuerySolutions

from opendatacommunities.iris import IriSpace
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.listing.names import Form, Kind, Vocabulary, kind_of_term
from opendatacommunities.store.listing.query import Scope
from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import OWL, QB, RDF, RDF_TYPE, RDFS

#: The vocabulary of lists, per release.
VOCABULARY: Slot[Vocabulary] = Slot("list-vocabulary")
_GRAPHS: Slot[frozenset[str]] = Slot("list-graphs")
_PROPERTY_CLASSES = (
    RDF + "Property",
    OWL + "ObjectProperty",
    OWL + "DatatypeProperty",
    OWL + "AnnotationProperty",
    QB + "DimensionProperty",
    QB + "MeasureProperty",
    QB + "AttributeProperty",
)
_CLASS_CLASSES = (OWL + "Class", RDFS + "Class")


def _declared(release: Release, kinds: Iterable[str]) -> list[str]:
    """The IRIs typed as one of ``kinds`` in the release."""
    values = " ".join(f"<{k}>" for k in kinds)
    query = (
        f"SELECT DISTINCT ?p {{ VALUES ?k {{ {values} }} ?p <{RDF_TYPE}> ?k FILTER(isIRI(?p)) }}"
    )
    result = release.store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return [str(row[0].value) for row in result]


class _Kinds:
    """What each property holds, read from its first statement and remembered."""

    def __init__(self, release: Release) -> None:
        self._release = release
        self._known: dict[str, Kind | None] = {}
        self._lock = threading.Lock()

    def __call__(self, iri: str) -> Kind | None:
        with self._lock:
            if iri in self._known:
                return self._known[iri]
        try:
            predicate = NamedNode(iri)
        except ValueError:
            return None
        quads = self._release.store.quads_for_pattern(None, predicate, None, None)
        first = next(iter(quads), None)
        kind = None if first is None else kind_of_term(first.object)
        with self._lock:
            self._known[iri] = kind
        return kind


FORMS_SCAN = 500_000
"""The most values of a property read to learn the forms of its text; past this, text is
compared value by value instead."""


class _Forms:
    """The forms (languages, datatypes) of each text property's values, read on first use
    and remembered."""

    def __init__(self, release: Release) -> None:
        self._release = release
        self._known: dict[str, tuple[Form, ...] | None] = {}
        self._lock = threading.Lock()

    def __call__(self, iri: str) -> tuple[Form, ...] | None:
        with self._lock:
            if iri in self._known:
                return self._known[iri]
        forms = self._read(iri)
        with self._lock:
            self._known[iri] = forms
        return forms

    def _read(self, iri: str) -> tuple[Form, ...] | None:
        found: dict[Form, None] = {}
        quads = self._release.store.quads_for_pattern(None, NamedNode(iri), None, None)
        for seen, quad in enumerate(quads):
            if seen >= FORMS_SCAN:
                return None
            value = quad.object
            if isinstance(value, Literal):
                found[Form(value.language or "", value.datatype.value)] = None
        return tuple(found)


def vocabulary_of(release: Release, base: str, classes: Iterable[str]) -> Vocabulary:
    """The vocabulary of lists over ``release`` (made once per release); ``classes`` are the
    classes with named members (the search index knows them)."""

    def make() -> Vocabulary:
        declared = _declared(release, _PROPERTY_CLASSES)
        known_classes = [*classes, *_declared(release, _CLASS_CLASSES)]
        return Vocabulary.of(base, declared, _Kinds(release), known_classes, _Forms(release))

    return release.cache.once(VOCABULARY, make)


def scope_of(release: Release, base: str, classes: Iterable[str]) -> Scope:
    """Everything list requests over ``release`` are resolved against."""
    graphs = release.cache.once(_GRAPHS, lambda: frozenset(release.graph_names()))
    space = IriSpace(base)

    def graph_of(text: str) -> str | None:
        """The graph of the dataset ``text`` (its name, IRI, or graph's IRI), if it is one."""
        name = text.removeprefix(space.dataset("")).removeprefix(space.graphs())
        candidate = space.dataset_graph(name)
        return candidate if candidate in graphs else None

    def has_instances(kind: str) -> bool:
        try:
            quads = release.store.quads_for_pattern(
                None, NamedNode(RDF_TYPE), NamedNode(kind), None
            )
        except ValueError:
            return False
        return next(iter(quads), None) is not None

    return Scope(vocabulary_of(release, base, classes), graph_of, has_instances)
