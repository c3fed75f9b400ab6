"""The evidence for each catalogue dataset's stars, read from a release.

* licences: its ``dct:license`` IRIs, open when the store says ``catalogue:open true`` of
  them (``ontologies/well-known.ttl`` marks the open ones);
* formats: the ``dct:format`` or ``dcat:mediaType`` of its distributions (harvested entries);
* held here: the catalogue names its graph (``void:inDataset``) and the graph holds triples;
* URIs: a subject of its graph is an IRI under the site's base;
* links out: objects of its graph that are subjects in another dataset's graph, or IRIs of
  the official geography URI spaces. A cube's objects are read from its codes (the
  *codes used* collections), not from its observations: the same IRIs, at a fraction of
  the cost.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from opendatacommunities.iris import IriSpace
from opendatacommunities.store.cube.structure import read_cube
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import select_rows
from opendatacommunities.store.stars.rating import Evidence, Link
from opendatacommunities.vocab import DCAT, DCT, NAME_PATH, OFFICIAL_GEOGRAPHY, RDF_TYPE, VOID


@dataclass(frozen=True)
class _Entry:
    iri: str
    graph: str | None
    title: str


def open_property(iris: IriSpace) -> str:
    """The property that marks a licence open (``true``)."""
    return iris.definition("catalogue/open")


def _entries(release: Release, iris: IriSpace) -> list[_Entry]:
    query = f"""SELECT ?d (SAMPLE(?g_) AS ?g) (SAMPLE(?t_) AS ?t) {{
      <{iris.catalogue()}> <{DCAT}dataset> ?d .
      OPTIONAL {{ ?d <{VOID}inDataset> ?g_ }} OPTIONAL {{ ?d {NAME_PATH} ?t_ }}
    }} GROUP BY ?d"""
    return [
        _Entry(str(d), g, t or str(d).rsplit("/", 1)[-1])
        for d, g, t in select_rows(release.store, query)
    ]


def _licences(release: Release, iris: IriSpace) -> dict[str, list[tuple[str, bool]]]:
    query = f"""SELECT ?d ?l (SAMPLE(?n_) AS ?n) (SAMPLE(?o_) AS ?o) {{
      <{iris.catalogue()}> <{DCAT}dataset> ?d . ?d <{DCT}license> ?l FILTER(isIRI(?l))
      OPTIONAL {{ ?l {NAME_PATH} ?n_ }}
      OPTIONAL {{ ?l <{open_property(iris)}> ?o_ FILTER(?o_ = true) }}
    }} GROUP BY ?d ?l"""
    found: dict[str, list[tuple[str, bool]]] = {}
    for d, licence, name, is_open in select_rows(release.store, query):
        found.setdefault(str(d), []).append((name or str(licence), is_open == "true"))
    return found


def _formats(release: Release, iris: IriSpace) -> dict[str, list[str]]:
    query = f"""SELECT DISTINCT ?d ?f {{
      <{iris.catalogue()}> <{DCAT}dataset> ?d . ?d <{DCAT}distribution> ?x .
      {{ ?x <{DCT}format> ?f }} UNION {{ ?x <{DCAT}mediaType> ?f }}
    }} ORDER BY ?d ?f"""
    found: dict[str, list[str]] = {}
    for d, fmt in select_rows(release.store, query):
        # A format IRI (EU file types, IANA media types) is named by its last segment.
        name = str(fmt).rstrip("/").rsplit("/", 1)[-1] if "://" in str(fmt) else str(fmt)
        found.setdefault(str(d), []).append(name)
    return found


def _example_uri(release: Release, graph: str, base: str) -> str | None:
    query = f"""SELECT ?s {{ GRAPH <{graph}> {{ ?s ?p ?o }}
      FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{base}/")) }} LIMIT 1"""
    rows = select_rows(release.store, query)
    return rows[0][0] if rows else None


def _held(release: Release, graph: str) -> bool:
    query = f"SELECT ?s {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 1"
    return bool(select_rows(release.store, query))


def _objects(release: Release, entry: _Entry) -> list[str]:
    """The IRIs ``entry``'s data names as objects (a cube's: its codes)."""
    cube = read_cube(release, entry.iri)
    if cube is not None:
        return sorted({code.iri for d in cube.dimensions for code in d.codes})
    query = f"""SELECT DISTINCT ?o {{ GRAPH <{entry.graph}> {{ ?s ?p ?o }}
      FILTER(isIRI(?o) && ?p != <{RDF_TYPE}>) }}"""
    return [str(row[0]) for row in select_rows(release.store, query)]


#: Objects looked up per query: a few hundred kilobytes of query text.
_OBJECTS_PER_QUERY = 4_000


def _holders(release: Release, objects: list[str], graphs: dict[str, _Entry]) -> Counter[str]:
    """How many of ``objects`` each dataset of ``graphs`` describes (by the dataset's title).

    The objects are given to the store as VALUES, a few thousand a query, so each is found
    by its subject index: a lookup per object and graph instead would be tens of thousands
    of requests to a remote store, and a query joining on the objects ran as a scan."""
    counts: Counter[str] = Counter()
    for start in range(0, len(objects), _OBJECTS_PER_QUERY):
        values = " ".join(f"<{iri}>" for iri in objects[start : start + _OBJECTS_PER_QUERY])
        query = f"""SELECT ?g (COUNT(DISTINCT ?s) AS ?n) {{
          VALUES ?s {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"""
        for graph, described in select_rows(release.store, query):
            if graph is not None and graph in graphs and described is not None:
                counts[graphs[graph].title] += int(described)
    return +counts  # the datasets described none of them are left out


def _official_site(iri: str) -> str | None:
    """The site of the official URI space ``iri`` lies in (by http or https), if any."""
    plain = "http://" + iri.removeprefix("https://") if iri.startswith("https://") else iri
    return next(
        (s for space, (s, _) in OFFICIAL_GEOGRAPHY.items() if plain.startswith(space)), None
    )


def _links(release: Release, entry: _Entry, graphs: dict[str, _Entry]) -> tuple[Link, ...]:
    objects = _objects(release, entry)
    official: Counter[str] = Counter()
    inside = []
    for iri in objects:
        space = _official_site(iri)
        if space is not None:
            official[space] += 1
        else:
            inside.append(iri)
    others = {g: e for g, e in graphs.items() if g != entry.graph}
    counts = _holders(release, inside, others) if others and inside else Counter[str]()
    found = sorted(counts.items()) + sorted(official.items())
    return tuple(Link(target, count) for target, count in found)


def read_evidence(release: Release, iris: IriSpace) -> dict[str, Evidence]:
    """The evidence for the stars of every dataset of the catalogue, by dataset IRI."""
    entries = _entries(release, iris)
    licences, formats = _licences(release, iris), _formats(release, iris)
    graphs = {e.graph: e for e in entries if e.graph is not None}
    found = {}
    for entry in entries:
        named = licences.get(entry.iri, [])
        evidence = Evidence(
            licences=tuple(sorted({name for name, _ in named})),
            open_licences=tuple(sorted({name for name, is_open in named if is_open})),
            formats=tuple(formats.get(entry.iri, [])),
        )
        if entry.graph is not None and _held(release, entry.graph):
            evidence = replace(
                evidence,
                held_here=True,
                example_uri=_example_uri(release, entry.graph, iris.base),
                links=_links(release, entry, graphs),
            )
        found[entry.iri] = evidence
    return found
