"""The only code that talks to a triple store: releases on disk and read-only queries.

``ReleaseRoot`` builds and swaps releases, ``LiveStore`` follows the current one for a
server, and ``Reader`` answers what the web needs to describe resources.
"""

from opendatacommunities.store.describe import Description, IncomingGroup, Reader, Summary
from opendatacommunities.store.live import LiveStore
from opendatacommunities.store.releases import (
    NoReleaseError,
    Release,
    ReleaseDraft,
    ReleaseError,
    ReleaseRoot,
)

__all__ = [
    "Description",
    "IncomingGroup",
    "LiveStore",
    "NoReleaseError",
    "Reader",
    "Release",
    "ReleaseDraft",
    "ReleaseError",
    "ReleaseRoot",
    "Summary",
]
