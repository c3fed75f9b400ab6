"""The one table of RDF formats: names, file extensions, media types, and writing them.

Everything that writes or negotiates RDF looks formats up here.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable
from enum import Enum
from typing import BinaryIO

import pyoxigraph

from opendatacommunities.vocab import PREFIXES


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


def write_rdf(lines: Iterable[str], out: BinaryIO, fmt: OutputFormat) -> None:
    """Write N-Triples lines to a binary stream in ``fmt``.

    N-Triples and N-Quads stream straight through. Turtle is spooled to a temporary file and
    re-serialised by pyoxigraph, which streams too: memory stays flat either way.
    """
    if fmt is not OutputFormat.TURTLE:
        text = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
        try:
            text.writelines(lines)
            text.flush()
        finally:
            # Detach, or closing the wrapper would close the caller's stream.
            text.detach()
        return
    with tempfile.TemporaryFile("w+b") as spool:
        write_rdf(lines, spool, OutputFormat.NTRIPLES)
        spool.seek(0)
        triples = pyoxigraph.parse(spool, format=pyoxigraph.RdfFormat.N_TRIPLES)
        pyoxigraph.serialize(
            triples, out, format=pyoxigraph.RdfFormat.TURTLE, prefixes=dict(PREFIXES)
        )
