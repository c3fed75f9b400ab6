"""The search index of a new release, written into it at publish time (``search.idx``), so
that it goes live in the same rename as the store it indexes and a server reads it instead
of building it.

It is built once the release's store is sealed, in the loading thread, while the last
checks and the dumps may still run, and written into the release's directory before it goes
live. A publish that changes nothing keeps the live release's file, if it is
of the current format; any other publish builds the index again: it covers the whole
release, and costs seconds against the minutes of a publish (see bench-search).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from opendatacommunities.iris import IriSpace
from opendatacommunities.store.search import SEARCH_FILE, along, index_file
from opendatacommunities.store.search.file import usable

from .progress import Relay, Timeline

STAGE = "search-index"
"""The stage the publish reports the index's time as."""


def search_index_writer(
    base: str, relay: Relay, timeline: Timeline, reuse: Path | None
) -> Callable[[Path], None]:
    """What writes a sealed release directory's search index file. ``reuse`` is the live
    release when the new one holds exactly the same data."""
    built = along(IriSpace(base))

    def write(release: Path) -> None:
        started = time.time()
        kept = None if reuse is None else reuse / SEARCH_FILE
        if kept is not None and usable(kept, built):
            content = kept.read_bytes()
            note = f"search index kept from release {reuse.name if reuse else ''}"
        else:
            content = index_file(release, built)
            note = f"search index built in {time.time() - started:.1f} s"
        timeline.add(STAGE, started, time.time())
        relay.say(f"{note} ({len(content) / 1e6:.1f} MB)")
        (release / SEARCH_FILE).write_bytes(content)

    return write
