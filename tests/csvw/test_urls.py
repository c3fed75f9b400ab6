"""URL resolution and normalisation, as metadata discovery and keys compare URLs."""

from __future__ import annotations

import pytest

from opendatacommunities.csvw.urls import is_absolute, normalize, resolve


@pytest.mark.parametrize(
    ("url", "absolute"),
    [("http://a/b", True), ("urn:x:y", True), ("b/c", False), ("/b", False), ("#x", False)],
)
def test_absolute_urls_start_with_a_scheme(url: str, absolute: bool) -> None:
    """Relative references, paths and fragments have no scheme."""
    assert is_absolute(url) is absolute


@pytest.mark.parametrize(
    ("reference", "resolved"),
    [
        ("#row.1", "http://example.org/a/b.csv#row.1"),
        ("../c", "http://example.org/c"),
        ("c-metadata.json", "http://example.org/a/c-metadata.json"),
        ("/root.csv", "http://example.org/root.csv"),
        ("https://other.example/x", "https://other.example/x"),
    ],
)
def test_references_resolve_against_the_base(reference: str, resolved: str) -> None:
    """RFC 3986 resolution; an absolute reference stays as it is."""
    assert resolve("http://example.org/a/b.csv", reference) == resolved


def test_without_a_base_a_reference_stays_relative() -> None:
    """A table read from a file with no URL keeps its relative references."""
    assert resolve("", "b.csv") == "b.csv"


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTP://Example.org:80/a/./b/%7efoo", "http://example.org/a/b/~foo"),
        ("https://example.org:443/x", "https://example.org/x"),
        ("http://example.org:8080/x", "http://example.org:8080/x"),
        ("http://example.org/a/../b", "http://example.org/b"),
        ("http://example.org", "http://example.org/"),
        ("http://example.org/a%2fb", "http://example.org/a%2Fb"),
    ],
)
def test_equivalent_urls_normalise_alike(url: str, normal: str) -> None:
    """Case, default ports, dot segments and needless escapes do not make URLs differ;
    a reserved character's escape is kept, upper-cased."""
    assert normalize(url) == normal


def test_normalising_keeps_query_and_fragment() -> None:
    """Two rows of one table differ only after the ``#``."""
    assert normalize("http://Example.org/t.csv?x=1#row=2") == "http://example.org/t.csv?x=1#row=2"
