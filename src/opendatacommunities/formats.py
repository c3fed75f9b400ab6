"""The one table of formats: for each, its URL suffix, media types, pyoxigraph format and W3C
format IRI; the groups each page family offers; and writing RDF for the command line.

Content negotiation (``web.negotiation``), the SPARQL service description and ``odc map
--format`` all read this table.

>>> TURTLE.key, TURTLE.media_type, TURTLE.rdf == RdfFormat.TURTLE
('ttl', 'text/turtle', True)
>>> output_format("nq") is N_QUADS
True
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

import pyoxigraph
from pyoxigraph import RdfFormat

from opendatacommunities.vocab import FORMATS, PREFIXES


@dataclass(frozen=True)
class WebFormat:
    """A representation we serve: its suffix, its name for people, its media types."""

    key: str
    """The URL suffix (``.ttl``) and the short name used in links and cache keys."""
    name: str
    media_type: str
    aliases: tuple[str, ...] = ()
    """Other media types clients use for the same format."""
    rdf: RdfFormat | None = None
    """The pyoxigraph format that writes it, for RDF serialisations."""
    iri: str | None = None
    """Its name in the W3C format registry (``http://www.w3.org/ns/formats/``), if it has one."""

    @property
    def content_type(self) -> str:
        """The ``Content-Type`` header value (UTF-8 for every text format we write)."""
        if self.media_type.startswith("text/") or self.media_type in _TEXTUAL:
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        """The preferred media type, then its aliases."""
        return (self.media_type, *self.aliases)


_TEXTUAL = {"application/json", "application/ld+json", "application/problem+json"}


def _rdf(rdf: RdfFormat, name: str, registered: str, *aliases: str) -> WebFormat:
    return WebFormat(rdf.file_extension, name, rdf.media_type, aliases, rdf, FORMATS + registered)


TURTLE = _rdf(RdfFormat.TURTLE, "Turtle", "Turtle", "application/x-turtle")
# text/plain is N-Triples' historic media type, still sent by rdflib for format="nt".
NTRIPLES = _rdf(RdfFormat.N_TRIPLES, "N-Triples", "N-Triples", "text/plain")
RDF_XML = _rdf(RdfFormat.RDF_XML, "RDF/XML", "RDF_XML")
JSON_LD = _rdf(RdfFormat.JSON_LD, "JSON-LD", "JSON-LD")
HTML = WebFormat("html", "HTML", "text/html", ("application/xhtml+xml",))
JSON = WebFormat("json", "JSON", "application/json")
CSV = WebFormat("csv", "CSV", "text/csv")

RDF_FORMATS = (TURTLE, NTRIPLES, RDF_XML, JSON_LD)
# Turtle first: a client that states no preference (no Accept, or */*) gets Turtle.
RESOURCE_FORMATS = (TURTLE, HTML, NTRIPLES, RDF_XML, JSON_LD, JSON, CSV)
BY_SUFFIX = {f.key: f for f in RESOURCE_FORMATS}
#: The formats of a dataset's full dumps, written at publish time (``store.dumps``).
DUMP_FORMATS = (NTRIPLES, TURTLE)

# SPARQL results. JSON first: the usual default of SPARQL endpoints for SELECT and ASK.
RESULTS_JSON = WebFormat(
    "json",
    "SPARQL JSON",
    "application/sparql-results+json",
    ("application/json",),
    iri=FORMATS + "SPARQL_Results_JSON",
)
RESULTS_XML = WebFormat(
    "xml",
    "SPARQL XML",
    "application/sparql-results+xml",
    ("application/xml", "text/xml"),
    iri=FORMATS + "SPARQL_Results_XML",
)
RESULTS_CSV = WebFormat("csv", "CSV", "text/csv", iri=FORMATS + "SPARQL_Results_CSV")
RESULTS_TSV = WebFormat(
    "tsv", "TSV", "text/tab-separated-values", iri=FORMATS + "SPARQL_Results_TSV"
)
SOLUTION_FORMATS = (RESULTS_JSON, RESULTS_XML, RESULTS_CSV, RESULTS_TSV)
# CONSTRUCT and DESCRIBE: a client asking for plain JSON gets JSON-LD.
GRAPH_JSON_LD = WebFormat(
    "jsonld",
    "JSON-LD",
    "application/ld+json",
    ("application/json",),
    RdfFormat.JSON_LD,
    JSON_LD.iri,
)
N_QUADS = _rdf(RdfFormat.N_QUADS, "N-Quads", "N-Quads")
TRIG = _rdf(RdfFormat.TRIG, "TriG", "TriG")
GRAPH_FORMATS = (TURTLE, NTRIPLES, RDF_XML, GRAPH_JSON_LD, N_QUADS, TRIG)
# /sparql.{suffix}: the suffix names one format for tables and one for graphs (or none).
SPARQL_SUFFIXES: dict[str, tuple[WebFormat | None, WebFormat | None]] = {
    "json": (RESULTS_JSON, GRAPH_JSON_LD),
    "xml": (RESULTS_XML, RDF_XML),
    "csv": (RESULTS_CSV, None),
    "tsv": (RESULTS_TSV, None),
    "srj": (RESULTS_JSON, None),
    "srx": (RESULTS_XML, None),
    "ttl": (None, TURTLE),
    "nt": (None, NTRIPLES),
    "rdf": (None, RDF_XML),
    "jsonld": (None, GRAPH_JSON_LD),
    "nq": (None, N_QUADS),
    "trig": (None, TRIG),
}

# Error bodies: RFC 9457 problem details, unless the client prefers HTML (a browser).
PROBLEM_JSON = WebFormat("json", "JSON", "application/problem+json", ("application/json",))
ERROR_FORMATS = (PROBLEM_JSON, HTML)

# What ``odc map --format`` writes.
OUTPUT_FORMATS = (NTRIPLES, TURTLE, N_QUADS)


def output_format(key: str) -> WebFormat:
    """The output format with suffix ``key``.

    :raises ValueError: ``key`` names no format the command line writes.
    """
    for fmt in OUTPUT_FORMATS:
        if fmt.key == key:
            return fmt
    known = ", ".join(f.key for f in OUTPUT_FORMATS)
    raise ValueError(f"no output format {key!r}; known: {known}")


def write_rdf(lines: Iterable[str], out: BinaryIO, fmt: WebFormat) -> None:
    """Write N-Triples lines to a binary stream in ``fmt`` (one of ``OUTPUT_FORMATS``).

    N-Triples and N-Quads stream straight through. Turtle is spooled to a temporary file and
    re-serialised by pyoxigraph, which streams too: memory stays flat either way.
    """
    if fmt is not TURTLE:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
        try:
            text.writelines(lines)
            text.flush()
        finally:
            # Detach, or closing the wrapper would close the caller's stream.
            text.detach()
        return
    with tempfile.TemporaryFile("w+b") as spool:
        write_rdf(lines, spool, NTRIPLES)
        spool.seek(0)
        triples = pyoxigraph.parse(spool, format=RdfFormat.N_TRIPLES)
        pyoxigraph.serialize(triples, out, format=RdfFormat.TURTLE, prefixes=dict(PREFIXES))
