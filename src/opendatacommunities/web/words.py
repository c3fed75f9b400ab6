"""Words for IRIs: labels from the store, else words for the standard vocabularies, else
words made from the IRI itself; and how incoming links read from the target's side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from urllib.parse import urlsplit

from opendatacommunities.iris import IriSpace, humanise
from opendatacommunities.store import Summary
from opendatacommunities.vocab import (
    DCT,
    DCT_IS_REPLACED_BY,
    DCT_REPLACES,
    GEO_HAS_DEFAULT_GEOMETRY,
    GEO_HAS_GEOMETRY,
    OWL,
    OWL_SAME_AS,
    PROV,
    RDF_TYPE,
    RDFS,
    RDFS_LABEL,
    SKOS,
    SKOS_NOTATION,
    SKOS_PREF_LABEL,
    VOID,
    XSD,
)

# Words for the standard vocabularies' properties, which our store holds no labels for.
PROPERTY_WORDS = {
    RDF_TYPE: "type",
    RDFS_LABEL: "name",
    SKOS_PREF_LABEL: "preferred name",
    SKOS_NOTATION: "code",
    OWL_SAME_AS: "same as",
    DCT_REPLACES: "replaces",
    DCT_IS_REPLACED_BY: "replaced by",
    GEO_HAS_GEOMETRY: "boundary",
    GEO_HAS_DEFAULT_GEOMETRY: "boundary",
    RDFS + "isDefinedBy": "defined by",
    RDFS + "comment": "description",
    OWL + "inverseOf": "inverse of",
    SKOS + "inScheme": "in scheme",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    DCT + "title": "title",
    DCT + "description": "description",
    DCT + "license": "licence",
    DCT + "modified": "last published",
    DCT + "issued": "first published",
    DCT + "publisher": "publisher",
    DCT + "identifier": "identifier",
    VOID + "triples": "triples",
    VOID + "inDataset": "named graph",
    PROV + "wasGeneratedBy": "provenance",
    PROV + "used": "made from",
    PROV + "startedAtTime": "started",
    PROV + "endedAtTime": "finished",
}
# How incoming links through those properties read from the target's side ({this} is the
# target's name); for our own properties the ontology in the store says (owl:inverseOf).
INVERSE_WORDS = {
    RDF_TYPE: "Every {this}",
    OWL_SAME_AS: "Same as {this}",
    DCT_REPLACES: "Replaced by",
    DCT_IS_REPLACED_BY: "Replaces",
    GEO_HAS_GEOMETRY: "Boundary of",
    GEO_HAS_DEFAULT_GEOMETRY: "Boundary of",
    RDFS + "isDefinedBy": "Defines",
    SKOS + "inScheme": "Concepts in {this}",
    SKOS + "broader": "Narrower",
    SKOS + "narrower": "Broader",
}
# Words made from IRIs recur on every page (types, properties): made once each.
_humanised = lru_cache(maxsize=8192)(humanise)
# Labels ending in one of these read as a relation from the linking resource to this one
# ("within", "part of"), so "Within Glasgow City" names the group of incoming links.
PREPOSITIONS = {"of", "in", "within", "by", "as", "to", "from", "with", "for", "on", "at", "into"}


def literal_words(value: str, datatype: str) -> str | None:
    """A date, time or whole number as people write it; None for anything else, or for a
    value that does not parse as its datatype (shown as it is).

    >>> literal_words("2026-12-04T14:36:46.930253Z", XSD + "dateTime")
    '4 December 2026, 14:36 UTC'
    >>> literal_words("2026-12-04", XSD + "date"), literal_words("24000", XSD + "integer")
    ('4 December 2026', '24,000')
    """
    try:
        if datatype == XSD + "dateTime":
            moment = datetime.fromisoformat(value)
            zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
            return f"{moment.day} {moment:%B %Y, %H:%M}{zone}"
        if datatype == XSD + "date":
            day = date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        if datatype == XSD + "integer":
            return f"{int(value):,}"
    except ValueError:
        return None
    return None


@dataclass(frozen=True)
class LinkView:
    """A resource shown by name: label, the words for its type, its code."""

    iri: str
    href: str | None
    text: str
    kinds: str
    notation: str | None


class Words:
    """Turns IRIs into names, using the summaries fetched with a description."""

    def __init__(self, iris: IriSpace, summaries: dict[str, Summary]) -> None:
        self.iris = iris
        self.summaries = summaries
        self._links: dict[str, LinkView] = {}

    def label(self, iri: str) -> str | None:
        """The resource's label, if the store gives one."""
        summary = self.summaries.get(iri)
        return summary.label if summary else None

    def name(self, iri: str) -> str:
        """A label, else a code, else words made from the IRI."""
        summary = self.summaries.get(iri)
        if summary and (summary.label or summary.notation):
            return summary.label or summary.notation or iri
        return PROPERTY_WORDS.get(iri) or _humanised(iri) or iri

    def kinds(self, iri: str) -> str:
        """The words for the resource's types ("electoral ward")."""
        summary = self.summaries.get(iri)
        if summary is not None and summary.types:
            return ", ".join(self.label(t) or _humanised(t) for t in summary.types)
        known = summary is not None and bool(summary.label or summary.notation)
        if not known and self.iris.local_path(iri) is None:
            # Another site's resource we know nothing about: say whose it is.
            return urlsplit(iri).netloc
        return ""

    def href(self, iri: str) -> str | None:
        """Where to follow ``iri``: our page for it, else the IRI itself if it is a web link."""
        summary = self.summaries.get(iri)
        known = summary is not None and bool(summary.label or summary.types or summary.notation)
        if known or self.iris.local_path(iri) is not None:
            return self.iris.page_path(iri)
        return iri if iri.startswith(("http://", "https://")) else None

    def link(self, iri: str) -> LinkView:
        """``iri`` as a named link."""
        view = self._links.get(iri)
        if view is None:
            summary = self.summaries.get(iri)
            notation = summary.notation if summary else None
            view = LinkView(iri, self.href(iri), self.name(iri), self.kinds(iri), notation)
            self._links[iri] = view
        return view

    def incoming_heading(self, prop: str, this: str) -> str:
        """How to introduce resources linking to ``this`` through ``prop``."""
        summary = self.summaries.get(prop)
        if summary and summary.inverse_label:
            return summary.inverse_label[:1].upper() + summary.inverse_label[1:]
        if prop in INVERSE_WORDS:
            return INVERSE_WORDS[prop].format(this=this)
        label = self.label(prop) or self.name(prop)
        if label.rsplit(" ", 1)[-1].lower() in PREPOSITIONS:
            return f"{label[:1].upper()}{label[1:]} {this}"
        if label.lower().startswith("has "):
            label = label[4:]
        return f"Has {this} as {label}"
