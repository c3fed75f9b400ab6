"""Every bundled cube, published for real by ``odc publish`` (so each has passed IC-1..21 and
the shapes): observation counts, values against the source CSV cells, and missing values as
documented, on the release of all the bundled data (about 7 M triples of statistics, and the
reference geography their observations link to) that the whole-site tests serve."""

from __future__ import annotations

import csv
from typing import NamedTuple

import pytest
from pyoxigraph import Literal, NamedNode, Store

from opendatacommunities.publish.pipeline import Outcome
from opendatacommunities.store import ReleaseRoot
from tests.plugins.bundled import Bundled
from tests.plugins.project import ROOT

# Reads the release of every bundled dataset, published once per run on the worker that
# runs the group.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("bundled")]

QB = "http://purl.org/linked-data/cube#"
DATA = ROOT / "data"
# Rows of the source x value columns: one observation per cell, none dropped.
EXPECTED = {
    "simd2020": 6_976 * 46,
    "iod2019-domains": 32_844 * 16,
    "iod2019-population": 32_844 * 5,
    "census2011-tenure": 348 * 14,
    "census2011-accommodation": 348 * 12,
    "census2011-household-type": 348 * 12,
    "sg-employment": 384,
    # The ward-level summaries of data/derived/: measures x wards, deciles x wards.
    "simd2020-glasgow-wards": 6 * 23,
    "simd2020-glasgow-ward-deciles": 10 * 23,
    "iod2019-manchester-wards": 6 * 32,
    "iod2019-manchester-ward-deciles": 10 * 32,
}


class Published(NamedTuple):
    outcome: Outcome
    store: Store
    base: str
    """The base of the published IRIs (the test server's address)."""


@pytest.fixture(scope="module")
def published(bundled: Bundled) -> Published:
    """All bundled data, published once for the session's whole-site tests: the cubes, and
    the areas their observations name (a cube's links must land)."""
    path = ReleaseRoot(bundled.store_dir).current_path()
    assert path is not None
    return Published(bundled.outcome, Store.read_only(str(path)), bundled.url)


def _value(store: Store, observation: str, measure: str) -> Literal:
    found = list(store.quads_for_pattern(NamedNode(observation), NamedNode(measure), None, None))
    assert len(found) == 1, observation
    value = found[0].object
    assert isinstance(value, Literal)
    return value


def test_every_cube_has_one_observation_per_cell(published: Published) -> None:
    """Each cube's observations number its source's value cells."""
    store = published.store
    query = f"""SELECT ?dataset (COUNT(?obs) AS ?n) WHERE {{ GRAPH ?g {{
      ?obs a <{QB}Observation> ; <{QB}dataSet> ?dataset }} }} GROUP BY ?dataset"""
    counts = {
        row["dataset"].value.rsplit("/", 1)[1]: int(row["n"].value) for row in store.query(query)
    }  # type: ignore[index,union-attr]
    assert counts == EXPECTED


def test_iod_values_equal_the_source(published: Published) -> None:
    """Sampled IoD ranks and deciles are the CSV's cells."""
    store, base = published.store, published.base
    path = DATA / "england-iod2019" / "File_2_-_IoD2019_Domains_of_Deprivation.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows[::4_000]:
        lsoa = row["LSOA code (2011)"]
        obs = f"{base}/data/iod2019-domains/{lsoa}/year/2019/crime/rank"
        value = _value(store, obs, f"{base}/def/measure/iod2019-domains/rank")
        assert value.value == row["Crime Rank (where 1 is most deprived)"]
        obs = (
            f"{base}/data/iod2019-domains/{lsoa}/year/2019/index-of-multiple-deprivation-imd/decile"
        )
        decile = row[
            "Index of Multiple Deprivation (IMD) Decile (where 1 is most deprived 10% of LSOAs)"
        ]
        assert _value(store, obs, f"{base}/def/measure/iod2019-domains/decile").value == decile


def test_simd_values_and_suppressed_cells(published: Published) -> None:
    """SIMD values equal the CSV (8% is 8, per cent); a suppressed '*' cell is an observation
    whose value is NaN with the status 'suppressed', counted in the catalogue."""
    outcome, store, base = published
    path = DATA / "scotland" / "simd2020v2_withinds_by_datazone.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    first = rows[0]
    obs = f"{base}/data/simd2020/{first['Data_Zone']}/year/2020/incomeRate"
    assert _value(store, obs, f"{base}/def/measure/simd2020/incomeRate").value == first[
        "income_rate"
    ].rstrip("%")
    starred = next(r for r in rows if r["crime_count"] == "*")
    obs = f"{base}/data/simd2020/{starred['Data_Zone']}/year/2020/crimeCount"
    value = _value(store, obs, f"{base}/def/measure/simd2020/crimeCount")
    assert value.value == "NaN" and value.datatype.value.endswith("#double")
    status = f"{base}/def/concept/observation-status/suppressed"
    statuses = store.quads_for_pattern(NamedNode(obs), None, NamedNode(status), None)
    assert any(statuses)
    [simd] = [p for p in outcome.published if p.dataset.name == "simd2020"]
    assert simd.omitted == {"*": 1_743, "n/a": 11, "(empty)": 23}


def test_census_hierarchy(published: Published) -> None:
    """The wide Census header path becomes a hierarchy: 'Owned outright' under 'Owned'
    under 'All', and the parts add up to the whole for a sampled authority."""
    store, base = published.store, published.base
    concept = f"{base}/def/concept/census2011-tenure/tenure/"
    broader = NamedNode("http://www.w3.org/2004/02/skos/core#broader")
    up = store.quads_for_pattern(NamedNode(concept + "owned-owned-outright"), broader, None, None)
    assert [q.object.value for q in up] == [concept + "owned"]
    households = f"{base}/def/measure/census2011-tenure/households"

    def count(code: str) -> int:
        obs = f"{base}/data/census2011-tenure/E06000005/year/2011/{code}/households"
        return int(_value(store, obs, households).value)

    assert count("owned") == count("owned-owned-outright") + count(
        "owned-owned-with-a-mortgage-or-loan"
    )
    assert count("all") == 46_670  # Darlington, as in the CSV
