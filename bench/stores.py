"""The stores the serving benchmarks read: one release holding every bundled dataset.

``full_store()`` publishes geography and every cube into ``var/bench/full`` when nothing is
published there yet or a mapping, shape, ontology or data file is newer than the release (the
rule ``make serve`` follows), and returns the release directory. Benchmarks that run at the
same time share one publication: a lock file makes the second wait for the first.
"""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FULL = ROOT / "var" / "bench" / "full"
SOURCES = ("mappings", "shapes", "ontologies", "data")


def _stale(current: Path) -> bool:
    if not current.exists():
        return True
    published = current.lstat().st_mtime
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and path.stat().st_mtime > published:
                return True
    return False


def full_store() -> Path:
    """The release directory of a store holding every bundled dataset, published if needed.

    :raises SystemExit: if publishing fails (its error output is shown).
    """
    FULL.mkdir(parents=True, exist_ok=True)
    current = FULL / "current"
    with (FULL.parent / "full.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _stale(current):
            print(f"publishing every bundled dataset into {FULL} ...", file=sys.stderr)
            command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
            env = {**os.environ, "ODC_STORE_DIR": str(FULL)}
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                raise SystemExit(f"publishing into {FULL} failed:\n{done.stderr}")
    return current.resolve()
