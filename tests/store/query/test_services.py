"""The SERVICE check decides from the parsed query: every form the grammar allows is refused
unless allow-listed, whatever the spelling, escapes, comments or nesting."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, Quad, Store

from opendatacommunities.errors import ServiceRefusedError
from opendatacommunities.store.query.services import check_services, service_calls
from tests.plugins.listener import Listener
from tests.plugins.service_forms import service_queries

GLUED = "PREFIX : <{base}> SELECT * WHERE {{ SERVICE:internal-api {{ ?s ?p ?o }} }}"
LOWER_GLUED = "PREFIX : <{base}> SELECT * WHERE {{ service:internal-api {{ ?s ?p ?o }} }}"
HASH_ESCAPE = (
    "PREFIX ex: <http://example.org/> SELECT ?o WHERE {{ BIND(ex:a\\# AS ?z) "
    "SERVICE <{base}x> {{ ?s ?p ?o }} }}"
)
QUOTE_ESCAPE = (
    "PREFIX ex: <http://example.org/> SELECT ?o WHERE {{ BIND(ex:a\\' AS ?z) "
    "SERVICE <{base}x> {{ ?s ?p ?o }} }} # '"
)
BYPASSES = [GLUED, LOWER_GLUED, HASH_ESCAPE, QUOTE_ESCAPE]


def _base(listener: Listener) -> str:
    return f"http://127.0.0.1:{listener.port}/"


def _run_unchecked(query: str) -> None:
    """Run ``query`` on Oxigraph as it is, with no check: one triple to match."""
    store = Store()
    store.add(Quad(NamedNode("http://a/s"), NamedNode("http://a/p"), Literal("v")))
    result = store.query(query)
    list(result)  # type: ignore[call-overload]


def _calls_unchecked(query: str, listener: Listener) -> bool:
    """Whether Oxigraph, running ``query`` with no check, calls the listener."""
    before = len(listener.requests)
    # A query Oxigraph refuses, or whose call failed after it was made, raises: ignored.
    with contextlib.suppress(SyntaxError, OSError, RuntimeError, ValueError, TypeError):
        _run_unchecked(query)
    return len(listener.requests) > before


STRAYS = ["\\", "#", "'", '"', "<", ">", "\r", "\n", ":", "$", "'" * 3, "true", "\\u0022"]
MUTATIONS = st.lists(st.tuples(st.integers(0, 10_000), st.sampled_from(STRAYS)), max_size=3)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_whenever_oxigraph_would_call_out_the_check_refuses(
    listener: Listener, data: st.DataObject
) -> None:
    """Differential: generated SERVICE forms with stray characters inserted; whenever
    Oxigraph, unchecked, calls the listener, the check refuses the query."""
    query = data.draw(service_queries(_base(listener), escapes=False))
    for position, text in data.draw(MUTATIONS):
        position %= len(query) + 1
        query = query[:position] + text + query[position:]
    called = _calls_unchecked(query, listener)
    event("Oxigraph called the listener" if called else "Oxigraph did not call out")
    if called:
        with pytest.raises(ServiceRefusedError):
            check_services(query, ())


@pytest.mark.parametrize("form", BYPASSES, ids=["glued", "lower-glued", "hash", "quote"])
def test_known_bypasses_call_the_service_unchecked_and_are_refused(
    listener: Listener, form: str
) -> None:
    """Forms that once got past a text check: Oxigraph really calls the endpoint for each,
    and the check refuses each."""
    query = form.format(base=_base(listener))
    before = len(listener.requests)
    _run_unchecked(query)
    assert len(listener.requests) == before + 1
    with pytest.raises(ServiceRefusedError, match="SERVICE"):
        check_services(query, ())


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=service_queries("http://127.0.0.1:9/"))
def test_every_generated_service_form_is_refused(data: str) -> None:
    """Keyword case, SILENT, escapes, IRI / prefixed / empty-prefix / BASE-relative / variable
    endpoints, comments between tokens, any nesting: refused with no allow-list, and refused
    with an allow-list that does not hold the endpoint."""
    with pytest.raises(ServiceRefusedError):
        check_services(data, ())
    with pytest.raises(ServiceRefusedError):
        check_services(data, ("http://127.0.0.1:8/sparql",))


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "customer service" }',
        "SELECT ?service { ?service ?p ?o }",
        "PREFIX ex: <http://e/> SELECT * { ?s ex:service ?o }",
        "SELECT * { ?s ?p <http://x/service/1> } # SERVICE <http://y/>",
        "SELECT * { ?s ?p '''SERVICE <http://x/> {}''' }",
    ],
    ids=["string", "variable", "local-name", "iri-and-comment", "long-string"],
)
def test_the_word_elsewhere_is_not_a_service(query: str) -> None:
    """The word in strings, IRIs, comments, variables and local names calls nothing."""
    assert service_calls(query) == []
    check_services(query, ())


@pytest.mark.parametrize(
    "form",
    [
        "SELECT * WHERE {{ SERVICESILENT<{base}sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p trueSERVICE<{base}sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ SERVICE$x {{ ?s ?p ?o }} VALUES ?x {{ <{base}sparql> }} }}",
        "SELECT * WHERE {{ # c\rSERVICE <{base}sparql> {{ ?s ?p ?o }} }}",
        'SELECT * WHERE {{ ?s ?p "a\\u0022" . SERVICE <{base}sparql> {{ ?s ?p ?o }} }}',
        "SELECT * WHERE {{ SERVICE <{base}sparql> {{ ?s ?p ?o }}",
    ],
    ids=["silent-glued", "after-literal", "dollar", "cr-ends-comment", "escaped-quote", "bad"],
)
def test_forms_where_parsers_differ_are_refused(form: str) -> None:
    """Where rdflib's grammar and Oxigraph's part ways (or the query does not parse), the
    query is refused, never run."""
    with pytest.raises(ServiceRefusedError):
        check_services(form.format(base="http://127.0.0.1:9/"), ())


def test_allow_listed_endpoint_passes_only_as_an_absolute_iri() -> None:
    """An allow-listed endpoint may be called, written in full or by prefix; written
    relative to BASE, or with escapes, it is refused."""
    allowed = ("http://data.example/sparql",)
    check_services("SELECT * { SERVICE <http://data.example/sparql> { ?s ?p ?o } }", allowed)
    check_services(
        "PREFIX d: <http://data.example/> SELECT * { SERVICE SILENT d:sparql { ?s ?p ?o } }",
        allowed,
    )
    for query in [
        "BASE <http://data.example/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://data.example/\\u0073parql> { ?s ?p ?o } }",
        "SELECT * { SERVICE <http://data.example/sparql> {} SERVICE <http://other/> {} }",
    ]:
        with pytest.raises(ServiceRefusedError, match="not allowed"):
            check_services(query, allowed)
