"""bench-serve: resource pages under load, beside two references on the same store.

16 concurrent clients (wrk, two threads, 10 s each) request the pages of resources sampled
evenly from a store holding every bundled dataset (``stores.full_store()``: geography and
every statistics cube, so mostly cube observations), round robin:

* ours, Turtle and HTML (``odc serve``), each on a fresh server measured from its first
  request ("cold": nothing rendered yet) and on a server that has served the sample for
  10 s already ("warm");
* the bare FastAPI app of ``bare_app.py``: the same paths, one
  ``Store.read_only(dir).query(construct)`` per request in the threadpool, N-Triples out;
* ``oxigraph serve-read-only`` answering the equivalent CONSTRUCT over its SPARQL endpoint.

Every server is measured once it is up and idle: start-up work done in the background (our
server reads every cube when it starts) is over; the table says how long that took. Ours and
the bare app run as one server process each. Every server runs ``--rounds`` times (default
3; the machine is shared, so single runs are noisy) and the table gives medians. Servers
listen on ports 8300-8319. Needs wrk.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from measure import free_port
from stores import FULL, full_store

ROOT = Path(__file__).resolve().parents[1]
STORE = FULL / "current"
OXIGRAPH_VENV = ROOT / ".venv-oxigraph"
BASE = "http://localhost:8000"
SAMPLE = 2000
PORTS = range(8300, 8320)
# Pages served under these roots (see iris.IriSpace.page_path); anything else is /resource.
PAGE_ROOTS = ("/id/", "/def/", "/data/")


@dataclass(frozen=True)
class Result:
    """wrk's figures for one server and format."""

    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    ready_s: float = 0.0
    """Seconds from the server's start until it was up and idle."""


def _all_subjects(store: Path) -> list[str]:
    from pyoxigraph import Store

    query = (
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o } "
        f'FILTER(isIRI(?s) && STRSTARTS(STR(?s), "{BASE}/")) }}'
    )
    rows = Store.read_only(str(store)).query(query)
    found = (row[0].value for row in rows)  # type: ignore[union-attr]
    return sorted(
        s
        for s in found
        if s.removeprefix(BASE).startswith(PAGE_ROOTS) and "#" not in s and "?" not in s
    )


def sample_subjects(store: Path = STORE) -> list[str]:
    """SAMPLE subjects with pages of their own, spread evenly over all of them (every n-th in
    IRI order): as many observations, areas and codes as the store holds in proportion.
    Remembered per release beside the store, since finding them all takes a while."""
    release = store.resolve()
    remembered = release.parent.parent.parent / f"serve-sample-{release.name}.json"
    if remembered.exists():
        return list(json.loads(remembered.read_text(encoding="utf-8")))
    subjects = _all_subjects(release)
    step = max(1, len(subjects) // SAMPLE)
    sample = subjects[::step][:SAMPLE]
    remembered.write_text(json.dumps(sample), encoding="utf-8")
    return sample


def page_path(iri: str) -> str:
    """Where our server shows ``iri`` (``/doc/`` for things, the path itself for documents)."""
    path = iri.removeprefix(BASE)
    if path.startswith("/id/"):
        path = "/doc/" + path.removeprefix("/id/")
    return urllib.parse.quote(path, safe="/:@!$&'()*+,;=-._~")


def kinds_of(sample: list[str]) -> Counter[str]:
    """How many sampled subjects fall under each first two path segments."""
    return Counter("/".join(s.removeprefix(BASE).split("/")[1:3]) for s in sample)


def oxigraph_binary() -> Path:
    """The ``oxigraph`` server from PyPI, in its own virtual environment (made on first use)."""
    binary = OXIGRAPH_VENV / "bin" / "oxigraph"
    if not binary.exists():
        subprocess.run([sys.executable, "-m", "venv", str(OXIGRAPH_VENV)], check=True)
        pip = [str(OXIGRAPH_VENV / "bin" / "python"), "-m", "pip", "install", "-q", "oxigraph"]
        subprocess.run(pip, check=True)
    return binary


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    """Wait for a server to accept connections (120 s at most).

    :raises SystemExit: if the server exits or does not start in time.
    """
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server on {port} exited with {process.returncode}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"server on {port} did not start")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(process: subprocess.Popen[bytes], quiet: float = 1.0) -> None:
    """Wait until the server has spent under 5% of a core for ``quiet`` seconds: work it
    does in the background once it is up (warming caches) is over (120 s at most)."""
    deadline = time.monotonic() + 120
    used, since = _cpu_seconds(process.pid), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = _cpu_seconds(process.pid)
        if now - used > 0.05 * (time.monotonic() - since):
            used, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return


def lua_script(folder: Path, paths: list[str], accept: str) -> Path:
    """A wrk script cycling through the paths with one Accept header."""
    listed = ",\n".join(f'  "{p}"' for p in paths)
    script = folder / f"paths-{abs(hash((accept, len(paths), paths[0])))}.lua"
    script.write_text(
        f"paths = {{\n{listed}\n}}\ni = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        f'  return wrk.format("GET", paths[i], {{["Accept"] = "{accept}"}})\nend\n',
        encoding="utf-8",
    )
    return script


def run_wrk(name: str, port: int, script: Path, seconds: int = 10) -> Result:
    """16 connections for ``seconds``; parse requests/s and the latency percentiles."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script)]
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
    """Start a fresh server, wait until it is up and idle, run wrk scripts against it in
    turn, stop it.

    Runs named "warm-up" are made but not reported.
    """
    started = time.monotonic()
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, process)
        wait_until_idle(process)
        ready = time.monotonic() - started
        results = [replace(run_wrk(name, port, script), ready_s=ready) for name, script in runs]
    finally:
        process.terminate()
        process.wait()
    return [result for result in results if result.name != "warm-up"]


def _ours(port: int) -> list[str]:
    return [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(port)]


def _bare(port: int) -> list[str]:
    command = [sys.executable, "-m", "uvicorn", "--app-dir", "bench", "bare_app:app"]
    return [*command, "--port", str(port), "--no-access-log", "--log-level", "warning"]


def measure(store: Path, subjects: list[str], work: Path) -> list[Result]:
    """Every server in turn on ``store`` (one round); the table's rows."""
    docs = [page_path(s) for s in subjects]
    queries = [
        "/query?query="
        + urllib.parse.quote(
            f"CONSTRUCT {{ <{s}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{s}> ?p ?o }} }}", safe=""
        )
        for s in subjects
    ]
    env = {**os.environ, "ODC_STORE_DIR": str(store.parent.parent), "ODC_BENCH_STORE": str(store)}
    port = free_port(PORTS)
    script = lua_script(work, docs, "application/n-triples")
    results = load_server(_bare(port), port, env, [("bare FastAPI app", script)])
    for label, accept in (("Turtle", "text/turtle"), ("HTML", "text/html")):
        script = lua_script(work, docs, accept)
        for warm in (False, True):
            # A fresh server each time: "cold" starts with nothing rendered.
            port = free_port(PORTS)
            name = f"odc {label}, {'warm' if warm else 'cold'}"
            runs = [("warm-up", script)] if warm else []
            results += load_server(_ours(port), port, env, [*runs, (name, script)])
    port = free_port(PORTS)
    oxigraph = [str(oxigraph_binary()), "serve-read-only", "--location", str(store)]
    oxigraph += ["--bind", f"127.0.0.1:{port}"]
    script = lua_script(work, queries, "application/n-triples")
    results += load_server(oxigraph, port, env, [("oxigraph serve-read-only", script)])
    return results


def medians(rounds: list[list[Result]]) -> list[Result]:
    """Each row's median figures over the rounds."""
    return [
        Result(
            runs[0].name,
            statistics.median(r.requests_per_second for r in runs),
            statistics.median(r.p50_ms for r in runs),
            statistics.median(r.p99_ms for r in runs),
            sum(r.errors for r in runs),
            statistics.median(r.ready_s for r in runs),
        )
        for runs in zip(*rounds, strict=True)
    ]


def main() -> None:
    """Run the servers in turn, ``--rounds`` times, and print the table of medians."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="times to run every server")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench-serve needs wrk (apt-get install wrk)")
    store = full_store()
    subjects = sample_subjects(store)
    with tempfile.TemporaryDirectory() as folder:
        rounds = [measure(store, subjects, Path(folder)) for _ in range(options.rounds)]
    report(rounds, subjects, _triples(store))


def _triples(store: Path) -> int:
    from pyoxigraph import Store

    rows = Store.read_only(str(store)).query("SELECT (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } }")
    return int(next(iter(rows))[0].value)  # type: ignore[arg-type,index,union-attr]


def _ratios(results: list[Result], state: str) -> tuple[float, float, float]:
    by_name = {r.name: r.requests_per_second for r in results}
    turtle = by_name[f"odc Turtle, {state}"]
    return (
        turtle / by_name["bare FastAPI app"],
        turtle / by_name["oxigraph serve-read-only"],
        by_name[f"odc HTML, {state}"] / turtle,
    )


def report(rounds: list[list[Result]], sample: list[str], triples: int) -> None:
    """Print the table of medians and the ratios the targets are stated in."""
    mix = ", ".join(f"{n} {kind}" for kind, n in kinds_of(sample).most_common())
    print(
        f"bench-serve: pages of {len(sample)} resources ({mix}) from a store of {triples:,} "
        f"triples; 16 concurrent clients, 10 s a run, one server process each; medians of "
        f"{len(rounds)} round(s)"
    )
    print(f"  {'server':<32}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'ready s':>9}")
    results = medians(rounds)
    for r in results:
        rate = f"{r.requests_per_second:>10,.0f}"
        figures = f"{r.p50_ms:>9.1f}{r.p99_ms:>9.1f}{r.errors:>9}{r.ready_s:>9.1f}"
        print(f"  {r.name:<32}{rate}{figures}")
    for state in ("cold", "warm"):
        bare, oxigraph, html = _ratios(results, state)
        each = ", ".join(f"{_ratios(r, state)[0]:.2f}x" for r in rounds)
        print(
            f"  {state}: Turtle {bare:.2f}x the bare app (rounds: {each}), {oxigraph:.2f}x "
            f"oxigraph; HTML {html:.2f}x Turtle"
        )


if __name__ == "__main__":
    main()
