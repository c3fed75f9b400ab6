"""Publishing onto a remote engine: every graph uploaded into its release's graphs, live in
one update, old releases dropped; a publish killed mid-upload changes nothing live, and the
next one clears what it left."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.store.remote import control
from opendatacommunities.store.remote.endpoint import Endpoint
from opendatacommunities.store.remote.layout import release_graph
from opendatacommunities.store.remote.publish import RemotePublisher
from tests.plugins.engines import Engine
from tests.plugins.project import BASE

LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _areas(layout: Layout, names: list[str]) -> None:
    rows = "".join(f"S1200004{i},{name}\n" for i, name in enumerate(names))
    (layout.mappings / "areas.csv").write_text("code,name\n" + rows, encoding="utf-8")
    mapping = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "areas.csv",
        "dc:title": "Council areas",
        "tableSchema": {
            "aboutUrl": BASE + "/id/statistical-geography/{code}",
            "columns": [
                {"name": "code", "titles": "code", "propertyUrl": "skos:notation"},
                {"name": "name", "titles": "name", "propertyUrl": "rdfs:label"},
            ],
            "primaryKey": "code",
        },
    }
    (layout.mappings / "areas.json").write_text(json.dumps(mapping), encoding="utf-8")


def _labels(endpoint: Endpoint, release: str) -> list[str]:
    graph = release_graph(release, f"{BASE}/graph/areas")
    query = f"SELECT ?l WHERE {{ GRAPH <{graph}> {{ ?s <{LABEL}> ?l }} }} ORDER BY ?l"
    answer = json.loads(endpoint.query(query, control.JSON))
    return [row["l"]["value"] for row in answer["results"]["bindings"]]


@pytest.fixture
def layout(tmp_path: Path) -> Layout:
    """An empty project laid out as ``odc publish`` expects."""
    for name in ("mappings", "shapes", "ontologies"):
        (tmp_path / name).mkdir()
    return Layout(
        mappings=tmp_path / "mappings",
        shapes=tmp_path / "shapes",
        ontologies=tmp_path / "ontologies",
        build=tmp_path / "var" / "build",
    )


def test_odc_publish_uploads_goes_live_and_keeps_two_releases(
    layout: Layout, remote_settings: Settings, endpoint: Endpoint
) -> None:
    settings = remote_settings
    lines: list[str] = []
    releases = []
    for names in (["Glasgow"], ["Glasgow", "Edinburgh"], ["Aberdeen"]):
        _areas(layout, names)
        publish(settings, layout, progress=lines.append, workers=0)
        current = ReleaseRoot(settings.store_dir).current_path()
        assert current is not None
        releases.append(current.name)
        assert control.live_release(endpoint) == current.name
        assert _labels(endpoint, current.name) == sorted(names)
    assert list(control.complete_releases(endpoint)) == releases[1:]
    assert sorted(control.release_graphs(endpoint)) == releases[1:]
    assert any(line.startswith(f"uploaded {BASE}/graph/areas") for line in lines)
    assert f"dropped release {releases[0]} from the remote store" in lines


UPLOAD = """
import sys
from pathlib import Path
from opendatacommunities.config import Settings
from opendatacommunities.store.remote.publish import RemotePublisher
publisher = RemotePublisher(Settings.from_env(), lambda line: print(line, flush=True))
publisher.upload(Path(sys.argv[1]))
"""


def _release(root: ReleaseRoot, graphs: dict[str, int]) -> Path:
    """A committed release of ``graphs`` (name: how many triples) on disk."""
    with root.new_release() as draft:
        for name, count in graphs.items():
            text = "".join(
                f'<urn:t:s{i}> <{LABEL}> "label {i} {"x" * 60}" .\n' for i in range(count)
            )
            draft.load(text.encode(), RdfFormat.N_TRIPLES, graph=f"{BASE}/graph/{name}")
        return draft.commit()


def test_a_publish_killed_mid_upload_leaves_the_live_release_and_is_swept(
    oxigraph_engine: Engine, tmp_path: Path
) -> None:
    oxigraph_engine.clear()
    settings = Settings.from_env({**oxigraph_engine.environment(), "ODC_STORE_DIR": str(tmp_path)})
    root = ReleaseRoot(tmp_path)
    publisher = RemotePublisher(settings)
    live = _release(root, {"areas": 3})
    publisher.upload(live)
    publisher.go_live(live.name)
    killed = _release(root, {"a-small": 10, "b-large": 400_000})
    env = {**os.environ, **oxigraph_engine.environment()}
    upload = subprocess.Popen(
        [sys.executable, "-c", UPLOAD, str(killed)], stdout=subprocess.PIPE, env=env, text=True
    )
    assert upload.stdout is not None
    first = upload.stdout.readline()
    assert first.startswith(f"uploaded {BASE}/graph/a-small"), first
    upload.send_signal(signal.SIGKILL)  # while the large graph is on its way
    upload.wait()
    assert control.live_release(publisher.endpoint) == live.name
    assert len(_labels(publisher.endpoint, live.name)) == 3
    assert killed.name in control.release_graphs(publisher.endpoint)
    assert killed.name not in control.complete_releases(publisher.endpoint)
    assert publisher.sweep() == [killed.name]
    assert sorted(control.release_graphs(publisher.endpoint)) == [live.name]
    publisher.close()
