"""``odc new cube`` and ``odc new table``: a starting mapping guessed from a CSV, which
publishes as written."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.cli import main
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT

AREAS = [
    ("E92000001", "England", "Country"),
    ("E12000001", "North East", "Region"),
    ("E06000001", "Hartlepool", "Unitary authority"),
    ("E06000002", "Middlesbrough", "Unitary authority"),
]
AGES = [str(age) for age in range(90)] + ["90+"]


#: The areas the tables below name, published beside them: a cube's links must land.
PUBLISHED_AREAS = [
    *(code for code, _, _ in AREAS),
    *("E06000005", "S12000033", "S12000034"),
]


def _areas(project: Path) -> None:
    """A reference dataset holding every area the tests' tables name."""
    rows = [["code"], *([code] for code in PUBLISHED_AREAS)]
    _write_csv(project / "data" / "areas.csv", rows)
    mapping = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "../data/areas.csv",
        "dc:title": "Areas",
        "tableSchema": {
            "aboutUrl": BASE + "/id/statistical-geography/{code}",
            "columns": [{"name": "code", "titles": "code", "propertyUrl": "skos:notation"}],
            "primaryKey": "code",
        },
    }
    (project / "mappings" / "areas.json").write_text(json.dumps(mapping), encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new project (the repository's shapes and ontologies, and the areas its tables
    name) as the working folder."""
    for folder in ("shapes", "ontologies"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    for folder in ("data", "mappings"):
        (tmp_path / folder).mkdir()
    _areas(tmp_path)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ODC_STORE_DIR", str(tmp_path / "var" / "store"))
    return tmp_path


def _write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _population(path: Path) -> Path:
    """Population by area (a country, a region and two authorities: totals mixed in) and
    single year of age, for two years; one suppressed cell."""
    rows = [["Code", "Name", "Geography", "Year", "All ages", *AGES]]
    for code, name, level in AREAS:
        for year in ("2019", "2020"):
            cells = [str(1000 + 10 * age) for age in range(len(AGES))]
            if code == "E06000002" and year == "2020":
                cells[5] = "*"
            total = sum(int(c) for c in cells if c != "*")
            rows.append([code, name, level, year, f"{total:,}", *cells])
    return _write_csv(path, rows)


def _store(project: Path) -> pyoxigraph.Store:
    release = ReleaseRoot(project / "var" / "store").current_path()
    assert release is not None
    return pyoxigraph.Store.read_only(str(release))


def _ask(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    prefixes = (
        "PREFIX qb: <http://purl.org/linked-data/cube#> "
        "PREFIX sdmx: <http://purl.org/linked-data/sdmx/2009/attribute#> "
        "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> "
    )
    solutions = store.query(prefixes + query, use_default_graph_as_union=True)
    return [tuple(term.value for term in row) for row in solutions]  # type: ignore[union-attr]


def test_wide_population_by_age_publishes_as_written(project: Path) -> None:
    """The publisher's table: `odc new cube` then `odc publish`, with no edit, gives one
    observation per area, year and age; the suppressed cell is there with its status."""
    _population(project / "data" / "population.csv")
    assert main(["new", "cube", "data/population.csv"]) == 0
    description = json.loads((project / "mappings" / "population.cube.json").read_text())
    assert description["csv"] == "../data/population.csv"
    assert description["observations"]["dimension"] == "age"
    assert len(json.dumps(description["observations"])) < 400  # one pattern, not 91 entries
    guesses = [*description["dimensions"], *description["measures"], description["observations"]]
    assert all(guess["//"] for guess in guesses)  # a note on every guess
    assert "'All ages' (not matched by the pattern" in description["//"]
    assert "'Name' (one value per area" in description["//"]
    assert main(["publish", "--workers", "0"]) == 0
    store = _store(project)
    count = _ask(store, "SELECT (COUNT(*) AS ?n) { ?o a qb:Observation }")
    assert count == [(str(len(AREAS) * 2 * len(AGES)),)]
    observation = f"{BASE}/data/population/E06000002/year/2020/5/value"
    status = _ask(store, f"SELECT ?s {{ <{observation}> sdmx:obsStatus ?s }}")
    assert status == [(f"{BASE}/def/concept/observation-status/suppressed",)]
    oldest = f"{BASE}/data/population/E92000001/year/2019/90-plus/value"
    value = _ask(store, f"SELECT ?v {{ <{oldest}> ?p ?v FILTER(datatype(?v) = xsd:integer) }}")
    assert value == [("1900",)]


def test_areas_of_several_levels_make_a_totals_guess(project: Path) -> None:
    """England beside two authorities: the country's rows are guessed to be totals, with a
    note naming the levels, and are published marked as such."""
    _population(project / "data" / "population.csv")
    assert main(["new", "cube", "data/population.csv"]) == 0
    description = json.loads((project / "mappings" / "population.cube.json").read_text())
    [rule] = description["totals"]
    assert rule["level"] == "country"
    assert rule["//"].startswith(
        "the areas of 'Code' are of 2 geography levels (2 local authorities, 1 country): the "
        "rows of each country (E92000001) are taken for totals of the 2 local authorities."
    )
    assert main(["publish", "--workers", "0"]) == 0
    marked = _ask(
        _store(project),
        f"SELECT DISTINCT ?a {{ ?o <{BASE}/def/attribute/total> true ; "
        "<http://purl.org/linked-data/sdmx/2009/dimension#refArea> ?a }",
    )
    assert marked == [(f"{BASE}/id/statistical-geography/E92000001",)]


def test_an_existing_mapping_is_never_overwritten(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second `odc new cube` stops with one line and leaves the edited file alone."""
    _population(project / "data" / "population.csv")
    target = project / "mappings" / "population.cube.json"
    target.write_text("edited")
    assert main(["new", "cube", "data/population.csv"]) == 1
    assert capsys.readouterr().err == (
        "error: mappings/population.cube.json already exists: not overwritten "
        "(move it away, or write elsewhere with -o)\n"
    )
    assert target.read_text() == "edited"


def test_nomis_headers_become_one_pattern(project: Path) -> None:
    """A Nomis Census table: its value headers make the pattern, their common lead names the
    dimension, levels make the hierarchy; constant and per-area columns are left out."""
    lead = "Tenure: {}; measures: Value"
    tenures = ["All categories: Tenure", "Owned: Total", "Owned: Owned outright", "Rented"]
    rows = [["date", "geography", "geography code", "Rural Urban", *map(lead.format, tenures)]]
    rows += [["2011", "Hartlepool", "E06000001", "Total", "40", "25", "10", "15"]]
    rows += [["2011", "Darlington", "E06000005", "Total", "50", "30", "20", "20"]]
    _write_csv(project / "data" / "tenure.csv", rows)
    assert main(["new", "cube", "data/tenure.csv", "-o", "mappings/tenure.cube.json"]) == 0
    description = json.loads((project / "mappings" / "tenure.cube.json").read_text())
    assert description["observations"] == {
        "//": description["observations"]["//"],
        "pattern": "^Tenure: (?P<path>.+); measures: Value$",
        "dimension": "tenure",
    }
    assert [d["name"] for d in description["dimensions"]] == ["refPeriod", "refArea", "tenure"]
    assert "'Rural Urban' (the same in every row)" in description["//"]
    assert "'geography' (one value per area" in description["//"]
    assert main(["publish", "--workers", "0"]) == 0
    broader = _ask(
        _store(project),
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?b {{ <{BASE}/def/concept/tenure/tenure/owned-owned-outright> skos:broader ?b }}",
    )
    assert broader == [(f"{BASE}/def/concept/tenure/tenure/owned",)]


def test_one_value_column_is_tidy_with_its_markers(project: Path) -> None:
    """Quarters, a text column of codes and one value column with `..` and empty cells:
    the tidy layout, a decimal measure, both markers found; it publishes."""
    rows = [["Area code", "Quarter", "Sex", "Rate"]]
    for area in ("S12000033", "S12000034"):
        for quarter in ("2017-Q1", "2017 Q2"):
            rows += [[area, quarter, "Male", "7.5"], [area, quarter, "Female", ".."]]
    rows[-1][-1] = ""
    _write_csv(project / "data" / "rates.csv", rows)
    assert main(["new", "cube", "data/rates.csv"]) == 0
    description = json.loads((project / "mappings" / "rates.cube.json").read_text())
    assert description["observations"]["value"] == "Rate"
    assert description["missing"] == ["", ".."]
    assert [(m["name"], m["datatype"]) for m in description["measures"]] == [("rate", "decimal")]
    dimensions = [(d["name"], d.get("kind", "codes")) for d in description["dimensions"]]
    assert dimensions == [("refArea", "area"), ("refPeriod", "period"), ("sex", "codes")]
    assert main(["publish", "--workers", "0"]) == 0
    count = _ask(_store(project), "SELECT (COUNT(*) AS ?n) { ?o a qb:Observation }")
    assert count == [("8",)]


def test_a_column_per_year_is_the_period(project: Path) -> None:
    """Value columns headed by years are the periods: a `columns` entry each."""
    rows = [["Code", "2018", "2019", "2020"], ["E06000001", "1", "2", "3"]]
    _write_csv(project / "data" / "yearly.csv", rows)
    assert main(["new", "cube", "data/yearly.csv"]) == 0
    description = json.loads((project / "mappings" / "yearly.cube.json").read_text())
    columns = description["observations"]["columns"]
    assert [c["codes"] for c in columns] == [{"refPeriod": y} for y in ("2018", "2019", "2020")]
    assert main(["publish", "--workers", "0"]) == 0
    count = _ask(_store(project), "SELECT (COUNT(*) AS ?n) { ?o a qb:Observation }")
    assert count == [("3",)]


def test_a_table_without_numbers_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No column of numbers: no cube, one clear line, no file."""
    _write_csv(project / "data" / "names.csv", [["Code", "Name"], ["E06000001", "Hartlepool"]])
    assert main(["new", "cube", "data/names.csv"]) == 1
    assert capsys.readouterr().err == (
        "error: data/names.csv: no column of numbers found in the first rows: a cube needs values\n"
    )
    assert sorted(path.name for path in (project / "mappings").iterdir()) == ["areas.json"]


def test_new_table_maps_without_warnings_and_publishes(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`odc new table`: CSVW metadata keyed by the area code, numbers with `,` and `*`
    read; the notes are comments CSVW allows (no warning), and it publishes."""
    rows = [["Code", "Name", "Households"], ["E06000001", "Hartlepool", "41,204"]]
    rows += [["E06000002", "Middlesbrough", "*"]]
    _write_csv(project / "data" / "households.csv", rows)
    assert main(["new", "table", "data/households.csv"]) == 0
    capsys.readouterr()
    assert main(["map", "mappings/households.json", "--strict", "--minimal"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    area = f"<{BASE}/id/statistical-geography/E06000001>"
    households = f"<{BASE}/def/households/households>"
    assert f'{area} {households} "41204"^^<http://www.w3.org/2001/XMLSchema#integer> .' in out
    assert main(["publish", "--workers", "0"]) == 0
    names = _ask(_store(project), f"SELECT ?n {{ ?a <{BASE}/def/households/name> ?n }}")
    assert sorted(names) == [("Hartlepool",), ("Middlesbrough",)]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "error: data/x.csv: cannot read the CSV: No such file or directory\n"),
        (b"", "error: data/x.csv:1: the CSV has no header row\n"),
        (
            b"Code,Caf\xe9\nE06000001,1\n",
            "error: data/x.csv: not UTF-8 (byte 0xe9 at offset 8): save the CSV as UTF-8\n",
        ),
        (b"Code,,n\nE06000001,a,1\n", "error: data/x.csv:1:2: a column has no header\n"),
        (b"Code,n,n\nE06000001,1,1\n", "error: data/x.csv:1:n: two columns have this header\n"),
    ],
)
def test_an_unreadable_csv_is_one_clear_line(
    project: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, message: str
) -> None:
    """A missing, empty or non-UTF-8 CSV, or a header that cannot name the columns: one
    line, no traceback, no file written."""
    if content is not None:
        (project / "data" / "x.csv").write_bytes(content)
    assert main(["new", "cube", "data/x.csv"]) == 1
    assert capsys.readouterr().err == message
    assert sorted(path.name for path in (project / "mappings").iterdir()) == ["areas.json"]


def test_new_table_without_a_key_numbers_its_rows(project: Path) -> None:
    """No column holds one area code per row: each row is `/id/{dataset}/{row}`, linked to
    its area; numbers are typed, markers are nulls; it publishes as written."""
    rows = [["Area", "Year", "Rate"], ["E06000001", "2019", "7.5"], ["E06000001", "2020", ".."]]
    _write_csv(project / "data" / "rates.csv", rows)
    assert main(["new", "table", "data/rates.csv", "-o", "mappings/rates.json"]) == 0
    metadata = json.loads((project / "mappings" / "rates.json").read_text())
    schema = metadata["tables"][0]["tableSchema"]
    assert schema["aboutUrl"] == f"{BASE}/id/rates/{{_row}}"
    assert [c["datatype"] for c in schema["columns"]][2] == "decimal"
    assert schema["columns"][2]["null"] == [".."]
    assert main(["publish", "--workers", "0"]) == 0
    rates = _ask(_store(project), f"SELECT ?s ?r {{ ?s <{BASE}/def/rates/rate> ?r }}")
    assert rates == [(f"{BASE}/id/rates/1", "7.5")]
    area = _ask(_store(project), f"SELECT ?a {{ <{BASE}/id/rates/2> <{BASE}/def/rates/area> ?a }}")
    assert area == [(f"{BASE}/id/statistical-geography/E06000001",)]
