"""The ``odc`` command line as users meet it: its arguments, its exit statuses (0 done, 1 a
problem with the input or settings, 2 a misused command), one ``error:`` line on stderr for
a problem rather than a traceback, and output written whole or not at all."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.cli import main
from opendatacommunities.errors import OdcError
from tests.plugins.project import BASE, TEST_DATA

SAMPLE = TEST_DATA / "csvw" / "gcc-catalogue-sample.json"
#: The same table with 30 February in row 4's DateUpdated.
BAD_DATE = TEST_DATA / "csvw" / "gcc-catalogue-bad-date.json"
BAD_CELL = "gcc-catalogue-bad-date.csv:4:DateUpdated"
ODC = [sys.executable, "-m", "opendatacommunities.cli"]


def _quads(data: bytes, fmt: pyoxigraph.RdfFormat) -> list[pyoxigraph.Quad]:
    return list(pyoxigraph.parse(data, format=fmt))


def test_a_bad_setting_is_one_error_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ODC_PORT", "eighty")
    assert main(["serve"]) == 1
    assert capsys.readouterr().err == (
        "error: ODC_PORT: invalid literal for int() with base 10: 'eighty'\n"
    )


def test_a_setting_out_of_range_is_one_error_line_before_serving(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ODC_PORT", "70000")
    assert main(["serve"]) == 1
    assert capsys.readouterr().err == (
        "error: ODC_PORT must be a port number from 0 to 65535, not 70000\n"
    )


def test_publish_reads_its_settings_first(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ODC_BASE_IRI", "data.example.gov.uk")
    assert main(["publish"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ODC_BASE_IRI must be an http(s) IRI")
    assert err.count("\n") == 1
    assert not (tmp_path / "var").exists()  # nothing was built


def test_workers_must_be_at_least_one(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--workers", "0"])
    assert stopped.value.code == 2
    assert "--workers: must be a whole number of at least 1, not '0'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "the following arguments are required: command"),
        (["unpublish"], "invalid choice: 'unpublish'"),
        (["map"], "the following arguments are required: input"),
        (["map", "x.json", "--format", "rdfxml"], "argument --format: invalid choice: 'rdfxml'"),
        (["serve", "--port", "eighty"], "argument --port: invalid int value: 'eighty'"),
        (["serve", "--workers", "two"], "not 'two'"),
        (["publish", "--workers", "all"], "argument --workers: invalid int value: 'all'"),
        (["new"], "the following arguments are required: kind"),
        (["new", "chart", "x.csv"], "invalid choice: 'chart'"),
    ],
)
def test_a_misused_command_exits_2_with_its_usage(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: odc")
    assert message in err


def test_map_writes_n_triples_to_stdout(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """Four rows of three cells: twelve triples, one per cell, each naming its row."""
    assert main(["map", str(SAMPLE), "--minimal"]) == 0
    out, err = capsysbinary.readouterr()
    assert err == b""
    quads = _quads(out, pyoxigraph.RdfFormat.N_TRIPLES)
    assert len(quads) == 12
    first = pyoxigraph.NamedNode(f"{BASE}/data/glasgow-catalogue/1")
    title = pyoxigraph.NamedNode("http://purl.org/dc/terms/title")
    assert pyoxigraph.Quad(first, title, pyoxigraph.Literal("Road Safety Accidents")) in quads


def test_map_writes_each_format_to_a_file_in_a_new_folder(tmp_path: Path) -> None:
    """The folder is made; the file parses in the format asked for; nothing else is left."""
    counts = {}
    for fmt, rdf in [
        ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
        ("ttl", pyoxigraph.RdfFormat.TURTLE),
        ("nq", pyoxigraph.RdfFormat.N_QUADS),
    ]:
        target = tmp_path / fmt / "out" / f"catalogue.{fmt}"
        assert main(["map", str(SAMPLE), "--format", fmt, "-o", str(target)]) == 0
        counts[fmt] = len(_quads(target.read_bytes(), rdf))
        assert [p.name for p in target.parent.iterdir()] == [target.name]
    assert counts["nt"] == counts["ttl"] == counts["nq"] > 0


def test_minimal_and_no_prov_leave_out_what_they_say(tmp_path: Path) -> None:
    sizes = {}
    for name, flags in [("full", []), ("no-prov", ["--no-prov"]), ("minimal", ["--minimal"])]:
        target = tmp_path / f"{name}.nt"
        assert main(["map", str(SAMPLE), *flags, "-o", str(target)]) == 0
        sizes[name] = target.read_text(encoding="utf-8")
    assert "http://www.w3.org/ns/prov#" in sizes["full"]
    assert "http://www.w3.org/ns/prov#" not in sizes["no-prov"]
    assert "http://www.w3.org/ns/csvw#TableGroup" not in sizes["minimal"]
    assert len(sizes["minimal"]) < len(sizes["no-prov"]) < len(sizes["full"])


def test_a_bad_cell_is_a_warning_naming_file_row_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.nt"
    assert main(["map", str(BAD_DATE), "-o", str(target)]) == 0
    warnings = capsys.readouterr().err.splitlines()
    assert [w for w in warnings if BAD_CELL in w] == [
        w for w in warnings if w.startswith("warning: ") and "'2023-02-30'" in w
    ]
    assert any(BAD_CELL in w for w in warnings)
    assert target.exists()


def test_strict_stops_at_the_bad_cell_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """One error line naming file, row, column and value; the target is not created and no
    partial file is left beside it."""
    target = tmp_path / "out.nt"
    assert main(["map", str(BAD_DATE), "--strict", "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert BAD_CELL in err and "(value '2023-02-30')" in err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_map_keeps_the_previous_output(tmp_path: Path) -> None:
    target = tmp_path / "out.nt"
    target.write_text("kept\n", encoding="utf-8")
    assert main(["map", str(BAD_DATE), "--strict", "-o", str(target)]) == 1
    assert target.read_text(encoding="utf-8") == "kept\n"


def test_a_missing_input_is_an_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.csv"
    assert main(["map", str(missing), "-o", str(tmp_path / "out.nt")]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: {missing}: ") and "Traceback" not in err


def test_debug_shows_the_error_itself(tmp_path: Path) -> None:
    with pytest.raises(OdcError, match="2023-02-30"):
        main(["--debug", "map", str(BAD_DATE), "--strict", "-o", str(tmp_path / "out.nt")])


def test_new_names_a_csv_that_is_not_there(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "table", "data/missing.csv"]) == 1
    assert capsys.readouterr().err.startswith("error: data/missing.csv: cannot read the CSV")
    assert list(tmp_path.iterdir()) == []


def test_the_module_runs_as_odc_with_its_exit_status(tmp_path: Path) -> None:
    done = subprocess.run([*ODC, "map", str(SAMPLE)], capture_output=True, check=False)
    assert done.returncode == 0 and done.stdout.count(b"\n") > 10
    failed = subprocess.run(
        [*ODC, "map", str(BAD_DATE), "--strict"], capture_output=True, text=True, check=False
    )
    assert failed.returncode == 1
    assert failed.stderr.startswith("error: ") and "Traceback" not in failed.stderr


def test_a_reader_that_goes_away_stops_odc_quietly() -> None:
    """``odc map big.json | head -1``: no traceback about the broken pipe."""
    with subprocess.Popen(
        [*ODC, "map", str(TEST_DATA / "csvw" / "iod2019-imd.json")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read()
        status = process.wait(timeout=120)
    assert status == 1
    assert b"Traceback" not in err and b"BrokenPipe" not in err
