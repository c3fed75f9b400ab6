"""The releases of a remote engine, as a server follows them (``LiveStore``): the pointer is
the control graph's ``LIVE`` release, read at most every ``reload_seconds``; the release's
files (search index, dumps, manifest) are in its directory under ``store_dir`` as on disk."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from opendatacommunities.config import Settings
from opendatacommunities.errors import NoReleaseError, ReleaseError
from opendatacommunities.store.releases import Release, ReleaseRoot
from opendatacommunities.store.remote import control
from opendatacommunities.store.remote.endpoint import Endpoint
from opendatacommunities.store.remote.reads import RemoteStore


class RemoteReleaseRoot(ReleaseRoot):
    """``ReleaseRoot`` whose ``current`` is the remote engine's live release."""

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(settings.store_dir)
        self.endpoint = Endpoint(settings)
        self.every = settings.reload_seconds
        self._clock = clock
        self._lock = threading.Lock()
        self._read_at: float | None = None
        self._pointer: str | None = None

    def pointer(self) -> str | None:
        """The live release's id (None before the first), read from the engine at most
        every ``reload_seconds`` (requests ask on every call)."""
        with self._lock:
            now = self._clock()
            if self._read_at is None or now - self._read_at >= self.every:
                self._pointer = control.live_release(self.endpoint)
                self._read_at = now
            return self._pointer

    def open_current_read_only(self) -> Release:
        """The live release. Raises ``NoReleaseError`` when there is none."""
        target = self.pointer()
        if target is None:
            raise NoReleaseError(f"no release has been published on {self.endpoint.query_url}")
        return self.open_read_only(target)

    def open_read_only(self, target: str) -> Release:
        """Release ``target`` on the engine, with its files' directory under the root.

        :raises ReleaseError: the engine does not list it as complete.
        """
        complete = control.complete_releases(self.endpoint)
        if target not in complete:
            raise ReleaseError(f"release {target} is not complete on {self.endpoint.query_url}")
        store = RemoteStore(self.endpoint, target)
        published = complete[target]
        if published.tzinfo is None:
            published = published.replace(tzinfo=UTC)
        return Release(target, self.releases_dir / target, published, store)

    def current_path(self) -> Path | None:
        """The directory of the live release's files, or None before the first release."""
        target = self.pointer()
        return None if target is None else self.releases_dir / target
