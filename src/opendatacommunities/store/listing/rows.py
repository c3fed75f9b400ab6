"""What a page of a list shows of each item: the values along each column's path, read from
the page's statements, and the page as RDF with its Hydra view (members, count, neighbours).

>>> from pyoxigraph import NamedNode, Literal
>>> t = Triple(NamedNode("http://h/a"), NamedNode("http://h/p"), Literal("1"))
>>> Statements((t,)).along("http://h/a", ("http://h/p",))
(<Literal value=1 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#string>>,)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from opendatacommunities.store.lexicon import language_rank
from opendatacommunities.store.listing.query import PropertyPath
from opendatacommunities.vocab import (
    LABEL_PROPERTIES,
    PREFIXES,
    RDF_TYPE,
    SKOS_NOTATION,
    XSD,
)

HYDRA = "http://www.w3.org/ns/hydra/core#"
Node = NamedNode | BlankNode | Literal


@dataclass(frozen=True)
class Value:
    """One value of a cell: its text, and the IRI it names (for a resource)."""

    text: str
    iri: str | None = None


class Statements:
    """A page's statements, by subject and predicate."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._by: dict[tuple[str, str], list[Node]] = {}
        for triple in triples:
            if isinstance(triple.subject, NamedNode | BlankNode) and isinstance(
                triple.object, NamedNode | BlankNode | Literal
            ):
                key = (str(triple.subject), triple.predicate.value)
                self._by.setdefault(key, []).append(triple.object)

    def objects(self, subject: str, predicate: str) -> list[Node]:
        """The objects of ``subject predicate`` (``subject`` an IRI, or ``_:id``)."""
        key = subject if subject.startswith("_:") else str(NamedNode(subject))
        return self._by.get((key, predicate), [])

    def along(self, item: str, steps: Sequence[str]) -> tuple[Node, ...]:
        """The values reached from ``item`` along the properties ``steps``, without repeats."""
        found: list[Node] = [NamedNode(item)]
        for step in steps:
            found = [
                value
                for node in found
                if not isinstance(node, Literal)
                for value in self.objects(_key(node), step)
            ]
        return tuple(dict.fromkeys(found))

    def label(self, item: str) -> str | None:
        """The name of ``item``: a preferred label over a label, English first."""
        for predicate in LABEL_PROPERTIES:
            names = [v for v in self.objects(item, predicate) if isinstance(v, Literal)]
            if names:
                return min(names, key=language_rank).value
        return None

    def notation(self, item: str) -> str | None:
        """The code of ``item``, if it has one."""
        codes = [v.value for v in self.objects(item, SKOS_NOTATION) if isinstance(v, Literal)]
        return min(codes) if codes else None

    def types(self, item: str) -> list[str]:
        """The classes of ``item``."""
        return sorted(v.value for v in self.objects(item, RDF_TYPE) if isinstance(v, NamedNode))


def _key(node: NamedNode | BlankNode) -> str:
    return node.value if isinstance(node, NamedNode) else str(node)


def cell(
    statements: Statements, item: str, path: PropertyPath, name: Callable[[str], str | None]
) -> tuple[Value, ...]:
    """The values of ``item``'s cell for ``path``; resources shown by ``name`` (or IRI)."""
    values = []
    for node in statements.along(item, path.iris):
        if isinstance(node, NamedNode):
            values.append(Value(name(node.value) or node.value, node.value))
        elif isinstance(node, Literal):
            values.append(Value(node.value))
    return tuple(values)


@dataclass(frozen=True)
class View:
    """Where a page is and its neighbours, for Hydra's ``PartialCollectionView``."""

    collection: str
    here: str
    previous: str | None
    next: str | None
    total: int | None
    """The number of items, when it is known exactly."""


def page_rdf(triples: Iterable[Triple], items: Iterable[str], view: View, rdf: RdfFormat) -> bytes:
    """The page's statements and its Hydra view, in the RDF format ``rdf``."""
    collection, here = NamedNode(view.collection), NamedNode(view.here)
    extra = [
        Triple(collection, NamedNode(RDF_TYPE), NamedNode(HYDRA + "Collection")),
        Triple(collection, NamedNode(HYDRA + "view"), here),
        Triple(here, NamedNode(RDF_TYPE), NamedNode(HYDRA + "PartialCollectionView")),
        *(Triple(collection, NamedNode(HYDRA + "member"), NamedNode(i)) for i in items),
    ]
    if view.total is not None:
        total = Literal(str(view.total), datatype=NamedNode(XSD + "integer"))
        extra.append(Triple(collection, NamedNode(HYDRA + "totalItems"), total))
    for link, target in (("previous", view.previous), ("next", view.next)):
        if target is not None:
            extra.append(Triple(here, NamedNode(HYDRA + link), NamedNode(target)))
    prefixes = {**PREFIXES, "hydra": HYDRA}
    written = pyoxigraph.serialize([*triples, *extra], format=rdf, prefixes=prefixes)
    assert written is not None
    return written
