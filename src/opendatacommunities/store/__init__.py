"""The only code that talks to a triple store: releases on disk and read-only queries.

``ReleaseRoot`` builds and swaps releases, ``LiveStore`` follows the current one for a
server, ``Reader`` answers what the web needs to describe resources, and ``QueryPool``
runs SPARQL queries in worker processes that can be stopped. ``store.memory`` holds the
in-memory graphs the publishing checks query, ``store.cache`` what is derived from a release
while it is served, and ``store.terms`` the RDF terms pages build from. pyoxigraph's ``Store``
is held nowhere else, and its exceptions are translated here into ``errors``' own.
"""

from opendatacommunities.store.backends import release_root
from opendatacommunities.store.describe import Description, IncomingGroup, Reader, Summary
from opendatacommunities.store.live import LiveStore
from opendatacommunities.store.locks import exclusive
from opendatacommunities.store.named_queries import (
    NamedQuery,
    Parameter,
    iri_error,
    load_named_queries,
)
from opendatacommunities.store.query.job import Job
from opendatacommunities.store.query.pool import Answer, QueryPool
from opendatacommunities.store.query.sandbox import Confinement
from opendatacommunities.store.query.shape import check_shape
from opendatacommunities.store.query.text import names_dataset
from opendatacommunities.store.releases import Release, ReleaseDraft, ReleaseRoot

__all__ = [
    "Answer",
    "Confinement",
    "Description",
    "IncomingGroup",
    "Job",
    "LiveStore",
    "NamedQuery",
    "Parameter",
    "QueryPool",
    "Reader",
    "Release",
    "ReleaseDraft",
    "ReleaseRoot",
    "Summary",
    "check_shape",
    "exclusive",
    "iri_error",
    "load_named_queries",
    "names_dataset",
    "release_root",
]
