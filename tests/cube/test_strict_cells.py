"""A cube's cells are read by the CSVW and XML Schema rules through ``odc publish``: a bad
cell or a ragged row stops the publish with one line naming the source CSV, its row and
column, never a traceback and never an internal build file."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import NamedNode

from opendatacommunities.cli import main
from opendatacommunities.config import Settings
from opendatacommunities.errors import SourceError
from opendatacommunities.publish.datasets import Dataset
from opendatacommunities.publish.mapping import map_cube
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT

FIXTURE = ROOT / "tests" / "data" / "cube-broken"
GOOD = (FIXTURE / "employment.csv").read_text()
COUNT = "S12000049,2017-Q1,Female,Count,20700"  # row 2, an integer measure
RATE = "S12000049,2017-Q1,Female,Rate,71.2"  # row 4, a decimal measure
MEASURE = f"{BASE}/def/measure/employment/"


def _layout(tmp_path: Path, csv_text: str, cube: dict[str, object] | None = None) -> Layout:
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    if cube is None:
        shutil.copy(FIXTURE / "employment.cube.json", mappings)
    else:
        (mappings / "employment.cube.json").write_text(json.dumps(cube))
    (mappings / "employment.csv").write_text(csv_text)
    for name in ("glasgow.json", "glasgow.csv"):  # the area the cube's observations name
        shutil.copy(FIXTURE / name, mappings)
    return Layout(
        mappings=mappings,
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=tmp_path / "build",
    )


def _refused(tmp_path: Path, csv_text: str) -> str:
    """The one-line error of publishing ``csv_text``, with the source path cut to its name."""
    layout = _layout(tmp_path, csv_text)
    with pytest.raises(SourceError) as error:
        publish(Settings(store_dir=tmp_path / "store"), layout, workers=0)
    assert ReleaseRoot(tmp_path / "store").pointer() is None  # nothing published
    text = str(error.value)
    assert "\n" not in text
    return text.replace(str(layout.mappings) + "/", "")


def _published_value(tmp_path: Path, csv_text: str, observation: str, measure: str) -> str:
    layout = _layout(tmp_path, csv_text)
    publish(Settings(store_dir=tmp_path / "store"), layout, workers=0)
    store = ReleaseRoot(tmp_path / "store").open_current_read_only().store
    subject = NamedNode(f"{BASE}/data/employment/{observation}")
    [quad] = store.quads_for_pattern(subject, NamedNode(MEASURE + measure), None, None)
    return quad.object.value


def test_a_row_missing_its_last_cell(tmp_path: Path) -> None:
    """A row with too few cells names its first missing cell (it was an AttributeError)."""
    text = _refused(tmp_path, GOOD + "S12000049,2017-Q3,Male,Count\n")
    assert text == (
        'employment.csv:10:Value (column "Value", the 5th): '
        "the row has 4 cells but the header has 5 columns"
    )


def test_a_row_with_an_extra_cell(tmp_path: Path) -> None:
    """A row with a cell beyond the header is refused, not published without it."""
    text = _refused(tmp_path, GOOD + "S12000049,2017-Q3,Male,Count,5,6\n")
    assert text == (
        "employment.csv:10:6 (the 6th column, which has no header): "
        "the row has 6 cells but the header has 5 columns (value '6')"
    )


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("Infinity", "expected an integer"),
        ("INF", "expected an integer, not INF"),
        ("NaN", "expected an integer, not NaN"),
        ("5%", "expected an integer, not 0.05 (a per cent sign divides by 100)"),
        ("1E3", "expected an integer, not a number with an exponent"),
        ("1e3", "expected an integer"),  # CSVW's exponent is an upper-case E
        ("1_000", "expected an integer"),
        ("\u0665", "expected an integer"),  # ARABIC-INDIC DIGIT FIVE
        ("2.5", "expected an integer, not a decimal number"),
    ],
)
def test_loose_numbers_in_an_integer_measure(tmp_path: Path, cell: str, message: str) -> None:
    """Python's int() and Decimal() take each of these; XML Schema and CSVW do not."""
    text = _refused(tmp_path, GOOD.replace(COUNT, COUNT.replace("20700", f'"{cell}"')))
    assert text == f'employment.csv:2:Value (column "Value", the 5th): {message} (value {cell!r})'


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("NaN", "expected a decimal, not NaN"),
        ("INF", "expected a decimal, not INF"),
        ("-INF", "expected a decimal, not -INF"),
        ("1E3", "expected a decimal, not a number with an exponent"),
        ("1_000.5", "expected a decimal"),
        ("\u0665.5", "expected a decimal"),
    ],
)
def test_loose_numbers_in_a_decimal_measure(tmp_path: Path, cell: str, message: str) -> None:
    """Errors name the source CSV (they named the build folder's tidy table, or crashed)."""
    text = _refused(tmp_path, GOOD.replace(RATE, RATE.replace("71.2", f'"{cell}"')))
    assert text == f'employment.csv:4:Value (column "Value", the 5th): {message} (value {cell!r})'


def test_a_per_cent_sign_divides_a_decimal_by_100(tmp_path: Path) -> None:
    """As CSVW reads it: 71.2% is 0.712."""
    csv_text = GOOD.replace(RATE, RATE.replace("71.2", "71.2%"))
    value = _published_value(tmp_path, csv_text, "S12000049/quarter/2017-Q1/female/rate", "rate")
    assert value == "0.712"


def test_a_suffix_is_the_unit_written_in_the_cell(tmp_path: Path) -> None:
    """A measure whose cells write its unit after the number (``8%`` per cent) says so."""
    cube = json.loads((FIXTURE / "employment.cube.json").read_text())
    cube["measures"][1]["suffix"] = "%"
    layout = _layout(tmp_path, GOOD.replace(RATE, RATE.replace("71.2", "71.2%")), cube)
    publish(Settings(store_dir=tmp_path / "store"), layout, workers=0)
    store = ReleaseRoot(tmp_path / "store").open_current_read_only().store
    subject = NamedNode(f"{BASE}/data/employment/S12000049/quarter/2017-Q1/female/rate")
    [quad] = store.quads_for_pattern(subject, NamedNode(MEASURE + "rate"), None, None)
    assert quad.object.value == "71.2"


def test_grouped_digits_are_read_and_irregular_grouping_warned(tmp_path: Path) -> None:
    """``1,2,3`` is 123 where ``,`` groups digits (CSVW), but worth a warning."""
    csv_text = GOOD.replace(COUNT, COUNT.replace("20700", '"20,7,00"'))
    layout = _layout(tmp_path, csv_text)
    said: list[str] = []
    publish(Settings(store_dir=tmp_path / "store"), layout, workers=0, progress=said.append)
    warning = (
        f'warning: {layout.mappings / "employment.csv"}:2:Value (column "Value", the 5th): '
        "irregular digit grouping: read as 20700 (value '20,7,00')"
    )
    assert warning in said


def test_regular_grouping_is_not_warned(tmp_path: Path) -> None:
    csv_text = GOOD.replace(COUNT, COUNT.replace("20700", '"20,700"'))
    layout = _layout(tmp_path, csv_text)
    said: list[str] = []
    publish(Settings(store_dir=tmp_path / "store"), layout, workers=0, progress=said.append)
    assert not [line for line in said if "irregular" in line]


def test_nan_in_a_double_measure_is_a_value_not_a_missing_cell(tmp_path: Path) -> None:
    """NaN is a double (XML Schema): it was taken for the missing-value marker and crashed."""
    cube = json.loads((FIXTURE / "employment.cube.json").read_text())
    cube["measures"][1]["datatype"] = "double"
    layout = _layout(tmp_path, GOOD.replace(RATE, RATE.replace("71.2", "NaN")), cube)
    outcome = publish(Settings(store_dir=tmp_path / "store"), layout, workers=0)
    assert outcome.published[0].omitted == {}


def test_the_command_prints_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``odc publish`` exits 1 with the error line and no traceback (``--debug`` shows it)."""
    _layout(tmp_path, GOOD + "S12000049,2017-Q3,Male,Count\n")
    for name in ("shapes", "ontologies"):
        (tmp_path / name).symlink_to(ROOT / name)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(tmp_path)
        patch.setenv("ODC_STORE_DIR", str(tmp_path / "store"))
        assert main(["publish", "--workers", "0"]) == 1
        err = capsys.readouterr().err
        with pytest.raises(SourceError, match="the row has 4 cells"):
            main(["--debug", "publish", "--workers", "0"])  # the traceback, for a developer
    assert "Traceback" not in err
    assert err.splitlines()[-1] == (
        f"error: {tmp_path / 'mappings' / 'employment.csv'}:10:Value "
        '(column "Value", the 5th): '
        "the row has 4 cells but the header has 5 columns"
    )


def test_bytes_not_in_the_encoding_name_their_row_and_cell(tmp_path: Path) -> None:
    """A Latin-1 byte in a UTF-8 table: its row and cell, not a UnicodeDecodeError."""
    layout = _layout(tmp_path, "")
    latin = GOOD.replace(RATE, RATE.replace("71.2", "71.2\xe9")).encode("latin-1")
    (layout.mappings / "employment.csv").write_bytes(latin)
    with pytest.raises(SourceError) as error:
        publish(Settings(store_dir=tmp_path / "store"), layout, workers=0)
    assert str(error.value).replace(str(layout.mappings) + "/", "") == (
        'employment.csv:4:Value (column "Value", the 5th): not utf-8 text (0xe9): '
        "give the file's \"encoding\" in the cube description (value '71.2\ufffd')"
    )


def _description(**changes: object) -> dict[str, object]:
    cube: dict[str, object] = json.loads((FIXTURE / "employment.cube.json").read_text())
    cube.update(changes)
    return cube


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"observations": {"value": "Amount", "measure": "Measure"}},
            "employment.csv:1:Amount: no such column",
        ),
        (
            {"observations": {"value": "Value", "measure": "Kind"}},
            "employment.csv:1:Kind: no such column",
        ),
        (
            {"observations": {"pattern": "([", "dimension": "gender"}},
            "employment.cube.json: observations.pattern: not a regular expression "
            "(unterminated character set at position 1)",
        ),
        (
            {"observations": {"pattern": "^(.*)$", "dimension": "gender"}},
            "employment.cube.json: observations.pattern: "
            "no group (?P<path>...) for the codes' path",
        ),
        (
            {"csv": "elsewhere.csv"},
            "elsewhere.csv: cannot read the table (No such file or directory)",
        ),
        (
            {"encoding": "utf-9"},
            "employment.cube.json: encoding: unknown encoding 'utf-9'",
        ),
    ],
)
def test_a_description_the_table_does_not_fit(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    """Columns that are not there, a bad header pattern or encoding: one line each (they were
    a KeyError, a re.error and a LookupError)."""
    layout = _layout(tmp_path, GOOD, _description(**changes))
    with pytest.raises(SourceError) as error:
        publish(Settings(store_dir=tmp_path / "store"), layout, workers=0)
    assert str(error.value).replace(str(layout.mappings) + "/", "") == message


CELLS = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        [
            *("S12000049", "2017-Q1", "Female", "Male", "Count", "Rate", "1", "2.5", "", "*"),
            *("NaN", "INF", "1,0", "5%", "\u0665", "2017", "S1200004", '"', "\n"),
        ]
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(CELLS, max_size=7), max_size=4),
    header=st.booleans(),
    missing=st.lists(st.sampled_from(["", "*", "n/a"]), max_size=3, unique=True),
)
def test_any_table_maps_or_stops_with_one_line(
    rows: list[list[str]], header: bool, missing: list[str]
) -> None:
    """Through the cube mapping the pipeline runs: arbitrary rows give triples or one
    ``SourceError`` naming the source CSV, never another exception."""
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        (here / "employment.cube.json").write_text(json.dumps(_description(missing=missing)))
        table = io.StringIO()
        csv.writer(table).writerows(rows)
        first = GOOD.splitlines(keepends=True)[0] if header else ""
        (here / "employment.csv").write_text(first + table.getvalue())
        dataset = Dataset(name="employment", mapping=here / "employment.cube.json")
        try:
            map_cube(dataset, here / "employment.nt", BASE, [], lambda message: None)
        except SourceError as error:
            assert str(error).startswith(str(here / "employment")), str(error)
            assert "\n" not in str(error).split(" (value ")[0]
