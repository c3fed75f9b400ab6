"""What a resource page says, in words: built from a store ``Description``, shared by the
HTML page and the plain JSON representation.

Every IRI is shown by its label and the words for its type; properties by their labels;
incoming links grouped by property and worded from the resource's side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING
from urllib.parse import quote

from markupsafe import Markup

from opendatacommunities.formats import RESOURCE_FORMATS
from opendatacommunities.iris import compact, humanise
from opendatacommunities.store import Description
from opendatacommunities.store.stars import Rating
from opendatacommunities.store.terms import BlankNode, Literal, NamedNode, Triple
from opendatacommunities.vocab import (
    DCT_IS_REPLACED_BY,
    LABEL_PROPERTIES,
    PREFIXES,
    RDF_TYPE,
    SKOS_NOTATION,
    XSD,
)
from opendatacommunities.web.wkt import wkt_to_svg
from opendatacommunities.web.words import LinkView, Words, literal_words

if TYPE_CHECKING:
    from opendatacommunities.web.cube.areas import DatasetFigures
    from opendatacommunities.web.dataset_facts import DatasetFacts
    from opendatacommunities.web.places.areas import AreaPlace

LONG_TEXT = 300
_FIRST_PROPERTIES = {RDF_TYPE: 0, **dict.fromkeys(LABEL_PROPERTIES, 1), SKOS_NOTATION: 2}


@dataclass(frozen=True)
class Address:
    """Where a resource page lives, to build its links to other formats and pages.

    >>> Address("/doc/a").with_format("ttl"), Address("/resource", "uri=x").with_page(2)
    ('/doc/a.ttl', '/resource?uri=x&page=2')
    """

    path: str
    query: str = ""

    def with_format(self, key: str, page: int = 1) -> str:
        """This page's URL in another format."""
        return self._url(f"{self.path}.{key}", page)

    def with_page(self, page: int) -> str:
        """This page's URL at another page of incoming links (same format)."""
        return self._url(self.path, page)

    def _url(self, path: str, page: int) -> str:
        params = [p for p in (self.query, f"page={page}" if page > 1 else "") if p]
        return path + ("?" + "&".join(params) if params else "")


@dataclass(frozen=True)
class ValueView:
    """One value of a property: a link, a literal, or a nested blank node."""

    text: str
    link: LinkView | None = None
    note: str = ""
    nested: tuple[PropertyView, ...] = ()
    truncated: bool = False
    lexical: str = ""
    """For a date or number shown in words: the value as the data writes it."""
    datatype: str = ""
    """For a date or number shown in words: its datatype, for the data formats."""


@dataclass(frozen=True)
class PropertyView:
    """A property of the resource and its values."""

    property: LinkView
    values: tuple[ValueView, ...]


@dataclass(frozen=True)
class IncomingView:
    """Resources that link here through one property."""

    heading: str
    property: LinkView
    count: int
    items: tuple[LinkView, ...]


@dataclass(frozen=True)
class PageView:
    """Everything the resource page shows."""

    subject: LinkView
    properties: tuple[PropertyView, ...]
    incoming: tuple[IncomingView, ...]
    incoming_total: int
    page: int
    pages: int
    replaced_by: tuple[LinkView, ...]
    map_svg: Markup | None
    formats: tuple[tuple[str, str], ...]
    sparql_href: str
    address: Address
    page_links: dict[str, str] = field(default_factory=dict)
    statistics: tuple[DatasetFigures, ...] = ()
    """For an area: its observations by dataset (instead of a link in for each)."""
    dataset: DatasetFacts | None = None
    """For a dataset of the catalogue: its provenance, size, dumps and example queries."""
    stars: Rating | None = None
    """For a dataset of the catalogue: its five-star rating."""
    place: AreaPlace | None = None
    """For an area: where it sits, and its profile."""


@lru_cache(maxsize=1024)
def _datatype_note(datatype: str) -> str:
    return compact(datatype, PREFIXES) or humanise(datatype)


def _literal_view(literal: Literal) -> ValueView:
    note = literal.language or ""
    datatype = literal.datatype.value
    words = None if note else literal_words(literal.value, datatype)
    if words is not None:  # read as words on the page; the data formats keep the value
        return ValueView(words, lexical=literal.value, datatype=_datatype_note(datatype))
    if not note and datatype != XSD + "string":
        note = _datatype_note(datatype)
    text = literal.value
    if len(text) > LONG_TEXT:
        return ValueView(text[:LONG_TEXT] + "…", note=note, truncated=True)
    return ValueView(text, note=note)


def _property_order(words: Words, prop: str) -> tuple[int, str]:
    return (_FIRST_PROPERTIES.get(prop, 3), words.name(prop).lower())


def _properties(
    words: Words,
    subject: NamedNode | BlankNode,
    by_subject: dict[NamedNode | BlankNode, list[Triple]],
    depth: int = 0,
) -> tuple[PropertyView, ...]:
    grouped: dict[str, list[ValueView]] = {}
    for triple in by_subject.get(subject, []):
        obj = triple.object
        if isinstance(obj, Literal):
            value = _literal_view(obj)
        elif isinstance(obj, NamedNode):
            link = words.link(obj.value)
            value = ValueView(link.text, link=link)
        elif isinstance(obj, BlankNode) and depth < 4:
            value = ValueView("", nested=_properties(words, obj, by_subject, depth + 1))
        else:
            continue
        grouped.setdefault(triple.predicate.value, []).append(value)
    ordered = sorted(grouped, key=lambda p: _property_order(words, p))
    return tuple(
        PropertyView(words.link(p), tuple(sorted(grouped[p], key=lambda v: v.text.lower())))
        for p in ordered
    )


def build_page(description: Description, words: Words, address: Address) -> PageView:
    """The view of a described resource at ``address``."""
    iri = description.iri
    by_subject: dict[NamedNode | BlankNode, list[Triple]] = {}
    for triple in description.triples:
        if isinstance(triple.subject, NamedNode | BlankNode):
            by_subject.setdefault(triple.subject, []).append(triple)
    subject = words.link(iri)
    this = subject.text
    incoming = tuple(
        IncomingView(
            words.incoming_heading(group.property, this),
            words.link(group.property),
            group.count,
            tuple(words.link(s) for s in group.subjects),
        )
        for group in description.incoming
    )
    page, pages = description.page, description.pages
    replaced = [
        t.object.value
        for t in description.triples
        if t.predicate.value == DCT_IS_REPLACED_BY and isinstance(t.object, NamedNode)
    ]
    return PageView(
        subject=subject,
        properties=_properties(words, NamedNode(iri), by_subject),
        incoming=incoming,
        incoming_total=description.incoming_total,
        page=page,
        pages=pages,
        replaced_by=tuple(words.link(r) for r in replaced),
        map_svg=wkt_to_svg(description.geometries, this) if description.geometries else None,
        formats=tuple((f.name, address.with_format(f.key, page)) for f in RESOURCE_FORMATS),
        sparql_href="/sparql?query=" + quote(f"DESCRIBE <{iri}>", safe=""),
        address=address,
        page_links=page_links(address, page, pages),
    )


def page_links(address: Address, page: int, pages: int) -> dict[str, str]:
    """Links to the first, previous, next and last pages, where there are such pages."""
    links = {}
    if page > 1:
        links["first"] = address.with_page(1)
        links["prev"] = address.with_page(min(page - 1, pages))
    if page < pages:
        links["next"] = address.with_page(page + 1)
        links["last"] = address.with_page(pages)
    return links
