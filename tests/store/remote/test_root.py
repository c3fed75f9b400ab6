"""A server follows the remote engine's live release: the control graph's pointer, read at
most every ``reload_seconds``, and the release opened over the engine with its files' folder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from opendatacommunities.config import Settings
from opendatacommunities.errors import NoReleaseError, ReleaseError
from opendatacommunities.store import LiveStore, ReleaseRoot, release_root
from opendatacommunities.store.remote.publish import RemotePublisher
from opendatacommunities.store.remote.root import RemoteReleaseRoot
from tests.plugins.engines import Engine
from tests.plugins.project import BASE


def _publish(root: ReleaseRoot, publisher: RemotePublisher, label: str) -> str:
    with root.new_release() as draft:
        triple = f'<{BASE}/id/thing> <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .'
        draft.load(triple.encode(), RdfFormat.N_TRIPLES, graph=f"{BASE}/graph/things")
        path = draft.commit()
    publisher.upload(path)
    publisher.go_live(path.name)
    return path.name


def _label(live: LiveStore) -> str:
    quads = live.current().store.quads_for_pattern(None, None, None)
    return next(q.object.value for q in quads)  # type: ignore[union-attr]


def test_the_live_store_follows_releases_made_live_on_the_engine(
    engine: Engine, tmp_path: Path
) -> None:
    started = datetime.now(UTC) - timedelta(seconds=1)
    environ = {**engine.environment(), "ODC_STORE_DIR": str(tmp_path)}
    settings = Settings.from_env({**environ, "ODC_RELOAD_SECONDS": "0"})
    root = release_root(settings)
    assert isinstance(root, RemoteReleaseRoot)
    live = LiveStore(root, check_every=0)
    with pytest.raises(NoReleaseError):
        live.refresh()
    publisher = RemotePublisher(settings)
    first = _publish(ReleaseRoot(tmp_path), publisher, "first")
    assert live.refresh().id == first
    assert _label(live) == "first"
    assert live.current().path == tmp_path / "releases" / first
    assert started <= live.current().published <= datetime.now(UTC)
    second = _publish(ReleaseRoot(tmp_path), publisher, "second")
    assert live.refresh().id == second
    assert _label(live) == "second"
    with pytest.raises(ReleaseError, match="not complete"):
        root.open_read_only("20990101T000000000000Z-000000")
    publisher.close()


def test_the_pointer_is_read_at_most_every_reload_seconds(
    oxigraph_engine: Engine, tmp_path: Path
) -> None:
    oxigraph_engine.clear()
    settings = Settings.from_env(
        {**oxigraph_engine.environment(), "ODC_STORE_DIR": str(tmp_path)}
    ).override(reload_seconds=10.0)
    now = [0.0]
    root = RemoteReleaseRoot(settings, clock=lambda: now[0])
    assert root.pointer() is None
    publisher = RemotePublisher(settings)
    made = _publish(ReleaseRoot(tmp_path), publisher, "only")
    assert root.pointer() is None  # read a moment ago: not asked again yet
    now[0] = 10.0
    assert root.pointer() == made
    publisher.close()
