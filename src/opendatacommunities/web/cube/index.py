"""The cubes of one release, read once and kept for as long as the release is served.

A release never changes, so a cube's structure, its codes and their counts are read once per
release (``CubeIndex`` lives in the release's cache), and so are the row orders of sorted
views. The app reads and counts every cube before it starts serving; a release swapped in
later is read on first use, in a background thread, and a visitor who comes before that is
done waits only for the cube they asked for.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from functools import partial
from typing import Any, TypeVar, cast

import anyio
import anyio.to_thread
from starlette.concurrency import run_in_threadpool

from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.cube.levels import CubeLevels, read_levels
from opendatacommunities.store.cube.profile import CubeProfile, profile_cube
from opendatacommunities.store.cube.structure import Cube, find_cubes, read_cube
from opendatacommunities.store.lexicon import lexicon_of

log = logging.getLogger(__name__)
#: Tables computed at the same time, at most.
RENDERERS = 2
_LIMITERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = (
    weakref.WeakKeyDictionary()
)


def _renderers() -> anyio.CapacityLimiter:
    """The limiter of the running event loop (made on first use: limiters belong to one)."""
    loop = asyncio.get_running_loop()
    if loop not in _LIMITERS:
        _LIMITERS[loop] = anyio.CapacityLimiter(RENDERERS)
    return _LIMITERS[loop]


T = TypeVar("T")
#: Where a release keeps its cube index.
CUBE_INDEX: Slot[CubeIndex] = Slot("cube-index")
#: Row orders of sorted views kept per release (each at most one code list long).
MAX_ORDERS = 256
#: Whole slices kept per release (each of ``slices.GRID_CELLS`` cells at most).
MAX_GRIDS = 32


class _Recent(OrderedDict[Hashable, "Future[Any]"]):
    """A table that keeps its ``limit`` most recently used entries."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit


class CubeIndex:
    """Cubes, profiles and row orders of one release, each computed once."""

    def __init__(self, release: Release) -> None:
        self.release = release
        self._lock = threading.Lock()
        self._futures: dict[Hashable, Future[Any]] = {}
        """Cubes and profiles: kept for the life of the release."""
        self._orders = _Recent(MAX_ORDERS)
        """Row orders."""
        self._grids = _Recent(MAX_GRIDS)
        """Whole slices."""
        self._flight: dict[Hashable, Future[Any]] = {}
        """Anything else being computed: kept only until it is done."""
        self._grid_builder = threading.Lock()
        """Held while a whole slice is read: one at a time, beside the pages being served."""
        self._warming = False

    @classmethod
    def of(cls, release: Release) -> CubeIndex:
        """The index of ``release`` (made on first use)."""
        return release.cache.once(CUBE_INDEX, lambda: cls(release))

    def _claim(self, table: dict[Hashable, Future[Any]], key: Hashable) -> tuple[Future[Any], bool]:
        with self._lock:
            future = table.get(key)
            if future is not None:
                if isinstance(table, _Recent):
                    table.move_to_end(key)
                return future, False
            future = table[key] = Future()
            if isinstance(table, _Recent):
                while len(table) > table.limit:
                    table.popitem(last=False)
            return future, True

    def _fulfil(
        self,
        table: dict[Hashable, Future[Any]],
        key: Hashable,
        future: Future[Any],
        compute: Callable[[], T],
    ) -> T:
        try:
            result = compute()
        except BaseException as exc:
            with self._lock:
                table.pop(key, None)  # not kept: the next request tries again
            future.set_exception(exc)
            raise
        future.set_result(result)
        if table is self._flight:
            with self._lock:
                table.pop(key, None)
        return result

    def _once(
        self, table: dict[Hashable, Future[Any]], key: Hashable, compute: Callable[[], T]
    ) -> T:
        future, mine = self._claim(table, key)
        if mine:
            return self._fulfil(table, key, future, compute)
        return cast(T, future.result())

    async def _once_async(
        self, table: dict[Hashable, Future[Any]], key: Hashable, compute: Callable[[], T]
    ) -> T:
        future, mine = self._claim(table, key)
        if mine:
            return await run_in_threadpool(self._fulfil, table, key, future, compute)
        return cast(T, await asyncio.wrap_future(future))

    def compute(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``'s result, computed once per key and kept (blocking: for worker
        threads)."""
        return self._once(self._futures, key, compute)

    async def shared(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()`` in a worker thread, once for all the requests that ask for ``key``
        while it runs (the result is not kept: the caller caches it).

        At most ``RENDERERS`` run at a time, first come first served: on a machine of few
        cores, sixteen tables read side by side would each take sixteen times as long
        (Python shares its lock in turns) and hold up the pages already in the cache."""
        future, mine = self._claim(self._flight, key)
        if not mine:
            return cast(T, await asyncio.wrap_future(future))
        return await anyio.to_thread.run_sync(
            self._fulfil, self._flight, key, future, compute, limiter=_renderers()
        )

    async def cube(self, iri: str) -> Cube | None:
        """The cube ``iri`` (None if there is no such cube)."""
        self.warm()
        return await self._once_async(self._futures, ("cube", iri), partial(self._read, iri))

    def cube_now(self, iri: str) -> Cube | None:
        """``cube`` for worker threads."""
        return self.compute(("cube", iri), partial(self._read, iri))

    def _read(self, iri: str) -> Cube | None:
        # Codes are named as the release's lexicon names them (as every page does), and are
        # not asked for again.
        lexicon = lexicon_of(self.release)
        return read_cube(self.release, iri, lexicon.label)

    async def profile(self, cube: Cube) -> CubeProfile:
        """The cube's counts."""
        compute = partial(profile_cube, self.release, cube)
        return await self._once_async(self._futures, ("profile", cube.iri), compute)

    def levels_now(self, cube: Cube) -> CubeLevels:
        """The geography levels of the cube's areas, and its totals (blocking)."""
        return self.compute(("levels", cube.iri), partial(read_levels, self.release, cube))

    def order(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A row order (or what one is made from), computed once however many ask at the
        same time, kept among the ``MAX_ORDERS`` most recently used."""
        return self._once(self._orders, key, compute)

    def grid(self, key: Hashable, compute: Callable[[], T]) -> T | None:
        """A whole slice's cells if they are ready, else None, and then they are computed in
        the background (once, one slice at a time) and kept among the ``MAX_GRIDS`` most
        recently used: a first visit is not kept waiting for the whole slice."""
        future, mine = self._claim(self._grids, key)
        if mine:
            threading.Thread(
                target=self._build_grid, args=(key, future, compute), daemon=True
            ).start()
        if future.done() and future.exception() is None:
            return cast(T, future.result())
        return None

    def grid_now(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``grid``, waiting for the slice to be read (blocking: for worker threads)."""
        return self._once(self._grids, key, compute)

    def _build_grid(self, key: Hashable, future: Future[Any], compute: Callable[[], T]) -> None:
        with self._grid_builder:
            try:
                self._fulfil(self._grids, key, future, compute)
            except Exception:  # the pages are read one at a time meanwhile, and meet it then
                log.debug("could not read the slice %r", key, exc_info=True)

    def read_all(self) -> None:
        """Read every cube's structure and codes, then count each and read the levels of its
        areas, now (blocking): no view or page waits for them afterwards. A cube that cannot
        be read is left for a request to meet."""
        self._warming = True  # nothing left for a background thread to do
        self._warm()

    def warm(self) -> None:
        """Read every cube, then count each, in a background thread (once)."""
        with self._lock:
            if self._warming:
                return
            self._warming = True
        threading.Thread(target=self._warm, name="odc-cube-warm", daemon=True).start()

    def _warm(self) -> None:
        try:
            release = self.release
            cubes = [self.cube_now(iri) for iri in find_cubes(release)]
            for cube in cubes:
                if cube is not None:
                    self.compute(("profile", cube.iri), partial(profile_cube, release, cube))
                    self.levels_now(cube)
        except Exception:  # a request that needs the cube will meet the error itself
            log.debug("could not warm the cubes of release %s", self.release.id, exc_info=True)
