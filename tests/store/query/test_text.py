"""The query's terminals as the SPARQL grammar reads them, and FROM detection on them."""

from __future__ import annotations

import pytest

from opendatacommunities.store import names_dataset
from opendatacommunities.store.query.text import tokens


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("ex:a\\# ?o", ["pname", "var"]),
        ("ex:a\\' ?o 'x'", ["pname", "var", "string"]),
        ("# c\rSERVICE", ["word"]),
        ("<http://x/\\u0041> ?o", ["iri", "var"]),
        ("'''a ' '' b''' ?o", ["long", "var"]),
        ("_:b1 1.5e3 ?x.", ["bnode", "number", "var", "other"]),
    ],
    ids=["hash-escape", "quote-escape", "cr", "iri-escape", "long-string", "numbers"],
)
def test_terminals(text: str, kinds: list[str]) -> None:
    """Prefixed-name escapes are part of the name, a comment ends at CR, IRIs hold escapes."""
    assert [token.kind for token in tokens(text)] == kinds


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * FROM <http://g> { ?s ?p ?o }", True),
        ("SELECT * FROM NAMED <http://g> { GRAPH ?g { ?s ?p ?o } }", True),
        ("PREFIX ex: <http://e/> SELECT ?o { ?s ex:a\\' ?o FILTER(?o != 'FROM') }", False),
        ("PREFIX ex: <http://e/> SELECT ?o FROM <http://g> { ?s ex:a\\# ?o }", True),
        ("SELECT * { ?s ?p 'from' } # FROM <http://g>", False),
    ],
    ids=["from", "from-named", "after-quote-escape", "with-hash-escape", "string-comment"],
)
def test_names_dataset(query: str, expected: bool) -> None:
    """FROM is found as a keyword only, never inside strings, names or comments."""
    assert names_dataset(query) is expected
