"""What the formats of a dataset's downloads are worth to the five-star rating: whether a
format is structured data (a program can read it, unlike a PDF or a scanned table), open (its
specification is free to implement, unlike Excel's), and RDF.

Formats are known by the names catalogues give them (``CSV``, ``GeoJSON``, ``Esri REST``) or
by their media types, in any case; a format not in the table earns no star, as nothing is
known of it (a ZIP file may hold anything).

>>> kind_of("CSV"), kind_of("text/turtle").rdf, kind_of("PDF").structured
(FormatKind(structured=True, open=True, rdf=False), True, False)
>>> kind_of("ArcGIS GeoService").open
False
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FormatKind:
    """What a format is worth: structured data, open, RDF."""

    structured: bool = False
    open: bool = False
    rdf: bool = False


UNKNOWN = FormatKind()
_OPEN = FormatKind(structured=True, open=True)
_CLOSED = FormatKind(structured=True)
_RDF = FormatKind(structured=True, open=True, rdf=True)

_KINDS: dict[str, FormatKind] = {
    **dict.fromkeys(
        (
            "csv",
            "text/csv",
            "tsv",
            "text/tab-separated-values",
            "json",
            "application/json",
            "geojson",
            "application/geo+json",
            "xml",
            "application/xml",
            "text/xml",
            "kml",
            "application/vnd.google-earth.kml+xml",
            "gml",
            "application/gml+xml",
            "ogc wfs",
            "wfs",
            "ods",
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        _OPEN,
    ),
    **dict.fromkeys(
        (
            "xls",
            "xlsx",
            "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "shp",
            "shapefile",
            "esri rest",
            "arcgis geoservice",
        ),
        _CLOSED,
    ),
    **dict.fromkeys(
        (
            "rdf",
            "rdf/xml",
            "application/rdf+xml",
            "turtle",
            "ttl",
            "text/turtle",
            "n-triples",
            "application/n-triples",
            "json-ld",
            "application/ld+json",
            "n-quads",
            "application/n-quads",
            "sparql",
        ),
        _RDF,
    ),
}


def kind_of(name: str) -> FormatKind:
    """What the format ``name`` (a name or a media type, in any case) is worth."""
    return _KINDS.get(name.strip().casefold(), UNKNOWN)


def describe_formats(names: Iterable[str]) -> str:
    """Formats in words: each name once, in the order given.

    >>> describe_formats(["CSV", "KML", "CSV"])
    'CSV, KML'
    """
    return ", ".join(dict.fromkeys(names))
