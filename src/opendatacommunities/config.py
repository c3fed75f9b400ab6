"""Settings, read once from ``ODC_*`` environment variables.

This is the only module that reads ``os.environ``: everything else receives a ``Settings``.

>>> s = Settings.from_env({"ODC_BASE_IRI": "https://data.example.gov.uk/", "ODC_PORT": "9000"})
>>> s.base_iri, s.port
('https://data.example.gov.uk', 9000)
>>> Settings.from_env({}).base_iri
'http://localhost:8000'
>>> Settings.from_env({"ODC_PORT": "8100"}).base_iri
'http://localhost:8100'
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

PREFIX = "ODC_"
#: The smallest memory ceiling, in megabytes, a SPARQL worker can open a store within.
MIN_SPARQL_MEMORY = 1024
#: The largest TCP port number.
MAX_PORT = 65535


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
        if value != value:  # NaN parses as a float but compares with nothing
            raise ValueError(f"not a number: {text!r}")
        if value < 0:  # type: ignore[operator]
            raise ValueError(f"must not be negative: {text!r}")
        return value

    return checked


@dataclass(frozen=True)
class Settings:
    """Everything configurable about a running platform. Field ``x`` is read from ``ODC_X``."""

    base_iri: str = ""
    """The scheme and authority every minted IRI starts with, without a trailing slash.
    Empty (``ODC_BASE_IRI`` unset): the address served, ``address_base(host, port)``, so
    that every URI on the site dereferences where it is served."""
    store_dir: Path = Path("var/store")
    """The release root: release directories plus the ``current`` pointer."""
    keep_releases: int = 2
    """How many releases a publish leaves on disk, the new live one included (releases a
    server still reads are kept until it lets go)."""
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
    catalog_page_size: int = 100
    """Datasets per page of ``/catalog`` (pages are linked with Hydra)."""
    sitemap_size: int = 50_000
    """The most URLs one sitemap lists (the sitemap protocol's limit); past it
    ``/sitemap.xml`` is an index of child sitemaps."""
    reload_seconds: float = 1.0
    """How often an idle server looks whether a new release was swapped in (a request looks
    every time)."""
    debug: bool = False
    queries_dir: Path = Path("queries")
    """Named SPARQL queries (``{name}.rq``), served under ``/queries/{name}``."""
    stories_dir: Path = Path("stories")
    """Data stories (``{name}.md``), served under ``/stories/{name}``."""
    dashboards_dir: Path = Path("dashboards")
    """Theme dashboards (``{theme}.md``), served under ``/dashboards/{theme}``."""
    sparql_workers: int = 4
    """Worker processes answering SPARQL queries, over all server processes (each holds the
    store read-only, about 130 MB; each server process runs its share,
    ``sparql_workers_per_process``). More than a small server's cores: one is ready while
    the server hands out the last answer, and a couple of runaway queries cannot hold every
    worker."""
    sparql_timeout: float = 30.0
    """Seconds a SPARQL query may run before it is stopped (503)."""
    sparql_max_megabytes: int = 512
    """The largest SPARQL result, in megabytes, the endpoint sends."""
    sparql_cache: bool = True
    """Keep whole SPARQL answers to GET requests for the life of the release (the data
    cannot change until the next one); repeats are then served without running the query."""
    sparql_services: tuple[str, ...] = ()
    """Endpoints a query's ``SERVICE`` clause may call (comma-separated); none by default."""
    sparql_max_memory: int = 2048
    """The memory ceiling of each SPARQL worker process, in megabytes (its address space,
    enforced by the operating system; 0: none). A query that needs more is stopped (503).
    All SPARQL work then holds at most ``sparql_workers`` times this."""
    workers: int = 1
    """Server processes (each with its own SPARQL workers and caches) sharing the port."""
    access_log: bool = True
    """One line per request on stdout: client, method, path, status, milliseconds."""
    max_concurrency: int = 1000
    """Open connections (or requests in progress) per server process beyond which a new
    request is answered 503 at once."""
    backlog: int = 2048
    """Connections the operating system queues before the server accepts them."""
    keep_alive_seconds: int = 5
    """How long an idle keep-alive connection stays open between requests."""
    header_timeout: float = 10.0
    """Seconds a client has, from connecting (or from the first byte of its next request),
    to send a request's line and headers; the connection is closed otherwise."""
    body_timeout: float = 30.0
    """Seconds the server waits for each part of a request body; 408 (or a closed
    connection) otherwise."""
    proxy_headers: bool = True
    """Take the client's address and scheme from ``X-Forwarded-For``/``-Proto`` when the
    connection comes from one of ``forwarded_allow_ips``."""
    forwarded_allow_ips: str = "127.0.0.1"
    """Comma-separated addresses (or ``*``) of the reverse proxies trusted for those headers."""
    metrics_dir: Path | None = None
    """Where several server processes (``workers`` > 1) keep the metrics that ``/metrics``
    adds up; default a fresh temporary directory, removed when the server stops."""
    store_url: str = ""
    """The SPARQL query endpoint of a remote engine holding the releases; empty: the
    embedded store under ``store_dir``. Oxigraph server's ``.../query`` and Virtuoso's
    ``.../sparql`` name the other endpoints and credentials too (``remote_layout``)."""
    store_update_url: str = ""
    """The engine's SPARQL Update endpoint; empty: derived from ``store_url``."""
    store_graph_url: str = ""
    """The engine's Graph Store Protocol endpoint; empty: derived from ``store_url``."""
    store_user: str = ""
    """The user updates and uploads are sent as (HTTP digest or basic, as the engine asks);
    empty: the engine's own default for a known layout, else none."""
    store_password: str = ""
    """The password of ``store_user``; empty: the engine's own default for a known layout."""
    store_timeout: float = 30.0
    """Seconds the site waits for the remote engine to answer one of its own reads (an
    upload's chunks get as long each)."""
    follows_address: bool = field(init=False, compare=False)
    """Whether ``base_iri`` was left to follow the address served (set, not given)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "follows_address", not self.base_iri)
        base = self.base_iri or address_base(self.host, self.port)
        # Normalise once so that IRI building elsewhere can simply concatenate.
        object.__setattr__(self, "base_iri", base.rstrip("/"))
        if not self.base_iri.startswith(("http://", "https://")):
            raise ValueError(f"ODC_BASE_IRI must be an http(s) IRI, not {self.base_iri!r}")
        if not 0 <= self.port <= MAX_PORT:
            raise ValueError(
                f"ODC_PORT must be a port number from 0 to {MAX_PORT}, not {self.port}"
            )
        if self.page_size < 1:
            raise ValueError("ODC_PAGE_SIZE must be at least 1")
        if 0 < self.sparql_max_memory < MIN_SPARQL_MEMORY:
            # An idle worker with a store open already takes about 500 MB of address space.
            raise ValueError(
                f"ODC_SPARQL_MAX_MEMORY must be 0 (no ceiling) or at least "
                f"{MIN_SPARQL_MEMORY} (megabytes), not {self.sparql_max_memory}"
            )
        for name in (
            "workers",
            "max_concurrency",
            "backlog",
            "keep_releases",
            "sitemap_size",
            "catalog_page_size",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"ODC_{name.upper()} must be at least 1")
        if self.store_url:
            _derive_remote(self)
        for name in ("keep_alive_seconds", "header_timeout", "body_timeout", "store_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"ODC_{name.upper()} must be more than 0 seconds")

    @property
    def sparql_workers_per_process(self) -> int:
        """The SPARQL workers each server process runs: its share of ``sparql_workers``,
        rounded up, at least one (so that the total stays near what was asked for however
        many server processes share the cores).

        >>> Settings(sparql_workers=4, workers=2).sparql_workers_per_process
        2
        >>> Settings(sparql_workers=1, workers=2).sparql_workers_per_process
        1
        """
        return max(1, -(-self.sparql_workers // self.workers))

    def override(self, **changes: Any) -> Settings:
        """These settings with ``changes`` (field names); a base IRI that follows the
        address served follows a changed host or port."""
        if self.follows_address and "base_iri" not in changes:
            changes["base_iri"] = ""
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Build settings from ``environ`` (default ``os.environ``); unknown keys are ignored.

        Raises ``ValueError`` naming the variable when a value does not parse.
        """
        source = os.environ if environ is None else environ
        parsers: dict[str, Callable[[str], Any]] = {
            "base_iri": str,
            "store_dir": Path,
            "keep_releases": _positive(int),
            "host": str,
            "port": _positive(int),
            "cache_entries": _positive(int),
            "cache_megabytes": _positive(int),
            "page_size": _positive(int),
            "sitemap_size": _positive(int),
            "catalog_page_size": _positive(int),
            "reload_seconds": _positive(float),
            "debug": _boolean,
            "queries_dir": Path,
            "stories_dir": Path,
            "dashboards_dir": Path,
            "sparql_workers": _positive(int),
            "sparql_timeout": _positive(float),
            "sparql_max_megabytes": _positive(int),
            "sparql_cache": _boolean,
            "sparql_services": _list,
            "sparql_max_memory": _positive(int),
            "workers": _positive(int),
            "access_log": _boolean,
            "max_concurrency": _positive(int),
            "backlog": _positive(int),
            "keep_alive_seconds": _positive(int),
            "header_timeout": _positive(float),
            "body_timeout": _positive(float),
            "proxy_headers": _boolean,
            "forwarded_allow_ips": str,
            "metrics_dir": Path,
            "store_url": str,
            "store_update_url": str,
            "store_graph_url": str,
            "store_user": str,
            "store_password": str,
            "store_timeout": _positive(float),
        }
        values: dict[str, Any] = {}
        for setting in fields(cls):
            name = PREFIX + setting.name.upper()
            if not setting.init or name not in source:
                continue
            try:
                values[setting.name] = parsers[setting.name](source[name])
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from exc
        return cls(**values)


@dataclass(frozen=True)
class RemoteLayout:
    """Where a known engine keeps its other endpoints, beside its query endpoint, and the
    administrator a fresh installation has."""

    engine: str
    query: str
    update: str
    graph: str
    user: str = ""
    password: str = ""
    upload_options: tuple[str, ...] = ()
    """Parameters added to every Graph Store upload (no values)."""
    lateral: bool = False
    """Whether it runs ``LATERAL`` joins (SPARQL 1.2; Oxigraph does, Virtuoso 7 does not)."""


REMOTE_LAYOUTS = (
    # No authentication. An upload outside a transaction is 3.6 times faster (200,000
    # triples: 2.0 s, 7.3 s in one); a release is not read before it is complete anyway.
    RemoteLayout(
        "oxigraph", "/query", "/update", "/store", upload_options=("no_transaction",), lateral=True
    ),
    RemoteLayout("virtuoso", "/sparql", "/sparql-auth", "/sparql-graph-crud-auth", "dba", "dba"),
)


def remote_layout(store_url: str) -> RemoteLayout | None:
    """The known engine whose query endpoint ``store_url`` is, by the end of its path.

    >>> remote_layout("http://db:7878/query").graph, remote_layout("http://db/sparql").user
    ('/store', 'dba')
    >>> remote_layout("http://db/repositories/x") is None
    True
    """
    path = store_url.split("?", 1)[0].rstrip("/")
    return next((layout for layout in REMOTE_LAYOUTS if path.endswith(layout.query)), None)


def _derive_remote(settings: Settings) -> None:
    """Fill in the remote store's endpoints and credentials a known layout implies."""
    if not settings.store_url.startswith(("http://", "https://")):
        raise ValueError(f"ODC_STORE_URL must be an http(s) URL, not {settings.store_url!r}")
    layout = remote_layout(settings.store_url)
    if layout is None:
        if not (settings.store_update_url and settings.store_graph_url):
            raise ValueError(
                f"ODC_STORE_URL {settings.store_url!r} is no engine layout known here (an "
                "Oxigraph server's .../query, Virtuoso's .../sparql): set "
                "ODC_STORE_UPDATE_URL and ODC_STORE_GRAPH_URL too"
            )
        return
    stem = settings.store_url.split("?", 1)[0].rstrip("/")[: -len(layout.query)]
    derived = {
        "store_update_url": stem + layout.update,
        "store_graph_url": stem + layout.graph,
        "store_user": layout.user,
        "store_password": layout.password,
    }
    for name, value in derived.items():
        if not getattr(settings, name):
            object.__setattr__(settings, name, value)


LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "0.0.0.0", "::", ""})
"""Hosts whose served address is named ``localhost``: the loopback addresses, and the
wildcards (every interface, the loopback among them: no one name reaches them all)."""


def address_base(host: str, port: int) -> str:
    """The base IRI of a server on ``host``:``port``.

    >>> address_base("127.0.0.1", 8100), address_base("0.0.0.0", 80)
    ('http://localhost:8100', 'http://localhost')
    >>> address_base("data.example.org", 8000), address_base("fe80::1", 8000)
    ('http://data.example.org:8000', 'http://[fe80::1]:8000')
    """
    name = "localhost" if host in LOOPBACK or host.startswith("127.") else host
    if ":" in name:
        name = f"[{name}]"
    return f"http://{name}" if port == 80 else f"http://{name}:{port}"


def child_environment(settings: Settings) -> dict[str, str]:
    """The environment for an ``odc`` process working for these settings: this one's, with
    the base IRI and the release root named outright (a child has no host or port to
    follow)."""
    return {
        **os.environ,
        PREFIX + "BASE_IRI": settings.base_iri,
        PREFIX + "STORE_DIR": str(settings.store_dir),
    }


def export_metrics_dir(path: Path) -> None:
    """Name ``path`` as prometheus-client's multiprocess directory to the server processes
    started after this call (the library reads it from ``PROMETHEUS_MULTIPROC_DIR``)."""
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path)
