"""The catalogue as people browse it (``/data``): every dataset of the catalogue, the site's
own and harvested ones, with what a list shows and filters on, read once per release.

* theme: ``dct:subject`` (a mapping's ``dc:subject``) or the label of a ``dcat:theme``;
* publisher and licence: by name (``rdfs:label``, ``foaf:name``...), else as written;
* geography levels: the classes (subclasses of ``geography:Area``) of the areas its data
  holds or uses (a cube's *codes used*);
* periods: the reference.data.gov.uk periods its data uses;
* last published: ``dct:modified``, else ``dct:issued``;
* its five-star rating (``store.stars``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from opendatacommunities.iris import IriSpace
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import select_rows
from opendatacommunities.store.stars import Rating, dataset_ratings
from opendatacommunities.vocab import (
    DCAT,
    DCT,
    NAME_PATH,
    RDF_TYPE,
    RDFS,
    REFERENCE_ID,
    SKOS,
    VOID,
)

SUMMARY_LENGTH = 240
_SEPARATOR = "\x1f"
LISTING: Slot[list[ListedDataset]] = Slot("dataset-listing")


@dataclass(frozen=True)
class ListedDataset:
    """One dataset as the catalogue's list shows it."""

    iri: str
    title: str
    summary: str
    themes: tuple[str, ...]
    publisher: str | None
    licence: str | None
    licence_iri: str | None
    levels: tuple[str, ...]
    periods: tuple[str, ...]
    published: str | None
    """The lexical form of its last publication date (a date, or a date and time)."""
    published_type: str | None
    harvested: bool
    rating: Rating | None
    test_entry: str | None = None
    """Why a harvested entry is not a real dataset (a test left in its catalogue)."""


def summarise(text: str | None) -> str:
    """The start of a description, cut at a word when long.

    >>> summarise("Wards of Glasgow.  With   boundaries."), summarise(None)
    ('Wards of Glasgow. With boundaries.', '')
    >>> summarise("word " * 100)[-6:]
    'word …'
    """
    words = " ".join((text or "").split())
    if len(words) <= SUMMARY_LENGTH:
        return words
    return words[:SUMMARY_LENGTH].rsplit(" ", 1)[0] + " …"


def _base_rows(release: Release, iris: IriSpace) -> list[tuple[str | None, ...]]:
    harvested = iris.definition("catalogue/HarvestedDataset")
    columns = (
        *("title", "label", "description", "publisher", "pname", "licence", "lname"),
        *("modified", "mtype", "issued", "itype", "harvested", "test"),
    )
    picked = " ".join(f"(SAMPLE(?{c}_) AS ?{c})" for c in columns)
    query = f"""SELECT ?d {picked} {{
      <{iris.catalogue()}> <{DCAT}dataset> ?d .
      OPTIONAL {{ ?d <{DCT}title> ?title_ }} OPTIONAL {{ ?d <{RDFS}label> ?label_ }}
      OPTIONAL {{ ?d <{DCT}description> ?description_ }}
      OPTIONAL {{ ?d <{DCT}publisher> ?publisher_ OPTIONAL {{ ?publisher_ {NAME_PATH} ?pname_ }} }}
      OPTIONAL {{ ?d <{DCT}license> ?licence_ OPTIONAL {{ ?licence_ {NAME_PATH} ?lname_ }} }}
      OPTIONAL {{ ?d <{DCT}modified> ?modified_ BIND(DATATYPE(?modified_) AS ?mtype_) }}
      OPTIONAL {{ ?d <{DCT}issued> ?issued_ BIND(DATATYPE(?issued_) AS ?itype_) }}
      OPTIONAL {{ ?d <{RDF_TYPE}> ?harvested_ FILTER(?harvested_ = <{harvested}>) }}
      OPTIONAL {{ ?d <{iris.definition("catalogue/testEntry")}> ?test_ }}
    }} GROUP BY ?d"""
    return select_rows(release.store, query)


def _grouped(release: Release, query: str) -> dict[str, tuple[str, ...]]:
    """Dataset IRI -> the values ``query`` (rows of dataset, value) finds, sorted."""
    found: defaultdict[str, set[str]] = defaultdict(set)
    for dataset, value in select_rows(release.store, query):
        if dataset is not None and value:
            found[dataset].add(value)
    return {d: tuple(sorted(values, key=str.casefold)) for d, values in found.items()}


def _themes(release: Release, iris: IriSpace) -> dict[str, tuple[str, ...]]:
    return _grouped(
        release,
        f"""SELECT ?d ?t {{ <{iris.catalogue()}> <{DCAT}dataset> ?d .
          {{ ?d <{DCT}subject> ?t FILTER(isLiteral(?t)) }}
          UNION {{ ?d <{DCAT}theme>|<{DCT}subject> ?c FILTER(isIRI(?c)) ?c {NAME_PATH} ?t }} }}""",
    )


def _levels(release: Release, iris: IriSpace) -> dict[str, tuple[str, ...]]:
    """The geography levels of each of the site's own datasets: a class of areas its graph
    types something as, or of the areas a cube's *codes used* hold. Asked per graph and
    level (index lookups): a query over every ``rdf:type`` would read each observation's."""
    area = iris.definition("geography/Area")
    classes = f"SELECT ?l ?n {{ ?l <{RDFS}subClassOf> <{area}> ; <{RDFS}label> ?n }}"
    levels = {str(level): str(name) for level, name in select_rows(release.store, classes)}
    catalogue = iris.catalogue()
    graphs = f"SELECT ?d ?g {{ <{catalogue}> <{DCAT}dataset> ?d . ?d <{VOID}inDataset> ?g }}"
    found: dict[str, tuple[str, ...]] = {}
    for dataset, graph in select_rows(release.store, graphs):
        used = f"""SELECT DISTINCT ?l {{ GRAPH <{graph}> {{ ?c <{SKOS}member> ?s }}
          ?s <{RDF_TYPE}> ?l }}"""
        held = {str(row[0]) for row in select_rows(release.store, used)}
        held |= {level for level in levels if _types(release, str(graph), level)}
        names = sorted({levels[level] for level in held if level in levels}, key=str.casefold)
        if names:
            found[str(dataset)] = tuple(names)
    return found


def _types(release: Release, graph: str, level: str) -> bool:
    query = f"SELECT ?s {{ GRAPH <{graph}> {{ ?s <{RDF_TYPE}> <{level}> }} }} LIMIT 1"
    return bool(select_rows(release.store, query))


def _periods(release: Release) -> dict[str, tuple[str, ...]]:
    found = _grouped(
        release,
        f"""SELECT DISTINCT ?d ?p {{ ?d <{VOID}inDataset> ?g .
          GRAPH ?g {{ ?c <{SKOS}member> ?p }} FILTER(STRSTARTS(STR(?p), "{REFERENCE_ID}")) }}""",
    )
    # reference.data.gov.uk names a period by its kind and code (year/2020): the code says it.
    return {d: tuple(p.rsplit("/", 1)[-1] for p in periods) for d, periods in found.items()}


@dataclass(frozen=True)
class _Found:
    """What the other queries found, by dataset."""

    themes: dict[str, tuple[str, ...]]
    levels: dict[str, tuple[str, ...]]
    periods: dict[str, tuple[str, ...]]
    ratings: dict[str, Rating]


def _entry(row: tuple[str | None, ...], found: _Found) -> ListedDataset:
    d, title, label, text, pub, pname, lic, lname, mod, mtype, iss, itype, harvested, test = row
    assert d is not None
    return ListedDataset(
        iri=d,
        title=title or label or d.rsplit("/", 1)[-1],
        summary=summarise(text),
        themes=found.themes.get(d, ()),
        publisher=pname or pub,
        licence=lname or lic,
        licence_iri=lic,
        levels=found.levels.get(d, ()),
        periods=found.periods.get(d, ()),
        published=mod or iss,
        published_type=mtype if mod else itype,
        harvested=harvested is not None,
        rating=found.ratings.get(d),
        test_entry=test,
    )


def read_listing(release: Release, iris: IriSpace) -> list[ListedDataset]:
    """Every dataset of the catalogue, by title."""
    found = _Found(
        _themes(release, iris),
        _levels(release, iris),
        _periods(release),
        dataset_ratings(release, iris),
    )
    listed = [_entry(row, found) for row in _base_rows(release, iris)]
    return sorted(listed, key=lambda entry: (entry.title.casefold(), entry.iri))


def dataset_listing(release: Release, iris: IriSpace) -> list[ListedDataset]:
    """``read_listing``, once per release."""
    return release.cache.once(LISTING, lambda: read_listing(release, iris))
