"""The derived tables as CSV text: what ``odc derive`` writes under ``data/derived/`` and the
mappings publish.

>>> decile_label(1), decile_label(5), decile_label(10)
('1 (most deprived)', '5', '10 (least deprived)')
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from .aggregation import DECILES, WardSummary
from .derivation import Derived

SUMMARY_HEADER = (
    "ward",
    "areas",
    "population",
    "most_deprived_10",
    "most_deprived_20",
    "population_most_deprived_10",
    "population_most_deprived_20",
)


def decile_label(decile: int) -> str:
    """A decile as its code in the decile cubes reads."""
    return {1: "1 (most deprived)", 10: "10 (least deprived)"}.get(decile, str(decile))


def _csv(header: Sequence[str], records: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if cell is None else cell for cell in record] for record in records)
    return out.getvalue()


def deciles(summaries: Sequence[WardSummary]) -> str:
    """Each ward's count of small areas in each decile (zero counts included)."""
    records = ((s.ward, decile_label(d), s.count(d)) for s in summaries for d in DECILES)
    return _csv(("ward", "decile", "areas"), records)


def summary(summaries: Sequence[WardSummary]) -> str:
    """Each ward's areas, population and shares among the most deprived."""
    records = (
        (
            s.ward,
            len(s.zones),
            s.population,
            s.share(1),
            s.share(2),
            s.population_share(1),
            s.population_share(2),
        )
        for s in summaries
    )
    return _csv(SUMMARY_HEADER, records)


def tables(derived: Derived) -> dict[str, str]:
    """Every derived table: file name -> CSV text."""
    lsoas = (
        (item.code, item.best_fit, item.by_boundary, "yes" if item.agrees else "no")
        for item in derived.lsoas
    )
    return {
        "glasgow_data_zone_wards.csv": _csv(("DZ11CD", "WD19CD"), derived.data_zones.items()),
        "manchester_lsoa_wards.csv": _csv(
            ("LSOA11CD", "WD19CD", "boundary_WD19CD", "agrees"), lsoas
        ),
        "glasgow_ward_simd2020_deciles.csv": deciles(derived.glasgow),
        "glasgow_ward_simd2020.csv": summary(derived.glasgow),
        "manchester_ward_imd2019_deciles.csv": deciles(derived.manchester),
        "manchester_ward_imd2019.csv": summary(derived.manchester),
    }


def write(texts: dict[str, str], folder: Path) -> list[Path]:
    """Write each table into ``folder`` (each file replaced in one step); the paths written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in texts.items():
        target = folder / name
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".part")
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o644)  # mkstemp's 0600 would keep the tables from other readers
        os.replace(temporary, target)
        written.append(target)
    return written
