"""The query worker process: confines itself (``query_sandbox``), opens a release read-only,
runs one query at a time, and sends the results back through its socket in the format asked
for, as the messages of ``query_messages``.
"""

from __future__ import annotations

from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pyoxigraph import (
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Variable,
)

from opendatacommunities.errors import ResultTooLargeError
from opendatacommunities.store.locks import Hold, share
from opendatacommunities.store.query.job import Job
from opendatacommunities.store.query.messages import (
    Chunk,
    Done,
    End,
    Failed,
    Kind,
    Start,
    Task,
    Unacceptable,
)
from opendatacommunities.store.query.prefixes import query_prefixes, syntax_message
from opendatacommunities.store.query.sandbox import Confinement, confine
from opendatacommunities.store.query.text import names_dataset

#: Results are sent in chunks of about this size.
CHUNK_BYTES = 1 << 16


class _ChunkWriter:
    """A binary file for pyoxigraph's serialisers that sends what it is given in chunks."""

    def __init__(self, connection: Connection, kind: Kind, limit: int) -> None:
        self.connection = connection
        self.kind = kind
        self.limit = limit
        self.buffer = bytearray()
        self.sent = 0
        self.started = False

    def write(self, data: bytes) -> int:
        self.buffer += data
        if self.limit and self.sent + len(self.buffer) > self.limit:
            raise ResultTooLargeError("the results outgrew the size limit")
        if len(self.buffer) >= CHUNK_BYTES:
            self._send_chunk()
        return len(data)

    def flush(self) -> None:
        """Nothing to do: chunks go out when they are full, and at ``close``."""

    def _send_chunk(self) -> None:
        if not self.started:
            self.connection.send(Start(self.kind))
            self.started = True
        self.connection.send(Chunk(bytes(self.buffer)))
        self.sent += len(self.buffer)
        self.buffer.clear()

    def close(self) -> None:
        if not self.started:
            self.connection.send(Done(self.kind, bytes(self.buffer)))
            return
        if self.buffer:
            self._send_chunk()
        self.connection.send(End())


def _options(job: Job) -> dict[str, Any]:
    prefixes = dict(query_prefixes(job.site))
    options: dict[str, Any] = {"base_iri": job.base_iri, "prefixes": prefixes}
    if job.default_graphs:
        options["default_graph"] = [NamedNode(iri) for iri in job.default_graphs]
    elif not names_dataset(job.query):
        # The union of all named graphs is the default graph, unless the query names its
        # own dataset with FROM (pyoxigraph's union option would override it).
        options["use_default_graph_as_union"] = True
    if job.named_graphs:
        options["named_graphs"] = [NamedNode(iri) for iri in job.named_graphs]
    if job.substitutions:
        options["substitutions"] = {Variable(k): v for k, v in job.substitutions.items()}
    return options


def answer(store: Store, job: Job, connection: Connection, max_bytes: int = 0) -> None:
    """Run ``job`` on ``store`` and send the results (or the error) through ``connection``,
    at most ``max_bytes`` of them (0: no limit)."""
    try:
        result = store.query(job.query, **_options(job))
    except SyntaxError as exc:
        message = syntax_message(job.query, str(exc), query_prefixes(job.site))
        connection.send(Failed("syntax", message))
        return
    kind: Kind
    fmt: QueryResultsFormat | RdfFormat | None = None
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        kind = "solutions" if isinstance(result, QuerySolutions) else "boolean"
        if job.solutions_format:
            fmt = QueryResultsFormat.from_media_type(job.solutions_format)
    else:
        kind = "triples"
        if job.graph_format:
            fmt = RdfFormat.from_media_type(job.graph_format)
    if fmt is None:
        connection.send(Unacceptable(kind))
        return
    writer = _ChunkWriter(connection, kind, max_bytes)
    try:
        result.serialize(writer, format=fmt)  # type: ignore[arg-type]
    except ResultTooLargeError:
        connection.send(Failed("too-large"))
        return
    except OSError as exc:
        if isinstance(exc.__cause__ or exc.__context__, ResultTooLargeError):
            connection.send(Failed("too-large"))
            return
        raise
    writer.close()


def serve(connection: Connection, confinement: Confinement) -> None:
    """The worker's loop: confine this process, say ready (and how confined), then run one
    task at a time until the server closes the socket."""
    connection.send(confine(confinement))
    stores: dict[str, Store] = {}
    holds: dict[str, Hold] = {}
    """The release's shared lock, held while it is open: a publish does not delete it."""
    while True:
        try:
            task: Task = connection.recv()
        except (EOFError, OSError):
            return
        job = task.job
        try:
            if job.store_path not in stores:
                stores.clear()  # a new release: the old one is not needed any more
                for hold in holds.values():
                    hold.release()
                holds.clear()
                holds[job.store_path] = share(Path(job.store_path))
                stores[job.store_path] = Store.read_only(job.store_path)
            answer(stores[job.store_path], job, connection, task.max_bytes)
        except MemoryError:
            connection.send(Failed("memory"))  # the server replaces this worker
        except Exception as exc:  # the worker must outlive any one query's failure
            connection.send(Failed("store", f"{type(exc).__name__}: {exc}"))
