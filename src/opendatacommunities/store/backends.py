"""Which store a platform reads its releases from: the embedded one under ``store_dir``, or
the remote engine of ``store_url`` (``ODC_STORE_URL``)."""

from __future__ import annotations

from opendatacommunities.config import Settings
from opendatacommunities.store.releases import ReleaseRoot
from opendatacommunities.store.remote.root import RemoteReleaseRoot


def release_root(settings: Settings) -> ReleaseRoot:
    """The releases a server follows, as the settings choose."""
    if settings.store_url:
        return RemoteReleaseRoot(settings)
    return ReleaseRoot(settings.store_dir)
