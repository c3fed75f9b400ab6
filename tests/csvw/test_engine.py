"""Behaviour of the CSVW engine a publisher relies on, beyond the W3C suite: dialects, keys,
strict mode, metadata discovery, and the command's output contract."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from opendatacommunities.cli import main
from opendatacommunities.csvw.dialect import Dialect, read_records, split_records
from opendatacommunities.csvw.templates import Template, to_url

BASE = "http://example.org/data/"


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def _metadata(folder: Path, table: dict[str, object], name: str = "meta.json") -> Path:
    document = {"@context": "http://www.w3.org/ns/csvw", **table}
    return _write(folder, name, json.dumps(document))


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["map", *args])
    out, err = capsys.readouterr()
    return status, out, err


def _triples(text: str) -> set[tuple[str, str, str]]:
    quads = pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in quads}


# Dialects ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        'a,b\r\n1,"x, ""y"""\r\n',
        'a,b\n1,"multi\nline"\n2,z\n',
        "a,b\n\n1,2\n",
    ],
)
def test_fast_reader_agrees_with_the_spec_algorithm(text: str) -> None:
    dialect = Dialect()
    fast = list(read_records(text.splitlines(keepends=True), dialect))
    spec = list(split_records(text, dialect))
    assert [cells for _, _, cells in fast] == [cells for _, _, cells in spec]
    assert [n for n, _, _ in fast] == [n for n, _, _ in spec]


def test_comment_lines_are_counted_as_source_rows() -> None:
    dialect = Dialect(comment_prefix="#")
    records = list(read_records(["a\n", "# note\n", "1\n"], dialect))
    assert records == [(1, "a", ["a"]), (2, " note", None), (3, "1", ["1"])]


def test_multi_character_delimiter_uses_the_spec_reader() -> None:
    dialect = Dialect(delimiter="||")
    records = list(read_records(["a||b\n", "1||2\n"], dialect))
    assert [cells for _, _, cells in records] == [["a", "b"], ["1", "2"]]


def test_dialect_skips_rows_columns_and_reads_two_header_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "t.csv", "generated 2019\nx,code,value\nx,Code,Amount\nx,A,1\n")
    meta = _metadata(
        tmp_path,
        {
            "url": "t.csv",
            "dialect": {"skipRows": 1, "skipColumns": 1, "headerRowCount": 2},
            "tableSchema": {
                "columns": [{"name": "code"}, {"name": "value", "datatype": "integer"}]
            },
        },
    )
    status, out, _ = _run(capsys, str(meta), "--base-url", BASE + "meta.json", "--minimal")
    assert status == 0
    assert (
        '<http://example.org/data/t.csv#value> "1"^^<http://www.w3.org/2001/XMLSchema#integer>'
        in out
    )
    assert '<http://example.org/data/t.csv#code> "A"' in out
    assert "generated" not in out and "Amount" not in out


# URI templates ----------------------------------------------------------------------------


def test_templates_encode_by_operator() -> None:
    variables = {"code": "S12000049", "name": "Glasgow City", "path": "a/b", "list": ["x", "y"]}
    assert Template("{code}/{name}").expand(variables) == "S12000049/Glasgow%20City"
    assert Template("{+path}").expand(variables) == "a/b"
    assert Template("{#code}").expand(variables) == "#S12000049"
    assert Template("?q={list}").expand(variables) == "?q=x,y"
    assert Template("{?code,name}").expand(variables) == "?code=S12000049&name=Glasgow%20City"
    assert Template("/{missing}/").expand(variables) == "//"


def test_template_results_expand_prefixes_and_resolve() -> None:
    assert to_url("skos:Concept", BASE) == "http://www.w3.org/2004/02/skos/core#Concept"
    assert to_url("../id/x", BASE + "t.csv") == "http://example.org/id/x"


# Keys and strict mode -----------------------------------------------------------------------


def _keyed_tables(folder: Path, areas: str, wards: str) -> Path:
    _write(folder, "areas.csv", areas)
    _write(folder, "wards.csv", wards)
    return _metadata(
        folder,
        {
            "tables": [
                {
                    "url": "areas.csv",
                    "tableSchema": {"columns": [{"name": "code"}], "primaryKey": "code"},
                },
                {
                    "url": "wards.csv",
                    "tableSchema": {
                        "columns": [{"name": "ward"}, {"name": "area"}],
                        "primaryKey": "ward",
                        "foreignKeys": [
                            {
                                "columnReference": "area",
                                "reference": {"resource": "areas.csv", "columnReference": "code"},
                            }
                        ],
                    },
                },
            ]
        },
    )


def test_duplicate_primary_key_is_an_error_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = _keyed_tables(tmp_path, "code\nS12000049\nS12000049\n", "ward,area\nW1,S12000049\n")
    status, _, err = _run(capsys, str(meta), "--strict")
    assert status == 1
    assert (
        "areas.csv:3:code: duplicate primary key (first seen in row 2) (value 'S12000049')" in err
    )


def test_dangling_foreign_key_warns_and_is_an_error_when_strict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    meta = _keyed_tables(tmp_path, "code\nS12000049\n", "ward,area\nW1,S12000046\n")
    status, out, err = _run(capsys, str(meta))
    assert status == 0 and out
    assert "warning: " in err and "foreign key matches no row" in err
    status, _, err = _run(capsys, str(meta), "--strict")
    assert status == 1
    assert "wards.csv:2:area: foreign key matches no row" in err and "(value 'S12000046')" in err


def test_bad_cell_names_file_row_column_and_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "t.csv", "code,count\nA,1\nB,lots\n")
    meta = _metadata(
        tmp_path,
        {
            "url": "t.csv",
            "tableSchema": {
                "columns": [{"name": "code"}, {"titles": "count", "datatype": "integer"}]
            },
        },
    )
    target = tmp_path / "out.nt"
    status, _, err = _run(capsys, str(meta), "--strict", "-o", str(target))
    assert status == 1
    assert err.startswith(f'error: {tmp_path / "t.csv"}:3:count (column "count", the 2nd): ')
    assert err.rstrip().endswith("(value 'lots')")
    assert not target.exists() and not list(tmp_path.glob("*.part"))


# Metadata discovery -------------------------------------------------------------------------


def test_discovery_prefers_link_header_then_file_metadata_then_header(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write(tmp_path, "t.csv", "code\nA\n")

    def schema(prop: str) -> dict[str, object]:
        columns = [{"name": "code", "propertyUrl": f"http://example.org/{prop}"}]
        return {"url": "t.csv", "tableSchema": {"columns": columns}}

    url = BASE + "t.csv"
    _, out, _ = _run(capsys, str(data), "--base-url", url, "--minimal")
    assert "<http://example.org/data/t.csv#code>" in out
    _metadata(tmp_path, schema("file"), name="t.csv-metadata.json")
    _, out, _ = _run(capsys, str(data), "--base-url", url, "--minimal")
    assert "<http://example.org/file>" in out
    _metadata(tmp_path, schema("linked"), name="linked.json")
    link = '<linked.json>; rel="describedby"; type="application/csvm+json"'
    _, out, _ = _run(capsys, str(data), "--base-url", url, "--link-header", link, "--minimal")
    assert "<http://example.org/linked>" in out


def test_metadata_that_does_not_describe_the_file_is_ignored_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _write(tmp_path, "t.csv", "code\nA\n")
    _metadata(tmp_path, {"url": "other.csv"}, name="csv-metadata.json")
    status, out, err = _run(capsys, str(data), "--minimal")
    assert status == 0 and "#code>" in out
    assert "does not describe" in err


# Output -------------------------------------------------------------------------------------


def test_turtle_output_and_provenance(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = _write(tmp_path, "t.csv", "code,name\nS12000049,Glasgow City\n")
    status, out, _ = _run(capsys, str(data), "--format", "ttl")
    assert status == 0
    graph = pyoxigraph.parse(out.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    predicates = {str(q.predicate) for q in graph}
    assert "<http://www.w3.org/ns/prov#wasGeneratedBy>" in predicates
    status, out, _ = _run(capsys, str(data), "--no-prov")
    assert "prov#" not in out


def test_ordered_list_becomes_an_rdf_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(tmp_path, "t.csv", "code,parts\nA,x y z\n")
    meta = _metadata(
        tmp_path,
        {
            "url": "t.csv",
            "aboutUrl": "http://example.org/{code}",
            "tableSchema": {
                "columns": [
                    {"name": "code", "suppressOutput": True},
                    {"name": "parts", "separator": " ", "ordered": True},
                ]
            },
        },
    )
    _, out, _ = _run(capsys, str(meta), "--minimal")
    triples = _triples(out)
    firsts = [o for _, p, o in triples if p.endswith("#first>")]
    assert sorted(firsts) == ['"x"', '"y"', '"z"']
    assert any(o == "<http://www.w3.org/1999/02/22-rdf-syntax-ns#nil>" for _, _, o in triples)


def test_triples_trace_back_to_file_row_and_column(tmp_path: Path) -> None:
    from opendatacommunities.csvw import Job
    from opendatacommunities.csvw.trace import trace_sources

    _write(tmp_path, "t.csv", "code,name\nS12000046,Glasgow\nS12000049,Glasgow City\n")
    meta = _metadata(
        tmp_path,
        {
            "url": "t.csv",
            "aboutUrl": "http://example.org/id/{code}",
            "tableSchema": {
                "columns": [
                    {"name": "code", "propertyUrl": "skos:notation"},
                    {"titles": "name", "propertyUrl": "rdfs:label"},
                ]
            },
        },
    )
    subject = "<http://example.org/id/S12000049>"
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    found = trace_sources(Job(input=meta), [(subject, label), ("<x>", "<y>")])
    assert found == {(subject, label): f'{tmp_path / "t.csv"}:3:name (column "name", the 2nd)'}
