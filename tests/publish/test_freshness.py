"""The base IRI follows the address served: a release records the base it was published
with, ``odc serve --publish-if-stale`` (what ``make serve`` runs) republishes when it differs
from the server's address, publishing the reference datasets before it serves and the
statistics behind them, and ``odc serve`` alone warns in one line when they differ."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.publish.freshness import stale_reason
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT, TEST_DATA

FIXTURE = TEST_DATA / "cube-broken"
"""A small cube (employment in Glasgow) and the one area its observations name."""
ODC = [sys.executable, "-m", "opendatacommunities.cli"]


def _project(folder: Path) -> Path:
    """A project laid out as this repository is: mappings, shapes, ontologies."""
    (folder / "mappings").mkdir()
    for name in ("employment.cube.json", "employment.csv", "glasgow.json", "glasgow.csv"):
        shutil.copy(FIXTURE / name, folder / "mappings" / name)
    for name in ("shapes", "ontologies"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def _layout(project: Path) -> Layout:
    return Layout(
        mappings=project / "mappings",
        shapes=project / "shapes",
        ontologies=project / "ontologies",
        build=project / "var" / "build",
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("ODC_")}
    return {**kept, "ODC_SPARQL_WORKERS": "1", "ODC_ACCESS_LOG": "false"}


@contextmanager
def _serving(project: Path, port: int, *options: str) -> Iterator[subprocess.Popen[str]]:
    """``odc serve`` on ``port`` in ``project``, once it answers (stopped afterwards)."""
    command = [*ODC, "serve", "--port", str(port), *options]
    process = subprocess.Popen(
        command, cwd=project, env=_environment(), stderr=subprocess.PIPE, text=True
    )
    try:
        _wait(lambda: _status(f"http://127.0.0.1:{port}/data") == 200, process, 120)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def _status(url: str) -> int:
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.TransportError:
        return 0


def _wait(ready: object, process: subprocess.Popen[str], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():  # type: ignore[operator]
            return
        assert process.poll() is None, f"odc serve stopped: {process.stderr.read()}"  # type: ignore[union-attr]
        time.sleep(0.2)
    pytest.fail(f"not ready within {seconds} s")


def _said(process: subprocess.Popen[str]) -> str:
    """What the stopped server wrote to stderr."""
    process.terminate()
    _, err = process.communicate(timeout=30)
    return err


def test_the_base_follows_the_address_unless_set() -> None:
    assert Settings.from_env({"ODC_PORT": "8100"}).base_iri == "http://localhost:8100"
    assert Settings.from_env({"ODC_HOST": "0.0.0.0"}).base_iri == BASE
    moved = Settings.from_env({}).override(host="data.example.org", port=9000)
    assert moved.base_iri == "http://data.example.org:9000"
    fixed = Settings.from_env({"ODC_BASE_IRI": "https://data.example.gov.uk/"})
    assert fixed.override(port=9000).base_iri == "https://data.example.gov.uk"
    assert not fixed.follows_address and moved.follows_address


def test_a_release_records_its_base_and_is_stale_elsewhere(tmp_path: Path) -> None:
    """The decision ``make serve`` takes: publish when nothing is, when the release was
    published for another address, or when a source is newer; otherwise serve it."""
    layout = _layout(_project(tmp_path))
    here = Settings(store_dir=tmp_path / "store", port=8100)
    assert stale_reason(here, layout) == "nothing is published yet"
    publish(here, layout, workers=0)
    assert ReleaseRoot(here.store_dir).current_base() == "http://localhost:8100"
    assert stale_reason(here, layout) is None
    elsewhere = here.override(port=8200)
    assert stale_reason(elsewhere, layout) == (
        "the live release was published for http://localhost:8100, "
        "and is served at http://localhost:8200"
    )
    later = time.time() + 5
    os.utime(layout.mappings / "glasgow.csv", (later, later))
    assert stale_reason(here, layout) == (
        f"{layout.mappings / 'glasgow.csv'} is newer than the live release"
    )


def test_serve_publishes_for_its_address_geography_first(tmp_path: Path) -> None:
    """On a fresh project the site answers once the reference data is live, the cube
    follows, and every URI names the address served, the SPARQL endpoint's included."""
    project = _project(tmp_path)
    port = _free_port()
    site = f"http://localhost:{port}"
    with _serving(project, port, "--publish-if-stale") as server:
        area = f"http://127.0.0.1:{port}/id/statistical-geography/S12000049"
        answer = httpx.get(area, headers={"accept": "application/n-triples"}, follow_redirects=True)
        assert f"<{site}/id/statistical-geography/S12000049>" in answer.text
        cube = f"http://127.0.0.1:{port}/data/employment"
        _wait(lambda: _status(cube) == 200, server, 120)
        description = httpx.get(
            f"http://127.0.0.1:{port}/sparql", headers={"accept": "text/turtle"}
        ).text
        assert f"<{site}/sparql> a sd:Service" in description
        assert f"{site}/graph/employment" in description
        said = _said(server)
    assert "publishing: nothing is published yet" in said
    assert "serving the reference datasets; the statistics follow" in said
    root = ReleaseRoot(project / "var" / "store")
    assert root.current_base() == site


def test_changed_sources_are_published_behind_the_live_release(tmp_path: Path) -> None:
    """A release for the right address whose sources changed is served at once, and the
    republished one swapped in when it is live."""
    project = _project(tmp_path)
    port = _free_port()
    settings = Settings(store_dir=project / "var" / "store", port=port)
    publish(settings, _layout(project), workers=0)
    root = ReleaseRoot(settings.store_dir)
    before = root.pointer()
    later = time.time() + 5
    os.utime(project / "mappings" / "employment.csv", (later, later))
    with _serving(project, port, "--publish-if-stale") as server:
        _wait(lambda: root.pointer() != before, server, 120)
        assert _status(f"http://127.0.0.1:{port}/data/employment") == 200
        said = _said(server)
    assert "employment.csv is newer than the live release" in said
    assert "serving the reference datasets" not in said


def test_serve_elsewhere_warns_and_make_serve_republishes(tmp_path: Path) -> None:
    """A release published for one address, served at another: ``odc serve`` says so in
    one line and serves the URIs it holds; with ``--publish-if-stale`` it republishes."""
    project = _project(tmp_path)
    first, second = _free_port(), _free_port()
    settings = Settings(store_dir=project / "var" / "store", port=first)
    publish(settings, _layout(project), workers=0)
    with _serving(project, second) as server:
        area = f"http://127.0.0.1:{second}/doc/statistical-geography/S12000049.nt"
        assert f"<http://localhost:{first}/id/" in httpx.get(area).text
        warnings = [line for line in _said(server).splitlines() if "warning" in line]
    assert warnings == [
        f"warning: the live release was published for http://localhost:{first}, not "
        f"http://localhost:{second} where it is served: its URIs will not dereference here "
        "(make serve republishes; or set ODC_BASE_IRI and publish again)"
    ]
    with _serving(project, second, "--publish-if-stale") as server:
        area = f"http://127.0.0.1:{second}/doc/statistical-geography/S12000049.nt"
        assert f"<http://localhost:{second}/id/" in httpx.get(area).text
        said = _said(server)
    assert "publishing: the live release was published for" in said
    assert "warning" not in said
