"""Real UK open data through ``odc map``: the quirks publishers meet, and the errors they get.

IoD 2019 File 1 (MHCLG) has a byte-order mark, CRLF line ends, header cells with commas and
ranks written ``"29,199"``; SIMD 2020v2 (Scottish Government) marks suppressed cells ``*``,
writes percentages as ``"8%"`` and has ``n/a`` in one column. Bad-input cases are real rows
with one fault each.
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.cli import main
from tests.plugins.project import BASE, ROOT

FIXTURES = ROOT / "tests" / "data" / "csvw"
DATA = ROOT / "data"
GEO = f"{BASE}/id/statistical-geography/"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _map(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["map", *args])
    out, err = capsys.readouterr()
    return status, out, err


def _values(out: str) -> dict[tuple[str, str], pyoxigraph.Literal | pyoxigraph.NamedNode]:
    graph = pyoxigraph.parse(out.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {
        (q.subject.value, q.predicate.value): q.object  # type: ignore[misc]
        for q in graph
    }


def test_iod_file_1_maps_every_lsoa_with_typed_ranks(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _map(capsys, str(FIXTURES / "iod2019-imd.json"), "--strict", "--minimal")
    assert status == 0, err
    assert "warning" not in err  # the BOM does not leak into the first title
    values = _values(out)
    source = DATA / "england-iod2019" / "File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv"
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    assert sum(1 for _, p in values if p.endswith("core#notation")) == len(rows) == 32844
    for row in rows[::997]:
        subject = GEO + row[0]
        rank = values[(subject, f"{BASE}/def/iod/imdRank")]
        assert isinstance(rank, pyoxigraph.Literal)
        assert rank.value == row[4].replace(",", "") and rank.datatype.value == XSD + "integer"
        label = values[(subject, "http://www.w3.org/2000/01/rdf-schema#label")]
        assert label == pyoxigraph.Literal(row[1], language="en")
        parent = values[(subject, f"{BASE}/def/geography/parent")]
        assert parent == pyoxigraph.NamedNode(GEO + row[2])
    first = values[(GEO + "E01000001", f"{BASE}/def/iod/imdRank")]
    assert first == pyoxigraph.Literal("29199", datatype=pyoxigraph.NamedNode(XSD + "integer"))


def test_simd_suppressed_cells_and_percentages(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _map(capsys, str(FIXTURES / "simd2020v2.json"), "--strict", "--minimal")
    assert status == 0, err
    values = _values(out)
    with (DATA / "scotland" / "simd2020v2_withinds_by_datazone.csv").open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len({s for s, _ in values}) == len(rows) == 6976
    suppressed = [r for r in rows if r["Attendance"] == "*"]
    assert len(suppressed) == 565
    for row in suppressed[:50]:
        assert (GEO + row["Data_Zone"], f"{BASE}/def/simd/attendance") not in values
    for row in rows[::701]:
        rate = values[(GEO + row["Data_Zone"], f"{BASE}/def/simd/income_rate")]
        assert isinstance(rate, pyoxigraph.Literal) and rate.datatype.value == XSD + "decimal"
        assert Decimal(rate.value) == Decimal(row["income_rate"].rstrip("%")) / 100
    culter = values[(GEO + "S01006506", f"{BASE}/def/simd/income_rate")]
    assert culter == pyoxigraph.Literal("0.08", datatype=pyoxigraph.NamedNode(XSD + "decimal"))


BAD_INPUTS = [
    pytest.param(
        "imd-ragged",
        "imd-ragged.csv:4:Index of Multiple Deprivation (IMD) Decile "
        '(column "Index of Multiple Deprivation (IMD) Decile", the 6th): '
        "the row has 5 cells but the table has 6 columns\n",
        id="ragged-row",
    ),
    pytest.param(
        "gcc-catalogue-bad-date",
        'gcc-catalogue-bad-date.csv:4:DateUpdated (column "DateUpdated", the 3rd): '
        "expected an XSD date",
        id="bad-date",
    ),
    pytest.param(
        "simd-na-sample",
        'simd-na-sample.csv:3:Attainment (column "Attainment", the 30th): '
        "expected a decimal (value 'n/a')",
        id="non-numeric",
    ),
]


@pytest.mark.parametrize(("name", "message"), BAD_INPUTS)
def test_bad_input_is_an_error_naming_file_row_column_and_value(
    name: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.nt"
    status, _, err = _map(capsys, str(FIXTURES / f"{name}.json"), "--strict", "-o", str(target))
    assert status == 1
    assert err.startswith("error: ") and message in err
    assert not target.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("name", "message"), BAD_INPUTS)
def test_bad_input_is_a_warning_by_default(
    name: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _map(capsys, str(FIXTURES / f"{name}.json"), "--minimal")
    assert status == 0 and out
    assert err.startswith("warning: ") and message in err


def test_good_sample_of_the_same_data_maps_cleanly(capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("imd-head", "gcc-catalogue-sample"):
        status, out, err = _map(capsys, str(FIXTURES / f"{name}.json"), "--strict", "--minimal")
        assert status == 0 and out and err == "", err
