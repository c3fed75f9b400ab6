"""IRIs: our URL space and pure helpers between URLs and IRIs.

Our URL space (see DESIGN.md): ``/id/{path}`` names a thing, ``/doc/{path}`` is the document
about it; ``/def/``, ``/data/`` and ``/graph/`` IRIs are documents themselves; any other IRI
(another site's) is browsed through ``/resource?uri=``.

>>> space = IriSpace("http://localhost:8000")
>>> space.id_iri("statistical-geography/S13002967")
'http://localhost:8000/id/statistical-geography/S13002967'
>>> space.page_path("http://localhost:8000/id/statistical-geography/S13002967")
'/doc/statistical-geography/S13002967'
>>> space.page_path("http://statistics.gov.scot/id/statistical-geography/S13002967")
'/resource?uri=http%3A%2F%2Fstatistics.gov.scot%2Fid%2Fstatistical-geography%2FS13002967'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote

from opendatacommunities.vocab import PREFIXES, REFERENCE_ID, SITE_NAMESPACES, common_prefixes

AUTHORED_BASE = "http://localhost:8000"
"""The base IRI mappings, ontologies and named queries are written against; rewritten to the
configured base IRI when published or served."""

_KNOWN_NAMESPACES = {namespace: prefix for prefix, namespace in PREFIXES.items()}

# Document roots: IRIs under these are information resources served at their own path.
DOCUMENT_ROOTS = ("def", "data", "graph")

# Characters that may not appear in an IRI (RFC 3987): everything else, including non-ASCII
# letters, stays as it is so that a URL path maps back to the IRI the data uses.
_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f\[\]]|%(?![0-9A-Fa-f]{2})')
_PREFIX_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")
_WORD_BREAK = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|[_-]+")


def split_namespace(iri: str) -> tuple[str, str]:
    """Split an IRI after its last ``#`` or ``/``.

    >>> split_namespace("http://www.w3.org/2000/01/rdf-schema#label")
    ('http://www.w3.org/2000/01/rdf-schema#', 'label')
    """
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1], iri[cut + 1 :]


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/`` (the whole IRI when that is empty)."""
    return split_namespace(iri)[1] or iri


def humanise(iri: str) -> str:
    """Words for an IRI that has no label: its local name split at case changes.

    >>> humanise("http://www.opengis.net/ont/geosparql#hasGeometry")
    'has geometry'
    >>> humanise("http://example.org/def/parent_code")
    'parent code'
    """
    words = _WORD_BREAK.sub(" ", local_name(iri)).strip()
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in words.split())


def compact(iri: str, prefixes: Mapping[str, str]) -> str | None:
    """``prefix:local`` for an IRI in one of ``prefixes`` (longest namespace wins), else None.

    >>> compact("http://www.w3.org/2000/01/rdf-schema#label", PREFIXES)
    'rdfs:label'
    """
    best: tuple[str, str] | None = None
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and (best is None or len(namespace) > len(best[1])):
            best = (name, namespace)
    if best is None:
        return None
    rest = iri[len(best[1]) :]
    return f"{best[0]}:{rest}" if rest and not rest.startswith("//") else None


def iri_safe(path: str) -> str:
    """Percent-encode only what an IRI cannot hold.

    >>> iri_safe("a b/Ynys Môn/100%/[x]/%41")
    'a%20b/Ynys%20Môn/100%25/%5Bx%5D/%41'
    """
    return _NOT_IN_IRI.sub(lambda m: "".join(f"%{b:02X}" for b in m[0].encode()), path)


@dataclass(frozen=True)
class IriSpace:
    """Our URL space under one base IRI (``Settings.base_iri``)."""

    base: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))

    def id_iri(self, path: str) -> str:
        """The IRI of the thing at ``/id/{path}``."""
        return f"{self.base}/id/{iri_safe(path)}"

    def document_iri(self, root: str, path: str) -> str:
        """The IRI of an information resource under one of ``DOCUMENT_ROOTS``."""
        return f"{self.base}/{root}/{iri_safe(path)}"

    def url(self, path: str) -> str:
        """A URL of this site, from its ``path`` (``/sparql``)."""
        return self.base + path

    def definition(self, path: str) -> str:
        """A term of one of our vocabularies (``geography/Area``), under ``/def/``."""
        return self.document_iri("def", path)

    def catalogue(self) -> str:
        """The catalogue of every dataset (``/data``)."""
        return f"{self.base}/data"

    def dataset(self, name: str) -> str:
        """A dataset of the catalogue (a cube's ``qb:DataSet`` too)."""
        return f"{self.base}/data/{name}"

    def graphs(self) -> str:
        """The namespace every named graph of this site is under."""
        return self.url(SITE_NAMESPACES["graph"])

    def dataset_graph(self, name: str) -> str:
        """The named graph holding one dataset."""
        return f"{self.graphs()}{name}"

    def vocabulary_graph(self, stem: str) -> str:
        """The named graph holding one of our ontologies (``ontologies/{stem}.ttl``)."""
        return f"{self.graphs()}def/{stem}"

    def catalogue_graph(self) -> str:
        """The named graph holding the catalogue."""
        return f"{self.graphs()}catalog"

    def area(self, code: str) -> str:
        """A statistical area from its GSS code (or an RFC 6570 expression standing for it):
        the pattern ONS and statistics.gov.scot use."""
        return self.url(SITE_NAMESPACES["statistical-geography"]) + code

    @staticmethod
    def period(code: str) -> str:
        """A time period reference.data.gov.uk names (``quarter/2017-Q1``)."""
        return REFERENCE_ID + code

    def cube(self, name: str) -> CubeIris:
        """Where the resources of cube ``name`` live."""
        return CubeIris(self, name)

    @property
    def prefixes(self) -> dict[str, str]:
        """Every prefix a query on this site may use undeclared (``vocab.common_prefixes``)."""
        return common_prefixes(self.base)

    def local_path(self, iri: str) -> str | None:
        """The path of a local IRI (``/id/x``), or None for another site's IRI."""
        if iri.startswith(self.base + "/"):
            return iri[len(self.base) :]
        return None

    def page_path(self, iri: str) -> str:
        """Where this site shows ``iri``: ``/doc/...`` for things, the path itself for
        documents, ``/resource?uri=`` for anything else."""
        path = self.local_path(iri)
        if path is not None and "#" not in path and "?" not in path:
            if path.startswith("/id/"):
                return "/doc/" + path[4:]
            if path.split("/")[1] in DOCUMENT_ROOTS:
                return path
        return "/resource?uri=" + quote(iri, safe="")

    def alternatives(self, iri: str) -> list[str]:
        """Other local IRIs a mistyped ``iri`` may have meant: the same path under ``/id/``
        and the last segment in upper case (GSS codes are upper case).

        >>> IriSpace("http://h").alternatives("http://h/doc/statistical-geography/s12000049")
        ['http://h/id/statistical-geography/s12000049', 'http://h/id/statistical-geography/S12000049']
        """
        path = self.local_path(iri)
        if path is None:
            return []
        root, _, rest = path[1:].partition("/")
        if root == "id":
            forms = [iri]
        elif root == "doc":
            forms = [self.id_iri(rest)]
        else:
            forms = [iri, self.id_iri(rest)]
        candidates: list[str] = []
        for form in forms:
            head, last = split_namespace(form)
            candidates += [form, head + last.upper()]
        return [c for c in dict.fromkeys(candidates) if c != iri]

    def prefixes_for(self, iris: Iterable[str]) -> dict[str, str]:
        """Prefixes for a document using ``iris``: the well-known ones it uses, plus one per
        local namespace, named after the namespace's last path segment.

        >>> IriSpace("http://h").prefixes_for(["http://h/def/geography/within"])
        {'geography': 'http://h/def/geography/'}
        """
        namespaces = {ns for ns, name in map(split_namespace, iris) if name}
        used: dict[str, str] = {}
        taken = dict(PREFIXES)
        # Sorted, so that two documents using the same namespaces name them the same way.
        for namespace in sorted(namespaces):
            known = _KNOWN_NAMESPACES.get(namespace)
            if known is not None:
                used[known] = namespace
            elif self.local_path(namespace) is not None:
                prefix = self._prefix_name(namespace, taken)
                if prefix is not None:
                    used[prefix] = taken[prefix] = namespace
        return used

    def _prefix_name(self, namespace: str, taken: dict[str, str]) -> str | None:
        segment = namespace.rstrip("/#").rsplit("/", 1)[-1]
        if not _PREFIX_NAME.match(segment):
            return None
        candidate, number = segment, 1
        while candidate in taken:
            number += 1
            candidate = f"{segment}{number}"
        return candidate


TOTAL_ATTRIBUTE = "/def/attribute/total"
"""Where the attribute marking a cube's totals is, under the base IRI."""


@dataclass(frozen=True)
class CubeIris:
    """Where one cube's resources live. Codes may be RFC 6570 expressions (``{code}``), so
    that CSVW metadata templates are minted by the same rules as the IRIs themselves.

    >>> cube = IriSpace("http://h").cube("simd")
    >>> cube.concept("rank", "{rank}"), cube.status("suppressed")
    ('http://h/def/concept/simd/rank/{rank}', 'http://h/def/concept/observation-status/suppressed')
    """

    space: IriSpace
    cube: str

    @property
    def dataset(self) -> str:
        """The ``qb:DataSet`` (the catalogue's dataset too)."""
        return self.space.dataset(self.cube)

    def structure(self) -> str:
        """The data structure definition."""
        return f"{self.dataset}/structure"

    def component(self, name: str) -> str:
        """The component specification of a dimension, measure or attribute."""
        return f"{self.dataset}/component/{name}"

    def codes_used(self, name: str) -> str:
        """The collection of the codes a dimension takes in this cube (``pmdqb:codesUsed``)."""
        return f"{self.dataset}/codes-used/{name}"

    def dimension(self, name: str) -> str:
        """A dimension property minted for this cube."""
        return f"{self.space.base}/def/dimension/{self.cube}/{name}"

    def measure(self, name: str) -> str:
        """A measure property of this cube."""
        return f"{self.space.base}/def/measure/{self.cube}/{name}"

    def scheme(self, name: str) -> str:
        """The code list (``skos:ConceptScheme``) of a coded dimension."""
        return f"{self.space.base}/def/concept-scheme/{self.cube}/{name}"

    def concept(self, name: str, code: str) -> str:
        """A code of a coded dimension."""
        return f"{self.space.base}/def/concept/{self.cube}/{name}/{code}"

    def unit(self, slug: str) -> str:
        """A unit of measure (shared by every cube), from its slug."""
        return f"{self.space.base}/def/concept/measurement-units/{slug}"

    def status(self, code: str) -> str:
        """An observation status (why a value is missing), shared by every cube."""
        return f"{self.space.base}/def/concept/observation-status/{code}"

    def status_scheme(self) -> str:
        """The code list of the observation statuses, shared by every cube."""
        return f"{self.space.base}/def/concept-scheme/observation-status"

    def total(self) -> str:
        """The attribute marking the observations that are totals, shared by every cube."""
        return self.space.base + TOTAL_ATTRIBUTE
