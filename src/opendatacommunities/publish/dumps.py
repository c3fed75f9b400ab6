"""Dumps at publish time: each dataset's graph written out in full beside the new release,
so that a download of a whole dataset costs the server no query.

They are written into the draft, after its store is sealed and before the rename that makes
it live: a publish killed meanwhile leaves its draft, dumps and all, to be swept, and the
live release untouched. A dataset whose inputs are unchanged since the live release (the
same content hash in the manifest) keeps the live release's dumps, hard linked: an
incremental publish spends nothing on them.
"""

from __future__ import annotations

import time
from pathlib import Path

from opendatacommunities.iris import IriSpace
from opendatacommunities.store.dumps import (
    DUMP_FORMATS,
    DatasetDumps,
    dump_graphs,
    dump_path,
    link_dumps,
    read_index,
    write_index,
)

from .manifest import Manifest
from .progress import Relay, Timeline


def write_dumps(
    draft: Path, manifest: Manifest, live: Path | None, relay: Relay, timeline: Timeline
) -> None:
    """Give the sealed release ``draft`` a dump of each dataset ``manifest`` lists: linked
    from the ``live`` release where the dataset's content is unchanged, written otherwise."""
    started = time.time()
    reusable = _reusable(live, manifest)
    made: dict[str, DatasetDumps] = {}
    for name in sorted(reusable):
        assert live is not None
        link_dumps(live, draft, name)
        made[name] = reusable[name]
    space = IriSpace(manifest.base)
    wanted = {name: space.dataset_graph(name) for name in manifest.datasets if name not in made}
    for name, files in dump_graphs(draft, wanted, space.prefixes).items():
        made[name] = DatasetDumps(manifest.datasets[name].content, files)
    write_index(draft, made)
    timeline.add("dumps", started, time.time())
    relay.say(
        f"dumps of {len(wanted)} datasets written, {len(reusable)} kept"
        f" in {time.time() - started:.1f} s"
    )


def _reusable(live: Path | None, manifest: Manifest) -> dict[str, DatasetDumps]:
    """The live release's dumps of datasets whose content is unchanged, and whose files
    are all there."""
    old = Manifest.read(live)
    if live is None or old is None or old.base != manifest.base:
        return {}
    found = {}
    for name, dumps in read_index(live).items():
        entry = manifest.datasets.get(name)
        if entry is None or not entry.content or entry.content != dumps.content:
            continue
        if all(dump_path(live, name, fmt.key).is_file() for fmt in DUMP_FORMATS):
            found[name] = dumps
    return found
