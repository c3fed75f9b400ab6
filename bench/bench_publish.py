"""bench-publish: time and peak memory to publish every bundled dataset, by stage.

Runs ``odc publish`` in a fresh process into ``var/bench/store`` (the development store is
left alone) and reads the stage times it reports: map (CSVW, strict), validate (SHACL, all
datasets together), load (bulk load into a new release and swap it in).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from measure import run_measured

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "var" / "bench" / "store"
TARGET_SECONDS = 60


def main() -> None:
    """Publish and print the figures."""
    env = {**os.environ, "ODC_STORE_DIR": str(STORE)}
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    measured = run_measured(command, cwd=ROOT, env=env)
    stages = dict(re.findall(r"^(\w+) took ([0-9.]+) s$", measured.stderr, re.MULTILINE))
    datasets = re.findall(
        r"^([\w.-]+): mapped [\d,]+ rows into ([\d,]+) triples$", measured.stderr, re.M
    )
    print("bench-publish: every bundled dataset, mapped, validated and loaded")
    for name, triples in datasets:
        print(f"  {name:<40}{triples:>12} triples")
    total = sum(int(t.replace(",", "")) for _, t in datasets)
    print(f"  {'all datasets':<40}{total:>12,} triples")
    for stage in ("map", "validate", "load"):
        print(f"  stage {stage:<10}{float(stages.get(stage, 'nan')):>8.1f} s")
    verdict = "under" if measured.seconds < TARGET_SECONDS else "OVER"
    print(
        f"  total {measured.seconds:.1f} s ({verdict} the {TARGET_SECONDS} s target), "
        f"peak memory {measured.peak_mb:.0f} MB"
    )


if __name__ == "__main__":
    main()
