"""The release a server reads, following ``current`` without a restart or a failed request.

Each request takes ``LiveStore.current()`` and uses that release throughout, so a swap in the
middle of a request cannot mix two releases. ``current()`` looks at the pointer on every call
(one ``readlink``), and ``watch()`` has a thread look every ``check_every`` seconds, so that an
idle server moves on without waiting for a visitor. A new release is opened and warmed (its
lexicon read, then every function in ``warmers`` run: search index, home page, cubes) in a
background thread while requests keep using the old one; the switch comes only once the new
one is ready, so the first request after it finds everything done.

A release stays on disk while this process reads it: it holds a shared lock on the release
(``locks.share``) that a publisher's prune respects. The lock of a release that is no longer
current is let go once the last request that took it (inside ``request()``) has finished.
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from opendatacommunities.errors import NoReleaseError
from opendatacommunities.store.lexicon import lexicon_of
from opendatacommunities.store.releases import Release, ReleaseRoot

log = logging.getLogger(__name__)

Warmer = Callable[[Release], None]
#: Objects freed at a time when a release is let go (``_free``).
FREE_BATCH = 2_000
_TAKEN: ContextVar[list[Release] | None] = ContextVar("odc_releases_taken", default=None)
"""The releases the request being served has taken from ``current()``."""
_PREVIEW: ContextVar[Release | None] = ContextVar("odc_release_preview", default=None)
"""A release being warmed, that ``current()`` answers with inside ``preview()``."""


class LiveStore:
    """The current release of a release root, reopened when the root's pointer moves."""

    def __init__(
        self,
        root: ReleaseRoot,
        check_every: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.root = root
        self.check_every = check_every
        self.warmers: list[Warmer] = []
        """Per-release work done before a release is served (from a background thread)."""
        self._clock = clock
        self._release: Release | None = None
        self._pointer: str | None = None
        self._lock = threading.Lock()
        """Held while a release is opened and warmed (seconds): never by a request."""
        self._flags = threading.Lock()
        """Guards ``_opening`` and ``_retry_at``: held for an instant."""
        self._opening = False
        self._retry_at = 0.0
        self._users: dict[int, int] = {}
        self._users_lock = threading.Lock()
        self._stop = threading.Event()

    def current(self) -> Release:
        """The release to answer a request from. Never waits for a reopen once one release
        is open; raises ``NoReleaseError`` while nothing has been published."""
        preview = _PREVIEW.get()
        if preview is not None:
            return preview
        if self._release is not None and self.root.pointer() != self._pointer:
            self._reopen_in_background()
        while True:
            release = self._release or self.refresh()
            if self._take(release):
                return release

    def refresh(self) -> Release:
        """Open the current release now if the pointer moved (blocking), and return it."""
        with self._lock:
            pointer = self.root.pointer()
            if self._release is None or pointer != self._pointer:
                self._open(pointer)
        if self._release is None:
            raise NoReleaseError(f"no release has been published under {self.root.root}")
        return self._release

    @contextmanager
    def request(self) -> Iterator[None]:
        """One request: every release ``current()`` hands out inside the block stays on disk
        until the block ends, even if the server moves on meanwhile."""
        taken: list[Release] = []
        token = _TAKEN.set(taken)
        try:
            yield
        finally:
            _TAKEN.reset(token)
            for release in taken:
                self._give_back(release)

    @contextmanager
    def preview(self, release: Release) -> Iterator[None]:
        """Inside the block (in this context only), ``current()`` is ``release``: a warmer
        can have pages of a release rendered before it is served."""
        token = _PREVIEW.set(release)
        try:
            yield
        finally:
            _PREVIEW.reset(token)

    def watch(self) -> None:
        """Look at the pointer every ``check_every`` seconds in a thread of its own, until
        ``close()``: a new release is opened and warmed even while no request comes."""
        self._stop.clear()
        threading.Thread(target=self._watch, name="odc-release-watch", daemon=True).start()

    def close(self) -> None:
        """Stop watching."""
        self._stop.set()

    def _watch(self) -> None:
        while not self._stop.wait(self.check_every):
            try:
                if self._release is not None and self.root.pointer() != self._pointer:
                    self._reopen_in_background()
            except Exception:  # a broken pointer now may be mended by the next publish
                log.exception("could not read the pointer under %s", self.root.root)

    def _open(self, pointer: str | None) -> None:
        if pointer is None:
            return
        release = self.root.open_read_only(pointer)
        with _collector_paused():
            self._warm(release)
        old = self._release
        # Assign the release before the pointer: a reader that sees the new pointer value
        # must also see the new release.
        self._release = release
        self._pointer = pointer
        log.info("serving release %s", release.id)
        if old is not None and old is not release:
            self._give_back(old, taken=False)

    def _warm(self, release: Release) -> None:
        # Read what every page needs before the release is served, so no request waits.
        lexicon_of(release)
        for warm in self.warmers:
            try:
                warm(release)
            except Exception:  # the request that needs it meets the error itself
                log.exception("could not prepare release %s", release.id)

    def _take(self, release: Release) -> bool:
        """Count ``release`` as used by the request in progress; False if it was let go
        meanwhile (the server moved on between reading it and taking it)."""
        taken = _TAKEN.get()
        if taken is None or any(r is release for r in taken):
            return True
        with self._users_lock:
            if release.hold is not None and not release.hold.held:
                return False
            self._users[id(release)] = self._users.get(id(release), 0) + 1
        taken.append(release)
        return True

    def _give_back(self, release: Release, *, taken: bool = True) -> None:
        """A request is done with ``release`` (or, with ``taken`` false, the server moved on
        from it): let go of it once it is neither current nor in use."""
        with self._users_lock:
            users = self._users.get(id(release), 0) - taken
            if users > 0:
                self._users[id(release)] = users
                return
            self._users.pop(id(release), None)
            if release is self._release or release.hold is None:
                return
            release.hold.release()
        # What was derived from it refers back to it (cube indexes): without those
        # references the store closes as soon as nobody holds the release object.
        derived = release.cache.drop()
        threading.Thread(target=_free, args=(derived,), name="odc-release-free").start()

    def _reopen_in_background(self) -> None:
        with self._flags:
            if self._opening or self._clock() < self._retry_at:
                return
            self._opening = True
        threading.Thread(target=self._reopen, name="odc-release-reopen", daemon=True).start()

    def _reopen(self) -> None:
        try:
            with self._lock:
                self._open(self.root.pointer())
        except Exception:
            # Keep serving the release we have; try again in a while.
            self._retry_at = self._clock() + self.check_every
            log.exception("could not open the new release under %s", self.root.root)
        finally:
            with self._flags:
                self._opening = False


def _free(derived: list[Any]) -> None:
    """Free what was derived from a release a batch at a time, letting other threads run in
    between: freed at once, the words and search index of a release (hundreds of thousands
    of objects) hold the interpreter for 100 ms or more, and every request waits."""
    while derived:
        value = derived.pop()
        for container in [value, *getattr(value, "__dict__", {}).values()]:
            _empty(container)
        del value


def _empty(container: object) -> None:
    if isinstance(container, dict):
        while container:
            for _ in range(min(FREE_BATCH, len(container))):
                container.popitem()
            time.sleep(0)
    elif isinstance(container, list):
        while container:
            del container[-FREE_BATCH:]
            time.sleep(0)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection in the block. Warming a release makes hundreds of thousands of
    objects that live as long as it does; each full collection meanwhile would walk them all
    while holding the interpreter, and every request in flight would wait for it."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
