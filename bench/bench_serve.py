"""bench-serve: /doc/ pages under load, beside two references on the same store.

16 concurrent clients (wrk, two threads, 10 s each) request /doc/ pages of resources sampled
from the published store, round robin:

* ours, Turtle and HTML (``odc serve``, one uvicorn process);
* the bare FastAPI app of ``bare_app.py`` (one uvicorn process): the same path, one
  ``Store.read_only(dir).query(construct)`` per request, N-Triples out;
* ``oxigraph serve-read-only`` answering the equivalent CONSTRUCT over its SPARQL endpoint.

Needs a published store in ``var/bench/store`` (run bench-publish first) and wrk.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "var" / "bench" / "store" / "current"
OXIGRAPH_VENV = ROOT / ".venv-oxigraph"
BASE = "http://localhost:8000"
SAMPLE = 2000


@dataclass(frozen=True)
class Result:
    """wrk's figures for one server and format."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def free_port() -> int:
    """A TCP port free on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sample_subjects() -> list[str]:
    """SAMPLE resources under /id/, spread evenly over all of them (every n-th in IRI order)."""
    from pyoxigraph import Store

    store = Store.read_only(str(STORE))
    query = (
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(STRSTARTS(STR(?s), "{BASE}/id/statistical-geography/")) }}'
    )
    subjects = sorted(row["s"].value for row in store.query(query))  # type: ignore[index,union-attr]
    step = max(1, len(subjects) // SAMPLE)
    return subjects[::step][:SAMPLE]


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server from PyPI, in its own virtual environment (made on first use)."""
    binary = OXIGRAPH_VENV / "bin" / "oxigraph"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OXIGRAPH_VENV)], check=True)
        pip = [str(OXIGRAPH_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "oxigraph"]
        subprocess.run(pip, check=True)
    return binary


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    """Wait for a server to accept connections (30 s at most)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"server on {port} did not start")


def lua_script(folder: Path, paths: list[str], accept: str) -> Path:
    """A wrk script cycling through the paths with one Accept header."""
    listed = ",\n".join(f'  "{p}"' for p in paths)
    script = folder / f"paths-{abs(hash((accept, len(paths))))}.lua"
    script.write_text(
        f"paths = {{\n{listed}\n}}\ni = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        f'  return wrk.format("GET", paths[i], {{["Accept"] = "{accept}"}})\nend\n',
        encoding="utf-8",
    )
    return script


def run_wrk(name: str, port: int, script: Path) -> Result:
    """16 connections for 10 s; parse requests/s and the latency percentiles."""
    command = ["wrk", "-t2", "-c16", "-d10s", "--latency", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([0-9.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Result(
        name,
        rate,
        _percentile(output, "50"),
        _percentile(output, "99"),
        int(errors.group(1)) if errors else 0,
    )


def _percentile(output: str, which: str) -> float:
    value, unit = re.search(rf"\s{which}%\s+([0-9.]+)(us|ms|s)", output).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def load_server(
    command: list[str], port: int, env: dict[str, str], runs: list[tuple[str, Path]]
) -> list[Result]:
    """Start a fresh server, run wrk scripts against it in turn, stop it.

    Runs named "warm-up" are made but not reported.
    """
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, process)
        results = [run_wrk(name, port, script) for name, script in runs]
    finally:
        process.terminate()
        process.wait()
    return [result for result in results if result.name != "warm-up"]


def main() -> None:
    """Run the three servers in turn and print the table."""
    if shutil.which("wrk") is None:
        raise SystemExit("bench-serve needs wrk (apt-get install wrk)")
    if not STORE.exists():
        raise SystemExit("no published store in var/bench/store: run `make bench-publish` first")
    subjects = sample_subjects()
    docs = [urllib.parse.quote(s.replace(f"{BASE}/id/", "/doc/", 1), safe="/") for s in subjects]
    queries = [
        "/query?query="
        + urllib.parse.quote(
            f"CONSTRUCT {{ <{s}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{s}> ?p ?o }} }}", safe=""
        )
        for s in subjects
    ]
    env = {**os.environ, "ODC_STORE_DIR": str(STORE.parent), "ODC_BENCH_STORE": str(STORE)}
    results = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for label, accept in (("Turtle", "text/turtle"), ("HTML", "text/html")):
            script = lua_script(work, docs, accept)
            for warm in (False, True):
                # A fresh server each time: "cold" starts with an empty response cache.
                port = free_port()
                ours = [
                    sys.executable,
                    "-m",
                    "opendatacommunities.cli",
                    "serve",
                    "--port",
                    str(port),
                ]
                name = f"odc /doc/ {label}, {'warm' if warm else 'cold'}"
                runs = [("warm-up", script)] if warm else []
                results += load_server(ours, port, env, [*runs, (name, script)])
        port = free_port()
        bare = [sys.executable, "-m", "uvicorn", "--app-dir", "bench", "bare_app:app"]
        bare += ["--port", str(port), "--no-access-log", "--log-level", "warning"]
        script = lua_script(work, docs, "application/n-triples")
        results += load_server(bare, port, env, [("bare FastAPI app", script)])
        port = free_port()
        oxigraph = [str(oxigraph_binary()), "serve-read-only", "--location", str(STORE)]
        oxigraph += ["--bind", f"127.0.0.1:{port}"]
        script = lua_script(work, queries, "application/n-triples")
        results += load_server(oxigraph, port, env, [("oxigraph serve-read-only", script)])
    report(results, len(subjects))


def report(results: list[Result], sampled: int) -> None:
    """Print the table and the ratios the targets are stated in."""
    print(f"bench-serve: /doc/ pages of {sampled} resources, 16 concurrent clients, 10 s each")
    print(f"  {'server':<32}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}")
    for r in results:
        rate = f"{r.requests_per_second:>10,.0f}"
        print(f"  {r.name:<32}{rate}{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>9}")
    by_name = {r.name: r.requests_per_second for r in results}
    bare, oxigraph = by_name["bare FastAPI app"], by_name["oxigraph serve-read-only"]
    for state in ("cold", "warm"):
        turtle = by_name[f"odc /doc/ Turtle, {state}"]
        html = by_name[f"odc /doc/ HTML, {state}"]
        print(
            f"  {state}: Turtle {turtle / bare:.2f}x the bare app, {turtle / oxigraph:.2f}x "
            f"oxigraph; HTML {html / turtle:.2f}x Turtle"
        )


if __name__ == "__main__":
    main()
