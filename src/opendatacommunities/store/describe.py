"""A small typed façade over a read-only store: what the web needs to describe a resource.

Queries run over the union of all named graphs (one graph per dataset), so a resource's
description gathers what every dataset says about it. Most of a description comes straight
from the store's indexes; the words for the IRIs it mentions come from the release's
``Lexicon``. User-supplied IRIs go into queries only as written by ``NamedNode``, which
rejects anything that is not an IRI (``NotAnIriError``, a 400 on the web).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import islice
from string import Template

from pyoxigraph import BlankNode, Literal, NamedNode, QuerySolutions, Triple

from opendatacommunities.errors import NotAnIriError
from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.lexicon import Lexicon, lexicon_of
from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import DCT, GEO, LABEL_PROPERTIES, OWL, RDF_TYPE

# The most triples a blank-node closure may add: a guard against pathological data.
MAX_CLOSURE = 10_000
# Incoming links are listed by label up to this many; longer lists in index order.
SORTED_UP_TO = 2_000

_LABEL_PATH = "|".join(f"<{p}>" for p in LABEL_PROPERTIES)
_PREF, _RDFS = LABEL_PROPERTIES

# Queries are string.Template texts: $this is the IRI asked about, written by NamedNode
# (which rejects anything that is not a valid IRI, so nothing can break out of the <...>).
# Patterns name their predicates (a UNION, or a path of alternatives) rather than binding them
# with VALUES: Oxigraph would then scan every triple of the store for the predicate variable.
_INCOMING_COUNTS = Template("""
SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p $this FILTER(isIRI(?s)) $skip } GROUP BY ?p""")

_INCOMING_SORTED = Template(f"""
SELECT ?p ?s (MIN(STR(?l)) AS ?key) WHERE {{
  ?s ?p $this FILTER(isIRI(?s)) $skip
  OPTIONAL {{ ?s {_LABEL_PATH} ?l }}
}} GROUP BY ?p ?s ORDER BY ?p LCASE(?key) ?s LIMIT $limit OFFSET $offset""")

# Oxigraph sorts slowly (seconds for 30,000 rows), so long lists are paged in index order
# instead: not alphabetical, but stable for the life of a release, which paging needs.
_INCOMING_INDEXED = Template("""
SELECT DISTINCT ?p ?s WHERE { ?s ?p $this FILTER(isIRI(?s)) $skip } LIMIT $limit OFFSET $offset""")

_GEOMETRIES = Template(f"""
SELECT DISTINCT ?wkt WHERE {{
  {{ $this <{GEO}hasGeometry>|<{GEO}hasDefaultGeometry> ?g . ?g <{GEO}asWKT> ?wkt }}
  UNION {{ $this <{GEO}asWKT> ?wkt }}
}}""")

_SUCCESSORS = Template(f"""
SELECT DISTINCT ?new WHERE {{
  $this (<{DCT}isReplacedBy>|^<{DCT}replaces>)+ ?new FILTER(isIRI(?new)) }}""")

_SAME_AS = Template(f"""
SELECT DISTINCT ?other WHERE {{
  {{ $this <{OWL}sameAs> ?other }} UNION {{ ?other <{OWL}sameAs> $this }} FILTER(isIRI(?other))
}}""")


@dataclass
class Summary:
    """What a page needs to show a linked resource in words."""

    iri: str
    label: str | None = None
    notation: str | None = None
    types: list[str] = field(default_factory=list)
    inverse_label: str | None = None
    """For a property: the label of its ``owl:inverseOf``, to word incoming links."""


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
    def page(self) -> int:
        """The page of incoming links described (from 1)."""
        return self.offset // self.limit + 1

    @property
    def pages(self) -> int:
        """How many pages the incoming links fill (at least 1)."""
        return max(1, -(-self.incoming_total // self.limit))

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


_GEOMETRY_PROPERTIES = {f"{GEO}hasGeometry", f"{GEO}hasDefaultGeometry", f"{GEO}asWKT"}


def _may_have_geometry(triples: Iterable[Triple]) -> bool:
    # Saves the geometry query for the many resources that have none.
    return any(t.predicate.value in _GEOMETRY_PROPERTIES for t in triples)


def _by_label(
    groups: tuple[IncomingGroup, ...], summaries: dict[str, Summary]
) -> tuple[IncomingGroup, ...]:
    """Subjects of each group in label order (as the sorted SPARQL query orders them)."""

    def key(subject: str) -> tuple[str, str]:
        return ((summaries[subject].label or "").lower(), subject)

    return tuple(replace(g, subjects=tuple(sorted(g.subjects, key=key))) for g in groups)


def iri_node(iri: str) -> NamedNode:
    """The store's term for ``iri``.

    :raises NotAnIriError: if ``iri`` is not an IRI.

    >>> iri_node("http://example.org/a b")
    Traceback (most recent call last):
    ...
    opendatacommunities.errors.NotAnIriError: not an IRI: 'http://example.org/a b' (...)
    """
    try:
        return NamedNode(iri)
    except ValueError as exc:
        raise NotAnIriError(iri, str(exc)) from None


def _skip(properties: frozenset[str]) -> str:
    """A filter leaving out links through ``properties`` (empty when there are none)."""
    if not properties:
        return ""
    listed = ", ".join(str(NamedNode(p)) for p in sorted(properties))
    return f"FILTER(?p NOT IN ({listed}))"


class Reader:
    """Read-only questions about one release's store. A question about a text that is not
    an IRI raises ``NotAnIriError``."""

    def __init__(self, store: GraphStore, lexicon: Lexicon | None = None) -> None:
        self.store = store
        self._lexicon = lexicon

    @classmethod
    def of(cls, release: Release) -> Reader:
        """A reader over ``release``, with the release's lexicon (read on first use)."""
        return cls(release.store, lexicon_of(release))

    @property
    def lexicon(self) -> Lexicon:
        """The words of the store (read now if this reader was made without them)."""
        if self._lexicon is None:
            self._lexicon = Lexicon.read(self.store)
        return self._lexicon

    def _select(
        self, query: Template, this: str = "", skip: frozenset[str] = frozenset(), **values: object
    ) -> QuerySolutions:
        text = query.substitute(
            this=str(iri_node(this)) if this else "", skip=_skip(skip), **values
        )
        result = self.store.query(text, use_default_graph_as_union=True)
        assert isinstance(result, QuerySolutions)
        return result

    def is_subject(self, iri: str) -> bool:
        """Whether the store holds any triple about ``iri`` (in any graph)."""
        quads = self.store.quads_for_pattern(iri_node(iri), None, None, None)
        return next(iter(quads), None) is not None

    def holds(self, subject: str, predicate: str, obj: str) -> bool:
        """Whether the store holds the triple ``subject predicate obj`` (three IRIs), in any
        graph."""
        triple = (iri_node(subject), iri_node(predicate), iri_node(obj))
        return next(iter(self.store.quads_for_pattern(*triple, None)), None) is not None

    def statements(self, iri: str) -> dict[str, list[NamedNode | Literal]]:
        """What the store says about ``iri``: predicate IRI -> its IRI and literal objects
        (blank nodes and quoted triples left out), in the store's order."""
        found: dict[str, list[NamedNode | Literal]] = {}
        for quad in self.store.quads_for_pattern(iri_node(iri), None, None, None):
            if isinstance(quad.object, NamedNode | Literal):
                found.setdefault(quad.predicate.value, []).append(quad.object)
        return found

    def is_known(self, iri: str) -> bool:
        """Whether ``iri`` occurs as subject or object anywhere in the store."""
        if self.is_subject(iri):
            return True
        quads = self.store.quads_for_pattern(None, None, iri_node(iri), None)
        return next(iter(quads), None) is not None

    def outgoing(self, iri: str) -> tuple[Triple, ...]:
        """Triples about ``iri`` and, recursively, about the blank nodes they reach."""
        found: dict[Triple, None] = {}
        pending: list[NamedNode | BlankNode] = [iri_node(iri)]
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

    def incoming(
        self, iri: str, offset: int, limit: int, skip: frozenset[str] = frozenset()
    ) -> tuple[tuple[IncomingGroup, ...], int]:
        """Links into ``iri`` grouped by property, the page ``offset``..``offset+limit`` of them,
        and their total; links through the properties in ``skip`` are left out. Up to
        ``SORTED_UP_TO`` links are ordered by property, then by the linking resource's label
        (a single page by ``describe``, which has the labels); more are paged in the store's
        (stable) index order."""
        pairs = self._incoming_pairs(iri, SORTED_UP_TO + 1, skip)
        if len(pairs) > SORTED_UP_TO:
            rows = self._select(_INCOMING_COUNTS, iri, skip)
            counts = {row["p"].value: int(row["n"].value) for row in rows}
        else:
            counts = Counter(p for p, _ in pairs)
        total = sum(counts.values())
        if total == 0 or offset >= total:
            return (), total
        page: dict[str, list[str]] = {}
        if total <= limit:
            # Everything fits on this page: no query needed, the scan already found it all.
            for p, subject in sorted(pairs):
                page.setdefault(p, []).append(subject)
        else:
            query = _INCOMING_SORTED if total <= SORTED_UP_TO else _INCOMING_INDEXED
            for row in self._select(query, iri, skip, limit=int(limit), offset=int(offset)):
                page.setdefault(row["p"].value, []).append(row["s"].value)
        groups = tuple(IncomingGroup(p, counts[p], tuple(s)) for p, s in page.items())
        return groups, total

    def links_in(self, iri: str, up_to: int) -> int:
        """How many triples link to ``iri``, counted up to ``up_to``: a quick look at whether
        describing ``iri`` is a big job (most resources have no links in at all).

        :raises NotAnIriError: if ``iri`` is not an IRI.
        """
        quads = self.store.quads_for_pattern(None, None, iri_node(iri), None)
        return sum(1 for _ in islice(quads, up_to))

    def _incoming_pairs(self, iri: str, cap: int, skip: frozenset[str]) -> list[tuple[str, str]]:
        """Distinct (property, subject IRI) pairs linking to ``iri`` through a property not in
        ``skip``, at most ``cap``."""
        found: dict[tuple[str, str], None] = {}
        for quad in self.store.quads_for_pattern(None, None, iri_node(iri), None):
            if isinstance(quad.subject, NamedNode) and quad.predicate.value not in skip:
                found[(quad.predicate.value, quad.subject.value)] = None
                if len(found) >= cap:
                    break
        return list(found)

    def summaries(
        self, iris: Iterable[str], known_types: Mapping[str, Sequence[str]] | None = None
    ) -> tuple[dict[str, Summary], list[Triple]]:
        """Label, notation, types (with their labels) and inverse wording for many IRIs;
        also the triples that state each chosen label. ``known_types`` gives the types of
        IRIs the caller has already read (a described resource's own).
        """
        lexicon, known = self.lexicon, known_types or {}
        found: dict[str, Summary] = {}
        label_triples: list[Triple] = []
        for iri in dict.fromkeys(iris):
            word = lexicon.word(iri)
            types = known[iri] if iri in known else lexicon.types(iri)
            found[iri] = Summary(iri, word.label, word.notation, list(types), word.inverse_label)
            if word.label_triple is not None:
                label_triples.append(word.label_triple)
        for summary in list(found.values()):
            for kind in summary.types:
                if kind not in found:
                    found[kind] = Summary(kind, lexicon.label(kind))
        return found, label_triples

    def geometries(self, iri: str) -> tuple[str, ...]:
        """The WKT of every GeoSPARQL geometry of ``iri``."""
        rows = self._select(_GEOMETRIES, iri)
        return tuple(row["wkt"].value for row in rows)

    def successors(self, iri: str) -> list[str]:
        """Resources that replaced ``iri`` (``dct:isReplacedBy`` / ``dct:replaces``, followed
        transitively)."""
        return [row["new"].value for row in self._select(_SUCCESSORS, iri)]

    def same_as(self, iri: str) -> list[str]:
        """Resources declared ``owl:sameAs`` ``iri``, either way round."""
        return [row["other"].value for row in self._select(_SAME_AS, iri)]

    def describe(
        self, iri: str, offset: int = 0, limit: int = 100, skip: frozenset[str] = frozenset()
    ) -> Description:
        """Everything a page about ``iri`` shows: its triples, incoming links (one page; none
        through the properties in ``skip``), words for every IRI involved, its geometries."""
        triples = self.outgoing(iri)
        incoming, total = self.incoming(iri, offset, limit, skip)
        mentioned = [iri]
        properties = {t.predicate.value for t in triples} | {g.property for g in incoming}
        for triple in triples:
            if isinstance(triple.object, NamedNode):
                mentioned.append(triple.object.value)
        for group in incoming:
            mentioned += group.subjects
        own = NamedNode(iri)
        own_types = [
            t.object.value
            for t in triples
            if t.subject == own
            and t.predicate.value == RDF_TYPE
            and isinstance(t.object, NamedNode)
        ]
        summaries, label_triples = self.summaries([*properties, *mentioned], {iri: own_types})
        if total <= limit:
            incoming = _by_label(incoming, summaries)
        return Description(
            iri=iri,
            triples=triples,
            incoming=incoming,
            incoming_total=total,
            offset=offset,
            limit=limit,
            summaries=summaries,
            label_triples=tuple(t for t in label_triples if t.subject != own),
            geometries=self.geometries(iri) if _may_have_geometry(triples) else (),
        )
