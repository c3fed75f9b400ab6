"""The datasets of the site's DCAT catalogue, with what the catalogue's DCAT-AP description
of each needs, read once per release."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QuerySolutions

from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import DCAT, DCT, FOAF, RDFS, SKOS


@dataclass(frozen=True)
class CatalogueEntry:
    """One dataset of the catalogue: its IRI and the DCAT-AP properties it has."""

    iri: str
    title: str | None
    description: str | None
    licence: str | None
    publisher: str | None
    publisher_name: str | None
    modified: str | None
    """The lexical form of its ``dct:modified``."""
    modified_type: str | None
    """The datatype of its ``dct:modified`` (a date, or a date and time)."""


_COLUMNS = ("title", "description", "licence", "publisher", "name", "modified", "type")


def catalogue_entries(release: Release, catalogue: str) -> list[CatalogueEntry]:
    """Every dataset of ``catalogue`` (``dcat:dataset``), sorted by IRI."""
    names = f"<{FOAF}name>|<{RDFS}label>|<{SKOS}prefLabel>"
    picked = " ".join(f"(SAMPLE(?{c}_) AS ?{c})" for c in _COLUMNS)
    query = f"""SELECT ?d {picked} {{
      <{catalogue}> <{DCAT}dataset> ?d .
      OPTIONAL {{ ?d <{DCT}title> ?title_ }}
      OPTIONAL {{ ?d <{DCT}description> ?description_ }}
      OPTIONAL {{ ?d <{DCT}license> ?licence_ FILTER(isIRI(?licence_)) }}
      OPTIONAL {{ ?d <{DCT}publisher> ?publisher_ FILTER(isIRI(?publisher_))
                  OPTIONAL {{ ?publisher_ {names} ?name_ }} }}
      OPTIONAL {{ ?d <{DCT}modified> ?modified_ BIND(DATATYPE(?modified_) AS ?type_) }}
    }} GROUP BY ?d ORDER BY ?d"""
    result = release.store.query(query, use_default_graph_as_union=True)
    assert isinstance(result, QuerySolutions)
    entries = []
    for row in result:
        values = [None if term is None else str(term.value) for term in row]
        entries.append(CatalogueEntry(str(row[0].value), *values[1:]))
    return entries
