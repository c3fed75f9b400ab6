"""The W3C CSVW "CSV to RDF" test suite (270 tests), run through ``odc map``.

Each test's action is read as if fetched from http://www.w3.org/2013/csvw/tests/; a mirror
of that site (the suite's folder, plus w3.org's /.well-known/csvm) maps those URLs to files.
Positive tests compare graphs by isomorphism; tests "with warnings" must also warn; negative
tests must fail with an error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from opendatacommunities.cli import main
from tests.plugins.project import SHARED

SUITE = SHARED / "conformance" / "csvw"
SITE = "http://www.w3.org/"
TESTS_URL = SITE + "2013/csvw/tests/"
# What http://www.w3.org/.well-known/csvm served when the suite was written (tests 259, 260).
W3C_WELL_KNOWN = "{+url}-metadata.json\ncsv-metadata.json\n{+url}.json\ncsvm.json\n"

KNOWN_FAILURES: dict[str, str] = {}


@dataclass(frozen=True)
class Case:
    """One manifest entry."""

    id: str
    kind: str
    action: str
    result: str | None
    options: dict[str, object]
    link: str | None


def _cases() -> list[Case]:
    manifest = json.loads((SUITE / "manifest-rdf.jsonld").read_text(encoding="utf-8"))
    return [
        Case(
            id=entry["id"].split("#")[1],
            kind=entry["type"].split(":")[1],
            action=entry["action"],
            result=entry.get("result"),
            options=entry.get("option", {}),
            link=entry.get("httpLink"),
        )
        for entry in manifest["entries"]
    ]


def _param(case: Case) -> object:
    reason = KNOWN_FAILURES.get(case.id)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(case, id=case.id, marks=marks)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A local mirror of www.w3.org holding the suite and the site-wide csvm file."""
    root = tmp_path_factory.mktemp("www.w3.org")
    (root / "2013" / "csvw").mkdir(parents=True)
    (root / "2013" / "csvw" / "tests").symlink_to(SUITE.resolve(), target_is_directory=True)
    (root / ".well-known").mkdir()
    (root / ".well-known" / "csvm").write_text(W3C_WELL_KNOWN, encoding="utf-8")
    return root


def _arguments(case: Case, site: Path) -> list[str]:
    local = case.action.split("?")[0]
    tests = site / "2013" / "csvw" / "tests"
    args = ["map", str(tests / local), "--base-url", TESTS_URL + case.action]
    if case.options.get("noProv"):
        args.append("--no-prov")
    if case.options.get("minimal"):
        args.append("--minimal")
    if "metadata" in case.options:
        args += ["--metadata", str(tests / str(case.options["metadata"]))]
    if case.link:
        args += ["--link-header", case.link]
    return args


def _expected(case: Case) -> rdflib.Graph:
    assert case.result is not None
    graph = rdflib.Graph()
    graph.parse(SUITE / case.result, format="turtle", publicID=TESTS_URL + case.action)
    return graph


@pytest.fixture(autouse=True)
def _exact_literals(monkeypatch: pytest.MonkeyPatch) -> None:
    # Compare lexical forms exactly: "1.0"^^xsd:double is not "1.0E0"^^xsd:double here.
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)


@pytest.mark.conformance
@pytest.mark.parametrize("case", [_param(c) for c in _cases()])
def test_csvw_rdf(case: Case, site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(_arguments(case, site))
    out, err = capsys.readouterr()
    if case.kind == "NegativeRdfTest":
        assert status == 1, f"expected an error, got output:\n{out[:2000]}"
        assert err.startswith("error: ") or "\nerror: " in err
        return
    assert status == 0, err
    if case.kind == "ToRdfTestWithWarnings":
        assert "warning: " in err, "expected at least one warning"
    actual = rdflib.Graph().parse(data=out, format="nt")
    expected = _expected(case)
    if not isomorphic(actual, expected):
        _, only_ours, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            "graphs differ\n--- only in ours:\n"
            + only_ours.serialize(format="nt")
            + "\n--- only in expected:\n"
            + only_expected.serialize(format="nt")
            + "\n--- stderr:\n"
            + err
        )
