"""Reports in words: one line per violation, sorted, with the caller's source locations."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyoxigraph import NamedNode, RdfFormat

from opendatacommunities.errors import SourceError
from opendatacommunities.store.memory import MemoryGraph
from opendatacommunities.validation import (
    PathExpr,
    Report,
    validate,
    validate_with_pyshacl,
)
from opendatacommunities.validation.vocab import SH_INFO, SH_VIOLATION, SH_WARNING, Term
from tests.plugins.project import VALIDATION_CASES

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix ex: <http://example.org/> .
ex:AreaShape a sh:NodeShape ; sh:targetClass ex:Area ;
    sh:property [ sh:path ex:label ; sh:minCount 1 ] ;
    sh:property [ sh:path ex:code ; sh:pattern "^S12" ;
                  sh:message "the code is not a council code" ] .
"""
DATA = """
<http://example.org/b> a <http://example.org/Area> ; <http://example.org/code> "X1" .
<http://example.org/a> a <http://example.org/Area> ; <http://example.org/label> "A" .
"""


@pytest.fixture
def shapes_file(tmp_path: Path) -> Path:
    path = tmp_path / "shapes.ttl"
    path.write_text(SHAPES, encoding="utf-8")
    return path


def store_of(turtle: str) -> MemoryGraph:
    store = MemoryGraph()
    store.load(turtle.encode(), format=RdfFormat.TURTLE)
    return store


def test_each_violation_is_one_line_in_words(shapes_file: Path) -> None:
    report = validate(store_of(DATA), [shapes_file])
    assert report.to_text().splitlines() == [
        '<http://example.org/b> ex:code: the code is not a council code, got "X1" '
        "(sh:pattern ^S12) [ex:AreaShape]",
        "<http://example.org/b> ex:label: expected at least 1 value (sh:minCount 1) [ex:AreaShape]",
    ]


def test_the_callers_locator_names_the_source(shapes_file: Path) -> None:
    seen: list[tuple[Term, PathExpr | None]] = []

    def locate(focus: Term, path: PathExpr | None) -> str | None:
        seen.append((focus, path))
        return "areas.csv:3:2" if path == NamedNode("http://example.org/label") else None

    text = validate(store_of(DATA), [shapes_file]).to_text(locate)
    assert "areas.csv:3:2: <http://example.org/b> ex:label: expected at least 1 value" in text
    assert text.splitlines()[0].startswith("<http://example.org/b> ex:code:")
    assert (NamedNode("http://example.org/b"), NamedNode("http://example.org/code")) in seen


def test_violations_carry_every_field(shapes_file: Path) -> None:
    report = validate(store_of(DATA), [shapes_file])
    pattern = next(v for v in report.violations if v.constraint.startswith("sh:pattern"))
    assert pattern.focus == NamedNode("http://example.org/b")
    assert pattern.path == NamedNode("http://example.org/code")
    assert pattern.value is not None and pattern.value.value == "X1"
    assert pattern.component == NamedNode("http://www.w3.org/ns/shacl#PatternConstraintComponent")
    assert pattern.severity == SH_VIOLATION
    assert pattern.message == 'the code is not a council code, got "X1"'


def test_both_engines_word_results_alike(shapes_file: Path) -> None:
    store = store_of(DATA)
    assert (
        validate(store, [shapes_file]).to_text()
        == validate_with_pyshacl(store, [shapes_file]).to_text()
    )


def test_reports_are_sorted_and_without_duplicates(shapes_file: Path) -> None:
    report = validate(store_of(DATA), [shapes_file])
    doubled = Report.of(reversed([*report.violations, *report.violations]))
    assert doubled == report
    assert [v.key for v in report.violations] == sorted(v.key for v in report.violations)


def test_severities_conform_and_block_as_shacl_says() -> None:
    report = validate(
        _load(VALIDATION_CASES / "severity" / "violating.ttl"),
        [VALIDATION_CASES / "severity" / "shapes.ttl"],
    )
    severities = sorted(v.severity.value for v in report.violations)
    assert severities == sorted([SH_INFO.value, SH_WARNING.value, SH_VIOLATION.value])
    assert not report.conforms
    assert len(report.blocking) == 1
    lines = report.to_text().splitlines()
    assert any("ex:name: warning: Gives no name (sh:minCount 1)" in line for line in lines)
    assert any("ex:code: info: expected at least 1 value" in line for line in lines)


def test_an_empty_report_conforms_and_prints_nothing() -> None:
    report = Report.of([])
    assert report.conforms and report.to_text() == "" and not report.blocking


def test_a_graph_file_can_be_checked_by_pyshacl(shapes_file: Path, tmp_path: Path) -> None:
    data = tmp_path / "data.ttl"
    data.write_text(DATA, encoding="utf-8")
    assert len(validate_with_pyshacl(data, [shapes_file]).violations) == 2


def test_a_broken_shapes_file_is_a_source_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix sh: <http://www.w3.org/ns/shacl#> .\nsh:a sh:b", encoding="utf-8")
    with pytest.raises(SourceError, match=r"broken\.ttl"):
        validate(MemoryGraph(), [broken])
    with pytest.raises(SourceError, match=r"missing\.ttl"):
        validate(MemoryGraph(), [tmp_path / "missing.ttl"])


def _load(path: Path) -> MemoryGraph:
    store = MemoryGraph()
    store.load(path=path, format=RdfFormat.TURTLE)
    return store
