"""The metadata graph: each published dataset as a DCAT dataset with PROV provenance.

For every dataset: title, description, licence and publisher from its mapping; the source
files with their SHA-256 checksums; the mapping and the shapes it was checked against; when it
was published; and how many triples it holds.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePath

from opendatacommunities.csvw.terms import iri, literal
from opendatacommunities.iris import AUTHORED_BASE, IriSpace
from opendatacommunities.vocab import DCAT, DCT, PROV, RDF, RDFS, SPDX, VOID, XSD

from .datasets import Dataset, sha256


@dataclass(frozen=True)
class Published:
    """What publishing one dataset produced."""

    dataset: Dataset
    sources: list[Path]
    shapes: list[Path]
    triples: int
    started: datetime
    ended: datetime
    omitted: dict[str, int] = field(default_factory=dict)
    """Cells of a cube's source holding a missing-value marker, by marker ("*", empty)."""


def _line(s: str, p: str, o: str) -> str:
    return f"{s} {p} {o} .\n"


def _when(moment: datetime) -> str:
    return literal(moment.isoformat(), XSD + "dateTime")


def catalog_lines(base: str, published: Published) -> Iterator[str]:
    """N-Triples describing one published dataset, as an entry of the site's catalogue."""
    dataset = published.dataset
    space = IriSpace(base)
    node = iri(space.dataset(dataset.name))
    catalogue = iri(space.catalogue())
    yield _line(catalogue, iri(RDF + "type"), iri(DCAT + "Catalog"))
    yield _line(catalogue, iri(DCT + "title"), literal("Datasets", language="en"))
    yield _line(catalogue, iri(RDFS + "label"), literal("Datasets", language="en"))
    yield _line(catalogue, iri(DCAT + "dataset"), node)
    yield _line(node, iri(RDF + "type"), iri(DCAT + "Dataset"))
    yield _line(node, iri(DCT + "identifier"), literal(dataset.name))
    yield _line(node, iri(DCT + "title"), literal(dataset.title, language="en"))
    yield _line(node, iri(RDFS + "label"), literal(dataset.title, language="en"))
    for key, values in dataset.about.items():
        if key == "title":
            continue
        for value in values:
            yield _line(node, iri(DCT + key), _object(value))
    for source in dataset.derived_from:
        yield _line(node, iri(PROV + "wasDerivedFrom"), iri(rebased(source, base)))
    yield _line(node, iri(DCT + "modified"), _when(published.ended))
    yield _line(node, iri(VOID + "triples"), literal(str(published.triples), XSD + "integer"))
    yield _line(node, iri(VOID + "inDataset"), iri(space.dataset_graph(dataset.name)))
    for marker, count in published.omitted.items():
        note = (
            f"{count:,} cells of the source hold '{marker}' (no value): their observations "
            "have the value NaN (not a number) and an observation status saying why."
        )
        yield _line(node, iri(RDFS + "comment"), literal(note, language="en"))
    yield from _provenance(base, node, published)


def rebased(value: str, base: str) -> str:
    """An IRI a mapping wrote against the authored base, under ``base``.

    >>> rebased("http://localhost:8000/data/simd2020", "https://odc.example")
    'https://odc.example/data/simd2020'
    >>> rebased("https://www.gov.scot/simd", "https://odc.example")
    'https://www.gov.scot/simd'
    """
    if value.startswith(f"{AUTHORED_BASE}/"):
        return base + value[len(AUTHORED_BASE) :]
    return value


def _object(value: object) -> str:
    if isinstance(value, dict) and "@id" in value:
        return iri(str(value["@id"]))
    if isinstance(value, dict):
        return literal(str(value.get("@value", "")), language=value.get("@language"))
    text = str(value)
    return iri(text) if text.startswith(("http://", "https://")) else literal(text)


def _provenance(base: str, node: str, published: Published) -> Iterator[str]:
    stamp = f"{published.ended:%Y%m%dT%H%M%S}"
    dataset = IriSpace(base).dataset(published.dataset.name)
    activity = iri(f"{dataset}/publication/{stamp}")
    yield _line(node, iri(PROV + "wasGeneratedBy"), activity)
    yield _line(activity, iri(RDF + "type"), iri(PROV + "Activity"))
    yield _line(activity, iri(RDFS + "label"), literal(activity_words(published), language="en"))
    yield _line(activity, iri(PROV + "startedAtTime"), _when(published.started))
    yield _line(activity, iri(PROV + "endedAtTime"), _when(published.ended))
    root = published.dataset.mapping.resolve().parent.parent
    used = [("mapping", published.dataset.mapping)]
    used += [("source", path) for path in published.sources]
    used += [("shapes", path) for path in published.shapes]
    for role, path in used:
        entity = iri(f"{dataset}/{role}/{path.name}")
        yield _line(activity, iri(PROV + "used"), entity)
        yield _line(entity, iri(RDF + "type"), iri(PROV + "Entity"))
        yield _line(entity, iri(DCT + "title"), literal(project_path(path, root)))
        # The file's name, so that a link to it reads as the file (not a word of its IRI).
        yield _line(entity, iri(RDFS + "label"), literal(path.name))
        yield _line(entity, iri(DCT + "type"), literal(role))
        digest = sha256(path)
        checksum = f"_:sha256-{digest[:32]}"  # one node per distinct file content
        yield _line(entity, iri(SPDX + "checksum"), checksum)
        yield _line(checksum, iri(SPDX + "algorithm"), iri(SPDX + "checksumAlgorithm_sha256"))
        yield _line(checksum, iri(SPDX + "checksumValue"), literal(digest))


def activity_words(published: Published) -> str:
    """The publication in words, as its link on the dataset's page reads.

    >>> from datetime import UTC
    >>> moment = datetime(2026, 12, 4, 14, 36, tzinfo=UTC)
    >>> dataset = Dataset(name="x", mapping=Path("x.json"), about={})
    >>> activity_words(Published(dataset, [Path("a.csv")] * 3, [], 1, moment, moment))
    'published on 4 December 2026 from 3 source files'
    """
    count = len(published.sources)
    files = "1 source file" if count == 1 else f"{count:,} source files"
    return f"published on {published.ended.day} {published.ended:%B %Y} from {files}"


def project_path(path: Path, root: Path) -> str:
    """``path`` as the project names it: relative to ``root`` (the folder holding
    ``mappings/``), with ``/`` between its parts, so a record does not depend on where the
    project lay on the publishing machine.

    >>> project_path(Path("/srv/odc/data/x.csv"), Path("/srv/odc"))
    'data/x.csv'
    >>> project_path(Path("/srv/shared/y.csv"), Path("/srv/odc"))
    '../shared/y.csv'
    """
    relative = os.path.relpath(path.resolve(), root)
    return PurePath(relative).as_posix()
