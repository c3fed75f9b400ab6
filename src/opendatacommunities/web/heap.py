"""The heap once the app has warmed up: frozen, so that full garbage collections skip it.

Before serving, the app reads what a release keeps for as long as it is served (labels,
cubes and their codes, the search index): millions of objects that never become garbage.
Python's full collections walk every tracked object, and on a busy server each one held
the interpreter for 100 ms or more, a pause every request in flight waited for. Freezing
moves what exists after warm-up out of the collector's sight; it is still freed by
reference counting when a later release replaces it.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI


@asynccontextmanager
async def _freeze(app: FastAPI) -> AsyncIterator[None]:
    gc.collect()  # what the warm-up let go of is freed now, not frozen
    gc.freeze()
    # A release swapped in later is frozen too, once warmed (the last of its warmers): the
    # collector does not walk its objects on every full collection either.
    app.state.odc.live.warmers.append(lambda _release: gc.freeze())
    yield
    gc.unfreeze()


#: Included last: routers' lifespans start in the order they were included.
router = APIRouter(lifespan=_freeze)
