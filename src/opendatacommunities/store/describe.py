"""A small typed façade over a read-only store: what the web needs to describe a resource.

Queries run over the union of all named graphs (one graph per dataset), so a resource's
description gathers what every dataset says about it. User-supplied IRIs go in through
``NamedNode`` (which rejects anything that is not an IRI) and query substitutions, never by
pasting text into SPARQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Store, Triple, Variable

from opendatacommunities.iris import (
    DCT,
    GEO,
    LABEL_PROPERTIES,
    OWL,
    RDF_TYPE,
    SKOS_NOTATION,
)

# The most triples a blank-node closure may add: a guard against pathological data.
MAX_CLOSURE = 10_000

_LABEL_VALUES = " ".join(f"<{p}>" for p in LABEL_PROPERTIES)

_SUMMARY_QUERY = """
SELECT ?s ?lp ?label ?notation ?type ?typeLabel ?inverse ?inverseLabel WHERE {
  VALUES ?s { %s }
  { VALUES ?lp { %s } ?s ?lp ?label }
  UNION { ?s <%s> ?notation }
  UNION { ?s <%s> ?type OPTIONAL { VALUES ?tp { %s } ?type ?tp ?typeLabel } }
  UNION { { ?s <%sinverseOf> ?inverse } UNION { ?inverse <%sinverseOf> ?s }
          VALUES ?ip { %s } ?inverse ?ip ?inverseLabel }
}"""

_INCOMING_COUNTS = """
SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(isIRI(?s)) } GROUP BY ?p"""

_INCOMING_PAGE = f"""
SELECT ?p ?s (MIN(STR(?l)) AS ?key) WHERE {{
  ?s ?p ?o FILTER(isIRI(?s))
  OPTIONAL {{ VALUES ?lp {{ {_LABEL_VALUES} }} ?s ?lp ?l }}
}} GROUP BY ?p ?s ORDER BY ?p LCASE(?key) ?s LIMIT %d OFFSET %d"""

_GEOMETRIES = f"""
SELECT DISTINCT ?wkt WHERE {{
  {{ ?s <{GEO}hasGeometry>|<{GEO}hasDefaultGeometry> ?g . ?g <{GEO}asWKT> ?wkt }}
  UNION {{ ?s <{GEO}asWKT> ?wkt }}
}}"""

_SUCCESSORS = f"""
SELECT DISTINCT ?new WHERE {{ ?s (<{DCT}isReplacedBy>|^<{DCT}replaces>)+ ?new FILTER(isIRI(?new)) }}"""

_SAME_AS = f"""
SELECT DISTINCT ?other WHERE {{
  {{ ?s <{OWL}sameAs> ?other }} UNION {{ ?other <{OWL}sameAs> ?s }} FILTER(isIRI(?other)) }}"""


@dataclass
class Summary:
    """What a page needs to show a linked resource in words."""

    iri: str
    label: str | None = None
    notation: str | None = None
    types: list[str] = field(default_factory=list)
    inverse_label: str | None = None
    """For a property: the label of its ``owl:inverseOf``, to word incoming links."""
    _label_rank: tuple[int, int] = (99, 99)
    _inverse_rank: tuple[int, int] = (99, 99)


@dataclass(frozen=True)
class IncomingGroup:
    """Links into a resource through one property: how many, and those on this page."""

    property: str
    count: int
    subjects: tuple[str, ...]


@dataclass(frozen=True)
class Description:
    """A resource as a page shows it and as its RDF documents serialise it."""

    iri: str
    triples: tuple[Triple, ...]
    """Outgoing triples plus the closure of blank nodes they reach."""
    incoming: tuple[IncomingGroup, ...]
    incoming_total: int
    offset: int
    limit: int
    summaries: dict[str, Summary]
    label_triples: tuple[Triple, ...]
    """The chosen label of every linked IRI, as stated in the store."""
    geometries: tuple[str, ...]

    @property
    def exists(self) -> bool:
        """Whether the store mentions the resource at all."""
        return bool(self.triples) or self.incoming_total > 0

    def incoming_triples(self) -> Iterator[Triple]:
        """The incoming links on this page, as triples."""
        obj = NamedNode(self.iri)
        for group in self.incoming:
            predicate = NamedNode(group.property)
            for subject in group.subjects:
                yield Triple(NamedNode(subject), predicate, obj)

    def document_triples(self) -> list[Triple]:
        """Everything an RDF document about the resource holds, without repeats."""
        chain = (*self.triples, *self.incoming_triples(), *self.label_triples)
        return list(dict.fromkeys(chain))


def _language_rank(literal: Literal) -> int:
    language = (literal.language or "").lower()
    if language in ("", "en"):
        return 0
    return 1 if language.startswith("en-") else 2


class Reader:
    """Read-only questions about one release's store."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _select(self, query: str, **bindings: NamedNode) -> QuerySolutions:
        substitutions: dict[Variable, NamedNode | BlankNode | Literal | Triple] = {
            Variable(name): term for name, term in bindings.items()
        }
        result = self.store.query(
            query, use_default_graph_as_union=True, substitutions=substitutions
        )
        assert isinstance(result, QuerySolutions)
        return result

    def is_subject(self, iri: str) -> bool:
        """Whether the store holds any triple about ``iri`` (in any graph)."""
        quads = self.store.quads_for_pattern(NamedNode(iri), None, None, None)
        return next(iter(quads), None) is not None

    def is_known(self, iri: str) -> bool:
        """Whether ``iri`` occurs as subject or object anywhere in the store."""
        if self.is_subject(iri):
            return True
        quads = self.store.quads_for_pattern(None, None, NamedNode(iri), None)
        return next(iter(quads), None) is not None

    def outgoing(self, iri: str) -> tuple[Triple, ...]:
        """Triples about ``iri`` and, recursively, about the blank nodes they reach."""
        found: dict[Triple, None] = {}
        pending: list[NamedNode | BlankNode] = [NamedNode(iri)]
        seen: set[NamedNode | BlankNode] = set()
        while pending and len(found) < MAX_CLOSURE:
            subject = pending.pop()
            if subject in seen:
                continue
            seen.add(subject)
            for quad in self.store.quads_for_pattern(subject, None, None, None):
                found[quad.triple] = None
                if isinstance(quad.object, BlankNode):
                    pending.append(quad.object)
        return tuple(found)

    def incoming(self, iri: str, offset: int, limit: int) -> tuple[tuple[IncomingGroup, ...], int]:
        """Links into ``iri`` grouped by property (ordered by property IRI, then by the
        linking resource's label), the page ``offset``..``offset+limit`` of them, and the total."""
        obj = NamedNode(iri)
        counts: dict[str, int] = {}
        for row in self._select(_INCOMING_COUNTS, o=obj):
            counts[row["p"].value] = int(row["n"].value)
        total = sum(counts.values())
        if total == 0 or offset >= total:
            return (), total
        page: dict[str, list[str]] = {}
        for row in self._select(_INCOMING_PAGE % (limit, offset), o=obj):
            page.setdefault(row["p"].value, []).append(row["s"].value)
        groups = tuple(IncomingGroup(p, counts[p], tuple(s)) for p, s in page.items())
        return groups, total

    def summaries(self, iris: Iterable[str]) -> tuple[dict[str, Summary], list[Triple]]:
        """Label, notation, types (with their labels) and inverse wording for many IRIs in
        one query; also the triples that state each chosen label."""
        wanted = list(dict.fromkeys(iris))
        found = {iri: Summary(iri) for iri in wanted}
        if not wanted:
            return found, []
        label_triples: dict[str, Triple] = {}
        values = " ".join(str(NamedNode(iri)) for iri in wanted)
        query = _SUMMARY_QUERY % (
            values,
            _LABEL_VALUES,
            SKOS_NOTATION,
            RDF_TYPE,
            _LABEL_VALUES,
            OWL,
            OWL,
            _LABEL_VALUES,
        )
        for row in self._select(query):
            summary = found[row["s"].value]
            label, notation, kind = row["label"], row["notation"], row["type"]
            if isinstance(label, Literal):
                rank = (_language_rank(label), LABEL_PROPERTIES.index(row["lp"].value))
                if rank < summary._label_rank:
                    summary.label, summary._label_rank = label.value, rank
                    label_triples[summary.iri] = Triple(row["s"], row["lp"], label)
            if isinstance(notation, Literal) and summary.notation is None:
                summary.notation = notation.value
            if isinstance(kind, NamedNode):
                self._add_type(found, summary, kind.value, row["typeLabel"])
            inverse_label = row["inverseLabel"]
            if isinstance(inverse_label, Literal):
                rank = (_language_rank(inverse_label), 0)
                if rank < summary._inverse_rank:
                    summary.inverse_label, summary._inverse_rank = inverse_label.value, rank
        return found, list(label_triples.values())

    @staticmethod
    def _add_type(
        found: dict[str, Summary], summary: Summary, kind: str, label: object | None
    ) -> None:
        if kind not in summary.types:
            summary.types.append(kind)
        type_summary = found.setdefault(kind, Summary(kind))
        if isinstance(label, Literal):
            rank = (_language_rank(label), 0)
            if rank < type_summary._label_rank:
                type_summary.label, type_summary._label_rank = label.value, rank

    def geometries(self, iri: str) -> tuple[str, ...]:
        """The WKT of every GeoSPARQL geometry of ``iri``."""
        rows = self._select(_GEOMETRIES, s=NamedNode(iri))
        return tuple(row["wkt"].value for row in rows)

    def successors(self, iri: str) -> list[str]:
        """Resources that replaced ``iri`` (``dct:isReplacedBy`` / ``dct:replaces``, followed
        transitively)."""
        return [row["new"].value for row in self._select(_SUCCESSORS, s=NamedNode(iri))]

    def same_as(self, iri: str) -> list[str]:
        """Resources declared ``owl:sameAs`` ``iri``, either way round."""
        return [row["other"].value for row in self._select(_SAME_AS, s=NamedNode(iri))]

    def describe(self, iri: str, offset: int = 0, limit: int = 100) -> Description:
        """Everything a page about ``iri`` shows: its triples, incoming links (one page),
        words for every IRI involved, and its geometries."""
        triples = self.outgoing(iri)
        incoming, total = self.incoming(iri, offset, limit)
        mentioned = [iri]
        for triple in triples:
            mentioned.append(triple.predicate.value)
            if isinstance(triple.object, NamedNode):
                mentioned.append(triple.object.value)
        for group in incoming:
            mentioned += [group.property, *group.subjects]
        summaries, label_triples = self.summaries(mentioned)
        own = NamedNode(iri)
        return Description(
            iri=iri,
            triples=triples,
            incoming=incoming,
            incoming_total=total,
            offset=offset,
            limit=limit,
            summaries=summaries,
            label_triples=tuple(t for t in label_triples if t.subject != own),
            geometries=self.geometries(iri) if triples else (),
        )
