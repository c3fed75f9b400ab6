"""URI templates as CSVW metadata writes them: expanded per row, and made absolute."""

from __future__ import annotations

import pytest

from opendatacommunities.csvw.templates import Template, compile_template, to_url

BASE = "http://example.org/data/roads.csv"


@pytest.mark.parametrize(
    ("source", "variables", "expanded"),
    [
        ("{code}", {"code": "S13002605"}, "S13002605"),
        ("{code}", {"code": "x y/z"}, "x%20y%2Fz"),
        ("{+path}", {"path": "a/b c"}, "a/b%20c"),
        ("#{_row}", {"_row": 3}, "#3"),
        ("{#frag}", {"frag": "a b"}, "#a%20b"),
        ("id/{kind}/{code}", {"kind": "ward"}, "id/ward/"),
        ("id/{code}", {"code": None}, "id/"),
        ("{?year,kind}", {"year": 2020, "kind": "all"}, "?year=2020&kind=all"),
        ("{/segments*}", {"segments": ["a", "b"]}, "/a/b"),
        ("plain", {}, "plain"),
    ],
)
def test_templates_expand_as_rfc_6570_says(
    source: str, variables: dict[str, object], expanded: str
) -> None:
    """Simple, reserved and fragment expressions, undefined variables, and the rest."""
    assert Template(source).expand(variables) == expanded


def test_a_template_knows_its_variables_and_whether_it_depends_on_the_column() -> None:
    """A template naming ``_name`` is expanded again for each column of a row."""
    row_only = Template("{+base}/{code}{?year}")
    assert row_only.names == {"base", "code", "year"}
    assert not row_only.per_column
    assert Template("http://example.org/def/{_name}").per_column


def test_templates_are_compiled_once() -> None:
    """Metadata reuses the same templates on every row."""
    assert compile_template("id/{code}") is compile_template("id/{code}")


@pytest.mark.parametrize(
    ("expanded", "url"),
    [
        ("https://other.example/x", "https://other.example/x"),
        ("foaf:Person", "http://xmlns.com/foaf/0.1/Person"),
        ("xsd:integer", "http://www.w3.org/2001/XMLSchema#integer"),
        ("#row.1", BASE + "#row.1"),
        ("../id/S1", "http://example.org/id/S1"),
        ("unknownprefix:x", "unknownprefix:x"),
    ],
)
def test_expanded_templates_become_absolute_urls(expanded: str, url: str) -> None:
    """Known prefixes are expanded, relative URLs resolved against the table's URL."""
    assert to_url(expanded, BASE) == url
