"""Remote SPARQL engines for tests: Oxigraph server and Virtuoso Open Source, each started
once per test process on free loopback ports in a temporary directory.

A fixture whose engine is not installed (``.ci/run`` installs both) or does not start skips
the tests that use it, saying why; it never passes them silently.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.plugins.project import ROOT

#: Seconds an engine has to answer its first query once started (Virtuoso creates its
#: database first: about five seconds; a loaded machine needs more).
START_SECONDS = 60.0
#: Seconds the tests let a query run on Virtuoso before the engine itself stops it.
VIRTUOSO_QUERY_SECONDS = 30
#: The administrator Virtuoso creates with a new database (its documented default).
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"


@dataclass(frozen=True)
class Engine:
    """A running SPARQL engine: where to send queries, updates and Graph Store requests."""

    name: str
    query_url: str
    update_url: str
    graph_url: str
    user: str | None = None
    password: str | None = None

    def environment(self) -> dict[str, str]:
        """The ``ODC_STORE_*`` variables that point the platform at this engine."""
        env = {
            "ODC_STORE_URL": self.query_url,
            "ODC_STORE_UPDATE_URL": self.update_url,
            "ODC_STORE_GRAPH_URL": self.graph_url,
        }
        if self.user is not None and self.password is not None:
            env |= {"ODC_STORE_USER": self.user, "ODC_STORE_PASSWORD": self.password}
        return env

    def auth(self) -> httpx.Auth | None:
        """The credentials its update and Graph Store endpoints want (digest), if any."""
        if self.user is None or self.password is None:
            return None
        return httpx.DigestAuth(self.user, self.password)

    def clear(self) -> None:
        """Drop every graph the tests write (their names start ``urn:``), so that a test
        starts from an empty engine. Graph by graph: Virtuoso's ``DROP ALL`` leaves them."""
        query = (
            'SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:")) }'
        )
        answer = httpx.post(
            self.query_url,
            data={"query": query},
            headers={"Accept": "application/sparql-results+json"},
            timeout=60,
        )
        graphs = [row["g"]["value"] for row in answer.json()["results"]["bindings"]]
        if not graphs:
            return
        update = " ;\n".join(f"DROP SILENT GRAPH <{graph}>" for graph in graphs)
        response = httpx.post(
            self.update_url, data={"update": update}, auth=self.auth(), timeout=60
        )
        if response.status_code >= 300:
            pytest.fail(f"{self.name}: could not clear: {response.status_code} {response.text}")


def free_port() -> int:
    """A TCP port nobody listens on at the moment (the engine binds it soon after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(name: str, process: subprocess.Popen[bytes], url: str, log: Path) -> str:
    """Wait for ``url`` to answer a query; the reason it did not, or "" once it does."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return f"{name} exited with {process.returncode}: {_tail(log)}"
        try:
            if httpx.get(url, params={"query": "ASK {}"}, timeout=5).status_code == 200:
                return ""
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    return f"{name} did not answer within {START_SECONDS:.0f} s: {_tail(log)}"


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="session")
def oxigraph_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Oxigraph server (the ``oxigraph`` binary of the PyPI package) on a fresh store."""
    binary = shutil.which(
        "oxigraph",
        path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
    )
    if binary is None:
        pytest.skip("Oxigraph server is not installed (the `oxigraph` package, a dev dependency)")
    home = tmp_path_factory.mktemp("oxigraph")
    address = f"127.0.0.1:{free_port()}"
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(home / "data"), "--bind", address],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://{address}"
    try:
        reason = _wait_until_up("Oxigraph server", process, f"{base}/query", log)
        if reason:
            pytest.skip(reason)
        yield Engine("oxigraph", f"{base}/query", f"{base}/update", f"{base}/store")
    finally:
        _stop(process)


#: The shipped template (docs/virtuoso.ini), sized small: the tests load a few thousand triples.
VIRTUOSO_INI = ROOT / "docs" / "virtuoso.ini"


@pytest.fixture(scope="session")
def virtuoso_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Virtuoso Open Source (Debian's ``virtuoso-opensource``) on a fresh database of its own,
    with its own configuration: free ports, a query time limit, a result-row limit far above
    what the tests ask. Updates and the Graph Store go through its digest-authenticated
    endpoints as the database's administrator."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.skip("Virtuoso is not installed (Debian's virtuoso-opensource; .ci/run installs it)")
    home = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.read_text(encoding="utf-8").format(
            home=home,
            http_port=http_port,
            sql_port=sql_port,
            query_seconds=VIRTUOSO_QUERY_SECONDS,
            buffers=10000,
            dirty_buffers=6000,
            threads=10,
        ),
        encoding="utf-8",
    )
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)],
            cwd=home,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{http_port}"
    try:
        reason = _wait_until_up("Virtuoso", process, f"{base}/sparql", log)
        if reason:
            pytest.skip(reason)
        yield Engine(
            "virtuoso",
            f"{base}/sparql",
            f"{base}/sparql-auth",
            f"{base}/sparql-graph-crud-auth",
            VIRTUOSO_USER,
            VIRTUOSO_PASSWORD,
        )
    finally:
        _stop(process)
