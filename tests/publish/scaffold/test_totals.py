"""Guessing a cube's totals from a real CSV's area codes, for its starting description."""

from __future__ import annotations

from pathlib import Path

from opendatacommunities.publish.scaffold.sample import read_sample
from opendatacommunities.publish.scaffold.totals import guess_totals


def _sample_of(tmp_path: Path, codes: list[str], header: str = "Geography") -> Path:
    rows = "".join(f"{code},2020,{n}\n" for n, code in enumerate(codes))
    path = tmp_path / "people.csv"
    path.write_text(f"{header},Year,Value\n{rows}", encoding="utf-8")
    return path


def test_a_country_beside_its_authorities_is_taken_for_a_total(tmp_path: Path) -> None:
    """England's row totals its authorities' rows: one rule, with a note saying why."""
    codes = ["E92000001", "E06000001", "E06000002", "E07000026", "E08000001", "E09000001"]
    rules = guess_totals(read_sample(_sample_of(tmp_path, codes)))
    assert [rule["level"] for rule in rules] == ["country"]
    note = rules[0]["//"]
    assert "'Geography' are of 2 geography levels (5 local authorities, 1 country)" in note
    assert "(E92000001) are taken for totals of the 5 local authorities" in note


def test_every_smaller_level_gets_a_rule_and_long_lists_are_cut(tmp_path: Path) -> None:
    """Wards are the main level here; councils and the country are both totals."""
    wards = [f"S13002{n:03d}" for n in range(6)]
    councils = ["S12000049", "S12000046", "S12000045", "S12000036"]
    rules = guess_totals(read_sample(_sample_of(tmp_path, [*wards, *councils, "S92000003"])))
    assert [rule["level"] for rule in rules] == ["local authority", "country"]
    assert "(S12000036, S12000045, S12000046...)" in rules[0]["//"]
    assert "totals of the 6 electoral wards" in rules[1]["//"]


def test_areas_of_one_level_have_no_totals(tmp_path: Path) -> None:
    """Repeated codes and codes of no known level do not make a second level."""
    codes = ["S12000049", "S12000049", "S12000046", "E10000002"]
    assert guess_totals(read_sample(_sample_of(tmp_path, codes))) == []


def test_a_table_without_areas_has_no_totals(tmp_path: Path) -> None:
    """Nothing to guess from without a column of GSS codes."""
    path = tmp_path / "prices.csv"
    path.write_text("Item,Year,Value\nbread,2020,1\nmilk,2020,2\n", encoding="utf-8")
    assert guess_totals(read_sample(path)) == []
