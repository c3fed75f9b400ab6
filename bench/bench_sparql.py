"""bench-sparql: the SPARQL endpoint under load, beside two references on the same store.

Three queries, each with 16 concurrent clients (wrk, two threads):

* a one-resource CONSTRUCT (rotating over resources sampled as bench-serve samples them);
* a selective SELECT: the wards of a local authority with their names (rotating over
  authorities);
* a GROUP BY aggregate over a whole dataset: the 3.7 million triples of the IoD 2019 domains
  cube counted by property.

against our ``/sparql`` (``odc serve`` with its default settings: one uvicorn process,
queries in its worker processes, the time and size limits on; once as configured by default,
which keeps whole answers for the life of a release, and once with ``ODC_SPARQL_CACHE=false``,
every query run), ``oxigraph serve-read-only`` and the bare FastAPI app of ``bare_app.py``
(one uvicorn process, ``store.query`` in the threadpool, no limits). The aggregate is also
timed alone (median of 11 sequential requests after 4 warm-up ones) in each server.

Every server runs from the start, and the measurements take turns: round after round, each
server gets the same query for a few seconds, so that whatever else the machine is doing
weighs on all of them alike. A table row adds up its rounds (requests/s over all of them, the
median round's p50 and p99). The aggregate, which takes seconds, is measured as a batch
instead: 16 clients sending 2 requests each, one after the other.

The store holds every bundled dataset (``stores.full_store()``, published on first use;
``--store`` names another release directory). Servers listen on ports 8400-8419. Needs wrk.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench_serve import BASE, ROOT, lua_script, oxigraph_binary, sample_subjects, wait_until_up
from measure import free_port
from stores import full_store

PORTS = range(8400, 8420)
GEO = f"{BASE}/def/geography/"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
#: Rounds, and seconds per round, for each quick query.
ROUNDS, SECONDS = 3, 4
WARM_UP_SECONDS = 2
#: Concurrent clients, and requests each, for the aggregate: a query that takes seconds is
#: measured as a batch that every server finishes, since wrk gives up on the ones under way
#: when its time is up.
CLIENTS, EACH = 16, 2
#: Requests timed one at a time for the aggregate alone (after 4 warm-up ones).
ALONE = 11


@dataclass(frozen=True)
class Round:
    """What wrk reports for one run."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int


@dataclass(frozen=True)
class Server:
    """A running server: its name, port, process and the path its endpoint answers on."""

    name: str
    port: int
    pid: int
    endpoint: str

    def cpu_seconds(self) -> float:
        """CPU time used so far by the server and every process under it."""
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry)] = int(fields[1])
        tree, frontier, total = {self.pid}, [self.pid], 0
        while frontier:
            pid = frontier.pop()
            children = [p for p, parent in parents.items() if parent == pid]
            tree.update(children)
            frontier.extend(children)
        for pid in tree:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def settle(self) -> None:
        """Wait (60 s at most) until the server is idle: requests wrk gave up on may still
        be running, and must not weigh on the next server's turn."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            time.sleep(0.5)
            if self.cpu_seconds() - before < 0.05:
                return


def _authorities(path: Path) -> list[str]:
    from pyoxigraph import Store

    store = Store.read_only(str(path))
    pattern = f"?w <{GEO}parent> ?la . ?w a <{GEO}ElectoralWard>"
    query = f"SELECT DISTINCT ?la WHERE {{ GRAPH ?g {{ {pattern} }} }}"
    return sorted(row["la"].value for row in store.query(query))  # type: ignore[index,union-attr]


def queries(store: Path) -> dict[str, list[str]]:
    """The three benchmark queries: name -> the query texts to rotate through."""
    construct = [
        f"CONSTRUCT {{ <{s}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{s}> ?p ?o }} }}"
        for s in sample_subjects(store)
    ]
    wards = [
        f"SELECT ?ward ?label WHERE {{ GRAPH ?g {{ ?ward <{GEO}parent> <{la}> ; "
        f"a <{GEO}ElectoralWard> ; <{LABEL}> ?label }} }}"
        for la in _authorities(store)
    ]
    aggregate = [
        "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH <"
        + BASE
        + "/graph/iod2019-domains> { ?s ?p ?o } } GROUP BY ?p"
    ]
    return {"one-resource CONSTRUCT": construct, "selective SELECT": wards, "aggregate": aggregate}


def _accept(label: str) -> str:
    return "application/n-triples" if "CONSTRUCT" in label else "application/sparql-results+json"


def _paths(path: str, texts: list[str]) -> list[str]:
    return [f"{path}?query={urllib.parse.quote(text, safe='')}" for text in texts]


def commands(store: Path) -> dict[str, list[str]]:
    """The servers measured: name -> command (``{port}`` stands for its port)."""
    python = sys.executable
    odc = [python, "-m", "opendatacommunities.cli", "serve", "--port", "{port}"]
    oxigraph = [str(oxigraph_binary()), "serve-read-only", "--location", str(store)]
    bare = [python, "-m", "uvicorn", "--app-dir", "bench", "bare_app:app", "--port", "{port}"]
    return {
        "odc": odc,
        "odc (no cache)": ["env", "ODC_SPARQL_CACHE=false", *odc],
        "oxigraph": [*oxigraph, "--bind", "127.0.0.1:{port}"],
        "bare": [*bare, "--no-access-log", "--log-level", "warning"],
    }


@contextmanager
def running(name: str, command: list[str], env: dict[str, str]) -> Iterator[Server]:
    """Start one server on a free port of the range; stop it when the block ends."""
    port = free_port(PORTS)
    argv = [part.replace("{port}", str(port)) for part in command]
    process = subprocess.Popen(
        argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(port, process)
        endpoint = "/query" if name in ("oxigraph", "bare") else "/sparql"
        yield Server(name, port, process.pid, endpoint)
    finally:
        process.terminate()
        process.wait()


def run_wrk(port: int, script: Path, seconds: int) -> Round:
    """16 connections for ``seconds``; parse what wrk reports."""
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--timeout=10s", "--latency"]
    output = subprocess.run(
        [*command, "-s", str(script), f"http://127.0.0.1:{port}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    done = re.search(r"(\d+) requests in ([0-9.]+)(ms|s|m)", output)
    assert done is not None, output
    scale = {"ms": 0.001, "s": 1.0, "m": 60.0}[done.group(3)]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    timeouts = re.search(r"Socket errors:.*timeout (\d+)", output)
    return Round(
        int(done.group(1)),
        float(done.group(2)) * scale,
        _percentile(output, "50"),
        _percentile(output, "99"),
        (int(errors.group(1)) if errors else 0) + (int(timeouts.group(1)) if timeouts else 0),
    )


def _percentile(output: str, which: str) -> float:
    found = re.search(rf"\s{which}%\s+([0-9.]+)(us|ms|s)", output)
    if found is None:
        return float("nan")  # no request finished
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def _get(server: Server, text: str) -> tuple[float, bool]:
    """Seconds one request took, and whether it succeeded."""
    path = _paths(server.endpoint, [text])[0]
    request = urllib.request.Request(
        f"http://127.0.0.1:{server.port}{path}", headers={"Accept": _accept("")}
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            response.read()
    except OSError:  # HTTPError included: a 503 counts as an error, not a time
        return time.perf_counter() - started, False
    return time.perf_counter() - started, True


def time_alone(servers: list[Server], text: str) -> dict[str, float]:
    """Median seconds of ``ALONE`` sequential requests per server, after 4 that warm its
    caches; the servers take turns request by request, each round starting one further
    along so that none always follows the same one."""
    times: dict[str, list[float]] = {s.name: [] for s in servers}
    for turn in range(4 + ALONE):
        shift = turn % len(servers)
        for server in servers[shift:] + servers[:shift]:
            times[server.name].append(_get(server, text)[0])
    return {name: statistics.median(t[4:]) for name, t in times.items()}


def batch(server: Server, text: str) -> Round:
    """``CLIENTS`` clients sending ``EACH`` requests each, one after the other."""

    def client(_: int) -> list[tuple[float, bool]]:
        return [_get(server, text) for _ in range(EACH)]

    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        done = [result for results in pool.map(client, range(CLIENTS)) for result in results]
    seconds = time.perf_counter() - started
    times = sorted(t * 1000 for t, ok in done if ok)
    errors = sum(not ok for _, ok in done)
    if not times:
        return Round(0, seconds, float("nan"), float("nan"), errors)
    p99 = times[min(len(times) - 1, round(0.99 * (len(times) - 1)))]
    return Round(len(times), seconds, statistics.median(times), p99, errors)


def under_load(
    servers: list[Server], label: str, texts: list[str], work: Path
) -> dict[str, list[Round]]:
    """One query for every server, in interleaved rounds after a warm-up each."""
    if label == "aggregate":
        return {s.name: [batch(s, texts[0])] for s in servers}
    scripts = {s.name: lua_script(work, _paths(s.endpoint, texts), _accept(label)) for s in servers}
    for server in servers:
        run_wrk(server.port, scripts[server.name], WARM_UP_SECONDS)
        server.settle()
    measured: dict[str, list[Round]] = {s.name: [] for s in servers}
    for _ in range(ROUNDS):
        for server in servers:
            measured[server.name].append(run_wrk(server.port, scripts[server.name], SECONDS))
            server.settle()
    return measured


@dataclass(frozen=True)
class Row:
    """One server and query, its rounds added up."""

    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int

    @classmethod
    def of(cls, rounds: list[Round]) -> Row:
        """Requests/s over every round; the median round's percentiles."""
        return cls(
            sum(r.requests for r in rounds) / sum(r.seconds for r in rounds),
            statistics.median(r.p50_ms for r in rounds),
            statistics.median(r.p99_ms for r in rounds),
            sum(r.errors for r in rounds),
        )


def main() -> None:
    """Start every server, measure them in turns, print the table and the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", help="measure only these servers (comma-separated names)")
    parser.add_argument("--store", type=Path, help="a release directory to use instead")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench-sparql needs wrk (apt-get install wrk)")
    store = options.store.resolve() if options.store else full_store()
    env = {**os.environ, "ODC_STORE_DIR": str(store.parent.parent), "ODC_BENCH_STORE": str(store)}
    chosen = commands(store)
    if options.only:
        chosen = {name: chosen[name] for name in options.only.split(",")}
    texts = queries(store)
    table: dict[str, dict[str, Row]] = {name: {} for name in chosen}
    load_before = os.getloadavg()[0]
    with ExitStack() as stack, tempfile.TemporaryDirectory() as folder:
        servers = [stack.enter_context(running(n, c, env)) for n, c in chosen.items()]
        alone = time_alone(servers, texts["aggregate"][0])
        for label, rotation in texts.items():
            for name, rounds in under_load(servers, label, rotation, Path(folder)).items():
                table[name][label] = Row.of(rounds)
    report(table, alone, (load_before, os.getloadavg()[0]))


def report(
    table: dict[str, dict[str, Row]], alone: dict[str, float], load: tuple[float, float]
) -> None:
    """The table, then the ratios the targets are stated in."""
    print(
        f"bench-sparql: 16 concurrent clients; servers measured in turns; load average "
        f"{load[0]:.1f} before, {load[1]:.1f} after ({os.cpu_count()} cores)"
    )
    print(f"  {'server: query':<40}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, rows in table.items():
        for label, r in rows.items():
            line = f"{r.requests_per_second:>10,.1f}{r.p50_ms:>10.1f}{r.p99_ms:>10.1f}"
            print(f"  {name + ': ' + label:<40}{line}{r.errors:>8}")
    for name, seconds in alone.items():
        print(
            f"  aggregate alone, {name}: {seconds * 1000:,.0f} ms (median of {ALONE} after 4 runs)"
        )
    for name in ("odc", "odc (no cache)"):
        if name in table:
            _ratios(name, table, alone)


def _ratios(name: str, table: dict[str, dict[str, Row]], alone: dict[str, float]) -> None:
    ours = table[name]
    for label in ("one-resource CONSTRUCT", "selective SELECT"):
        rate = ours[label].requests_per_second
        against = [
            f"{rate / table[peer][label].requests_per_second:.2f}x {title}"
            for peer, title in (("bare", "the bare app"), ("oxigraph", "oxigraph"))
            if peer in table
        ]
        print(f"  {name}, {label}: {', '.join(against)}")
    if "oxigraph" in table:
        theirs = table["oxigraph"]["aggregate"].requests_per_second
        slower = theirs / ours["aggregate"].requests_per_second
        print(
            f"  {name}, aggregate: {alone[name] / alone['oxigraph']:.3g}x oxigraph's time "
            f"alone; under load {slower:.3g}x its time per request"
        )


if __name__ == "__main__":
    main()
