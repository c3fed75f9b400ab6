"""bench-sparql: the SPARQL endpoint under load, beside two references on the same store.

Three queries, each with 16 concurrent clients (wrk, two threads, 10 s):

* a one-resource CONSTRUCT (rotating over sampled resources);
* a selective SELECT: the wards of a local authority with their names (rotating over
  authorities);
* a GROUP BY aggregate over a whole dataset (every LSOA's triples, counted by property).

against our ``/sparql`` (``odc serve``: one uvicorn process, queries in its worker
processes, the time and size limits on; once as configured by default, which keeps whole
answers for the life of a release, and once with ``ODC_SPARQL_CACHE=false``, every query
run), ``oxigraph serve-read-only`` and the bare FastAPI app of ``bare_app.py`` (one uvicorn
process, ``store.query`` in the threadpool, no limits). The aggregate is also timed alone
(median of 7 sequential requests after 4 warm-up ones) in each server.

Needs the store bench-publish made (``var/bench/store``) and wrk.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench_serve import (
    BASE,
    ROOT,
    STORE,
    Result,
    free_port,
    lua_script,
    oxigraph_binary,
    run_wrk,
    sample_subjects,
    wait_until_up,
)

GEO = f"{BASE}/def/geography/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"


def _authorities() -> list[str]:
    from pyoxigraph import Store

    store = Store.read_only(str(STORE))
    pattern = f"?w <{GEO}parent> ?la . ?w a <{GEO}ElectoralWard>"
    query = f"SELECT DISTINCT ?la WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    return sorted(row["la"].value for row in store.query(query))  # type: ignore[index,union-attr]


def queries() -> dict[str, list[str]]:
    """The three benchmark queries: name -> the query texts to rotate through."""
    construct = [
        f"CONSTRUCT {{ <{s}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{s}> ?p ?o }} }}"
        for s in sample_subjects()
    ]
    wards = "SELECT ?ward ?label WHERE {{ GRAPH ?g {{ ?ward <%s> <{}> ; <%s> ?label }} }}"
    select = [wards.format(la) % (f"{GEO}parent", LABEL) for la in _authorities()]
    aggregate = [
        "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH <"
        + BASE
        + "/graph/geography-lsoas> { ?s ?p ?o } } GROUP BY ?p"
    ]
    return {"one-resource CONSTRUCT": construct, "selective SELECT": select, "aggregate": aggregate}


def _paths(path: str, texts: list[str]) -> list[str]:
    return [f"{path}?query={urllib.parse.quote(text, safe='')}" for text in texts]


def _time_alone(port: int, path: str, accept: str) -> float:
    """Median seconds of 7 sequential requests, after 4 to warm every process's caches."""
    times = []
    for _ in range(11):
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Accept": accept}
        )
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
        times.append(time.perf_counter() - started)
    return statistics.median(times[4:])


def measure(
    name: str, command: list[str], endpoint: str, env: dict[str, str], work: Path
) -> tuple[list[Result], float]:
    """Start one server (``{port}`` in ``command`` is replaced by a free port), run the three
    queries under load, and time the aggregate alone."""
    port = free_port()
    argv = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    results = []
    try:
        wait_until_up(port, process)
        all_queries = queries()
        aggregate = _paths(endpoint, all_queries["aggregate"])[0]
        alone = _time_alone(port, aggregate, "application/sparql-results+json")
        for label, texts in all_queries.items():
            accept = "application/sparql-results+json"
            if "CONSTRUCT" in label:
                accept = "application/n-triples"
            script = lua_script(work, _paths(endpoint, texts), accept)
            results.append(run_wrk(f"{name}: {label}", port, script))
    finally:
        process.terminate()
        process.wait()
    return results, alone


def main() -> None:
    """Run the three servers in turn and print the table and the ratios."""
    if shutil.which("wrk") is None:
        raise SystemExit("bench-sparql needs wrk (apt-get install wrk)")
    if not STORE.exists():
        raise SystemExit("no published store in var/bench/store: run `make bench-publish` first")
    env = {**os.environ, "ODC_STORE_DIR": str(STORE.parent), "ODC_BENCH_STORE": str(STORE)}
    python = sys.executable
    odc = [python, "-m", "opendatacommunities.cli", "serve", "--port", "{port}"]
    servers = {
        "odc": (odc, "/sparql"),
        "odc, no cache": (["env", "ODC_SPARQL_CACHE=false", *odc], "/sparql"),
        "oxigraph": (
            [
                str(oxigraph_binary()),
                "serve-read-only",
                "--location",
                str(STORE),
                "--bind",
                "127.0.0.1:{port}",
            ],
            "/query",
        ),
        "bare": (
            [
                python,
                "-m",
                "uvicorn",
                "--app-dir",
                "bench",
                "bare_app:app",
                "--port",
                "{port}",
                "--no-access-log",
                "--log-level",
                "warning",
            ],
            "/query",
        ),
    }
    results: dict[str, list[Result]] = {}
    alone: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, (command, endpoint) in servers.items():
            results[name], alone[name] = measure(name, command, endpoint, env, Path(folder))
    report(results, alone)


def report(results: dict[str, list[Result]], alone: dict[str, float]) -> None:
    """The table, then the ratios the targets are stated in."""
    print("bench-sparql: 16 concurrent clients, 10 s per query and server")
    print(f"  {'server: query':<40}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'non-2xx':>9}")
    for rows in results.values():
        for r in rows:
            line = f"{r.requests_per_second:>10,.1f}{r.p50_ms:>10.1f}{r.p99_ms:>10.1f}"
            print(f"  {r.name:<40}{line}{r.errors:>9}")
    for name, seconds in alone.items():
        print(f"  aggregate alone, {name}: {seconds * 1000:,.0f} ms (median of 7 after 4 runs)")
    oxigraph, bare = results["oxigraph"], results["bare"]
    for name in ("odc", "odc, no cache"):
        ours = results[name]
        for index in (0, 1):
            label = ours[index].name.split(": ", 1)[1]
            rate = ours[index].requests_per_second
            print(
                f"  {name}, {label}: {rate / bare[index].requests_per_second:.2f}x the bare "
                f"app, {rate / oxigraph[index].requests_per_second:.3f}x oxigraph"
            )
        slower = oxigraph[2].requests_per_second / ours[2].requests_per_second
        print(
            f"  {name}, aggregate: {alone[name] / alone['oxigraph']:.2f}x oxigraph's time "
            f"alone; under load {slower:.2f}x its time per request"
        )


if __name__ == "__main__":
    main()
