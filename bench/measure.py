"""What every benchmark measures: wall time and the peak memory of a process tree, and the
latency of HTTP requests under load (wrk)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Measured:
    """A finished command: its wall time, peak tree memory and what it wrote to stderr."""

    seconds: float
    peak_mb: float
    stderr: str


def tree_rss_kb(root: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                parents[int(entry)] = int(fields[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        tree.update(children)
        frontier.extend(children)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None, fails: bool = False
) -> Measured:
    """Run a command to completion, sampling its process tree's memory every 20 ms.

    :raises SystemExit: if the command fails (its stderr is shown), or, with ``fails``,
        if it does not.
    """
    start = time.perf_counter()
    with subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    ) as process:
        # Read stderr as it comes: a full pipe would stop the command.
        lines: list[str] = []
        reader = threading.Thread(target=lines.extend, args=(process.stderr,), daemon=True)
        reader.start()
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_rss_kb(process.pid))
            time.sleep(0.02)
        reader.join()
        stderr = "".join(lines)
    seconds = time.perf_counter() - start
    if (process.returncode != 0) != fails:
        outcome = "did not fail" if fails else f"failed ({process.returncode})"
        raise SystemExit(f"{' '.join(command)} {outcome}:\n{stderr}")
    return Measured(seconds, peak / 1024, stderr)


@dataclass(frozen=True)
class Latency:
    """wrk's figures for one run: requests/s, median and 99th percentile (ms), failures."""

    rate: float
    p50_ms: float
    p99_ms: float
    errors: int


def run_wrk(port: int, paths: list[str], folder: Path, seconds: int = 10) -> Latency:
    """16 connections (two wrk threads) for ``seconds``, cycling through ``paths``.

    :raises subprocess.CalledProcessError: if wrk fails.
    """
    listed = ",\n".join(f'  "{p}"' for p in paths)
    script = folder / f"paths-{port}.lua"
    script.write_text(
        f"paths = {{\n{listed}\n}}\ni = 0\nrequest = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\nend\n',
        encoding="utf-8",
    )
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True
    ).stdout
    rate = re.search(r"Requests/sec:\s+([0-9.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return Latency(
        float(rate.group(1)) if rate else 0.0,
        _percentile(output, "50"),
        _percentile(output, "99"),
        int(errors.group(1)) if errors else 0,
    )


def _percentile(output: str, which: str) -> float:
    found = re.search(rf"\s{which}%\s+([0-9.]+)(us|ms|s)\b", output)
    if found is None:
        return float("nan")
    return float(found.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]


def bulk_load_peer(files: list[Path], store: Path, root: Path) -> Measured:
    """pyoxigraph's bare ``Store.bulk_load`` of ``files`` into a new store, in a fresh
    process (``bulk_load.py``).

    :raises SystemExit: if loading fails.
    """
    script = root / "bench" / "bulk_load.py"
    return run_measured([sys.executable, str(script), str(store), *map(str, files)], cwd=root)


def print_beside_peer(ours: Measured, peer: Measured) -> None:
    """Our publish and the bare bulk load, side by side, and the ratios."""
    print(f"  {'':<32}{'wall s':>10}{'peak MB':>10}")
    print(f"  {'odc publish (map, check, load)':<32}{ours.seconds:>10.1f}{ours.peak_mb:>10.0f}")
    print(f"  {'pyoxigraph bulk_load alone':<32}{peer.seconds:>10.1f}{peer.peak_mb:>10.0f}")
    print(
        f"  ratio ours / bulk_load: time {ours.seconds / peer.seconds:.2f}x, "
        f"peak memory {ours.peak_mb / peer.peak_mb:.2f}x"
    )


def print_stages(stderr: str, stages: tuple[str, ...]) -> None:
    """The ``{stage} took {s} s`` lines ``odc publish`` ends with, as a table."""
    found = dict(re.findall(r"^([\w-]+) took ([0-9.]+) s$", stderr, re.MULTILINE))
    print("  time per stage (they overlap):")
    for stage in stages:
        print(f"    {stage:<14}{float(found.get(stage, 'nan')):>8.1f} s")


def free_port(ports: range) -> int:
    """A TCP port of ``ports`` that is free on the loopback interface.

    :raises SystemExit: when every port of the range is taken.
    """
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"no free port in {ports.start}-{ports.stop - 1}")
