"""What every route of the app shares: settings, IRIs, the live store, cache, templates."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request

from opendatacommunities.config import Settings
from opendatacommunities.iris import AUTHORED_BASE, IriSpace
from opendatacommunities.places.figures import float_text
from opendatacommunities.places.stories import Document, read_folder
from opendatacommunities.store import (
    Confinement,
    LiveStore,
    NamedQuery,
    QueryPool,
    load_named_queries,
    release_root,
)
from opendatacommunities.store.query.remote import RemoteQueries, remote_queries
from opendatacommunities.web.cache import RequestIndex, ResponseCache

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def make_templates() -> Environment:
    """The Jinja2 environment. Autoescaping is on for every template: the data holds raw
    HTML (the Glasgow catalogue's descriptions) that must show as text, never run.
    Templates are compiled once: without ``auto_reload`` Jinja does not look at every
    template file's modification time on every render."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        auto_reload=False,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["sentence"] = sentence
    environment.filters["figure"] = float_text
    return environment


def sentence(text: str) -> str:
    """Upper-case the first letter only (Jinja's ``capitalize`` lowers the rest: "UK").

    >>> sentence("electoral ward, UK country")
    'Electoral ward, UK country'
    """
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class AppContext:
    """The app's shared state, stored on ``app.state.odc``."""

    settings: Settings
    iris: IriSpace
    live: LiveStore
    cache: ResponseCache
    """Rendered responses, by what they are (release, address, format, page...)."""
    requests: RequestIndex
    """Which of them answered which request (release, path, query, Accept), for
    ``FastPath``."""
    templates: Environment
    queries: QueryPool
    """The worker processes that answer SPARQL queries (started on first use)."""
    sparql: QueryPool | RemoteQueries
    """What answers ``/sparql``: ``queries`` on the embedded store; the engine itself
    (``ODC_STORE_URL``), with the same limits, on a remote one."""
    named_queries: dict[str, NamedQuery]
    """The named queries of ``settings.queries_dir``, by name."""
    stories: dict[str, Document]
    """The data stories of ``settings.stories_dir``, by name."""
    dashboards: dict[str, Document]
    """The theme dashboards of ``settings.dashboards_dir``, by theme."""

    @classmethod
    def from_settings(cls, settings: Settings) -> AppContext:
        """Wire up the parts ``settings`` describe (opens nothing yet)."""
        cache = ResponseCache(settings.cache_entries, settings.cache_megabytes * 1024 * 1024)
        queries = QueryPool(
            workers=settings.sparql_workers_per_process,
            timeout=settings.sparql_timeout,
            max_bytes=settings.sparql_max_megabytes * 1_000_000,
            confinement=Confinement(
                cut_network=not settings.sparql_services,
                max_memory_bytes=settings.sparql_max_memory << 20,
            ),
        )
        return cls(
            settings=settings,
            iris=IriSpace(settings.base_iri),
            live=LiveStore(release_root(settings), settings.reload_seconds),
            cache=cache,
            requests=RequestIndex(cache, settings.cache_entries),
            templates=make_templates(),
            queries=queries,
            sparql=remote_queries(settings) if settings.store_url else queries,
            named_queries=load_named_queries(
                settings.queries_dir, base_iri=settings.base_iri, authored_base=AUTHORED_BASE
            ),
            # Documents that cannot be read are left out here; the publish names them.
            stories=read_folder(settings.stories_dir, "stories")[0],
            dashboards=read_folder(settings.dashboards_dir, "dashboards")[0],
        )


def get_context(request: Request) -> AppContext:
    """The shared state of the app serving ``request``."""
    context = request.app.state.odc
    assert isinstance(context, AppContext)
    return context
