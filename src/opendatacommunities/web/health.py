"""``/healthz`` and ``/readyz``: for load balancers and orchestrators.

``/healthz`` answers 200 whenever the process can answer at all (restart it otherwise).
``/readyz`` answers 200 once a release is open and warm, 503 with the reason otherwise
(send it no traffic yet). The server accepts connections only after its start-up has read
the release (labels, cubes, the SPARQL workers), so a release it can open is a warm one.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response

from opendatacommunities.errors import OdcError
from opendatacommunities.web.context import get_context

#: Probes must see the server as it is now, never a cached answer.
NO_STORE = {"cache-control": "no-store"}


async def healthz(request: Request) -> Response:
    """The process is alive."""
    return PlainTextResponse("ok\n", headers=NO_STORE)


async def readyz(request: Request) -> Response:
    """200 with the release served, its age and the server process answering (with several,
    ``odc serve --workers``, each follows a new release on its own); 503 with the reason
    when there is none."""
    context = get_context(request)
    try:
        # Opening a release published since start-up reads it first: not on the event loop.
        release = await run_in_threadpool(context.live.current)
    except OdcError as exc:
        problem = {"status": "not ready", "reason": str(exc)}
        return JSONResponse(problem, status_code=503, headers={**NO_STORE, "retry-after": "5"})
    age = (datetime.now(UTC) - release.published).total_seconds()
    body: dict[str, object] = {
        "status": "ready",
        "release": release.id,
        "release_age_seconds": round(age, 3),
        "process": os.getpid(),
    }
    return JSONResponse(body, headers=NO_STORE)
