"""``odc derive`` on the bundled data: the committed tables are what it writes (so they
cannot rot), sampled wards' figures equal an independent computation from the source CSVs,
and a code missing from a lookup is named by file, row, column and value."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from opendatacommunities.cli import main
from opendatacommunities.errors import SourceError
from opendatacommunities.places.derivation import (
    IMD,
    IMD_POPULATION,
    INPUTS,
    SIMD,
    imd_zones,
    simd_zones,
)
from tests.plugins.project import ROOT

DATA = ROOT / "data"
DERIVED = DATA / "derived"
CALTON = "S13002975"
HULME = "E05011368"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _summary(name: str, ward: str) -> dict[str, str]:
    return next(row for row in _rows(DERIVED / name) if row["ward"] == ward)


def test_the_committed_tables_are_a_fresh_derivation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["derive", "--data", str(DATA), "--output", str(tmp_path)]) == 0
    fresh = sorted(path.name for path in tmp_path.glob("*.csv"))
    assert fresh == sorted(path.name for path in DERIVED.glob("*.csv"))
    for name in fresh:
        assert (tmp_path / name).read_bytes() == (DERIVED / name).read_bytes(), name
    report = capsys.readouterr().err
    assert "746 Glasgow data zones assigned to wards by centroid" in report
    assert "282 Manchester LSOAs: best-fit ward and boundary check disagree on 11" in report


def test_calton_from_the_sources() -> None:
    """Calton's data zones, found with shapely from the ward boundary and the centroids, and
    their SIMD deciles and population read straight from the SIMD table."""
    features = json.loads((DATA / "geography/ward_S12000049_Glasgow_City.geojson").read_text())
    calton = next(
        shape(f["geometry"]) for f in features["features"] if f["properties"]["WD25CD"] == CALTON
    )
    centroids = _rows(DATA / "geography/lsoa_latlong.csv")
    inside = {
        row["LSOACD"]
        for row in centroids
        if row["LSOACD"].startswith("S01")
        and calton.covers(Point(float(row["longitude"]), float(row["latitude"])))
    }
    simd = [row for row in _rows(DATA / SIMD) if row["Data_Zone"] in inside]
    first = [row for row in simd if row["SIMD2020v2_Decile"] == "1"]
    assert (len(inside), len(first)) == (29, 18)
    summary = _summary("glasgow_ward_simd2020.csv", CALTON)
    assert int(summary["areas"]) == len(inside)
    assert float(summary["most_deprived_10"]) == round(100 * len(first) / len(inside), 1) == 62.1
    people = sum(int(row["Total_population"]) for row in simd)
    assert int(summary["population"]) == people
    deprived = sum(int(row["Total_population"]) for row in first)
    assert float(summary["population_most_deprived_10"]) == round(100 * deprived / people, 1)
    deciles = {
        r["decile"]: r["areas"]
        for r in _rows(DERIVED / "glasgow_ward_simd2020_deciles.csv")
        if r["ward"] == CALTON
    }
    assert deciles["1 (most deprived)"] == "18"


def test_hulme_from_the_sources() -> None:
    """Hulme's LSOAs from the ONS best-fit lookup, their IMD deciles from File 1 and their
    population from File 6 (with its thousands separators)."""
    lookup = _rows(DATA / "geography/LSOA11_WD19_LAD19_EW_lookup_Dec2019.csv")
    lsoas = {row["LSOA11CD"] for row in lookup if row["WD19CD"] == HULME}
    deciles = {
        r["LSOA code (2011)"]: int(r["Index of Multiple Deprivation (IMD) Decile"])
        for r in _rows(DATA / IMD)
        if r["LSOA code (2011)"] in lsoas
    }
    people = {
        r["LSOA code (2011)"]: int(
            r["Total population: mid 2015 (excluding prisoners)"].replace(",", "")
        )
        for r in _rows(DATA / IMD_POPULATION)
        if r["LSOA code (2011)"] in lsoas
    }
    summary = _summary("manchester_ward_imd2019.csv", HULME)
    assert int(summary["areas"]) == len(lsoas) == len(deciles)
    assert int(summary["population"]) == sum(people.values())
    within_20 = sum(1 for d in deciles.values() if d <= 2)
    assert float(summary["most_deprived_20"]) == round(100 * within_20 / len(lsoas), 1)
    counted = {
        r["decile"]: int(r["areas"])
        for r in _rows(DERIVED / "manchester_ward_imd2019_deciles.csv")
        if r["ward"] == HULME
    }
    assert sum(counted.values()) == len(lsoas)


def _copy_rows(source: Path, target: Path, keep: int, extra: list[str] | None = None) -> None:
    """The header and first ``keep`` rows of a source table, and ``extra`` lines."""
    target.parent.mkdir(parents=True, exist_ok=True)
    lines = source.read_text(encoding="utf-8-sig").splitlines()[: keep + 1] + (extra or [])
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_glasgow_data_zone_missing_from_the_lookup(tmp_path: Path) -> None:
    _copy_rows(DATA / SIMD, tmp_path / SIMD, 3)
    lines = (tmp_path / SIMD).read_text().splitlines()
    fields = next(csv.reader([lines[1]]))
    fields[0], fields[2] = "S01999999", "Glasgow City"
    lines.append(",".join(f'"{f}"' for f in fields))
    (tmp_path / SIMD).write_text("\n".join(lines) + "\n", encoding="utf-8")
    lookup = {next(csv.reader([line]))[0]: "S13002975" for line in lines[1:4]}
    with pytest.raises(SourceError) as caught:
        simd_zones(tmp_path, lookup)
    error = caught.value
    assert (error.file, error.row, error.column, error.value) == (
        str(tmp_path / SIMD),
        5,
        "Data_Zone",
        "S01999999",
    )


def test_an_lsoa_of_the_lookup_missing_from_the_indices(tmp_path: Path) -> None:
    _copy_rows(DATA / IMD, tmp_path / IMD, 2)
    _copy_rows(DATA / IMD_POPULATION, tmp_path / IMD_POPULATION, 2)
    lookup = {"E01000001": "E05009288", "E01000002": "E05009288", "E01999999": "E05009288"}
    with pytest.raises(SourceError) as caught:
        imd_zones(tmp_path, lookup)
    error = caught.value
    assert (error.file, error.column, error.value) == (
        str(tmp_path / IMD_POPULATION),
        "LSOA code (2011)",
        "E01999999",
    )


def test_a_decile_out_of_range(tmp_path: Path) -> None:
    _copy_rows(DATA / IMD_POPULATION, tmp_path / IMD_POPULATION, 1)
    _copy_rows(
        DATA / IMD,
        tmp_path / IMD,
        0,
        ['E01000001,City of London 001A,E09000001,City of London,"29,199",11'],
    )
    with pytest.raises(SourceError) as caught:
        imd_zones(tmp_path, {"E01000001": "E05009288"})
    assert str(caught.value).startswith(
        f"{tmp_path / IMD}:2:Index of Multiple Deprivation (IMD) Decile"
    )
    assert caught.value.value == "11"


def test_derive_reports_bad_input_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["derive", "--data", str(tmp_path), "--output", str(tmp_path / "out")]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"error: {tmp_path}/geography/") and "Traceback" not in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("source", INPUTS)
def test_make_publish_derives_again_when_a_source_is_newer(source: str) -> None:
    """The Makefile's rule lists every source the derivation reads (``make -n -W`` acts as if
    the file had just changed, and runs nothing)."""
    newer = f"data/{source}"
    plan = subprocess.run(
        ["make", "-n", "-W", newer, "publish"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "odc derive" in plan, source
