"""``odc serve``: the app under uvicorn, with its limits, its logs and its worker processes.

One process by default. With ``Settings.workers`` > 1, uvicorn's supervisor starts that many
server processes on one listening socket (each builds its own app, SPARQL workers and
caches), and their metrics are kept in files that ``/metrics`` adds up.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from starlette.types import ASGIApp
from uvicorn import Server
from uvicorn.config import LOGGING_CONFIG
from uvicorn.supervisors import Multiprocess

from opendatacommunities.config import Settings, export_metrics_dir
from opendatacommunities.errors import ServeError
from opendatacommunities.web.app import create_app
from opendatacommunities.web.timeouts import ServerConfig


@dataclass(frozen=True)
class AppFactory:
    """Builds the app in each server process (picklable: the processes are spawned)."""

    settings: Settings

    def __call__(self) -> ASGIApp:
        """A ready-to-serve app, its SPARQL workers started with it."""
        return create_app(self.settings, warm_queries=True)


def logging_config(settings: Settings) -> dict[str, Any]:
    """uvicorn's logging, plus the platform's messages (stderr) and access log (stdout)."""
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["odc_access"] = {"format": "%(message)s"}
    config["handlers"]["odc_access"] = {
        "class": "logging.StreamHandler",
        "formatter": "odc_access",
        "stream": "ext://sys.stdout",
    }
    level = "DEBUG" if settings.debug else "INFO"
    config["loggers"]["opendatacommunities"] = {
        "handlers": ["default"],
        "level": level,
        "propagate": False,
    }
    config["loggers"]["opendatacommunities.access"] = {
        "handlers": ["odc_access"],
        "level": "INFO",
        "propagate": False,
    }
    return config


def server_config(
    settings: Settings, app: AppFactory, *, configure_logging: bool = True
) -> ServerConfig:
    """uvicorn's configuration for ``settings``: address, limits, timeouts, proxy, and
    (unless ``configure_logging`` is false, leaving the process's logging as it is) logs."""
    return ServerConfig(
        app,
        factory=True,
        header_timeout=settings.header_timeout,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        limit_concurrency=settings.max_concurrency,
        backlog=settings.backlog,
        timeout_keep_alive=settings.keep_alive_seconds,
        proxy_headers=settings.proxy_headers,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=logging_config(settings) if configure_logging else None,
        log_level="debug" if settings.debug else "info",
        access_log=False,  # ours (``Observed``) has the duration, and counts cached answers
        lifespan="on",
    )


@contextmanager
def metrics_directory(chosen: Path | None) -> Iterator[Path]:
    """An empty directory for the processes' metrics: ``chosen`` emptied of earlier runs'
    files (they would be added in), or a temporary one removed afterwards."""
    if chosen is None:
        with tempfile.TemporaryDirectory(prefix="odc-metrics-") as made:
            yield Path(made)
        return
    chosen.mkdir(parents=True, exist_ok=True)
    for stale in chosen.glob("*.db"):
        stale.unlink()
    yield chosen


def serve(settings: Settings) -> None:
    """Run the app on ``settings.host``:``settings.port`` until stopped (blocks).

    :raises ServeError: the server did not start (the address in use, a bad release root).
    """
    if settings.workers == 1:
        server = Server(server_config(settings, AppFactory(settings)))
        server.run()
        if not server.started:
            raise ServeError("the server did not start (see the messages above)")
        return
    with metrics_directory(settings.metrics_dir) as directory:
        # Before the processes start: prometheus-client reads it when they import it.
        export_metrics_dir(directory)
        settings = replace(settings, metrics_dir=directory)
        config = server_config(settings, AppFactory(settings))
        Multiprocess(config, sockets=[config.bind_socket()]).run()
