"""``odc derive``: the best-fit lookups and the ward-level summaries, as CSVs under
``data/derived/``, from the source tables under ``data/``.

Everything is computed before anything is written, so a bad input leaves the derived tables
as they were.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from opendatacommunities.errors import SourceError

from .aggregation import WardSummary, Zone, read_zone, summarise
from .lookups import Checked, centroid_wards, check_best_fit, read_boundaries, read_centroids
from .sources import rows

# The data zone lookup (December 2017) gives Glasgow City its code before the February 2018
# recoding (S12000046); the new code is accepted too, so that a newer lookup reads as well.
GLASGOW = ("S12000046", "S12000049")
MANCHESTER = "E08000003"
SIMD = "scotland/simd2020v2_withinds_by_datazone.csv"
IMD = "england-iod2019/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
IMD_POPULATION = "england-iod2019/File_6_-_IoD2019_Population_Denominators.csv"
LSOA_CODE = "LSOA code (2011)"
LSOA_AUTHORITY = "Local Authority District code (2019)"
#: Every source file the derived tables are made from, relative to the data folder (the
#: Makefile re-derives when one is newer than the derived tables).
DATA_ZONES = "geography/DZ11_IZ11_LAD17_lookup_Scotland_derived.csv"
CENTROIDS = "geography/lsoa_latlong.csv"
GLASGOW_WARDS = "geography/ward_S12000049_Glasgow_City.geojson"
BEST_FIT = "geography/LSOA11_WD19_LAD19_EW_lookup_Dec2019.csv"
MANCHESTER_WARDS = "geography/ward_E08000003_Manchester.geojson"
MANCHESTER_LSOAS = "geography/lsoa11_E08000003_Manchester.geojson"
INPUTS = (
    DATA_ZONES,
    CENTROIDS,
    GLASGOW_WARDS,
    BEST_FIT,
    MANCHESTER_WARDS,
    MANCHESTER_LSOAS,
    SIMD,
    IMD,
    IMD_POPULATION,
)


@dataclass(frozen=True)
class Derived:
    """What ``derive`` computed: the lookups and the summaries."""

    data_zones: dict[str, str]
    """Glasgow data zone -> ward, by centroid in boundary."""
    lsoas: list[Checked]
    """Manchester LSOA -> best-fit ward, with the ward by polygon centroid."""
    glasgow: list[WardSummary]
    manchester: list[WardSummary]

    @property
    def disagreements(self) -> list[Checked]:
        """The LSOAs whose best-fit ward is not the ward containing their centroid."""
        return [item for item in self.lsoas if not item.agrees]


def glasgow_data_zones(data: Path) -> list[str]:
    """The data zones whose council area is Glasgow City in the data zone lookup."""
    source = rows(data / DATA_ZONES, ("DZ11CD", "LAD17CD"))
    return [row.text("DZ11CD") for row in source if row.text("LAD17CD") in GLASGOW]


def data_zone_wards(data: Path) -> dict[str, str]:
    """Glasgow's data zones -> Glasgow wards, by centroid in ward boundary."""
    wards = read_boundaries(data / GLASGOW_WARDS, "WD25CD", "WD25NM")
    centroids = read_centroids(data / CENTROIDS, glasgow_data_zones(data))
    return centroid_wards(centroids, wards)


def lsoa_wards(data: Path) -> list[Checked]:
    """Manchester's LSOAs -> wards by the ONS best-fit lookup, checked against the boundaries."""
    best_fit = {
        row.text("LSOA11CD"): row.text("WD19CD")
        for row in rows(data / BEST_FIT, ("LSOA11CD", "WD19CD", "LAD19CD"))
        if row.text("LAD19CD") == MANCHESTER
    }
    wards = read_boundaries(data / MANCHESTER_WARDS, "WD25CD", "WD25NM")
    areas = read_boundaries(data / MANCHESTER_LSOAS, "LSOA11CD", "LSOA11NM")
    checked = check_best_fit(best_fit, areas, wards)
    unbounded = sorted(set(best_fit) - {item.code for item in checked})
    if unbounded:
        raise SourceError(
            "this LSOA of the best-fit lookup has no boundary",
            file=str(data / MANCHESTER_LSOAS),
            column="LSOA11CD",
            value=unbounded[0],
        )
    return checked


def simd_zones(data: Path, lookup: dict[str, str]) -> list[Zone]:
    """The SIMD 2020 decile and population of each data zone of ``lookup``.

    :raises SourceError: a Glasgow City row the lookup lacks, or a data zone of the lookup
        that SIMD lacks.
    """
    zones = []
    for row in rows(data / SIMD, ("Data_Zone", "Council_area", "SIMD2020v2_Decile")):
        code = row.text("Data_Zone")
        if code not in lookup:
            if row.text("Council_area") == "Glasgow City":
                raise row.fail("Data_Zone", "a Glasgow City data zone with no ward in the lookup")
            continue
        population = row.whole_number("Total_population")
        zones.append(read_zone(row, "Data_Zone", "SIMD2020v2_Decile", population))
    _all_found(data / SIMD, "Data_Zone", lookup, (zone.code for zone in zones))
    return zones


def imd_zones(data: Path, lookup: dict[str, str]) -> list[Zone]:
    """The IMD 2019 decile and mid-2015 population of each LSOA of ``lookup``.

    :raises SourceError: a Manchester row the lookup lacks, or an LSOA of the lookup that
        File 1 or File 6 lacks.
    """
    population: dict[str, int] = {}
    for row in rows(data / IMD_POPULATION, (LSOA_CODE, LSOA_AUTHORITY)):
        if row.text(LSOA_CODE) in lookup:
            total = row.whole_number("Total population: mid 2015 (excluding prisoners)")
            population[row.text(LSOA_CODE)] = total
    _all_found(data / IMD_POPULATION, LSOA_CODE, lookup, population)
    zones = []
    for row in rows(data / IMD, (LSOA_CODE, LSOA_AUTHORITY)):
        code = row.text(LSOA_CODE)
        if code not in lookup:
            if row.text(LSOA_AUTHORITY) == MANCHESTER:
                raise row.fail(LSOA_CODE, "a Manchester LSOA with no ward in the lookup")
            continue
        decile = "Index of Multiple Deprivation (IMD) Decile"
        zones.append(read_zone(row, LSOA_CODE, decile, population[code]))
    _all_found(data / IMD, LSOA_CODE, lookup, (zone.code for zone in zones))
    return zones


def _all_found(path: Path, column: str, lookup: dict[str, str], found: Iterable[str]) -> None:
    """Stop when an area of the lookup has no row in the table at ``path``."""
    missing = sorted(set(lookup) - set(found))
    if missing:
        message = f"no row for {len(missing)} area(s) of the lookup"
        raise SourceError(message, file=str(path), column=column, value=missing[0])


def derive(data: Path) -> Derived:
    """Compute the lookups and summaries from the sources under ``data``."""
    zones = data_zone_wards(data)
    lsoas = lsoa_wards(data)
    best_fit = {item.code: item.best_fit for item in lsoas}
    glasgow = summarise(zones, simd_zones(data, zones))
    manchester = summarise(best_fit, imd_zones(data, best_fit))
    return Derived(zones, lsoas, glasgow, manchester)
