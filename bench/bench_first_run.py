"""bench-first-run: `make serve` on a fresh clone, until the first page and until all data.

Clones this repository (its last commit) into a temporary folder, with this checkout's
``.venv`` linked in (a warm package cache: nothing to install) and ``../shared`` beside it,
runs ``make serve`` on a free port, and times from its start:

* the first page: the home page answered 200 (the reference geography is live);
* all data: every bundled dataset's page (``/data/{name}``) answered 200.

The peer, in the same run, is a plain full ``odc publish`` of the same clone into a store
of its own (what ``make serve`` did on a fresh clone before it served anything).

Targets (issue 14): the first page within 60 s; all data within the full publish's time.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
FIRST_PAGE_TARGET = 60.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _clone(into: Path) -> Path:
    clone = into / "clone"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    (clone / ".venv").symlink_to(ROOT / ".venv")
    # Newer than the clone's pyproject.toml, so make installs nothing (the packages are
    # this checkout's, the code too: .venv holds it as an editable install).
    (clone / ".venv" / ".installed").touch()
    (into / "shared").symlink_to(ROOT.parent / "shared")
    return clone


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=10).status_code == 200
    except httpx.TransportError:
        return False


def _datasets(clone: Path) -> list[str]:
    names = (p.name for p in (clone / "mappings").glob("*.json"))
    return sorted(n.removesuffix(".json").removesuffix(".cube") for n in names)


def first_run(clone: Path) -> tuple[float, float]:
    """Seconds from ``make serve`` to the first page, and to every dataset's page."""
    port = _free_port()
    site = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ODC_")}
    started = time.monotonic()
    server = subprocess.Popen(
        ["make", "serve", f"PORT={port}"],
        cwd=clone,
        env={**env, "ODC_ACCESS_LOG": "false"},
        start_new_session=True,
    )
    try:
        while not _answers(site + "/"):
            time.sleep(0.5)
        first = time.monotonic() - started
        waiting = [f"{site}/data/{name}" for name in _datasets(clone)]
        while waiting:
            waiting = [url for url in waiting if not _answers(url)]
            time.sleep(1)
        return first, time.monotonic() - started
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()


def full_publish(clone: Path) -> float:
    """Seconds a plain full ``odc publish`` of the clone takes, into a store of its own."""
    env = {**os.environ, "ODC_STORE_DIR": str(clone / "var" / "peer" / "store")}
    command = [str(clone / ".venv" / "bin" / "odc"), "publish", "--build", "var/peer/build"]
    started = time.monotonic()
    subprocess.run(command, cwd=clone, env=env, check=True, capture_output=True)
    return time.monotonic() - started


def main() -> None:
    """Run both, one after the other, and print the figures."""
    folder = Path(tempfile.mkdtemp(prefix="odc-first-run-"))
    try:
        clone = _clone(folder)
        first, everything = first_run(clone)
        peer = full_publish(clone)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print("bench-first-run: make serve on a fresh clone (packages installed)")
    verdict = "within" if first <= FIRST_PAGE_TARGET else "OVER"
    print(f"  first page:  {first:7.1f} s ({verdict} the {FIRST_PAGE_TARGET:.0f} s target)")
    print(f"  all data:    {everything:7.1f} s")
    print(f"  peer, a full odc publish before serving: {peer:.1f} s")
    print(f"  all data / full publish: {everything / peer:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
