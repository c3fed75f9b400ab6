"""Publishing a release onto a remote engine: upload, mark complete, go live, prune.

The release is built on disk as for the embedded store (the same checks read it, and its
search index, dumps and manifest stay files there); then every named graph of its store is
written out as N-Triples to a file beside it and streamed to the engine's Graph Store in
chunks, so that no graph is ever held in memory whole. Once all are there, the control graph
records the release as complete; going live is one update of the ``LIVE`` triple. A publish
killed before that leaves the live release as it was, and graphs the control graph lists
under no complete release, which the next publish drops first (``sweep``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store

from opendatacommunities.config import Settings, remote_layout
from opendatacommunities.store.remote import control
from opendatacommunities.store.remote.endpoint import Endpoint
from opendatacommunities.store.remote.layout import DEFAULT, release_graph

#: Bytes read from a graph's file and sent at a time.
CHUNK = 1 << 20
#: The file a graph is written to on its way to the engine, inside the release directory.
SPOOL = "upload.nt.part"

Progress = Callable[[str], None]


class RemotePublisher:
    """Puts releases built on disk onto the engine of ``settings.store_url``."""

    def __init__(self, settings: Settings, progress: Progress = lambda line: None) -> None:
        self.endpoint = Endpoint(settings)
        layout = remote_layout(settings.store_url)
        self.plain_wkt = layout is not None and layout.engine == "virtuoso"
        """Virtuoso refuses a WKT literal that names its reference system, even the default
        one: there the default's name is left out (the same geometry, as GeoSPARQL says)."""
        self.keep = settings.keep_releases
        self.progress = progress

    def close(self) -> None:
        """Close the connections to the engine."""
        self.endpoint.close()

    def sweep(self) -> list[str]:
        """Drop the graphs of releases the control graph does not list as complete (left
        by a publish that was stopped); the ids of those releases."""
        complete = control.complete_releases(self.endpoint)
        doomed = {
            r: g for r, g in control.release_graphs(self.endpoint).items() if r not in complete
        }
        for release, graphs in doomed.items():
            control.forget(self.endpoint, release, graphs)
        if doomed:
            self.progress(f"dropped {len(doomed)} unfinished releases from the remote store")
        return sorted(doomed)

    def upload(self, release: Path) -> None:
        """Upload every graph of the sealed release directory ``release`` into its
        release-specific graph, then record the release as complete (not yet live)."""
        started = time.monotonic()
        store = Store.read_only(str(release))
        named = (g for g in store.named_graphs() if isinstance(g, NamedNode))
        graphs: list[NamedNode | DefaultGraph] = sorted(named, key=str)
        if next(iter(store.quads_for_pattern(None, None, None, DefaultGraph())), None):
            graphs.append(DefaultGraph())
        total = 0
        for graph in graphs:
            total += self._upload_graph(store, release, graph)
        del store  # closes it
        names = [release_graph(release.name, _name(graph)) for graph in graphs]
        control.mark_complete(self.endpoint, release.name, datetime.now(UTC), names)
        seconds = time.monotonic() - started
        self.progress(
            f"uploaded {len(graphs)} graphs ({total / 1e6:,.1f} MB) of release "
            f"{release.name} to the remote store in {seconds:.1f} s"
        )

    def _upload_graph(self, store: Store, release: Path, graph: NamedNode | DefaultGraph) -> int:
        spool = release / SPOOL
        try:
            store.dump(spool, RdfFormat.N_TRIPLES, from_graph=graph)
            if self.plain_wkt:
                _drop_default_crs(spool)
            size = spool.stat().st_size
            name = _name(graph)
            target = release_graph(release.name, name)
            self.endpoint.put_graph(target, lambda: _read(spool), size)
            self.progress(f"uploaded {name} ({size / 1e6:,.1f} MB)")
            return size
        finally:
            spool.unlink(missing_ok=True)

    def go_live(self, release_id: str) -> None:
        """Make the uploaded release ``release_id`` live, then drop the releases older than
        the ``keep`` newest complete ones (never the live one)."""
        control.go_live(self.endpoint, release_id)
        self.progress(f"release {release_id} is live on the remote store")
        complete = list(control.complete_releases(self.endpoint))
        kept = set(complete[-self.keep :]) | {release_id}
        graphs = control.release_graphs(self.endpoint)
        for old in (r for r in complete if r not in kept):
            control.forget(self.endpoint, old, graphs.get(old, []))
            self.progress(f"dropped release {old} from the remote store")


def _name(graph: NamedNode | DefaultGraph) -> str:
    return graph.value if isinstance(graph, NamedNode) else DEFAULT


CRS84 = b'"<http://www.opengis.net/def/crs/OGC/1.3/CRS84> '
WKT = b"<http://www.opengis.net/ont/geosparql#wktLiteral>"


def _drop_default_crs(path: Path) -> None:
    """Rewrite the N-Triples file ``path`` with WKT literals' default CRS left unnamed."""
    plain = path.with_suffix(".plain")
    with path.open("rb") as source, plain.open("wb") as target:
        for line in source:
            target.write(line.replace(CRS84, b'"', 1) if WKT in line else line)
    plain.replace(path)


def _read(path: Path) -> Iterator[bytes]:
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            yield chunk
