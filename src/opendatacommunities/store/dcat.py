"""The datasets of the site's DCAT catalogue, with what the catalogue's DCAT-AP description
of each needs, read once per release."""

from __future__ import annotations

from dataclasses import dataclass

from pyoxigraph import QuerySolutions

from opendatacommunities.store.releases import Release
from opendatacommunities.vocab import DCAT, DCT, FOAF, QB_DATASET_CLASS, RDF_TYPE, RDFS, SKOS


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
    return _entries(release, f"<{catalogue}> <{DCAT}dataset> ?d .")


def dataset_entry(release: Release, iri: str) -> CatalogueEntry | None:
    """The dataset ``iri`` (a ``dcat:Dataset`` or ``qb:DataSet``), or None for anything else."""
    kinds = f"<{DCAT}Dataset> <{QB_DATASET_CLASS}>"
    found = _entries(
        release, f"VALUES ?d {{ <{iri}> }} VALUES ?k {{ {kinds} }} ?d <{RDF_TYPE}> ?k ."
    )
    return found[0] if found else None


def _entries(release: Release, datasets: str) -> list[CatalogueEntry]:
    """The datasets ``datasets`` (a graph pattern binding ``?d``) with their properties."""
    names = f"<{FOAF}name>|<{RDFS}label>|<{SKOS}prefLabel>"
    picked = " ".join(f"(SAMPLE(?{c}_) AS ?{c})" for c in _COLUMNS)
    query = f"""SELECT ?d {picked} {{
      {datasets}
      OPTIONAL {{ ?d <{DCT}title>|<{RDFS}label> ?title_ }}
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
