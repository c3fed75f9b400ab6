"""One conversion from start to end: input, metadata, tables, RDF."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from opendatacommunities.errors import MetadataError

from .convert import Options, convert_group
from .discovery import locate
from .fetch import Document, Fetcher, file_url
from .metadata import load_table_group
from .model import build_group
from .provenance import provenance_lines
from .reporting import Reporter
from .terms import BlankNodes, iri

METADATA_SUFFIXES = (".json", ".jsonld")


@dataclass(frozen=True)
class Job:
    """What to convert and how.

    ``base_url`` pins the input to the URL it would have been fetched from; other URLs under
    the same site map to the files around it. ``link_header`` acts as the HTTP Link header
    that came with the input.
    """

    input: Path
    base_url: str | None = None
    metadata: Path | None = None
    link_header: str | None = None
    minimal: bool = False
    provenance: bool = True


def fetcher_for(job: Job) -> Fetcher:
    """The fetcher that maps this job's URLs to local files."""
    url = job.base_url or file_url(job.input)
    links = {url.split("#")[0]: job.link_header} if job.link_header else {}
    return Fetcher(input_path=job.input, url=url, link_headers=links)


def _user_document(job: Job, fetcher: Fetcher) -> Document:
    assert job.metadata is not None
    relative = os.path.relpath(job.metadata.absolute(), job.input.absolute().parent)
    url = (
        urljoin(fetcher.url, relative.replace(os.sep, "/"))
        if job.base_url
        else file_url(job.metadata)
    )
    if not job.metadata.is_file():
        raise MetadataError("metadata file not found", file=str(job.metadata))
    return Document(url=url, path=job.metadata, data=job.metadata.read_bytes())


def _input_document(job: Job, fetcher: Fetcher) -> Document:
    if not job.input.is_file():
        raise MetadataError("input file not found", file=str(job.input))
    return Document(url=fetcher.url, path=job.input, data=job.input.read_bytes())


def load_group(job: Job, fetcher: Fetcher, report: Reporter) -> tuple[dict[str, Any], list[str]]:
    """The normalised table group for a job, and the metadata URLs it was read from."""
    if job.metadata is not None:
        user = _user_document(job, fetcher)
        return load_table_group(user, fetcher, report.warn), [user.url]
    if job.input.suffix.lower() in METADATA_SUFFIXES:
        document = _input_document(job, fetcher)
        return load_table_group(document, fetcher, report.warn), [document.url]
    return locate(fetcher.url, fetcher, report)


def map_to_rdf(job: Job, report: Reporter) -> Iterator[str]:
    """Convert a CSV file or a metadata file to RDF, yielding N-Triples lines.

    :raises MetadataError: when the metadata is unusable (nothing is yielded).
    :raises CellError: in strict mode, at the first bad cell, row or key.
    """
    started = datetime.now(UTC)
    fetcher = fetcher_for(job)
    description, metadata_urls = load_group(job, fetcher, report)
    source = metadata_urls[0] if metadata_urls else str(job.input)
    group = build_group(description, source, report.warn)
    blanks = BlankNodes()
    subject = iri(group.id) if group.id else blanks.new()
    yield from convert_group(group, subject, fetcher, report, Options(minimal=job.minimal), blanks)
    if job.provenance and not job.minimal:
        yield from provenance_lines(
            subject,
            tables=[t.url for t in group.tables],
            metadata=metadata_urls,
            started=started,
            blanks=blanks,
        )


def source_files(job: Job) -> list[Path]:
    """The local files a job reads its tables from (for checksums and provenance)."""
    fetcher = fetcher_for(job)
    description, _ = load_group(job, fetcher, Reporter())
    paths = [fetcher.local_path(str(table.get("url", ""))) for table in description["tables"]]
    return [path for path in paths if path is not None and path.is_file()]
