"""Loading into the new release, in a thread of its own, while the publish goes on.

Each dataset is loaded as soon as it is mapped, before it has been checked: the release is
a draft beside the live one, and a check that fails discards the whole draft, so nothing
unchecked is ever served. Bulk loading runs in Oxigraph, outside the interpreter lock, so it
overlaps with the checks the publishing thread runs meanwhile. Compaction (``seal``) runs
in the same thread once the last dataset is in.

A release can start as a copy of the live one (``start_from``), sharing its files: the
graphs of changed datasets are dropped from it first, and it is not compacted, which would
rewrite (and so stop sharing) every file.

What is derived from the whole store and kept beside it (the search index, the dumps) is
made once the store is sealed: ``seal`` tells the sealed release's directory to whoever
asked.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from pyoxigraph import RdfFormat

from opendatacommunities.store import ReleaseDraft, ReleaseRoot

from .progress import Relay, Timeline


@dataclass(frozen=True)
class _Load:
    data: Path | bytes
    graph: str
    note: str
    lenient: bool


@dataclass(frozen=True)
class _Seal:
    then: Callable[[Path], None]
    """Told the sealed release's directory, in the loading thread (the commit waits for it)."""


@dataclass(frozen=True)
class _Drop:
    graph: str


class Loader:
    """Loads N-Triples into named graphs of a new release, in the order they are given."""

    def __init__(
        self,
        root: ReleaseRoot,
        relay: Relay,
        timeline: Timeline,
        start_from: Path | None = None,
    ) -> None:
        self._root = root
        self._start_from = start_from
        self._relay = relay
        self._timeline = timeline
        self._jobs: queue.SimpleQueue[_Load | _Drop | _Seal | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._draft: ReleaseDraft | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._committed = False

    def load(self, data: Path | bytes, graph: str, note: str, *, checked: bool = False) -> None:
        """Queue N-Triples (a file, or bytes) for loading into ``graph``; say ``note`` when
        they are in. The release is created with the first load (from any thread).

        ``checked`` data is also parsed strictly by the checks, before anything is
        committed: here its IRIs are not validated a second time, which is faster.
        """
        self._put(_Load(data, graph, note, checked))

    def drop(self, graph: str) -> None:
        """Queue the removal of a graph the copied release holds."""
        self._put(_Drop(graph))

    def seal(self, then: Callable[[Path], None] = lambda path: None) -> None:
        """Queue the compaction of the release: nothing can be loaded after it. ``then`` is
        told the directory of the sealed release (its store closed) once it is done."""
        self._put(_Seal(then))

    def _put(self, job: _Load | _Drop | _Seal) -> None:
        with self._lock:
            if self._thread is None:
                self._draft = self._root.new_release(self._start_from)
                self._thread = threading.Thread(target=self._work, name="odc-loader")
                self._thread.start()
        self._jobs.put(job)

    def _work(self) -> None:
        draft = self._draft
        assert draft is not None
        while (job := self._jobs.get()) is not None:
            if self._error is not None:
                continue  # something failed: the publish is stopping, skip the rest
            try:
                self._run(draft, job)
            except BaseException as error:  # handed to the publishing thread by raise_error
                self._error = error

    def _run(self, draft: ReleaseDraft, job: _Load | _Drop | _Seal) -> None:
        started = time.time()
        if isinstance(job, _Load):
            draft.load(job.data, RdfFormat.N_TRIPLES, graph=job.graph, lenient=job.lenient)
            note = job.note
        elif isinstance(job, _Drop):
            draft.drop_graph(job.graph)
            note = f"dropped {job.graph} in {time.time() - started:.1f} s"
        elif self._start_from is None:
            draft.seal()
            note = f"release compacted in {time.time() - started:.1f} s"
        else:
            draft.seal(compact=False)
            note = "release written (not compacted: it shares its files with the last one)"
        self._timeline.add("load", started, time.time())
        self._relay.say(note)
        if isinstance(job, _Seal):
            job.then(draft.path)

    def raise_error(self) -> None:
        """Raise what went wrong in the loading thread, if anything did.

        :raises OSError: or whatever else a load raised.
        """
        if self._error is not None:
            raise self._error

    def commit(
        self,
        files: dict[str, bytes],
        base_iri: str,
        finish: Callable[[Path], None] = lambda draft: None,
    ) -> Path:
        """Wait for every queued load, let ``finish`` add files to the sealed release (its
        directory, not yet live), then write ``files`` into it and make it current, stamped
        with the ``base_iri`` it was published with; its directory.

        :raises OSError: or whatever else a load or ``finish`` raised (the release is then
            discarded).
        """
        self._stop()
        self.raise_error()
        if self._draft is None:
            raise LookupError("nothing was loaded")
        finish(self._draft.path)
        path = self._draft.commit(files, base_iri=base_iri)
        self._committed = True
        return path

    def _stop(self) -> None:
        if self._thread is None:
            return
        self._jobs.put(None)
        while self._thread.is_alive():
            self._thread.join(0.1)
            self._relay.flush()
        self._relay.flush()

    def __enter__(self) -> Loader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None and self._thread is not None and self._thread.is_alive():
            self._error = self._error or value
            self._relay.now("stopping: waiting for the load in progress to end")
        self._stop()
        if self._draft is not None and not self._committed:
            self._draft.discard()
