"""The query worker process: opens a release read-only, runs one query at a time, and sends
the results back through its socket in the format asked for.

It says ``("ready",)`` once started, then receives ``(Job, max_bytes)`` pairs. Messages it
sends, each a tuple: ``("done", kind, body)`` for an answer that fits in one chunk;
``("start", kind)``, then ``("chunk", bytes)``..., then ``("end",)`` for a larger one;
``("unacceptable", kind)`` when the job offers no format for that kind of result; and
``("error", "syntax" | "too-large" | "store", message)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QueryResultsFormat,
    QuerySolutions,
    RdfFormat,
    Store,
    Triple,
    Variable,
)

from opendatacommunities.store.locks import Hold, share
from opendatacommunities.store.query_text import names_dataset

#: Results are sent in chunks of about this size.
CHUNK_BYTES = 1 << 16
Term = NamedNode | BlankNode | Literal | Triple


@dataclass(frozen=True)
class Job:
    """One query to run, with the protocol's dataset and the formats the client accepts."""

    query: str
    store_path: str
    solutions_format: str | None = None
    """Media type for SELECT and ASK results, or None if the client accepts none."""
    graph_format: str | None = None
    """Media type for CONSTRUCT and DESCRIBE results, or None if the client accepts none."""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    substitutions: dict[str, Term] = field(default_factory=dict)
    base_iri: str | None = None


class _TooLargeError(Exception):
    pass


class _ChunkWriter:
    """A binary file for pyoxigraph's serialisers that sends what it is given in chunks."""

    def __init__(self, connection: Connection, kind: str, limit: int) -> None:
        self.connection = connection
        self.kind = kind
        self.limit = limit
        self.buffer = bytearray()
        self.sent = 0
        self.started = False

    def write(self, data: bytes) -> int:
        self.buffer += data
        if self.limit and self.sent + len(self.buffer) > self.limit:
            raise _TooLargeError
        if len(self.buffer) >= CHUNK_BYTES:
            self._send_chunk()
        return len(data)

    def flush(self) -> None:
        """Nothing to do: chunks go out when they are full, and at ``close``."""

    def _send_chunk(self) -> None:
        if not self.started:
            self.connection.send(("start", self.kind))
            self.started = True
        self.connection.send(("chunk", bytes(self.buffer)))
        self.sent += len(self.buffer)
        self.buffer.clear()

    def close(self) -> None:
        if not self.started:
            self.connection.send(("done", self.kind, bytes(self.buffer)))
            return
        if self.buffer:
            self._send_chunk()
        self.connection.send(("end",))


def _options(job: Job) -> dict[str, Any]:
    options: dict[str, Any] = {"base_iri": job.base_iri}
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
        connection.send(("error", "syntax", str(exc)))
        return
    if isinstance(result, (QuerySolutions, QueryBoolean)):
        kind, media_type = (
            ("solutions" if isinstance(result, QuerySolutions) else "boolean"),
            (job.solutions_format),
        )
        fmt: QueryResultsFormat | RdfFormat | None = (
            QueryResultsFormat.from_media_type(media_type) if media_type else None
        )
    else:
        kind, media_type = "triples", job.graph_format
        fmt = RdfFormat.from_media_type(media_type) if media_type else None
    if fmt is None:
        connection.send(("unacceptable", kind))
        return
    writer = _ChunkWriter(connection, kind, max_bytes)
    try:
        result.serialize(writer, format=fmt)  # type: ignore[arg-type]
    except _TooLargeError:
        connection.send(("error", "too-large", ""))
        return
    except OSError as exc:
        if isinstance(exc.__cause__ or exc.__context__, _TooLargeError):
            connection.send(("error", "too-large", ""))
            return
        raise
    writer.close()


def serve(connection: Connection) -> None:
    """The worker's loop: one job at a time, each with the most bytes it may send, until the
    server closes the socket. It first says it is ready."""
    stores: dict[str, Store] = {}
    holds: dict[str, Hold] = {}
    """The release's shared lock, held while it is open: a publish does not delete it."""
    connection.send(("ready",))
    while True:
        try:
            job, max_bytes = connection.recv()
        except (EOFError, OSError):
            return
        try:
            if job.store_path not in stores:
                stores.clear()  # a new release: the old one is not needed any more
                for hold in holds.values():
                    hold.release()
                holds.clear()
                holds[job.store_path] = share(Path(job.store_path))
                stores[job.store_path] = Store.read_only(job.store_path)
            answer(stores[job.store_path], job, connection, max_bytes)
        except Exception as exc:  # the worker must outlive any one query's failure
            connection.send(("error", "store", f"{type(exc).__name__}: {exc}"))
