"""Publishing is all or nothing: a bad cell, a SHACL violation or a killed process leaves the
live release serving, and a good publish swaps the new data in."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import BusyError, CellError, ValidationFailedError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE

AREAS = "code,name,parent\nS12000049,Glasgow City,\nS12000046,Glasgow City (old),S12000049\n"
SHAPES = f"""
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<{BASE}/def/shapes/Area> a sh:NodeShape ;
  sh:targetSubjectsOf skos:notation ;
  sh:property [ sh:path skos:notation ; sh:pattern "^S12[0-9]{{6}}$" ] ;
  sh:property [ sh:path rdfs:label ; sh:minCount 1 ; sh:maxCount 1 ] .
"""


def _mapping(folder: Path, csv_text: str) -> Path:
    (folder / "areas.csv").write_text(csv_text, encoding="utf-8")
    mapping = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "areas.csv",
        "dc:title": "Council areas",
        "dc:license": {
            "@id": "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
        },
        "tableSchema": {
            "aboutUrl": BASE + "/id/statistical-geography/{code}",
            "columns": [
                {"name": "code", "titles": "code", "propertyUrl": "skos:notation"},
                {"name": "name", "titles": "name", "propertyUrl": "rdfs:label"},
                {
                    "name": "parent",
                    "titles": "parent",
                    "propertyUrl": BASE + "/def/geography/parent",
                    "valueUrl": BASE + "/id/statistical-geography/{parent}",
                },
            ],
            "primaryKey": "code",
        },
    }
    path = folder / "areas.json"
    path.write_text(json.dumps(mapping), encoding="utf-8")
    return path


@pytest.fixture
def site(project: tuple[Settings, Layout]) -> tuple[Settings, Layout]:
    """A project of two areas (one pointing to the other) and a shape they must meet."""
    _, layout = project
    (layout.shapes / "areas.ttl").write_text(SHAPES, encoding="utf-8")
    _mapping(layout.mappings, AREAS)
    return project


def _labels(settings: Settings) -> set[str]:
    release = ReleaseRoot(settings.store_dir).current_path()
    assert release is not None
    store = pyoxigraph.Store.read_only(str(release))
    query = (
        "SELECT ?l WHERE { GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        f' FILTER(STRSTARTS(STR(?s), "{BASE}/id/")) }}'
    )
    return {row["l"].value for row in store.query(query)}  # type: ignore[union-attr,index]


def test_publish_loads_data_and_catalog(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    messages: list[str] = []
    (published,) = publish(settings, layout, progress=messages.append).published
    assert published.triples == 5
    assert _labels(settings) == {"Glasgow City", "Glasgow City (old)"}
    store = pyoxigraph.Store.read_only(str(ReleaseRoot(settings.store_dir).current_path()))
    title = store.query(
        f"SELECT ?t WHERE {{ GRAPH <{BASE}/graph/catalog> {{"
        f" <{BASE}/data/areas> <http://purl.org/dc/terms/title> ?t }} }}"
    )
    assert [row["t"].value for row in title] == ["Council areas"]  # type: ignore[index,union-attr]
    assert any("is live" in m for m in messages)


def test_bad_cell_fails_and_the_live_release_keeps_serving(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    before = ReleaseRoot(settings.store_dir).pointer()
    _mapping(layout.mappings, AREAS + "S12000050,North Lanarkshire\n")
    with pytest.raises(CellError) as failure:
        publish(settings, layout)
    assert "areas.csv:4:" in str(failure.value)
    assert ReleaseRoot(settings.store_dir).pointer() == before
    assert _labels(settings) == {"Glasgow City", "Glasgow City (old)"}


def test_violation_names_the_cell_and_publishes_nothing(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    before = ReleaseRoot(settings.store_dir).pointer()
    _mapping(layout.mappings, AREAS + "S1300296,Linn,S12000049\n")
    with pytest.raises(ValidationFailedError) as failure:
        publish(settings, layout)
    message = str(failure.value)
    assert "1 SHACL violations" in message
    assert (
        f'areas.csv:4:code (column "code", the 1st): <{BASE}/id/statistical-geography/S1300296>'
    ) in message
    assert "sh:pattern" in message
    assert ReleaseRoot(settings.store_dir).pointer() == before
    assert "Linn" not in _labels(settings)


@pytest.mark.parametrize("moment", ["mapped", "validating", "loaded"])
def test_kill_9_in_the_middle_of_a_publish_leaves_the_live_release(
    site: tuple[Settings, Layout], moment: str
) -> None:
    settings, layout = site
    publish(settings, layout)
    before = ReleaseRoot(settings.store_dir).pointer()
    rows = "".join(f"S12{n:06d},Area {n},S12000000\n" for n in range(50_000))
    _mapping(layout.mappings, "code,name,parent\n" + rows)
    env = {**os.environ, "ODC_STORE_DIR": str(settings.store_dir)}
    child = subprocess.Popen(
        [sys.executable, "-m", "opendatacommunities.cli", "publish"],
        cwd=layout.mappings.parent,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stderr is not None
    deadline = time.monotonic() + 60
    for line in child.stderr:  # wait until it reaches the moment, then kill it
        if moment in line or time.monotonic() > deadline:
            break
    child.send_signal(signal.SIGKILL)
    child.wait()
    # Whatever the moment, readers see one whole release: the old one, or (if the kill came
    # after the swap) the whole new one; never a mixture, never nothing.
    labels = _labels(settings)
    if ReleaseRoot(settings.store_dir).pointer() == before:
        assert labels == {"Glasgow City", "Glasgow City (old)"}
    else:
        assert len(labels) == 50_000
    publish(settings, layout)  # and the next publish goes through
    assert "Area 49999" in _labels(settings)


def test_the_site_keeps_answering_while_a_publish_fails(site: tuple[Settings, Layout]) -> None:
    from fastapi.testclient import TestClient

    from opendatacommunities.web.app import create_app

    settings, layout = site
    publish(settings, layout)
    with TestClient(create_app(settings)) as client:
        page = client.get("/doc/statistical-geography/S12000049", headers={"Accept": "text/turtle"})
        assert page.status_code == 200 and "Glasgow City" in page.text
        _mapping(layout.mappings, AREAS + "S1300296,Linn,S12000049\n")
        with pytest.raises(ValidationFailedError):
            publish(settings, layout)
        _mapping(layout.mappings, AREAS + "S12000050,North Lanarkshire\n")
        with pytest.raises(CellError):
            publish(settings, layout)
        again = client.get(
            "/doc/statistical-geography/S12000049", headers={"Accept": "text/turtle"}
        )
        assert again.status_code == 200 and again.text == page.text
        assert client.get("/doc/statistical-geography/S1300296").status_code == 404


def test_a_second_publish_into_the_same_store_is_refused(site: tuple[Settings, Layout]) -> None:
    settings, layout = site
    publish(settings, layout)
    before = ReleaseRoot(settings.store_dir).pointer()
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(settings.store_dir)], stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        with pytest.raises(BusyError) as refused:
            publish(settings, layout)
        assert f"{settings.store_dir}: another publish into this store is running" in str(
            refused.value
        )
        assert f"(process {holder.pid})" in str(refused.value)
    finally:
        holder.kill()
        holder.wait()
    assert ReleaseRoot(settings.store_dir).pointer() == before
    # The kernel dropped the killed holder's lock: the next publish goes ahead.
    publish(settings, layout)
    assert ReleaseRoot(settings.store_dir).pointer() != before


_HOLD_LOCK = """
import sys, time
from pathlib import Path
from opendatacommunities.store import exclusive
with exclusive(Path(sys.argv[1]), purpose="publish into this store"):
    print("held", flush=True)
    time.sleep(600)
"""
