"""The one table of RDF formats: names, file extensions, media types, and writing them.

Everything that writes or negotiates RDF looks formats up here.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from enum import Enum
from typing import TextIO

import pyoxigraph

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "prov": "http://www.w3.org/ns/prov#",
    "csvw": "http://www.w3.org/ns/csvw#",
    "qb": "http://purl.org/linked-data/cube#",
    "geo": "http://www.opengis.net/ont/geosparql#",
}


class OutputFormat(Enum):
    """RDF serialisations the command line writes, by their short name."""

    NTRIPLES = "nt"
    TURTLE = "ttl"
    NQUADS = "nq"

    @property
    def rdf_format(self) -> pyoxigraph.RdfFormat:
        """The pyoxigraph format object."""
        return pyoxigraph.RdfFormat.from_extension(self.value)  # type: ignore[return-value]

    @property
    def media_type(self) -> str:
        """The IANA media type."""
        return self.rdf_format.media_type


def write_rdf(lines: Iterable[str], out: TextIO, fmt: OutputFormat) -> None:
    """Write N-Triples lines in ``fmt``. N-Triples and N-Quads stream straight through; Turtle
    is spooled to a temporary file and re-serialised by pyoxigraph, still without holding the
    graph in memory."""
    if fmt is not OutputFormat.TURTLE:
        out.writelines(lines)
        return
    with tempfile.TemporaryFile("w+b") as spool:
        text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
        text.writelines(lines)
        text.flush()
        spool.seek(0)
        triples = pyoxigraph.parse(spool, format=pyoxigraph.RdfFormat.N_TRIPLES)
        buffer = io.BytesIO()
        pyoxigraph.serialize(triples, buffer, format=pyoxigraph.RdfFormat.TURTLE, prefixes=PREFIXES)
        out.write(buffer.getvalue().decode("utf-8"))
        text.detach()
