"""bench-publish-one: one new 20,000-row cube beside the bundled data (about 7 M triples).

With every bundled dataset published into ``var/bench/one/store`` (set up first, itself
incremental: a no-change publish when the store already holds them), times in fresh
processes:

* (a) a bad cell in the new cube reported, by ``odc check`` and by ``odc publish``;
* (b) the cube published beside the bundled data (``odc publish CUBE``);
* (c) the same publish again, nothing changed;
* before: what ``odc publish CUBE`` did at main's start (commit ``BEFORE``, run from its
  source in the same run): every other dataset checked and loaded again.

and the disk the release of (b) takes of its own, beside what it shares with the release
before it. Targets (issue 14): (a) under 5 s, (b) under 20 s.
"""

from __future__ import annotations

import csv
import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

from measure import Measured, run_measured

ROOT = Path(__file__).resolve().parents[1]
ONE = ROOT / "var" / "bench" / "one"
STORE, BUILD, NEW = ONE / "store", ONE / "build", ONE / "new"
BEFORE = "df3241a8ec51e5b54e54f206ba88ac80ff37c8d2"
ROWS = 20_000
BAD_ROW = 12_345
TARGETS = {"bad cell": 5.0, "publish": 20.0}


def odc(*arguments: str) -> list[str]:
    """An ``odc`` command line (which code it runs is the environment's ``PYTHONPATH``)."""
    return [sys.executable, "-m", "opendatacommunities.cli", *arguments, "--build", str(BUILD)]


def environment(store: Path, source: Path | None = None) -> dict[str, str]:
    """The environment of an ``odc`` run into ``store``."""
    env = {**os.environ, "ODC_STORE_DIR": str(store)}
    if source is not None:
        env["PYTHONPATH"] = str(source)  # ahead of the installed package
    return env


def timed(
    command: list[str], env: dict[str, str], *, fails: bool = False
) -> tuple[Measured, float]:
    """A measured run, and the CPU seconds (user and system) its processes spent: on a busy
    machine the wall time grows, the CPU time much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    measured = run_measured(command, cwd=ROOT, env=env, fails=fails)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return measured, cpu


def write_cube(bad: bool) -> Path:
    """The new cube: 20,000 LSOAs of the bundled geography, one year; with ``bad``, one
    cell that is no integer."""
    NEW.mkdir(parents=True, exist_ok=True)
    with (ROOT / "data" / "geography" / "lsoa_msoa.csv").open(encoding="utf-8") as handle:
        codes = [row["LSOA11CD"] for row in csv.DictReader(handle)][:ROWS]
    lines = ["Geography,Year,Value"]
    lines += [f"{code},2019,{n % 997}" for n, code in enumerate(codes, start=2)]
    if bad:
        lines[BAD_ROW - 1] = lines[BAD_ROW - 1].rsplit(",", 1)[0] + ",12x"
    (NEW / "bench-people.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    description = {
        "dc:title": "People by LSOA (benchmark)",
        "csv": "bench-people.csv",
        "dimensions": [
            {"name": "refArea", "label": "LSOA", "kind": "area", "column": "Geography"},
            {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
        ],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"value": "Value"},
    }
    cube = NEW / "bench-people.cube.json"
    cube.write_text(json.dumps(description), encoding="utf-8")
    return cube


def release_megabytes(store: Path) -> tuple[float, float]:
    """The live release's own bytes and those it shares (hard links), in MB."""
    live = (store / "current").resolve()
    own = shared = 0
    for path in live.iterdir():
        info = path.stat()
        if info.st_nlink > 1:
            shared += info.st_size
        else:
            own += info.st_size
    return own / 1e6, shared / 1e6


def before(cube: Path) -> tuple[Measured, float] | None:
    """``odc publish CUBE`` as the code at main's start ran it, into a store of its own."""
    source, store = ONE / "before-src", ONE / "before-store"
    shutil.rmtree(source, ignore_errors=True)
    shutil.rmtree(store, ignore_errors=True)
    source.mkdir(parents=True)
    try:
        archive = subprocess.run(
            ["git", "-C", str(ROOT), "archive", BEFORE, "src"], capture_output=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None  # no git history here: nothing to compare with
    subprocess.run(["tar", "-x", "-C", str(source)], input=archive.stdout, check=True)
    measured = timed(odc("publish", str(cube)), environment(store, source / "src"))
    shutil.rmtree(store, ignore_errors=True)
    return measured


def line(what: str, run: tuple[Measured, float], target: float | None = None) -> None:
    """One figure, with its target."""
    measured, cpu = run
    verdict = ""
    if target is not None:
        verdict = f"  ({'under' if measured.seconds < target else 'OVER'} {target:.0f} s)"
    figures = f"{measured.seconds:>8.1f} s{cpu:>8.1f} s{measured.peak_mb:>8.0f} MB"
    print(f"  {what:<46}{figures}{verdict}")


def main() -> None:
    """Set up, measure, print."""
    env = environment(STORE)
    setup = timed(odc("publish"), env)
    bad = write_cube(bad=True)
    checked = timed(odc("check", str(bad)), env, fails=True)
    failed = timed(odc("publish", str(bad)), env, fails=True)
    good = write_cube(bad=False)
    published = timed(odc("publish", str(good)), env)
    own, shared = release_megabytes(STORE)
    again = timed(odc("publish", str(good)), env)
    old = before(good)
    load = os.getloadavg()[1]
    print(f"bench-publish-one: a new {ROWS:,}-row cube beside the bundled data")
    print(f"  (load average over the last 5 minutes: {load:.1f}, on {os.cpu_count()} cores)")
    print(f"  {'':<46}{'wall':>10}{'CPU':>10}{'peak':>10}")
    line("setup: the bundled data published (incremental)", setup)
    line("(a) bad cell reported by odc check", checked, TARGETS["bad cell"])
    line("(a) bad cell reported by odc publish", failed, TARGETS["bad cell"])
    line("(b) the cube published", published, TARGETS["publish"])
    line("(c) published again, nothing changed", again)
    if old is None:
        print("  before: not measured (no git history to take main's start from)")
    else:
        line(f"before: odc publish CUBE at {BEFORE[:7]}", old)
        ratio = old[0].seconds / published[0].seconds
        print(f"  (b) against before: {ratio:.1f}x faster ({old[1] / published[1]:.1f}x in CPU)")
    print(f"  release of (b): {own:,.0f} MB of its own, {shared:,.0f} MB shared with the last")
    print(f"  the error line: {checked[0].stderr.strip().splitlines()[-1]}")


if __name__ == "__main__":
    main()
