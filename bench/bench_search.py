"""bench-search: search and suggestions over every bundled dataset, and the engines compared.

On a store holding every bundled dataset (``stores.full_store()``; ``--store DIR`` names
another release directory):

1. the index as a publish makes it (``publish.search_index``): how long reading the
   release's names (the lexicon), the entries (types, parents, status), building our index
   and writing its file take, the file's size, how long a server takes to read it back
   (and the release's own file, when it has one), and the memory the index holds;
2. the engines, in process, on the same entries and the same queries (names of sampled
   entries, begun, and mistyped by one swapped or dropped letter): ours (``store.search``:
   an in-memory trigram index of the distinct words, edit distance on the few candidates) and
   SQLite FTS5 with its trigram tokenizer (standard library; typos by any shared trigram,
   best bm25 first): build time, size, p50/p99 per query;
3. ``odc serve`` under load: 16 concurrent clients (wrk, two threads, 10 s) on
   ``/search/suggest?q=`` and on ``/search.json?q=`` over the sampled queries, after the
   server is up and idle; then again on a server with its response cache off
   (``ODC_CACHE_ENTRIES=0``), where every request is answered afresh, so that the figures
   are not those of a cache. Targets: suggest p99 under 15 ms, search p99 under 50 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import urllib.parse
from collections.abc import Callable
from pathlib import Path

from bench_serve import PORTS, lua_script, run_wrk, wait_until_idle, wait_until_up
from measure import free_port
from stores import full_store

SAMPLE = 400
GEO = "http://localhost:8000/def/geography/"


def _timed(work: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    done = work()
    return time.perf_counter() - started, done


def _paused(work: Callable[[], object]) -> tuple[float, object]:
    """``_timed``, with the garbage collector paused, as a server pauses it while it opens
    a release (``store.live``)."""
    gc.disable()
    try:
        return _timed(work)
    finally:
        gc.enable()


def queries(labels: list[str]) -> list[str]:
    """What people type: names, names begun, names with a letter dropped or two swapped."""
    rng = random.Random(15)
    chosen = rng.sample(labels, SAMPLE)
    typed = []
    for i, label in enumerate(chosen):
        if i % 3 == 0:
            typed.append(label[: max(3, len(label) // 2)])
        elif i % 3 == 1 and len(label) > 6:
            at = rng.randrange(1, len(label) - 2)
            typed.append(label[:at] + label[at + 1] + label[at] + label[at + 2 :])
        else:
            typed.append(label)
    return typed


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p99 of ``times`` (seconds), in milliseconds."""
    ordered = sorted(times)
    return (
        statistics.median(ordered) * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
    )


def ours(entries: list[object], typed: list[str]) -> tuple[float, float, list[float]]:
    """Build time, traced memory (MB) and per-query times of our index."""
    from opendatacommunities.store.search import SearchIndex

    seconds, index = _timed(lambda: SearchIndex(entries))  # type: ignore[arg-type]
    tracemalloc.start()  # a second build, traced: tracing slows it down
    held = SearchIndex(entries)  # type: ignore[arg-type]
    memory = tracemalloc.get_traced_memory()[0] / 1e6
    tracemalloc.stop()
    del held
    assert isinstance(index, SearchIndex)
    return seconds, memory, [_timed(lambda q=q: index.search(q))[0] for q in typed]


def fts5(entries: list[object], typed: list[str], folder: Path) -> tuple[float, float, list[float]]:
    """Build time, file size (MB) and per-query times of SQLite FTS5 (trigram tokenizer)."""
    from opendatacommunities.store.search import Entry, fold
    from opendatacommunities.store.search.spelling import trigrams

    path = folder / "search.sqlite"
    started = time.perf_counter()
    db = sqlite3.connect(path, check_same_thread=False)
    db.execute("CREATE VIRTUAL TABLE t USING fts5(names, code, tokenize='trigram')")
    rows = [
        (i, " ".join(fold(name) for name in e.labels), fold(e.notation or ""))
        for i, e in enumerate(entries)
        if isinstance(e, Entry)
    ]
    db.executemany("INSERT INTO t(rowid, names, code) VALUES (?, ?, ?)", rows)
    db.commit()
    seconds = time.perf_counter() - started

    def search(text: str) -> list[tuple[int]]:
        words = fold(text).split()
        every = " AND ".join(f'"{w}"' for w in words if len(w) >= 3 and '"' not in w)
        found = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank", (every,))
        hits = found.fetchall() if every else []
        if not hits:
            pieces = {p.strip() for w in words for p in trigrams(w) if len(p.strip()) == 3}
            some = " OR ".join(f'"{p}"' for p in pieces if '"' not in p)
            if some:
                found = db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY rank", (some,))
                hits = found.fetchmany(200)
        return hits

    return seconds, path.stat().st_size / 1e6, [_timed(lambda q=q: search(q))[0] for q in typed]


def _index_at_publish(store: Path, folder: Path) -> tuple[list[str], object]:
    """Build the index as a publish does, write its file and read it back: the lines to
    print, and the index."""
    from pyoxigraph import Store

    from opendatacommunities.store.lexicon import Lexicon
    from opendatacommunities.store.search import SEARCH_FILE, Built, SearchIndex
    from opendatacommunities.store.search.entries import read_entries
    from opendatacommunities.store.search.file import read, to_bytes

    built = Built(GEO + "parent", GEO + "status")
    opened = Store.read_only(str(store))
    lexicon_s, lexicon = _timed(lambda: Lexicon.read(opened))
    assert isinstance(lexicon, Lexicon)
    entries_s, entries = _timed(
        lambda: read_entries(lexicon, parent=built.parent, status=built.status)
    )
    tables_s, index = _timed(lambda: SearchIndex(entries))  # type: ignore[arg-type]
    assert isinstance(index, SearchIndex)
    write_s, data = _timed(lambda: to_bytes(index, built))
    assert isinstance(data, bytes)
    path = folder / SEARCH_FILE
    path.write_bytes(data)
    read_s, _ = _paused(lambda: read(path, built))
    total = lexicon_s + entries_s + tables_s + write_s
    lines = [
        f"  {len(index.entries):,} entries, {len(index.spelling.words):,} distinct words",
        f"  index at publish {total:.1f} s: lexicon {lexicon_s:.1f} s, entries (types, "
        f"parents, status) {entries_s:.1f} s, tables {tables_s:.2f} s, file {write_s:.2f} s",
        f"  file {len(data) / 1e6:.1f} MB, read back in {read_s:.2f} s "
        f"({total / read_s:.0f}x faster than building it)",
    ]
    own = store / SEARCH_FILE
    if own.exists():
        own_s, _ = _paused(lambda: read(own, built))
        lines.append(
            f"  the release's own {SEARCH_FILE}: {own.stat().st_size / 1e6:.1f} MB, "
            f"read in {own_s:.2f} s"
        )
    else:
        lines.append(f"  the release has no {SEARCH_FILE}: published before it was written")
    return lines, index


def engines(store: Path, folder: Path) -> tuple[list[str], list[str]]:
    """The index as a publish makes it, then the engines compared: the lines to print, and
    the queries typed."""
    from opendatacommunities.store.search import SearchIndex

    lines, index = _index_at_publish(store, folder)
    assert isinstance(index, SearchIndex)
    entries: list[object] = list(index.entries)
    typed = queries([e.label for e in index.entries])
    own_s, own_mb, own_times = ours(entries, typed)
    fts_s, fts_mb, fts_times = fts5(entries, typed, folder)
    lines.append(f"  {'engine':<34}{'build s':>9}{'MB':>8}{'p50 ms':>9}{'p99 ms':>9}")
    for name, seconds, size, times in (
        ("ours: trigram words + edit distance", own_s, own_mb, own_times),
        ("SQLite FTS5 trigram (file)", fts_s, fts_mb, fts_times),
    ):
        p50, p99 = percentiles(times)
        lines.append(f"  {name:<34}{seconds:>9.2f}{size:>8.1f}{p50:>9.2f}{p99:>9.2f}")
    return lines, typed


def under_load(store: Path, typed: list[str], folder: Path, *, cache: bool) -> list[str]:
    """``odc serve`` on ``store`` (its response cache on or off): wrk on suggestions and on
    searches; the lines to print."""
    port = free_port(PORTS)
    env = {**os.environ, "ODC_STORE_DIR": str(store.parent.parent)}
    if not cache:
        env["ODC_CACHE_ENTRIES"] = "0"
    command = [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(port)]
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    lines = []
    try:
        wait_until_up(port, process)
        wait_until_idle(process)
        lines.append(
            f"  response cache {'on' if cache else 'off'}: server up and idle after "
            f"{time.monotonic() - started:.1f} s (load average {os.getloadavg()[0]:.1f})"
        )
        for name, path in (
            ("/search/suggest", "/search/suggest?q="),
            ("/search", "/search.json?q="),
        ):
            paths = [path + urllib.parse.quote(q) for q in typed]
            result = run_wrk(name, port, lua_script(folder, paths, "application/json"))
            lines.append(
                f"  {name:<18}{result.requests_per_second:>9,.0f} req/s  p50 "
                f"{result.p50_ms:.1f} ms  p99 {result.p99_ms:.1f} ms  non-2xx {result.errors}"
            )
    finally:
        process.terminate()
        process.wait()
    return lines


def main() -> None:
    """Measure the index and the engines, then the server under load; print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a release directory (default: full_store)")
    options = parser.parse_args()
    store = options.store.resolve() if options.store else full_store()
    print(f"bench-search: {store}")
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        lines, typed = engines(store, folder)
        for line in lines:
            print(line, flush=True)
        for cache in (True, False):
            for line in under_load(store, typed, folder, cache=cache):
                print(line, flush=True)


if __name__ == "__main__":
    main()
