"""Make the derived tables of reference geography from the source lookups beside this file.

Each is a projection of the sources with rows filtered; one value is corrected (below):

* ``countries.csv``: the distinct countries (CTRY19CD, CTRY19NM) of the LAD19 -> CTRY19 lookup;
* ``la_code_history.csv``: the local authority codes of ``la_all_codes.csv`` that are no longer
  current (``Current`` FALSE) and were already gone by the LAD19 lookup, with the code that
  replaced them (``LADCD_ACTIVE``). Codes retired after 2019 are left out: their successors
  (2020-2023 reorganisations) are not in the 2019 geography (see ISSUES.md). Two successors
  that skip the 2019 step are corrected to it (``SKIPPED_STEPS``, ISSUES.md 3).
* ``historic_wards.csv``: the wards of ``ward_all_codes.csv`` listed by a 2019 or earlier
  source file that are no longer in the December 2019 ward lookup, with the local authority
  code they had (WDCD, WDNM, LADCD; first listing of each code). Wards of later years are not
  part of the 2019 geography.
* ``lsoa_msoa.csv``: the distinct (LSOA11CD, MSOA11CD) pairs of England and Wales in the
  ONS output area lookup ``OA11_LSOA11_MSOA11_LAD17_classifications_GB_Dec2017.csv.gz``.
* ``scottish_areas.csv``: the Scottish codes (S92, S12, S13) of the country, LAD19 and WD19
  lookups and of the code history, which statistics.gov.scot also publishes.
* ``glasgow_ward_boundaries.csv``: each Glasgow ward of ``ward_S12000049_Glasgow_City.geojson``
  (ONS generalised clipped boundaries, CRS84) with its boundary as WKT and its centroid
  (the file's LONG and LAT) as a WKT point; coordinates are copied as they are. The same
  for Manchester's wards (``manchester_ward_boundaries.csv`` from
  ``ward_E08000003_Manchester.geojson``) and LSOAs (``manchester_lsoa_boundaries.csv`` from
  ``lsoa11_E08000003_Manchester.geojson``).
* ``data_zone_centroids.csv``: the Scottish data zones (S01) of ``lsoa_latlong.csv`` with
  their centroid as a WKT point (longitude first, as CRS84 wants); coordinates copied as they
  are.

Run ``python data/geography/derive.py`` after changing a source; the outputs are committed.
"""

from __future__ import annotations

import csv
import gzip
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent


def countries() -> None:
    """Distinct countries, in code order."""
    with (HERE / "LAD19_CTRY19_UK_lookup_Apr2019.csv").open(encoding="utf-8", newline="") as f:
        found = {row["CTRY19CD"]: row["CTRY19NM"] for row in csv.DictReader(f)}
    with (HERE / "countries.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["CTRY19CD", "CTRY19NM"])
        writer.writerows(sorted(found.items()))


# Codes whose successor in la_all_codes.csv skips a step (ISSUES.md 3): Taunton Deane and West
# Somerset merged into Somerset West and Taunton on 1 April 2019 (The Somerset West and Taunton
# (Local Government Changes) Order 2018), which became part of Somerset (E06000066) in 2023.
SKIPPED_STEPS = {"E07000190": "E07000246", "E07000191": "E07000246"}


def history() -> None:
    """Archived local authority codes and their successors."""
    with (HERE / "LAD19_CTRY19_UK_lookup_Apr2019.csv").open(encoding="utf-8", newline="") as f:
        live_in_2019 = {row["LAD19CD"] for row in csv.DictReader(f)}
    with (HERE / "la_all_codes.csv").open(encoding="utf-8", newline="") as f:
        rows = [
            row
            for row in csv.DictReader(f)
            if row["Current"] == "FALSE" and row["LADCD"] not in live_in_2019
        ]
    for row in rows:
        row["LADCD_ACTIVE"] = SKIPPED_STEPS.get(row["LADCD"], row["LADCD_ACTIVE"])
    # Any other successor outside the 2019 geography: a step we cannot restore (ISSUES.md).
    rows = [row for row in rows if row["LADCD_ACTIVE"] in live_in_2019]
    with (HERE / "la_code_history.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["LADCD", "LADNM", "LADCD_ACTIVE"])
        writer.writerows([row["LADCD"], row["LADNM"], row["LADCD_ACTIVE"]] for row in rows)


def historic_wards() -> None:
    """Wards that were replaced before the December 2019 lookup."""
    with (HERE / "WD19_LAD19_UK_lookup_Dec2019.csv").open(encoding="utf-8", newline="") as f:
        live = {row["WD19CD"] for row in csv.DictReader(f)}
    with (HERE / "LAD19_CTRY19_UK_lookup_Apr2019.csv").open(encoding="utf-8", newline="") as f:
        authorities = {row["LAD19CD"] for row in csv.DictReader(f)}
    with (HERE / "la_code_history.csv").open(encoding="utf-8", newline="") as f:
        authorities |= {row["LADCD"] for row in csv.DictReader(f)}
    found: dict[str, tuple[str, str, str]] = {}
    with (HERE / "ward_all_codes.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["WDCD"]
            if code in live or code in found or int(row["SOURCEFILE"]) > 2019:
                continue
            # A ward of an authority left out of the code history (ISSUES.md 3) is left out too.
            if row["LADCD"] in authorities:
                found[code] = (code, row["WDNM"], row["LADCD"])
    with (HERE / "historic_wards.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["WDCD", "WDNM", "LADCD"])
        writer.writerows(sorted(found.values()))


def lsoa_msoa() -> None:
    """Which MSOA each LSOA of England and Wales lies in."""
    source = HERE / "OA11_LSOA11_MSOA11_LAD17_classifications_GB_Dec2017.csv.gz"
    pairs: dict[str, str] = {}
    with gzip.open(source, "rt", encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            if row["LSOA11CD"][:1] in ("E", "W"):
                pairs.setdefault(row["LSOA11CD"], row["MSOA11CD"])
    with (HERE / "lsoa_msoa.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["LSOA11CD", "MSOA11CD"])
        writer.writerows(sorted(pairs.items()))


def scottish_areas() -> None:
    """Every Scottish country, council area and ward code of the 2019 geography."""
    codes: set[str] = set()
    for name, column in (
        ("countries.csv", "CTRY19CD"),
        ("LAD19_CTRY19_UK_lookup_Apr2019.csv", "LAD19CD"),
        ("la_code_history.csv", "LADCD"),
        ("WD19_LAD19_UK_lookup_Dec2019.csv", "WD19CD"),
        ("historic_wards.csv", "WDCD"),
    ):
        with (HERE / name).open(encoding="utf-8", newline="") as f:
            codes |= {row[column] for row in csv.DictReader(f) if row[column].startswith("S")}
    with (HERE / "scottish_areas.csv").open("w", encoding="utf-8", newline="") as f:
        f.write("code\n" + "".join(f"{code}\n" for code in sorted(codes)))


def _ring(points: list[list[float]]) -> str:
    return "(" + ", ".join(f"{x} {y}" for x, y, *_ in points) + ")"


def wkt(geometry: dict[str, object]) -> str:
    """A GeoJSON Polygon or MultiPolygon as WKT (the coordinates are already lon/lat, CRS84).

    >>> wkt({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]})
    'POLYGON ((0 0, 1 0, 1 1, 0 0))'
    """
    kind, coordinates = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return "POLYGON (" + ", ".join(_ring(r) for r in coordinates) + ")"  # type: ignore[attr-defined]
    if kind == "MultiPolygon":
        polygons = ("(" + ", ".join(_ring(r) for r in p) + ")" for p in coordinates)  # type: ignore[attr-defined]
        return "MULTIPOLYGON (" + ", ".join(polygons) + ")"
    raise ValueError(f"unsupported geometry type {kind!r}")


def boundaries(source: str, target: str, code: str, name: str) -> None:
    """The areas of a GeoJSON file of ONS boundaries, with their boundaries and centroids,
    as a CSV of WKT; ``code`` and ``name`` are the properties naming each area."""
    features = json.loads((HERE / source).read_text(encoding="utf-8"))["features"]
    with (HERE / target).open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow([code, name, "boundary", "centroid"])
        for feature in sorted(features, key=lambda item: item["properties"][code]):
            props = feature["properties"]
            centroid = f"POINT ({props['LONG']} {props['LAT']})"
            writer.writerow([props[code], props[name], wkt(feature["geometry"]), centroid])


def data_zone_centroids() -> None:
    """Scotland's data zone centroids as WKT points."""
    with (HERE / "lsoa_latlong.csv").open(encoding="utf-8", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["LSOACD"].startswith("S01")]
    with (HERE / "data_zone_centroids.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["DZ11CD", "centroid"])
        for row in sorted(rows, key=lambda item: item["LSOACD"]):
            writer.writerow([row["LSOACD"], f"POINT ({row['longitude']} {row['latitude']})"])


if __name__ == "__main__":
    countries()
    history()
    historic_wards()
    lsoa_msoa()
    scottish_areas()
    boundaries(
        "ward_S12000049_Glasgow_City.geojson", "glasgow_ward_boundaries.csv", "WD25CD", "WD25NM"
    )
    boundaries(
        "ward_E08000003_Manchester.geojson", "manchester_ward_boundaries.csv", "WD25CD", "WD25NM"
    )
    boundaries(
        "lsoa11_E08000003_Manchester.geojson",
        "manchester_lsoa_boundaries.csv",
        "LSOA11CD",
        "LSOA11NM",
    )
    data_zone_centroids()
