"""bench-places: area profiles, comparisons and choropleth data under load, first visits and
repeats reported apart.

On the store of every bundled dataset (``stores.full_store()``; ``--store DIR`` names another
release directory), for each kind of request in turn (a ward's profile, a council area's
profile, a comparison of two wards of one council, a choropleth's data
``/data/{cube}/map.json`` at each level the cube offers, read from its map first):

1. a fresh ``odc serve`` (nothing rendered, nothing cached), once it is up and idle;
2. first visits: every address of the kind requested once, by 16 concurrent clients, each
   address a different area (or cube and level), each request timed;
3. repeats: 16 connections for 10 s (wrk) cycling through the same addresses, every one of
   them visited before.

Printed: requests, p50 and p99 of each, the failures (non-2xx), the load average, and the
targets: first-visit profile p99 under 250 ms, repeats p99 under 20 ms. Needs wrk.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TypeVar

import httpx
from bench_search import percentiles
from bench_serve import PORTS, lua_script, run_wrk, wait_until_idle, wait_until_up
from measure import free_port
from stores import full_store

ROOT = Path(__file__).resolve().parents[1]
WARDS = ROOT / "data" / "geography" / "WD19_LAD19_UK_lookup_Dec2019.csv"
GLASGOW = "S12000049"
#: Addresses per kind: each a first visit once (p99 of 160 is the second slowest).
PER_KIND = 160
CLIENTS = 16
#: The cubes and the levels whose choropleth data is asked for.
MAP_CUBES = (
    "simd2020-glasgow-wards",
    "iod2019-manchester-wards",
    "simd2020",
    "iod2019-domains",
    "iod2019-population",
    "census2011-tenure",
    "census2011-accommodation",
    "census2011-household-type",
    "sg-employment",
)
FIRST_PROFILE_P99_MS = 250.0
REPEAT_P99_MS = 20.0
HTML = "text/html"
JSON = "application/json"
T = TypeVar("T")


@dataclass(frozen=True)
class Kind:
    """A kind of request: its name, its addresses and the type asked for."""

    name: str
    paths: list[str]
    accept: str
    profile: bool = False


@dataclass(frozen=True)
class Figures:
    """One measurement: how many requests, p50 and p99 (ms), how many not 2xx."""

    requests: int
    p50_ms: float
    p99_ms: float
    failed: int


def _spread(items: list[T], count: int) -> list[T]:
    """``count`` items spread evenly over ``items`` (all of them when there are fewer)."""
    step = max(1, len(items) // count)
    return items[::step][:count]


def kinds(maps: list[str]) -> list[Kind]:
    """The four kinds of request, each over different areas: Glasgow's wards first;
    ``maps``: the choropleth addresses."""
    with WARDS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    glasgow = [r["WD19CD"] for r in rows if r["LAD19CD"] == GLASGOW]
    others = [r["WD19CD"] for r in rows if r["LAD19CD"] != GLASGOW]
    wards = glasgow + _spread(others, PER_KIND - len(glasgow))
    councils = _spread(sorted({r["LAD19CD"] for r in rows}), PER_KIND)
    pairs = [(a["WD19CD"], b["WD19CD"]) for a, b in pairwise(rows) if a["LAD19CD"] == b["LAD19CD"]]
    pairs = _spread(pairs[::2], PER_KIND)
    doc = "/doc/statistical-geography/"
    return [
        Kind("ward profile", [doc + w for w in wards], HTML, profile=True),
        Kind("council-area profile", [doc + c for c in councils], HTML, profile=True),
        Kind("comparison", [f"/compare?areas={a},{b}" for a, b in pairs], HTML),
        Kind("choropleth data", maps, JSON),
    ]


def first_visits(port: int, kind: Kind) -> Figures:
    """Every address of ``kind`` once, ``CLIENTS`` at a time; latency of the answered ones."""
    limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120) as client:

        def timed(path: str) -> tuple[float, int]:
            started = time.perf_counter()
            status = client.get(path, headers={"accept": kind.accept}).status_code
            return time.perf_counter() - started, status

        with ThreadPoolExecutor(CLIENTS) as pool:
            done = list(pool.map(timed, kind.paths))
    answered = [seconds for seconds, status in done if 200 <= status < 300]
    p50, p99 = percentiles(answered) if answered else (float("nan"), float("nan"))
    return Figures(len(done), p50, p99, len(done) - len(answered))


@contextmanager
def serving(store: Path) -> Iterator[int]:
    """A fresh ``odc serve`` on ``store``, up and idle: its port; stopped when the block ends."""
    port = free_port(PORTS)
    env = {**os.environ, "ODC_STORE_DIR": str(store.parent.parent)}
    command = [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    try:
        wait_until_up(port, process)
        wait_until_idle(process)
        yield port
    finally:
        process.terminate()
        process.wait()


def offered_maps(store: Path) -> list[str]:
    """Each map cube's map at each level it offers (as its map's JSON lists them), and at
    its own choice of level: the addresses a visitor can reach, none answered 400."""
    maps = []
    with serving(store) as port, httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for cube in MAP_CUBES:
            path = f"/data/{cube}/map.json"
            levels = client.get(path, timeout=120).raise_for_status().json()["levels"]
            maps += [path, *(f"{path}?level={level['key']}" for level in levels)]
    return maps


def measure(store: Path, kind: Kind, folder: Path) -> tuple[Figures, Figures]:
    """A fresh server on ``store``: first visits of ``kind``, then its repeats."""
    with serving(store) as port:
        first = first_visits(port, kind)
        result = run_wrk(kind.name, port, lua_script(folder, kind.paths, kind.accept))
    repeats = Figures(0, result.p50_ms, result.p99_ms, result.errors)
    return first, repeats


def _verdict(p99: float, target: float) -> str:
    return f"{'met' if p99 < target else 'MISSED'} (< {target:.0f} ms)"


def report(kind: Kind, first: Figures, repeats: Figures, say: Callable[[str], None]) -> None:
    """One kind's two lines, with the targets that apply to it."""
    load = os.getloadavg()[0]
    if first.failed == first.requests:
        say(f"  {kind.name:<22}not served: all {first.requests} first visits answered non-2xx")
        return
    target = f"  {_verdict(first.p99_ms, FIRST_PROFILE_P99_MS)}" if kind.profile else ""
    say(
        f"  {kind.name:<22}first visits {first.requests:>4}: p50 {first.p50_ms:7.1f} ms  "
        f"p99 {first.p99_ms:7.1f} ms  non-2xx {first.failed}{target}"
    )
    say(
        f"  {'':<22}repeats (10 s):    p50 {repeats.p50_ms:7.1f} ms  p99 {repeats.p99_ms:7.1f} "
        f"ms  non-2xx {repeats.failed}  {_verdict(repeats.p99_ms, REPEAT_P99_MS)}  "
        f"(load average {load:.1f})"
    )


def main() -> None:
    """Each kind on a fresh server: first visits, then repeats; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a release directory (default: full_store)")
    options = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench-places needs wrk (apt-get install wrk)")
    store = options.store.resolve() if options.store else full_store()
    print(f"bench-places: {store}; {CLIENTS} concurrent clients, a fresh server per kind")
    with tempfile.TemporaryDirectory() as work:
        for kind in kinds(offered_maps(store)):
            first, repeats = measure(store, kind, Path(work))
            report(kind, first, repeats, lambda line: print(line, flush=True))


if __name__ == "__main__":
    main()
