"""``/data/{dataset}/dump.nt.gz`` and ``/data/{dataset}/dump.ttl.gz``: a dataset in full, as
the publish wrote it beside the release.

The files are sent as they lie on disk (streamed, no size cap, byte ranges for resumed
downloads): a download costs no query. They are downloads of gzip files
(``application/gzip``, with a file name), not N-Triples or Turtle sent with a
``Content-Encoding``, which clients would silently unpack. The ETag is the file's SHA-256:
a dataset unchanged by a new release keeps its dump, and a client's copy stays current.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import DUMP_FORMATS
from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.dumps import (
    BY_KEY,
    DatasetDumps,
    DumpFile,
    dump_path,
    read_index,
)
from opendatacommunities.web.context import get_context
from opendatacommunities.web.http import CACHE_CONTROL, http_date, is_current

MEDIA_TYPE = "application/gzip"
DUMP_INDEX: Slot[dict[str, DatasetDumps]] = Slot("dump-index")


@dataclass(frozen=True)
class DumpLink:
    """One dump of a dataset, as pages and catalogues list it."""

    name: str
    """The format's name (``N-Triples``)."""
    key: str
    url: str
    """Its address on this site (absolute)."""
    media_type: str
    """The media type of what the gzip file holds (``application/n-triples``)."""
    file: DumpFile

    @property
    def size(self) -> str:
        """Its size for people (``12.5 MB``, ``830 bytes``).

        >>> DumpLink("N-Triples", "nt", "u", "t", DumpFile(12_504_556, "")).size
        '12.5 MB'
        """
        if self.file.bytes < 1000:
            return f"{self.file.bytes:,} bytes"
        size = float(self.file.bytes)
        for unit in ("kB", "MB", "GB"):
            size /= 1000
            if size < 1000 or unit == "GB":
                break
        return f"{size:,.1f} {unit}"


def release_dumps(release: Release) -> dict[str, DatasetDumps]:
    """The dumps ``release`` holds, by dataset (read once per release)."""
    return release.cache.once(DUMP_INDEX, lambda: read_index(release.path))


def dump_address(dataset: str, key: str) -> str:
    """The path of a dataset's dump in the format ``key``."""
    return f"/data/{dataset}/dump.{key}.gz"


def dump_links(release: Release, iris: IriSpace, dataset: str) -> list[DumpLink]:
    """The dumps of ``dataset`` (its name, as in ``/data/{dataset}``), none if it has none."""
    found = release_dumps(release).get(dataset)
    if found is None:
        return []
    return [
        DumpLink(
            f.name,
            f.key,
            iris.url(dump_address(dataset, f.key)),
            f.media_type,
            found.files[f.key],
        )
        for f in DUMP_FORMATS
        if f.key in found.files
    ]


async def dump(request: Request, dataset: str, key: str) -> Response:
    """A dataset's dump in the format ``key`` (``nt`` or ``ttl``), gzipped, as a download."""
    release = get_context(request).live.current()
    fmt = BY_KEY.get(key)
    if fmt is None:
        offer = " or ".join(f"dump.{f.key}.gz" for f in DUMP_FORMATS)
        raise NotFoundError(f"There is no dump in the format .{key}; try {offer}.")
    dumps = (await run_in_threadpool(release_dumps, release)).get(dataset)
    if dumps is None or key not in dumps.files:
        raise NotFoundError(
            f"There is no dataset {dataset!r} with a dump here; every dataset is listed at /data."
        )
    path = dump_path(release.path, dataset, key)
    modified = datetime.fromtimestamp(path.stat().st_mtime, UTC)
    headers = {
        "etag": f'"{dumps.files[key].sha256}"',
        "last-modified": http_date(modified),
        "cache-control": CACHE_CONTROL,
    }
    if is_current(request, headers["etag"], headers["last-modified"]):
        return Response(status_code=304, headers=headers)
    return FileResponse(path, headers=headers, media_type=MEDIA_TYPE, filename=path.name)
