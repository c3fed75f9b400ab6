"""The release a server reads, following ``current`` without a restart or a failed request.

Each request takes ``LiveStore.current()`` once and uses that release throughout, so a swap in
the middle of a request cannot mix two releases. When ``current`` moves, the new release is
opened, and its lexicon read, in a background thread while requests keep using the old
handle; the reference is swapped only once both are ready, and the old store closes when the
last request holding it finishes (its last reference goes).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from opendatacommunities.store.lexicon import lexicon_of
from opendatacommunities.store.releases import NoReleaseError, Release, ReleaseRoot

log = logging.getLogger(__name__)


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
        self._clock = clock
        self._release: Release | None = None
        self._pointer: str | None = None
        self._next_check = 0.0
        self._lock = threading.Lock()
        self._opening = False

    def current(self) -> Release:
        """The release to answer a request from. Never waits for a reopen once one release
        is open; raises ``NoReleaseError`` while nothing has been published."""
        now = self._clock()
        if now >= self._next_check:
            self._next_check = now + self.check_every
            pointer = self.root.pointer()
            if pointer != self._pointer:
                if self._release is None:
                    return self.refresh()
                self._reopen_in_background()
        if self._release is None:
            return self.refresh()
        return self._release

    def refresh(self) -> Release:
        """Open the current release now if the pointer moved (blocking), and return it."""
        with self._lock:
            pointer = self.root.pointer()
            if self._release is None or pointer != self._pointer:
                self._open(pointer)
        if self._release is None:
            raise NoReleaseError(f"no release has been published under {self.root.root}")
        return self._release

    def _open(self, pointer: str | None) -> None:
        if pointer is None:
            return
        release = self.root.open_read_only(pointer)
        # Read what every page needs before the release is served, so no request waits.
        lexicon_of(release.store, release.memo)
        # Assign the release before the pointer: a reader that sees the new pointer value
        # must also see the new release.
        self._release = release
        self._pointer = pointer
        log.info("serving release %s", release.id)

    def _reopen_in_background(self) -> None:
        with self._lock:
            if self._opening:
                return
            self._opening = True
        threading.Thread(target=self._reopen, name="odc-release-reopen", daemon=True).start()

    def _reopen(self) -> None:
        try:
            with self._lock:
                self._open(self.root.pointer())
        except Exception:
            # Keep serving the release we have; the next check retries.
            log.exception("could not open the new release under %s", self.root.root)
        finally:
            with self._lock:
                self._opening = False
