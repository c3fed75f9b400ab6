"""The remote SPARQL engines bench-backends measures: Oxigraph server and Virtuoso Open Source,
each started on free loopback ports over a fresh database in a folder of its own.

``started(name, folder)`` yields the ``ODC_STORE_*`` variables that point the platform at
the engine and the engine's process id, and stops the engine when the block ends. An engine
that is not installed or does not start raises ``UnavailableError`` with the reason, which
the benchmark prints in its place.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench_serve import ROOT, oxigraph_binary

ENGINES = ("oxigraph", "virtuoso")
START_SECONDS = 120
#: Virtuoso's own limit on a query's time (MaxQueryExecutionTime), as a deployment sets it.
VIRTUOSO_QUERY_SECONDS = 30
#: The shipped template, with 170,000 buffers (about 1.3 GB of page cache, its documented
#: size for a machine with 2 GB free).
VIRTUOSO_INI = ROOT / "docs" / "virtuoso.ini"


class UnavailableError(Exception):
    """The engine is not installed or did not start; the message says why."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _answers(url: str) -> bool:
    query = urllib.parse.urlencode({"query": "ASK {}"})
    try:
        with urllib.request.urlopen(f"{url}?{query}", timeout=5) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.HTTPError):
        return False


def _wait(name: str, process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise UnavailableError(f"{name} exited with {process.returncode}: {_tail(log)}")
        if _answers(url):
            return
        time.sleep(0.2)
    raise UnavailableError(f"{name} did not answer within {START_SECONDS} s: {_tail(log)}")


def _tail(log: Path) -> str:
    try:
        return " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:])
    except OSError:
        return "(no log)"


def _oxigraph(home: Path) -> tuple[list[str], dict[str, str], str]:
    installed = shutil.which("oxigraph", path=str(Path(sys.executable).parent))
    binary = installed or str(oxigraph_binary())
    base = f"http://127.0.0.1:{_free_port()}"
    command = [binary, "serve", "--location", str(home / "data")]
    command += ["--bind", base.removeprefix("http://")]
    env = {
        "ODC_STORE_URL": f"{base}/query",
        "ODC_STORE_UPDATE_URL": f"{base}/update",
        "ODC_STORE_GRAPH_URL": f"{base}/store",
    }
    return command, env, f"{base}/query"


def _virtuoso(home: Path) -> tuple[list[str], dict[str, str], str]:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise UnavailableError("Virtuoso is not installed (Debian's virtuoso-opensource)")
    http_port, sql_port = _free_port(), _free_port()
    ini = home / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.read_text(encoding="utf-8").format(
            home=home,
            http_port=http_port,
            sql_port=sql_port,
            query_seconds=VIRTUOSO_QUERY_SECONDS,
            buffers=170000,
            dirty_buffers=130000,
            threads=20,
        ),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{http_port}"
    env = {
        "ODC_STORE_URL": f"{base}/sparql",
        "ODC_STORE_UPDATE_URL": f"{base}/sparql-auth",
        "ODC_STORE_GRAPH_URL": f"{base}/sparql-graph-crud-auth",
        # The administrator a new Virtuoso database is created with (its documented default).
        "ODC_STORE_USER": "dba",
        "ODC_STORE_PASSWORD": "dba",
    }
    return [binary, "+foreground", "+configfile", str(ini)], env, f"{base}/sparql"


@contextmanager
def started(name: str, folder: Path) -> Iterator[tuple[dict[str, str], int]]:
    """Engine ``name`` (one of ``ENGINES``) running over a new database under ``folder``.

    :raises UnavailableError: it is not installed or did not start.
    """
    home = folder / name
    home.mkdir(parents=True, exist_ok=True)
    command, env, query_url = (_oxigraph if name == "oxigraph" else _virtuoso)(home)
    log = home / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=home, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(name, process, query_url, log)
        yield env, process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def upload(env: dict[str, str], files: dict[str, Path]) -> None:
    """Put each N-Triples file into its graph over the engine's Graph Store endpoint, as a
    publish uploads a release (streamed, one request a graph).

    :raises SystemExit: the engine refused one.
    """
    import httpx

    user, password = env.get("ODC_STORE_USER"), env.get("ODC_STORE_PASSWORD")
    auth = httpx.DigestAuth(user, password) if user and password else None
    with httpx.Client(auth=auth, timeout=600) as client:
        for graph, path in files.items():
            with path.open("rb") as body:
                answer = client.put(
                    env["ODC_STORE_GRAPH_URL"],
                    params={"graph": graph},
                    content=iter(lambda: body.read(1 << 20), b""),
                    headers={"Content-Type": "application/n-triples"},
                )
            if answer.status_code >= 300:
                raise SystemExit(f"{graph}: {answer.status_code} {answer.text[:300]}")


def triples_held(env: dict[str, str]) -> int:
    """How many triples the engine's release graphs hold (0 after a publish that did not
    use it; the engine's own graphs, such as Virtuoso's system graphs, are not counted)."""
    text = (
        'SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), "urn:odc:")) }'
    )
    query = urllib.parse.urlencode({"query": text})
    request = urllib.request.Request(
        f"{env['ODC_STORE_URL']}?{query}", headers={"Accept": "text/csv"}
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        lines = response.read().decode().split()
    return int(lines[-1]) if len(lines) > 1 else 0
