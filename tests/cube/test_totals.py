"""Totals and mixed geography levels in a cube description: rows declared as totals (by the
geography level of their area, by a pattern on its code, or by a column) are published
marked with the ``total`` attribute, and every other row is left unmarked."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pyoxigraph import Literal, NamedNode

from opendatacommunities.cube.description import read_description
from opendatacommunities.cube.levels import LEVELS, level_of
from opendatacommunities.errors import MetadataError, SourceError
from opendatacommunities.store.memory import MemoryGraph
from tests.plugins.cubes import build_cube
from tests.plugins.project import BASE, ROOT

TOTAL = NamedNode(f"{BASE}/def/attribute/total")
REF_AREA = NamedNode("http://purl.org/linked-data/sdmx/2009/dimension#refArea")
QB = "http://purl.org/linked-data/cube#"
CSV = (
    "Code,Name,Geography,Year,0,5+\n"
    "E92000001,England,Country,2019,596652,42972896\n"
    "E06000001,Hartlepool,Unitary Authority,2019,1052,71387\n"
    "E06000002,Middlesbrough,Unitary Authority,2019,1700,120000\n"
    "E06000003,Redcar and Cleveland,Total,2019,1500,110000\n"
)


def _description(totals: Any) -> dict[str, Any]:
    return {
        "dc:title": "Population",
        "csv": "population.csv",
        "dimensions": [
            {"name": "refArea", "label": "Area", "kind": "area", "column": "Code"},
            {"name": "refPeriod", "label": "Year", "kind": "period", "column": "Year"},
            {"name": "age", "label": "Age"},
        ],
        "measures": [{"name": "people", "label": "People", "datatype": "integer"}],
        "observations": {"pattern": r"^(?P<path>\d+\+?)$", "dimension": "age"},
        "totals": totals,
    }


def _write(tmp_path: Path, totals: Any, csv: str = CSV) -> Path:
    (tmp_path / "population.csv").write_text(csv, encoding="utf-8")
    mapping = tmp_path / "population.cube.json"
    mapping.write_text(json.dumps(_description(totals)), encoding="utf-8")
    return mapping


def _totals(store: MemoryGraph) -> dict[str, set[str]]:
    """Area code -> the values of the ``total`` attribute of its observations."""
    found: dict[str, set[str]] = {}
    for quad in store.quads(None, REF_AREA):
        code = str(quad.object.value).rsplit("/", 1)[-1]
        values = {str(q.object.value) for q in store.quads(quad.subject, TOTAL)}
        found.setdefault(code, set()).update(values or {"(none)"})
    return found


@pytest.mark.parametrize(
    "totals",
    [
        [{"level": "country"}],
        [{"//": "ONS codes countries E92", "pattern": "^E92"}],
        [{"column": "Geography", "values": ["Country"]}],
    ],
)
def test_rows_declared_totals_are_marked(tmp_path: Path, totals: Any) -> None:
    """Each way of declaring totals marks England's observations, and only those."""
    store, _ = build_cube(_write(tmp_path, totals), tmp_path / "build")
    assert _totals(store) == {
        "E92000001": {"true"},
        "E06000001": {"(none)"},
        "E06000002": {"(none)"},
        "E06000003": {"(none)"},
    }
    one = next(store.quads(None, TOTAL))
    assert one.object == Literal(
        "true", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
    )


def test_the_total_attribute_is_a_component_of_the_structure(tmp_path: Path) -> None:
    """The attribute is declared (an optional component), with a label that says what it is."""
    store, _ = build_cube(_write(tmp_path, [{"level": "Country"}]), tmp_path / "build")
    query = f"""ASK {{ ?spec <{QB}attribute> {TOTAL} ; <{QB}componentRequired> false .
      ?dsd <{QB}component> ?spec . {TOTAL} a <{QB}AttributeProperty> ;
      <http://www.w3.org/2000/01/rdf-schema#label> "total"@en }}"""
    assert store.query(query)


def test_several_rules_add_up(tmp_path: Path) -> None:
    """Rows matching any rule are totals."""
    totals = [{"level": "country"}, {"column": "Geography", "values": ["Total"]}]
    store, _ = build_cube(_write(tmp_path, totals), tmp_path / "build")
    marked = {code for code, values in _totals(store).items() if values == {"true"}}
    assert marked == {"E92000001", "E06000003"}


def test_a_cube_without_totals_has_no_total_attribute(tmp_path: Path) -> None:
    """Nothing declared: the cube is as it always was."""
    data = _description([])
    del data["totals"]
    (tmp_path / "population.csv").write_text(CSV, encoding="utf-8")
    mapping = tmp_path / "population.cube.json"
    mapping.write_text(json.dumps(data), encoding="utf-8")
    store, _ = build_cube(mapping, tmp_path / "build")
    assert not list(store.quads(None, TOTAL))


@pytest.mark.parametrize(
    ("totals", "message"),
    [
        ({"level": "country"}, "totals: expected a list of rules"),
        (
            [{"level": "county"}],
            "totals[0].level: 'county' is not a geography level (one of country, ",
        ),
        (
            [{"level": "country", "pattern": "^E92"}],
            "totals[0]: give one of level, pattern or column, not",
        ),
        ([{}], "totals[0]: give one of level, pattern or column"),
        ([{"pattern": "^E9("}], "totals[0].pattern: not a regular expression"),
        ([{"column": "Geography"}], "totals[0].values: expected a non-empty list of cell values"),
        ([{"column": "Geography", "values": "Country"}], "totals[0].values: expected a non-empty"),
        ([{"level": "country", "colour": "red"}], "totals[0]: unknown key 'colour'"),
        ([{"pattern": "^E92", "values": ["x"]}], "totals[0].values: only with column"),
        (["country"], "totals[0]: expected an object"),
    ],
)
def test_a_bad_rule_is_named(tmp_path: Path, totals: Any, message: str) -> None:
    """A rule that cannot be followed stops the publish, naming the file and the key."""
    mapping = _write(tmp_path, totals)
    with pytest.raises(MetadataError) as error:
        read_description(mapping)
    assert str(error.value).startswith(f"{mapping}: {message}"), str(error.value)


def test_a_column_the_table_does_not_have(tmp_path: Path) -> None:
    """A rule's column must be in the header: the error names the CSV and the rule."""
    mapping = _write(tmp_path, [{"column": "Level", "values": ["Country"]}])
    with pytest.raises(SourceError) as error:
        build_cube(mapping, tmp_path / "build")
    assert str(error.value) == (
        f"{tmp_path / 'population.csv'}:1:Level: no such column (named by totals[0].column "
        f"in {mapping.name})"
    )


def test_rules_by_level_or_pattern_need_an_area_dimension(tmp_path: Path) -> None:
    data = _description([{"level": "country"}])
    data["dimensions"][0]["kind"] = "codes"
    mapping = tmp_path / "population.cube.json"
    mapping.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MetadataError, match=re.escape("totals[0]: no area dimension")):
        read_description(mapping)


def test_levels_know_the_entities_of_the_reference_geography() -> None:
    """Every level names a class of the geography ontology, and codes find their level."""
    ontology = (ROOT / "ontologies" / "geography.ttl").read_text(encoding="utf-8")
    for level in LEVELS:
        assert f"geography:{level.term} a owl:Class" in ontology
    found = [level_of(code) for code in ("E92000001", "S12000033", "S13002967", "E05011234")]
    assert [level.name if level else None for level in found] == [
        "country",
        "local authority",
        "electoral ward",
        "electoral ward",
    ]
    assert level_of("E12000001") is None
