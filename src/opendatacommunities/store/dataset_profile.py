"""What a dataset's page tells of it beyond its catalogue record: where it came from (the
files its publication used, with their checksums), how big it is (its triples, its
resources by class) and the shape of its commonest resources (the properties they use),
from which example queries are made.

Read from the catalogue's PROV record and from the dataset's own graph; the counts are one
pass over the graph's type triples, the properties are read from a sample of resources.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QuerySolutions

from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import DCT, PROV, RDF_TYPE, RDFS, SKOS, SPDX, VOID

#: How many resources of the commonest class are read for the properties they use.
SAMPLE = 50


@dataclass(frozen=True)
class UsedFile:
    """A file the publication used: its role (``source``, ``mapping``, ``shapes``), its path
    in the project, and the SHA-256 of its content."""

    role: str
    path: str
    sha256: str | None


@dataclass(frozen=True)
class ClassCount:
    """A class of the dataset's resources, its label if the site knows one, and how many."""

    iri: str
    label: str | None
    count: int


@dataclass(frozen=True)
class DatasetProfile:
    """A dataset's provenance, size and structure."""

    triples: int | None
    activity: str | None
    """The publication (a ``prov:Activity``), described in words by its label."""
    activity_label: str | None
    started: str | None
    ended: str | None
    files: tuple[UsedFile, ...]
    classes: tuple[ClassCount, ...]
    """Most resources first."""
    properties: tuple[str, ...]
    """The properties the commonest class's resources use, most used first (``rdf:type``
    aside)."""


def _rows(release: Release, query: str) -> list[list[str | None]]:
    result = release.store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    return [[None if term is None else str(term.value) for term in row] for row in result]


def _record(release: Release, dataset: str) -> list[str | None]:
    rows = _rows(
        release,
        f"""SELECT (SAMPLE(?n) AS ?triples) (SAMPLE(?a) AS ?activity) (SAMPLE(?l) AS ?label)
        (SAMPLE(?s) AS ?started) (SAMPLE(?e) AS ?ended) {{
          OPTIONAL {{ <{dataset}> <{VOID}triples> ?n }}
          OPTIONAL {{ <{dataset}> <{PROV}wasGeneratedBy> ?a
            OPTIONAL {{ ?a <{RDFS}label> ?l }} OPTIONAL {{ ?a <{PROV}startedAtTime> ?s }}
            OPTIONAL {{ ?a <{PROV}endedAtTime> ?e }} }}
        }}""",
    )
    return rows[0] if rows else [None] * 5


def _files(release: Release, activity: str) -> tuple[UsedFile, ...]:
    rows = _rows(
        release,
        f"""SELECT ?role ?path (SAMPLE(?sum) AS ?sha) {{
          <{activity}> <{PROV}used> ?e . ?e <{DCT}type> ?role ; <{DCT}title> ?path .
          OPTIONAL {{ ?e <{SPDX}checksum>/<{SPDX}checksumValue> ?sum }}
        }} GROUP BY ?role ?path ORDER BY ?role ?path""",
    )
    order = {"source": 0, "mapping": 1, "shapes": 2}
    found = [UsedFile(row[0] or "", row[1] or "", row[2]) for row in rows]
    return tuple(sorted(found, key=lambda f: (order.get(f.role, 3), f.path)))


def _classes(release: Release, graph: str) -> tuple[ClassCount, ...]:
    labels = f"<{RDFS}label>|<{SKOS}prefLabel>"
    rows = _rows(
        release,
        f"""SELECT ?c ?n (SAMPLE(?l) AS ?label) {{
          {{ SELECT ?c (COUNT(?s) AS ?n) {{ GRAPH <{graph}> {{ ?s <{RDF_TYPE}> ?c }} }}
             GROUP BY ?c }}
          OPTIONAL {{ ?c {labels} ?l FILTER(LANG(?l) IN ("en", "")) }}
        }} GROUP BY ?c ?n ORDER BY DESC(?n) ?c""",
    )
    return tuple(ClassCount(row[0] or "", row[2], int(row[1] or 0)) for row in rows)


def _properties(release: Release, graph: str, cls: str) -> tuple[str, ...]:
    rows = _rows(
        release,
        f"""SELECT ?p (COUNT(*) AS ?n) {{
          {{ SELECT ?s {{ GRAPH <{graph}> {{ ?s <{RDF_TYPE}> <{cls}> }} }} LIMIT {SAMPLE} }}
          GRAPH <{graph}> {{ ?s ?p ?o }} FILTER(?p != <{RDF_TYPE}>)
        }} GROUP BY ?p ORDER BY DESC(?n) ?p""",
    )
    return tuple(row[0] or "" for row in rows)


def dataset_profile(release: Release, dataset: str, graph: str) -> DatasetProfile:
    """The profile of ``dataset`` (its IRI in the catalogue), whose triples are in
    ``graph``."""
    triples, activity, label, started, ended = _record(release, dataset)
    classes = _classes(release, graph)
    properties = _properties(release, graph, classes[0].iri) if classes else ()
    return DatasetProfile(
        int(triples) if triples else None,
        activity,
        label,
        started,
        ended,
        _files(release, activity) if activity else (),
        classes,
        properties,
    )
