"""Optional provenance of a conversion (csv2rdf §5): what was read, with what, and when."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from opendatacommunities import __version__
from opendatacommunities.vocab import CSVW, PROV, RDF, XSD

from .terms import BlankNodes, iri, literal

AGENT = f"urn:opendatacommunities:csvw:{__version__}"


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def provenance_lines(
    subject: str,
    *,
    tables: list[str],
    metadata: list[str],
    started: datetime,
    blanks: BlankNodes,
) -> Iterator[str]:
    """PROV-O triples saying ``subject`` was generated from ``tables`` using ``metadata``."""
    activity = blanks.new()
    ended = datetime.now(UTC)
    yield _line(subject, iri(PROV + "wasGeneratedBy"), activity)
    yield _line(activity, iri(RDF + "type"), iri(PROV + "Activity"))
    yield _line(activity, iri(PROV + "wasAssociatedWith"), iri(AGENT))
    for name, moment in (("startedAtTime", started), ("endedAtTime", ended)):
        yield _line(activity, iri(PROV + name), literal(moment.isoformat(), XSD + "dateTime"))
    for role, entities in (("csvEncodedTabularData", tables), ("tabularMetadata", metadata)):
        if not entities:
            continue
        usage = blanks.new()
        yield _line(activity, iri(PROV + "qualifiedUsage"), usage)
        yield _line(usage, iri(RDF + "type"), iri(PROV + "Usage"))
        for entity in entities:
            yield _line(usage, iri(PROV + "entity"), iri(entity))
        yield _line(usage, iri(PROV + "hadRole"), iri(CSVW + role))
