"""bench-publish: time and peak memory to publish the reference geography, by stage.

Runs ``odc publish --include 'geography-*'`` in a fresh process into ``var/bench/store``
(build folder ``var/bench/build``; the development store is left alone) and reads the stage
times it reports: map (CSVW, strict), loading the in-memory store SHACL runs on, SHACL (all
geography together), loading the release, and writing its dumps; they overlap. The peer, in
the same run, is pyoxigraph's bare ``Store.bulk_load`` of the same N-Triples
(``bulk_load.py``).

Target (issue 4): the whole reference geography published in under 60 s, SHACL included.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from measure import bulk_load_peer, print_beside_peer, print_stages, run_measured

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "var" / "bench" / "store"
BUILD = ROOT / "var" / "bench" / "build"
TARGET_SECONDS = 60
STAGES = ("map", "check-store", "shacl", "load", "dumps")


def main() -> None:
    """Publish, load bare, and print the figures."""
    env = {**os.environ, "ODC_STORE_DIR": str(STORE)}
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    command += ["--include", "geography-*", "--build", str(BUILD)]
    ours = run_measured(command, cwd=ROOT, env=env)
    datasets = re.findall(
        r"^([\w.-]+): mapped [\d,]+ rows into ([\d,]+) triples$", ours.stderr, re.M
    )
    peer = bulk_load_peer(
        [BUILD / f"{name}.nt" for name, _ in datasets], BUILD.parent / "bare", ROOT
    )
    print("bench-publish: the reference geography, mapped, validated and loaded")
    for name, triples in sorted(datasets):
        print(f"  {name:<40}{triples:>12} triples")
    total = sum(int(t.replace(",", "")) for _, t in datasets)
    print(f"  {'all datasets':<40}{total:>12,} triples")
    print_stages(ours.stderr, STAGES)
    print_beside_peer(ours, peer)
    verdict = "under" if ours.seconds < TARGET_SECONDS else "OVER"
    print(f"  target: {ours.seconds:.1f} s, {verdict} the {TARGET_SECONDS} s target")


if __name__ == "__main__":
    main()
