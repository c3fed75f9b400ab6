"""A release's search index: read from the file its publish wrote (``search.file``), or, for
a release published before there was one, built from its store with a warning."""

from __future__ import annotations

import logging
from pathlib import Path

from pyoxigraph import Store

from opendatacommunities.errors import SearchFileError
from opendatacommunities.iris import IriSpace
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.lexicon import Lexicon, lexicon_of
from opendatacommunities.store.releases import Release
from opendatacommunities.store.search.entries import read_entries
from opendatacommunities.store.search.file import SEARCH_FILE, Built, read, to_bytes
from opendatacommunities.store.search.index import SearchIndex

log = logging.getLogger(__name__)

#: Where a release keeps its search index.
SEARCH_INDEX: Slot[SearchIndex] = Slot("search-index")


def along(iris: IriSpace) -> Built:
    """What the site's index is built along: areas lie within their ``geography/parent``
    and have a ``geography/status``."""
    vocabulary = iris.definition("geography/")
    return Built(vocabulary + "parent", vocabulary + "status")


def search_index(
    release: Release, *, parent: str | None = None, status: str | None = None
) -> SearchIndex:
    """The index of ``release``, along the properties ``parent`` and ``status`` (see
    ``read_entries``): read or built on first use and kept as long as the release is served
    (concurrent first requests wait for one)."""
    return release.cache.once(SEARCH_INDEX, lambda: _load(release, Built(parent, status)))


def _load(release: Release, built: Built) -> SearchIndex:
    path = release.path / SEARCH_FILE
    try:
        return read(path, built)
    except FileNotFoundError:
        reason = f"it has no {SEARCH_FILE} (published before the index was written at publish)"
    except (OSError, SearchFileError) as error:
        reason = f"its {SEARCH_FILE} cannot be used: {error}"
    log.warning("release %s: building its search index, since %s", release.id, reason)
    return build_index(release, built)


def build_index(release: Release, built: Built) -> SearchIndex:
    """The index of ``release``, built from its store (seconds: the queries of
    ``read_entries``, then the index's tables)."""
    lexicon = lexicon_of(release)
    return SearchIndex(read_entries(lexicon, parent=built.parent, status=built.status))


def index_file(release_dir: Path, built: Built) -> bytes:
    """The content of the search index file of the store in ``release_dir`` (sealed: no
    process writes to it any more), for a publish to write beside it."""
    store = Store.read_only(str(release_dir))
    try:
        lexicon = Lexicon.read(store)
        index = SearchIndex(read_entries(lexicon, parent=built.parent, status=built.status))
        return to_bytes(index, built)
    finally:
        del store  # closes the store: pyoxigraph has no close()
