"""bench-cubes: publishing every bundled statistics cube, then three slicer views under load.

1. ``odc publish`` of the bundled data (the cubes, and the reference geography their
   observations link to: a link to an unpublished area stops a publish) in a fresh process,
   into ``var/bench/cubes``
   (store and build folder of its own): the time of each stage (map; loading the in-memory
   stores the checks run on; SHACL; the integrity constraints IC-1..21; loading the release;
   writing its dumps),
   which overlap, the total, and the peak resident memory of the whole process tree.
2. The peer, in the same run: pyoxigraph's bare ``Store.bulk_load`` of the same N-Triples
   (the files the publish mapped, one named graph each) into a new store, in a fresh process
   (``bulk_load.py``): its time and peak memory, and ours as a ratio of them.
3. ``odc serve`` on the published store (port 8200) with its response caches off
   (``ODC_CACHE_ENTRIES=0``: every request is rendered, as a first visit is), and for each
   view in ``VIEWS`` 16 connections for 10 s (wrk) cycling through its addresses, after one
   request to each view's first address, then 10 s more with every address visited before:
   requests/s, p50 and p99 of each.

Targets (issue 6): every cube published in under 3 minutes and 4 GB; slicer p99 under 300 ms.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from itertools import product
from pathlib import Path

from measure import (
    Latency,
    Measured,
    bulk_load_peer,
    print_beside_peer,
    print_stages,
    run_measured,
    run_wrk,
)

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "bench" / "cubes"
PORT = 8200
TARGET_SECONDS, TARGET_MB, TARGET_P99_MS = 180, 4096, 300
STAGES = ("map", "check-store", "shacl", "integrity", "load", "dumps")
SIMD_MEASURES = (
    "totalPopulation",
    "workingAgePopulation",
    "incomeRate",
    "employmentRate",
    "attendance",
    "crimeRate",
)
#: The slicer views timed, each as the addresses its requests cycle through.
VIEWS: dict[str, list[str]] = {
    "SIMD by data zone, one measure, sorted by value, pages 1-5": [
        f"/data/simd2020/slice?rows=refArea&measure={m}&sort=-value&page={p}"
        for m, p in product(SIMD_MEASURES, range(1, 6))
    ],
    "Census tenure: authorities x tenure, each page and sort": [
        f"/data/census2011-tenure/slice?sort={s}&page={p}"
        for s, p in product(("order", "label", "-all", "-owned", "-private-rented"), range(1, 8))
    ],
    "IoD domains: LSOAs x domains, rank and decile, pages 1-100": [
        f"/data/iod2019-domains/slice?measure={m}&page={p}"
        for m, p in product(("rank", "decile"), range(1, 101))
    ],
}


def publish() -> tuple[Measured, list[Path]]:
    """Publish the bundled data in a fresh process; its figures and the files it mapped."""
    env = {**os.environ, "ODC_STORE_DIR": str(WORK / "store")}
    build = WORK / "build"
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    command += ["--build", str(build)]
    measured = run_measured(command, cwd=ROOT, env=env)
    return measured, sorted(build.glob("*.nt"))


def report_publish(ours: Measured, files: list[Path], peer: Measured) -> None:
    """The publishing table."""
    triples = re.findall(r"observations, ([\d,]+) triples", ours.stderr)
    total = sum(int(t.replace(",", "")) for t in triples)
    print(f"bench-cubes: publishing {len(files)} datasets, {total:,} triples of cubes")
    for line in re.findall(r"^[\w.-]+: IC-1\.\.IC-21 passed in .*$", ours.stderr, re.M):
        print(f"  {line}")
    print_stages(ours.stderr, STAGES)
    print_beside_peer(ours, peer)
    time_ok = "under" if ours.seconds < TARGET_SECONDS else "OVER"
    memory_ok = "under" if ours.peak_mb < TARGET_MB else "OVER"
    print(
        f"  targets: {ours.seconds:.0f} s, {time_ok} {TARGET_SECONDS} s; "
        f"{ours.peak_mb:.0f} MB, {memory_ok} {TARGET_MB} MB"
    )


def _get(path: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=120) as response:
        response.read()
    return time.perf_counter() - started


def _wait_until_up(process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"odc serve exited with {process.returncode}")
        try:
            _get("/data")
            return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.25)
    raise SystemExit(f"odc serve did not answer on port {PORT} within 120 s")


Figures = tuple[float, Latency, Latency]
"""A view's first request (seconds), its first 10 s under load (every address new, its
first visits in the figures) and a second 10 s (every address visited before)."""


def serve_views() -> dict[str, Figures]:
    """Each view's figures (``Figures``)."""
    env = {**os.environ, "ODC_STORE_DIR": str(WORK / "store"), "ODC_CACHE_ENTRIES": "0"}
    command = [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(PORT)]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        started = time.monotonic()
        _wait_until_up(process)
        print(f"  (odc serve answered after {time.monotonic() - started:.1f} s)", flush=True)
        first = {name: _get(paths[0]) for name, paths in VIEWS.items()}
        cold = {name: run_wrk(PORT, paths, WORK) for name, paths in VIEWS.items()}
        again = {name: run_wrk(PORT, paths, WORK) for name, paths in VIEWS.items()}
        return {name: (first[name], cold[name], again[name]) for name in VIEWS}
    finally:
        process.terminate()
        process.wait()


def report_views(results: dict[str, Figures]) -> None:
    """The slicer table."""
    print(f"  slicer views, 16 connections, every request rendered (port {PORT}):")
    print(f"    {'':<62}{'':>9}{'first 10 s':^24}{'next 10 s':^24}")
    heads = f"{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}"
    print(f"    {'view':<62}{'first ms':>9}{heads}{heads}{'non-2xx':>8}")
    for name, (first, cold, again) in results.items():
        print(
            f"    {name:<62}{first * 1000:>9.0f}"
            f"{cold.rate:>8.0f}{cold.p50_ms:>8.1f}{cold.p99_ms:>8.1f}"
            f"{again.rate:>8.0f}{again.p50_ms:>8.1f}{again.p99_ms:>8.1f}"
            f"{cold.errors + again.errors:>8}"
        )
    runs = {"first": [cold for _, cold, _ in results.values()]}
    runs["next"] = [again for _, _, again in results.values()]
    for label, latencies in runs.items():
        worst = max(latency.p99_ms for latency in latencies)
        verdict = "under" if worst < TARGET_P99_MS else "OVER"
        print(f"  target, {label} 10 s: worst p99 {worst:.0f} ms, {verdict} {TARGET_P99_MS} ms")


def main() -> None:
    """Publish, load bare, serve; print the figures."""
    WORK.mkdir(parents=True, exist_ok=True)
    if "--serve-only" not in sys.argv:
        ours, files = publish()
        peer = bulk_load_peer(files, WORK / "bare", ROOT)
        report_publish(ours, files, peer)
    report_views(serve_views())


if __name__ == "__main__":
    main()
