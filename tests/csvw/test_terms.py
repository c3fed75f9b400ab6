"""RDF terms written as N-Triples text: what the store loads must parse as it was meant."""

from __future__ import annotations

import pyoxigraph
import pytest

from opendatacommunities.csvw.terms import BlankNodes, iri, literal
from opendatacommunities.vocab import XSD, XSD_STRING


def _object(term: str) -> pyoxigraph.Literal | pyoxigraph.NamedNode:
    """``term`` as the object of a triple parsed by the store's own parser."""
    text = f"<http://example.org/s> <http://example.org/p> {term} .\n"
    quad = next(iter(pyoxigraph.parse(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)))
    assert isinstance(quad.object, pyoxigraph.Literal | pyoxigraph.NamedNode)
    return quad.object


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("http://example.org/a", "<http://example.org/a>"),
        ("http://example.org/a b", "<http://example.org/a%20b>"),
        ('http://example.org/<"x">', "<http://example.org/%3C%22x%22%3E>"),
        ("http://example.org/{a|b}", "<http://example.org/%7Ba%7Cb%7D>"),
    ],
)
def test_iris_escape_what_n_triples_forbids(value: str, written: str) -> None:
    """Spaces, brackets, quotes and braces in a cell never break the output."""
    assert iri(value) == written
    assert isinstance(_object(written), pyoxigraph.NamedNode)


@pytest.mark.parametrize(
    "lexical", ['say "hi"', "back\\slash", "two\nlines", "carriage\rreturn", "plain"]
)
def test_literals_round_trip_through_the_parser(lexical: str) -> None:
    """Quotes, backslashes and line breaks come back as they were in the cell."""
    parsed = _object(literal(lexical, language="en-GB"))
    assert isinstance(parsed, pyoxigraph.Literal)
    assert (parsed.value, parsed.language) == (lexical, "en-gb")


def test_typed_literals_carry_their_datatype_except_plain_strings() -> None:
    """``xsd:string`` is the default, so it is not written."""
    assert literal("1", XSD + "integer") == f'"1"^^<{XSD}integer>'
    assert literal("x", XSD_STRING) == '"x"'
    assert literal("x") == '"x"'
    parsed = _object(literal("2026-12-05", XSD + "date"))
    assert isinstance(parsed, pyoxigraph.Literal)
    assert parsed.datatype == pyoxigraph.NamedNode(XSD + "date")


def test_blank_nodes_are_fresh_within_one_conversion() -> None:
    """Two minters with their own prefixes never clash."""
    first, second = BlankNodes(), BlankNodes("t")
    labels = [first.new(), first.new(), second.new()]
    assert labels == ["_:b0", "_:b1", "_:t0"]
