"""The vocabulary module: one prefix table, one place for every namespace."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from pyoxigraph import Store

from opendatacommunities import vocab
from opendatacommunities.iris import IriSpace
from opendatacommunities.vocab import PREFIXES, common_prefixes, site_prefixes

SOURCE = Path(vocab.__file__).parent
# The CSVW default context is fixed by the CSVW Recommendation, so it keeps its own table.
SPEC_TABLES = {SOURCE / "vocab.py", SOURCE / "csvw" / "prefixes.py"}
PN_PREFIX = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*(?<!\.)$")


EXPECTED = ("rdf", "rdfs", "owl", "xsd", "skos", "dcterms", "dcat", "foaf", "qb", "void", "prov")
SDMX = ("sdmx-dimension", "sdmx-attribute", "sdmx-measure", "sdmx-concept", "sdmx-code")


@pytest.mark.parametrize("prefix", [*EXPECTED, *SDMX, "geo", "sh"])
def test_the_prefixes_a_sparql_user_expects_are_declared(prefix: str) -> None:
    assert prefix in PREFIXES


def test_each_namespace_has_one_prefix_so_compaction_is_unambiguous() -> None:
    namespaces = list(PREFIXES.values())
    assert len(namespaces) == len(set(namespaces))


def test_every_prefix_is_a_valid_sparql_prefix_and_every_namespace_ends_a_term() -> None:
    for prefix, namespace in common_prefixes("http://h").items():
        assert PN_PREFIX.match(prefix), prefix
        assert namespace.endswith(("#", "/")), namespace


def test_site_prefixes_follow_the_base_iri_with_or_without_its_slash() -> None:
    assert site_prefixes("https://data.example.gov.uk/") == site_prefixes(
        "https://data.example.gov.uk"
    )
    assert site_prefixes("http://h")["statistical-geography"] == (
        "http://h/id/statistical-geography/"
    )
    assert IriSpace("http://h/").prefixes == common_prefixes("http://h")


def test_common_prefixes_let_a_query_use_them_undeclared() -> None:
    store = Store()
    store.update(
        "INSERT DATA { <http://h/id/statistical-geography/S1> <http://www.w3.org/2000/01/"
        "rdf-schema#label> 'x' ; <http://purl.org/linked-data/sdmx/2009/dimension#refArea> "
        "<http://h/id/statistical-geography/S1> }"
    )
    declared = "".join(f"PREFIX {p}: <{n}>\n" for p, n in common_prefixes("http://h").items())
    query = "SELECT ?l { statistical-geography:S1 rdfs:label ?l ; sdmx-dimension:refArea ?a }"
    rows = list(store.query(declared + query))  # type: ignore[union-attr]
    assert [row[0].value for row in rows] == ["x"]


def _code_strings(path: Path) -> list[tuple[int, str]]:
    """String literals of a module that are not docstrings (doctests may name IRIs)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_module_spells_out_a_namespace_of_its_own() -> None:
    namespaces = tuple(PREFIXES.values())
    found = [
        f"{path.relative_to(SOURCE)}:{line}: {text[:60]}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path not in SPEC_TABLES
        for line, text in _code_strings(path)
        if any(namespace in text for namespace in namespaces)
    ]
    assert found == []
