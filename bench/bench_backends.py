"""bench-backends: the same site on each store backend, and the web tier on one or two cores.

On the reference geography and the employment cube (``odc publish --include '[gs][eg]*'``:
every ``geography-*`` mapping and ``sg-employment``), for each backend in turn (the embedded
store; Oxigraph server; Virtuoso Open Source, each started on a new database by
``engines.py``):

1. ``odc publish`` into it, in a fresh process with a build folder of its own: wall time,
   peak memory of the publishing process tree, triples per second (and, for an engine, the
   engine's resident memory once loaded; for the embedded store, the release's size on disk);
2. ``odc serve`` (one server process) over it with both response caches off
   (``ODC_CACHE_ENTRIES=0``, ``ODC_SPARQL_CACHE=false``: every request reads the store), and
   16 connections (wrk) for a few seconds on each of: ``/doc/`` pages of sampled resources,
   pages of the employment cube's slicer, and the three queries of bench-sparql through our
   ``/sparql`` (a one-resource CONSTRUCT, the wards of an authority, a whole-dataset GROUP BY).

Then, on the embedded store, ``odc serve --workers 1`` against ``--workers 2`` on the
``/doc/`` pages, with the caches on (after a warm-up run) and off.

The ratios are printed against their targets: two server processes at least 1.7x one; a
remote backend's pages at least 0.5x the embedded store's; a publish into Oxigraph server
within 1.5x the embedded publish. wrk runs on the same cores as the servers, so the
two-process figure is a floor. A backend that cannot start (or publish) is reported with the
reason in place of its figures. Servers listen on ports 8500-8519. Needs wrk.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import engines
from bench_serve import BASE, ROOT, lua_script, page_path, wait_until_idle, wait_until_up
from bench_sparql import LABEL, Round, run_wrk
from measure import Measured, free_port, run_measured, tree_rss_kb

PORTS = range(8500, 8520)
INCLUDE = "[gs][eg]*"
SECONDS = 6
PAGES = 400
GEO = f"{BASE}/def/geography/"
#: The employment cube's 32 council areas fit on one page: its sorts vary the requests.
SLICES = [f"/data/sg-employment/slice?sort={s}" for s in ("order", "-order", "label", "-label")]
AGGREGATED = f"{BASE}/graph/geography-data-zones"
NO_CACHES = {"ODC_CACHE_ENTRIES": "0", "ODC_SPARQL_CACHE": "false"}
TARGET_WORKERS, TARGET_REMOTE, TARGET_PUBLISH = 1.7, 0.5, 1.5


@dataclass(frozen=True)
class Published:
    """One backend's publish: its figures, and what reading it needs."""

    measured: Measured
    triples: int
    env: dict[str, str]
    memory_note: str


@dataclass
class Backend:
    """One backend's figures, or why it has none."""

    name: str
    published: Published | None = None
    rows: dict[str, Round] | None = None
    reason: str = ""


def publish(name: str, env: dict[str, str], work: Path) -> Published:
    """``odc publish`` of the benchmark's datasets into the backend ``env`` points at."""
    env = {**os.environ, **env, "ODC_BASE_IRI": BASE, "ODC_STORE_DIR": str(work / "store")}
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    command += ["--include", INCLUDE, "--build", str(work / "build")]
    measured = run_measured(command, cwd=ROOT, env=env)
    mapped = re.findall(
        r"^[\w.-]+: mapped [\d,]+ rows into ([\d,]+) triples$", measured.stderr, re.M
    )
    triples = sum(int(count.replace(",", "")) for count in mapped)
    note = f"release {_megabytes(work / 'store'):,.0f} MB on disk" if name == "embedded" else ""
    return Published(measured, triples, env, note)


def _megabytes(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


@contextmanager
def serving(env: dict[str, str], workers: int = 1) -> Iterator[int]:
    """``odc serve --workers N`` on a free port, up and idle; stopped when the block ends."""
    port = free_port(PORTS)
    command = [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(port)]
    env = {**env, "ODC_ACCESS_LOG": "false", "ODC_WORKERS": str(workers)}
    log = Path(tempfile.gettempdir()) / f"odc-bench-backends-serve-{port}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=out
        )
    try:
        try:
            wait_until_up(port, process)
        except SystemExit as failed:
            tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-3:])
            raise SystemExit(f"{failed}: {tail}") from None
        wait_until_idle(process)
        yield port
    finally:
        process.terminate()
        process.wait()


def workload(store: Path) -> dict[str, tuple[list[str], str]]:
    """What the servers are asked for: label -> (paths to cycle through, Accept)."""
    from pyoxigraph import Store

    read = Store.read_only(str(store))
    pattern = f'GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?s), "{BASE}/id/"))'
    subjects = sorted({row[0].value for row in read.query(f"SELECT DISTINCT ?s {{ {pattern} }}")})  # type: ignore[union-attr]
    sample = subjects[:: max(1, len(subjects) // PAGES)][:PAGES]
    wards = f"?w <{GEO}parent> ?la . ?w a <{GEO}ElectoralWard>"
    authorities = sorted(
        {row[0].value for row in read.query(f"SELECT DISTINCT ?la {{ GRAPH ?g {{ {wards} }} }}")}  # type: ignore[union-attr]
    )
    construct = [
        f"CONSTRUCT {{ <{s}> ?p ?o }} WHERE {{ GRAPH ?g {{ <{s}> ?p ?o }} }}" for s in sample
    ]
    select = [
        f"SELECT ?ward ?label WHERE {{ GRAPH ?g {{ ?ward <{GEO}parent> <{la}> ; "
        f"a <{GEO}ElectoralWard> ; <{LABEL}> ?label }} }}"
        for la in authorities
    ]
    aggregate = [
        f"SELECT ?p (COUNT(*) AS ?n) WHERE {{ GRAPH <{AGGREGATED}> {{ ?s ?p ?o }} }} GROUP BY ?p"
    ]
    results, graph = "application/sparql-results+json", "application/n-triples"
    return {
        "/doc/ page": ([page_path(s) for s in sample], "text/html"),
        "cube slice": (SLICES, "text/html"),
        "SPARQL CONSTRUCT": (_sparql(construct), graph),
        "SPARQL SELECT": (_sparql(select), results),
        "SPARQL aggregate": (_sparql(aggregate), results),
    }


def _sparql(texts: list[str]) -> list[str]:
    return [f"/sparql?query={urllib.parse.quote(text, safe='')}" for text in texts]


def load(port: int, paths: list[str], accept: str, folder: Path, warm_up: int = 1) -> Round:
    """16 connections for ``SECONDS`` on ``paths``, after a warm-up run of ``warm_up``
    seconds (long enough, for cached figures, to have every path answered once)."""
    script = lua_script(folder, paths, accept)
    run_wrk(port, script, warm_up)
    return run_wrk(port, script, SECONDS)


def measure_backend(
    backend: Backend, env: dict[str, str], jobs: dict[str, tuple[list[str], str]], work: Path
) -> None:
    """Publish into the backend, then serve it with the caches off and load each label."""
    try:
        backend.published = publish(backend.name, env, work / backend.name)
        if engines.triples_held(env) == 0:
            backend.published = None
            raise SystemExit("it left the engine empty (it does not publish to ODC_STORE_URL)")
    except SystemExit as failed:
        backend.reason = f"odc publish failed: {str(failed).strip().splitlines()[-1]}"
        directly(backend, env, jobs, work)
        return
    try:
        with serving({**backend.published.env, **NO_CACHES}) as port:
            backend.rows = {
                label: load(port, paths, accept, work) for label, (paths, accept) in jobs.items()
            }
    except SystemExit as failed:
        backend.reason = f"odc serve on it failed: {failed}"


def directly(
    backend: Backend, env: dict[str, str], jobs: dict[str, tuple[list[str], str]], work: Path
) -> None:
    """Where ``odc publish`` cannot use the engine: the mapped files of the embedded publish
    uploaded over the Graph Store Protocol (what a publish's upload does), timed, and the
    SPARQL queries sent to the engine's own endpoint (not through the site)."""
    build = work / "embedded" / "build"
    files = {f"{BASE}/graph/{path.stem}": path for path in sorted(build.glob("*.nt"))}
    started = time.perf_counter()
    try:
        engines.upload(env, files)
    except SystemExit as failed:
        backend.reason += f"; the upload failed too: {failed}"
        return
    seconds = time.perf_counter() - started
    triples = sum(_lines(path) for path in files.values())
    measured = Measured(seconds, 0.0, "")
    backend.published = Published(measured, triples, env, "Graph Store upload alone")
    endpoint = urllib.parse.urlsplit(env["ODC_STORE_URL"])
    port = endpoint.port or 80
    backend.rows = {
        f"{label} (engine direct)": load(
            port, [p.replace("/sparql?", f"{endpoint.path}?", 1) for p in paths], accept, work
        )
        for label, (paths, accept) in jobs.items()
        if label.startswith("SPARQL")
    }


def _lines(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(1 for line in lines if line.strip() and not line.startswith(b"#"))


def run_backends(chosen: list[str], work: Path) -> list[Backend]:
    """The embedded store first (its release gives the workload), then each engine."""
    embedded = Backend("embedded")
    release = work / "embedded" / "store" / "current"
    jobs: dict[str, tuple[list[str], str]] = {}
    try:
        embedded.published = publish("embedded", {}, work / "embedded")
    except SystemExit as failed:
        raise SystemExit(f"the embedded publish failed: {failed}") from None
    jobs = workload(release.resolve())
    with serving({**embedded.published.env, **NO_CACHES}) as port:
        embedded.rows = {
            label: load(port, paths, accept, work) for label, (paths, accept) in jobs.items()
        }
    backends = [embedded]
    for name in chosen:
        backend = Backend(name)
        try:
            with engines.started(name, work) as (env, pid):
                measure_backend(backend, env, jobs, work)
                if backend.published is not None:
                    rss = tree_rss_kb(pid) / 1024
                    backend.published = _with_note(
                        backend.published, f"engine {rss:,.0f} MB resident"
                    )
        except engines.UnavailableError as exc:
            backend.reason = str(exc)
        backends.append(backend)
    return backends


def _with_note(published: Published, note: str) -> Published:
    both = f"{published.memory_note}, {note}" if published.memory_note else note
    return Published(published.measured, published.triples, published.env, both)


def run_workers(env: dict[str, str], paths: list[str], work: Path) -> dict[str, Round]:
    """``/doc/`` pages from one server process and from two, caches on and off."""
    rows: dict[str, Round] = {}
    for cached in (True, False):
        for workers in (1, 2):
            chosen = env if cached else {**env, **NO_CACHES}
            with serving(chosen, workers) as port:
                key = _workers_key(workers, "on" if cached else "off")
                rows[key] = load(port, paths, "text/html", work, SECONDS if cached else 1)
    return rows


def _workers_key(workers: int, caches: str) -> str:
    return f"{workers} process{'es' if workers > 1 else ''}, caches {caches}"


def _row(label: str, r: Round) -> str:
    rate = r.requests / r.seconds if r.seconds else 0.0
    return f"  {label:<40}{rate:>10,.1f}{r.p50_ms:>10.1f}{r.p99_ms:>10.1f}{r.errors:>8}"


def _rate(r: Round) -> float:
    return r.requests / r.seconds if r.seconds else 0.0


def report_publishes(backends: list[Backend]) -> None:
    """Each backend's publish, and the load rate the 1-billion-triple estimate rests on."""
    print(
        f"  {'publish ' + INCLUDE:<28}{'triples':>10}{'wall s':>9}{'peak MB':>9}{'triples/s':>11}"
    )
    for b in backends:
        if b.published is None:
            print(f"  {b.name:<28}not measured: {b.reason}")
            continue
        m, n = b.published.measured, b.published.triples
        figures = f"{n:>10,}{m.seconds:>9.1f}{m.peak_mb:>9.0f}{n / m.seconds:>11,.0f}"
        print(f"  {b.name:<28}{figures}  {b.published.memory_note}")


def report_pages(backends: list[Backend]) -> None:
    """Each backend's table (caches off), then the remote-to-embedded ratios."""
    heading = f"{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}"
    print(f"  {'backend: request (caches off)':<40}{heading}")
    for b in backends:
        for label, r in (b.rows or {}).items():
            print(_row(f"{b.name}: {label}", r))
        if b.rows is None:
            print(f"  {b.name}: not measured: {b.reason}")
    embedded = backends[0].rows or {}
    for b in backends[1:]:
        if b.rows is None:
            continue
        for label, r in b.rows.items():
            same = embedded[label.removesuffix(" (engine direct)")]
            ratio = _rate(r) / max(_rate(same), 1e-9)
            verdict = "meets" if ratio >= TARGET_REMOTE or "SPARQL" in label else "MISSES"
            target = "" if "SPARQL" in label else f" ({verdict} the {TARGET_REMOTE}x target)"
            print(f"  {b.name}, {label}: {ratio:.2f}x embedded{target}")


def report_targets(backends: list[Backend], workers: dict[str, Round]) -> None:
    """The workers table and ratio, and the publish ratio."""
    for label, r in workers.items():
        print(_row(f"embedded, /doc/ page, {label}", r))
    for state in ("on", "off") if workers else ():
        one, two = workers[_workers_key(1, state)], workers[_workers_key(2, state)]
        ratio = _rate(two) / max(_rate(one), 1e-9)
        verdict = "meets" if ratio >= TARGET_WORKERS else "MISSES"
        print(f"  2 processes / 1, caches {state}: {ratio:.2f}x ({verdict} {TARGET_WORKERS}x)")
    published = {b.name: b.published for b in backends if b.published is not None}
    if "oxigraph" in published:
        ratio = published["oxigraph"].measured.seconds / published["embedded"].measured.seconds
        verdict = "within" if ratio <= TARGET_PUBLISH else "OUTSIDE"
        if "Graph Store" in published["oxigraph"].memory_note:
            verdict = "the upload alone, against the whole publish:"
        print(
            f"  publish into Oxigraph server: {ratio:.2f}x embedded ({verdict} {TARGET_PUBLISH}x)"
        )


def main() -> None:
    """Measure every backend, then the web tier, and print the tables and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--engines",
        default=",".join(engines.ENGINES),
        help="engines to measure (comma-separated; empty for none)",
    )
    parser.add_argument(
        "--no-workers", action="store_true", help="leave out one server process against two"
    )
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench-backends needs wrk (apt-get install wrk)")
    chosen = [name for name in options.engines.split(",") if name]
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="odc-bench-backends-") as folder:
        work = Path(folder)
        backends = run_backends(chosen, work)
        embedded = backends[0].published
        assert embedded is not None
        pages = workload((work / "embedded" / "store" / "current").resolve())["/doc/ page"][0]
        workers = {} if options.no_workers else run_workers(embedded.env, pages, work)
    print(
        f"bench-backends: 16 concurrent clients (wrk, {SECONDS} s a run); load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)"
    )
    report_publishes(backends)
    report_pages(backends)
    report_targets(backends, workers)


if __name__ == "__main__":
    main()
