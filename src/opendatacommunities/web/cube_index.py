"""The cubes of one release, read once and kept for as long as the release is served.

A release never changes, so a cube's structure, its codes and their counts are read once per
release (``CubeIndex`` lives in the release's memo), and so are the row orders of sorted
views. The app reads every cube's structure before it starts serving, then counts them in
the background; a release swapped in later is read on first use, in the background too, and a
visitor who comes before that is done waits only for the cube they asked for.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from functools import partial
from typing import Any, TypeVar, cast

from starlette.concurrency import run_in_threadpool

from opendatacommunities.store import Release
from opendatacommunities.store.cube_profile import CubeProfile, profile_cube
from opendatacommunities.store.cubes import Code, Cube, find_cubes, read_cube

log = logging.getLogger(__name__)
T = TypeVar("T")
_MEMO_KEY = "cube-index"
#: Row orders of sorted views kept per release (each at most one code list long).
MAX_ORDERS = 256


class CubeIndex:
    """Cubes, profiles and row orders of one release, each computed once."""

    def __init__(self, release: Release) -> None:
        self.release = release
        self._lock = threading.Lock()
        self._futures: dict[Hashable, Future[Any]] = {}
        self._orders: OrderedDict[Hashable, tuple[Code, ...]] = OrderedDict()
        self._warming = False

    @classmethod
    def of(cls, release: Release) -> CubeIndex:
        """The index of ``release`` (made on first use)."""
        index = release.memo.get(_MEMO_KEY)
        if index is None:
            index = release.memo.setdefault(_MEMO_KEY, cls(release))
        assert isinstance(index, CubeIndex)
        return index

    def _claim(self, key: Hashable) -> tuple[Future[Any], bool]:
        with self._lock:
            future = self._futures.get(key)
            if future is not None:
                return future, False
            future = self._futures[key] = Future()
            return future, True

    def _fulfil(self, key: Hashable, future: Future[Any], compute: Callable[[], T]) -> T:
        try:
            result = compute()
        except BaseException as exc:
            with self._lock:
                self._futures.pop(key, None)  # not kept: the next request tries again
            future.set_exception(exc)
            raise
        future.set_result(result)
        return result

    def compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result, computed once per key (blocking: for worker threads)."""
        future, mine = self._claim(key)
        if mine:
            return self._fulfil(key, future, compute)
        return cast(T, future.result())

    async def compute_async(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute`` for the event loop: runs it in the threadpool, or waits for the
        thread already running it."""
        future, mine = self._claim(key)
        if mine:
            return await run_in_threadpool(self._fulfil, key, future, compute)
        return cast(T, await asyncio.wrap_future(future))

    async def cube(self, iri: str) -> Cube | None:
        """The cube ``iri`` (None if there is no such cube)."""
        self.warm()
        return await self.compute_async(("cube", iri), lambda: read_cube(self.release.store, iri))

    def cube_now(self, iri: str) -> Cube | None:
        """``cube`` for worker threads."""
        return self.compute(("cube", iri), lambda: read_cube(self.release.store, iri))

    async def profile(self, cube: Cube) -> CubeProfile:
        """The cube's counts."""
        return await self.compute_async(
            ("profile", cube.iri), lambda: profile_cube(self.release.store, cube)
        )

    def order(self, key: Hashable, compute: Callable[[], tuple[Code, ...]]) -> tuple[Code, ...]:
        """A row order, kept among the ``MAX_ORDERS`` most recently used."""
        with self._lock:
            found = self._orders.get(key)
            if found is not None:
                self._orders.move_to_end(key)
                return found
        found = compute()
        with self._lock:
            self._orders[key] = found
            while len(self._orders) > MAX_ORDERS:
                self._orders.popitem(last=False)
        return found

    def read_all(self) -> None:
        """Read every cube's structure and codes now (blocking), so that no slicer view
        waits for them; a cube that cannot be read is left for a request to meet."""
        try:
            for iri in find_cubes(self.release.store):
                self.cube_now(iri)
        except Exception:
            log.debug("could not read the cubes of release %s", self.release.id, exc_info=True)

    def warm(self) -> None:
        """Read every cube, then count each, in a background thread (once)."""
        with self._lock:
            if self._warming:
                return
            self._warming = True
        threading.Thread(target=self._warm, name="odc-cube-warm", daemon=True).start()

    def _warm(self) -> None:
        try:
            store = self.release.store
            cubes = [self.cube_now(iri) for iri in find_cubes(store)]
            for cube in cubes:
                if cube is not None:
                    self.compute(("profile", cube.iri), partial(profile_cube, store, cube))
        except Exception:  # a request that needs the cube will meet the error itself
            log.debug("could not warm the cubes of release %s", self.release.id, exc_info=True)
