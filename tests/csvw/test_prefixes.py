"""The prefixes CSVW metadata may use for common properties, as the Recommendation fixes."""

from __future__ import annotations

import pytest

from opendatacommunities.csvw.prefixes import INITIAL_CONTEXT, expand_term, is_common_property


@pytest.mark.parametrize(
    ("name", "expanded"),
    [
        ("dc:title", "http://purl.org/dc/terms/title"),
        ("dcterms:title", "http://purl.org/dc/terms/title"),
        ("schema:name", "http://schema.org/name"),
        ("csvw:note", "http://www.w3.org/ns/csvw#note"),
        ("http://example.org/p", "http://example.org/p"),
        ("https://example.org/p", "https://example.org/p"),
    ],
)
def test_prefixed_names_and_absolute_iris_are_common_properties(name: str, expanded: str) -> None:
    """Metadata keys that expand are kept as notes about the table."""
    assert expand_term(name) == expanded
    assert is_common_property(name)


@pytest.mark.parametrize("name", ["title", "ex:title", "urn:x", "Dc:title", ""])
def test_other_keys_are_not_common_properties(name: str) -> None:
    """Unknown prefixes, plain words and non-hierarchical IRIs are not expanded."""
    assert expand_term(name) is None
    assert not is_common_property(name)


def test_the_context_is_the_recommendation_s() -> None:
    """Metadata files mean these prefixes whatever the site declares."""
    assert INITIAL_CONTEXT["xsd"] == "http://www.w3.org/2001/XMLSchema#"
    assert INITIAL_CONTEXT["qb"] == "http://purl.org/linked-data/cube#"
    assert all(namespace.startswith("http") for namespace in INITIAL_CONTEXT.values())
