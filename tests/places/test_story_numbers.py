"""The two shipped stories' numbers, read from the pages' JSON twins, checked against the
source CSVs for sampled areas by an independent computation here (the SIMD 2020 data zone
file with the 2011 data zone lookup; the census tenure table). Reads the site of
every bundled dataset: slow."""

from __future__ import annotations

import csv
from collections import Counter
from typing import Any

import httpx
import pytest

from tests.plugins.project import ROOT

# Reads the site of every bundled dataset, published once per run for the "bundled" group.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bundled")]

DATA = ROOT / "data"
GLASGOW_2011 = "S12000046"


@pytest.fixture(scope="module")
def site(bundled_site: str) -> str:
    """Every bundled dataset published and served with the shipped stories."""
    return bundled_site


def _blocks(site: str, name: str) -> list[dict[str, Any]]:
    response = httpx.get(f"{site}/stories/{name}.json", timeout=120)
    assert response.status_code == 200, response.text
    blocks: list[dict[str, Any]] = response.json()["blocks"]
    assert all(block["error"] is None for block in blocks), blocks
    return blocks


def _rows(block: dict[str, Any]) -> list[dict[str, Any]]:
    keys = [column["key"] for column in block["columns"]]
    return [dict(zip(keys, row, strict=True)) for row in block["rows"]]


def _simd_deciles() -> dict[str, Counter[int]]:
    """Council area (2011 code) -> data zones per SIMD decile, from the source files."""
    with (DATA / "geography/DZ11_IZ11_LAD17_lookup_Scotland_derived.csv").open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        rows = list(csv.DictReader(handle))
    zone_key = next(k for k in rows[0] if k.upper().startswith("DZ"))
    area_key = next(k for k in rows[0] if k.upper().startswith("LAD") and "CD" in k.upper())
    council = {row[zone_key]: row[area_key] for row in rows}
    found: dict[str, Counter[int]] = {}
    with (DATA / "scotland/simd2020v2_withinds_by_datazone.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            area = council[row["Data_Zone"]]
            found.setdefault(area, Counter())[int(row["SIMD2020v2_Decile"])] += 1
    return found


def test_glasgow_numbers_equal_the_source(site: str) -> None:
    """Glasgow's figure and decile chart, and sampled council areas' shares."""
    blocks = _blocks(site, "glasgow-deprivation")
    deciles = _simd_deciles()
    glasgow = deciles[GLASGOW_2011]
    figure = _rows(blocks[0])[0]
    assert figure["zones"] == sum(glasgow.values())
    assert figure["mostDeprived"] == glasgow[1]
    assert figure["share"] == pytest.approx(100 * glasgow[1] / sum(glasgow.values()))
    assert figure["scotlandMostDeprived"] == sum(c[1] for c in deciles.values())
    chart = {row["decile"]: row["zones"] for row in _rows(blocks[1])}
    assert chart == dict(glasgow)
    ranked = {row["councilArea"].rsplit("/", 1)[1]: row for row in _rows(blocks[2])}
    for code, row in ranked.items():
        counts = deciles[code]
        assert row["share"] == pytest.approx(100 * counts[1] / sum(counts.values()))
    wards = {row[0].rsplit("/", 1)[1]: row[2] for row in blocks[3]["rows"]}
    with (DATA / "derived/glasgow_ward_simd2020.csv").open(encoding="utf-8") as handle:
        source = {r["ward"]: float(r["most_deprived_10"]) for r in csv.DictReader(handle)}
    assert wards == source


def test_tenure_numbers_equal_the_source(site: str) -> None:
    """England's totals and sampled authorities' owned shares."""
    blocks = _blocks(site, "england-tenure")
    with (DATA / "census2011/tenure-households-lad.csv").open(newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["geography code"].startswith("E")]
    all_ = "Tenure: All categories: Tenure; measures: Value"
    owned = "Tenure: Owned: Total; measures: Value"
    total = sum(int(r[all_]) for r in rows)
    figure = _rows(blocks[0])[0]
    assert figure["authorities"] == len(rows)
    assert figure["allHouseholds"] == total
    assert figure["ownedShare"] == pytest.approx(100 * sum(int(r[owned]) for r in rows) / total)
    shares = {row["authority"].rsplit("/", 1)[1]: row["ownedShare"] for row in _rows(blocks[3])}
    assert len(shares) == len(rows)
    for row in rows[::40]:
        expected = 100 * int(row[owned]) / int(row[all_])
        assert shares[row["geography code"]] == pytest.approx(expected), row["geography"]
