"""Settings, read once from ``ODC_*`` environment variables.

This is the only module that reads ``os.environ``: everything else receives a ``Settings``.

>>> s = Settings.from_env({"ODC_BASE_IRI": "https://data.example.gov.uk/", "ODC_PORT": "9000"})
>>> s.base_iri, s.port
('https://data.example.gov.uk', 9000)
>>> Settings.from_env({}).base_iri
'http://localhost:8000'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PREFIX = "ODC_"


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {text!r} (use true or false)")


def _list(text: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in text.split(",") if item.strip())


def _positive(parse: Callable[[str], T]) -> Callable[[str], T]:
    def checked(text: str) -> T:
        value = parse(text)
        if value < 0:  # type: ignore[operator]
            raise ValueError(f"must not be negative: {text!r}")
        return value

    return checked


@dataclass(frozen=True)
class Settings:
    """Everything configurable about a running platform. Field ``x`` is read from ``ODC_X``."""

    base_iri: str = "http://localhost:8000"
    """The scheme and authority every minted IRI starts with, without a trailing slash."""
    store_dir: Path = Path("var/store")
    """The release root: release directories plus the ``current`` pointer."""
    host: str = "127.0.0.1"
    port: int = 8000
    cache_entries: int = 20_000
    """How many rendered responses each of the web's two caches (by document, by request)
    keeps at most."""
    cache_megabytes: int = 256
    """How many megabytes of rendered responses each web cache keeps at most (the two share
    most bodies, so memory is usually well under twice this)."""
    page_size: int = 100
    """Incoming links per page on a resource page."""
    reload_seconds: float = 1.0
    """How often an idle server looks whether a new release was swapped in (a request looks
    every time)."""
    debug: bool = False
    queries_dir: Path = Path("queries")
    """Named SPARQL queries (``{name}.rq``), served under ``/queries/{name}``."""
    sparql_workers: int = 4
    """Worker processes answering SPARQL queries (each holds the store read-only, about
    130 MB). More than a small server's cores: one is ready while the server hands out the
    last answer, and a couple of runaway queries cannot hold every worker."""
    sparql_timeout: float = 30.0
    """Seconds a SPARQL query may run before it is stopped (503)."""
    sparql_max_megabytes: int = 512
    """The largest SPARQL result, in megabytes, the endpoint sends."""
    sparql_cache: bool = True
    """Keep whole SPARQL answers to GET requests for the life of the release (the data
    cannot change until the next one); repeats are then served without running the query."""
    sparql_services: tuple[str, ...] = ()
    """Endpoints a query's ``SERVICE`` clause may call (comma-separated); none by default."""

    def __post_init__(self) -> None:
        # Normalise once so that IRI building elsewhere can simply concatenate.
        object.__setattr__(self, "base_iri", self.base_iri.rstrip("/"))
        if not self.base_iri.startswith(("http://", "https://")):
            raise ValueError(f"ODC_BASE_IRI must be an http(s) IRI, not {self.base_iri!r}")
        if self.page_size < 1:
            raise ValueError("ODC_PAGE_SIZE must be at least 1")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``); unknown keys are ignored.

        Raises ``ValueError`` naming the variable when a value does not parse.
        """
        source = os.environ if environ is None else environ
        parsers: dict[str, Callable[[str], Any]] = {
            "base_iri": str,
            "store_dir": Path,
            "host": str,
            "port": _positive(int),
            "cache_entries": _positive(int),
            "cache_megabytes": _positive(int),
            "page_size": _positive(int),
            "reload_seconds": _positive(float),
            "debug": _boolean,
            "queries_dir": Path,
            "sparql_workers": _positive(int),
            "sparql_timeout": _positive(float),
            "sparql_max_megabytes": _positive(int),
            "sparql_cache": _boolean,
            "sparql_services": _list,
        }
        values: dict[str, Any] = {}
        for field in fields(cls):
            name = PREFIX + field.name.upper()
            if name not in source:
                continue
            try:
                values[field.name] = parsers[field.name](source[name])
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from exc
        return cls(**values)
