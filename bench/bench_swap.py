"""bench-swap: latency of a live server before and during a publish into the store it serves.

16 concurrent clients (an asyncio + httpx load, so that every request is timed and placed in
time) request, round robin from different starting points, a mix of the home page, searches
(``/search?q=...``, 24 queries) and resource pages (``/doc/...``, 300 areas of the store).
``odc serve`` serves ``var/bench/swap``, holding the reference geography
(``odc publish --include 'geography-*'``, the subset bench-publish uses: the whole bundled
publish takes minutes); once it is up and idle:

1. warm-up: 5 s of load, not reported (every path rendered once, as on a server in use);
2. before: 15 s of load;
3. during: the same load while the same datasets are published again into the served store
   (a new release, swapped in; the publish runs at ``nice 19``, as a batch job beside a live
   server should), until 5 s after the server has switched to the new release (seen in the
   home page's ETag, which names the release).

It prints p50 and p99 before and during (and in the 5 s after the switch alone), the ratio of
the p99s, the failed requests (anything but 200 or 304, or no answer), and the load average.
Target: p99 during the swap at most 2x the p99 before it, and no failed request.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

import httpx
from bench_serve import wait_until_idle, wait_until_up
from measure import free_port

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "var" / "bench" / "swap"
BUILD = ROOT / "var" / "bench" / "swap-build"
BASE = "http://localhost:8000"
CLIENTS = 16
PORTS = range(8320, 8340)
AREAS = 300
QUERIES = (
    "glasgow", "cardiff", "castle", "leeds", "ynys mon", "manchester", "bristol", "north",
    "south", "park", "hill", "central", "abbey", "bridge", "green", "riverside", "E08000035",
    "S12000049", "W06000015", "aberdeen", "dundee", "newport", "swansea", "edinburgh",
)  # fmt: skip
TARGET_RATIO = 2.0


@dataclass(frozen=True)
class Sample:
    """One request: when it started, how long it took, whether it was answered properly."""

    started: float
    seconds: float
    ok: bool


def publish_command() -> list[str]:
    """``odc publish`` of the reference geography into the benchmark's store."""
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    return [*command, "--include", "geography-*", "--build", str(BUILD)]


def environment(port: int) -> dict[str, str]:
    """The settings of the benchmark's server and publishes."""
    return {
        **os.environ,
        "ODC_STORE_DIR": str(STORE),
        "ODC_PORT": str(port),
        "ODC_BASE_IRI": BASE,
    }


def area_paths(count: int = AREAS) -> list[str]:
    """``/doc/`` pages of ``count`` areas spread over the store's statistical geography."""
    from pyoxigraph import Store

    query = (
        "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s a ?type } "
        f'FILTER(STRSTARTS(STR(?s), "{BASE}/id/statistical-geography/")) }}'
    )
    store = Store.read_only(str((STORE / "current").resolve()))
    found = sorted(row[0].value for row in store.query(query))  # type: ignore[union-attr]
    step = max(1, len(found) // count)
    return ["/doc/" + s.removeprefix(f"{BASE}/id/") for s in found[::step][:count]]


def mixed_paths() -> list[str]:
    """The paths the clients cycle through: areas, searches and the home page, interleaved."""
    searches = [f"/search?{urllib.parse.urlencode({'q': q})}" for q in QUERIES]
    paths: list[str] = []
    for index, area in enumerate(area_paths()):
        paths.append(area)
        if index % 10 == 0:
            paths.append(searches[index // 10 % len(searches)])
        if index % 25 == 0:
            paths.append("/")
    return paths


class Load:
    """16 clients requesting ``paths`` in turn until ``stop()``, each request recorded."""

    def __init__(self, port: int, paths: list[str]) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.paths = paths
        self.samples: list[Sample] = []
        self.releases: list[tuple[float, str]] = []
        """(time, ETag of the home page): which release answered when."""
        self._running = True

    def stop(self) -> None:
        """End the load after the requests in flight."""
        self._running = False

    async def run(self) -> None:
        """Run the clients until stopped."""
        limits = httpx.Limits(max_connections=CLIENTS, max_keepalive_connections=CLIENTS)
        async with httpx.AsyncClient(base_url=self.url, limits=limits, timeout=60) as client:
            await asyncio.gather(*(self._client(client, n) for n in range(CLIENTS)))

    async def _client(self, client: httpx.AsyncClient, number: int) -> None:
        step = len(self.paths) // CLIENTS
        index = number * step
        while self._running:
            path = self.paths[index % len(self.paths)]
            index += 1
            started = time.monotonic()
            try:
                response = await client.get(path, headers={"Accept": "text/html"})
                ok = response.status_code in (200, 304)
            except httpx.HTTPError:
                ok, response = False, None
            self.samples.append(Sample(started, time.monotonic() - started, ok))
            if response is not None and path == "/":
                self.releases.append((started, response.headers.get("etag", "")))

    def between(self, start: float, end: float) -> list[Sample]:
        """The requests started in [start, end)."""
        return [s for s in self.samples if start <= s.started < end]


def percentile(samples: list[Sample], which: int) -> float:
    """The ``which``-th percentile latency of ``samples``, in ms."""
    latencies = sorted(s.seconds for s in samples)
    if len(latencies) < 2:
        return float("nan")
    return statistics.quantiles(latencies, n=100, method="inclusive")[which - 1] * 1000


def switched_at(load: Load, after: float) -> float | None:
    """When the home page was first answered from a release other than the one served at
    ``after``."""
    before = [etag for moment, etag in load.releases if moment < after]
    if not before:
        return None
    for moment, etag in load.releases:
        if moment >= after and etag != before[-1]:
            return moment
    return None


async def measure(port: int) -> None:
    """Warm up, measure before, publish and measure during; print the figures."""
    load = Load(port, mixed_paths())
    running = asyncio.create_task(load.run())
    await asyncio.sleep(5)
    before_start = time.monotonic()
    await asyncio.sleep(15)
    during_start = time.monotonic()
    publisher = await asyncio.create_subprocess_exec(
        "nice", "-n", "19", *publish_command(), cwd=ROOT, env=environment(port),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    _, errors = await publisher.communicate()
    published = time.monotonic() - during_start
    if publisher.returncode != 0:
        load.stop()
        await running
        raise SystemExit(f"the publish failed:\n{errors.decode()}")
    deadline = time.monotonic() + 120
    while (switch := switched_at(load, during_start)) is None and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    if switch is None:
        load.stop()
        await running
        raise SystemExit("the server did not switch to the new release within 120 s")
    await asyncio.sleep(max(0.0, switch + 5 - time.monotonic()))
    end = switch + 5
    load.stop()
    await running
    report(load, (before_start, during_start), (during_start, end), (switch, end), published)


def report(
    load: Load,
    before: tuple[float, float],
    during: tuple[float, float],
    after: tuple[float, float],
    published: float,
) -> None:
    """Print the figures of each window and the verdict."""
    windows = {
        "before the publish": load.between(*before),
        "during it, until 5 s after the switch": load.between(*during),
        "the 5 s after the switch alone": load.between(*after),
    }
    print(f"bench-swap: {CLIENTS} clients on /, /search and /doc/ pages of the served store")
    print(f"  publish (reference geography, nice 19): {published:.1f} s")
    print(f"  {'window':<40}{'requests':>10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'failed':>8}")
    for name, samples in windows.items():
        seconds = max(s.started + s.seconds for s in samples) - min(s.started for s in samples)
        failed = sum(not s.ok for s in samples)
        print(
            f"  {name:<40}{len(samples):>10,}{len(samples) / seconds:>9.0f}"
            f"{percentile(samples, 50):>9.1f}{percentile(samples, 99):>9.1f}{failed:>8}"
        )
    p99_before = percentile(windows["before the publish"], 99)
    p99_during = percentile(windows["during it, until 5 s after the switch"], 99)
    ratio = p99_during / p99_before
    failed = sum(not s.ok for s in load.samples)
    verdict = "within" if ratio <= TARGET_RATIO and failed == 0 else "OVER"
    print(f"  p99 during / before: {ratio:.2f}x; failed requests in all: {failed}")
    print(f"  target: at most {TARGET_RATIO:.0f}x and none failed: {verdict}")
    loads = ", ".join(f"{n:.2f}" for n in os.getloadavg())
    print(f"  load average at the end (1, 5, 15 min): {loads}")


def main() -> None:
    """Publish the store if needed, serve it, and measure."""
    port = free_port(PORTS)
    if not (STORE / "current").exists():
        print(f"publishing the reference geography into {STORE} ...", file=sys.stderr)
        done = subprocess.run(
            publish_command(), cwd=ROOT, env=environment(port), capture_output=True, text=True
        )
        if done.returncode != 0:
            raise SystemExit(f"publishing into {STORE} failed:\n{done.stderr}")
    command = [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(port)]
    server = subprocess.Popen(
        command, cwd=ROOT, env=environment(port), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(port, server)
        wait_until_idle(server)
        asyncio.run(measure(port))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
