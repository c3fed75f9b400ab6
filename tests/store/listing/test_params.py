"""Reading and resolving the parameters of a list: every request is a query, or a
``ParameterError`` naming what is wrong; every query accepted is valid SPARQL."""

from __future__ import annotations

import pyoxigraph
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from opendatacommunities.errors import ParameterError
from opendatacommunities.store.listing.names import Form, Kind, Vocabulary
from opendatacommunities.store.listing.params import (
    MAX_PAGE_SIZE,
    Condition,
    Path,
    SortKey,
    read_parameters,
)
from opendatacommunities.store.listing.query import ListQuery, Scope, resolve
from opendatacommunities.store.listing.sparql import count_query, page_query, values_query
from opendatacommunities.vocab import RDF, XSD

BASE = "http://h"
MAX_PAGE = 100_000
"""The site's bound on pages (``web.target.MAX_PAGE``)."""
KINDS: dict[str, Kind] = {
    "http://h/def/geography/parent": "iri",
    "http://h/def/geography/population": "number",
    "http://h/def/geography/opened": "date",
    "http://h/def/geography/checked": "datetime",
    "http://h/def/geography/live": "boolean",
    "http://www.w3.org/2000/01/rdf-schema#label": "text",
    "http://h/def/other/parent": "iri",
}
FORMS = (Form("en", RDF + "langString"), Form("", XSD + "string"))
VOCABULARY = Vocabulary.of(
    BASE,
    [iri for iri in KINDS if "rdf-schema" not in iri and "other" not in iri],
    KINDS.get,
    ["http://h/def/geography/Ward"],
    lambda iri: FORMS if iri.endswith("#label") else None,
)
SCOPE = Scope(
    VOCABULARY,
    lambda text: f"{BASE}/graph/{text}" if text == "wards" else None,
    lambda kind: True,
)


def test_names_paths_and_operators() -> None:
    """``min-``/``max-``/``exists-`` prefixes, dotted paths, several sort keys, columns."""
    parameters = read_parameters(
        [
            ("type", "Ward"),
            ("min-population", "10"),
            ("parent.label", "Glasgow City"),
            ("exists-live", "false"),
            ("_sort", "-population,label"),
            ("_properties", "label,parent.label"),
            ("_pageSize", "20"),
            ("page", "3"),
        ],
        max_page=MAX_PAGE,
    )
    assert parameters.conditions == (
        Condition("min", Path(("population",)), "10", "min-population"),
        Condition("eq", Path(("parent", "label")), "Glasgow City", "parent.label"),
        Condition("exists", Path(("live",)), "false", "exists-live"),
    )
    assert parameters.sort == (SortKey(Path(("population",)), True), SortKey(None, False))
    assert parameters.properties == (None, Path(("parent", "label")))
    assert (parameters.page, parameters.page_size) == (3, 20)


@pytest.mark.parametrize(
    ("items", "name"),
    [
        ([("type", "Ward"), ("_pageSize", str(MAX_PAGE_SIZE + 1))], "_pageSize"),
        ([("type", "Ward"), ("type", "Area")], "type"),
        ([("type", "Ward"), ("_page", "2"), ("page", "2")], "_page"),
        ([("type", "Ward"), ("exists-live", "maybe")], "exists-live"),
        ([("type", "Ward"), ("parent..label", "x")], "parent..label"),
        ([("type", "Ward"), ("population", " ")], "population"),
        ([("type", "Ward"), ("_format", "json")], "_format"),
        ([("exists-live", "false")], "type"),
        ([("type", "Ward"), ("q", "x" * 201)], "q"),
        ([("type", "Ward"), ("_sort", "a.b.c.d.e.f")], "_sort"),
    ],
)
def test_malformed_parameters_are_named(items: list[tuple[str, str]], name: str) -> None:
    """Each malformed parameter is named in the error."""
    with pytest.raises(ParameterError) as caught:
        read_parameters(items, max_page=MAX_PAGE)
    assert name in [p.name for p in caught.value.problems]


@pytest.mark.parametrize(
    ("items", "name"),
    [
        ([("min-population", "lots")], "min-population"),
        ([("opened", "2020-13-01")], "opened"),
        ([("min-checked", "2020-01-01 10:00")], "min-checked"),
        ([("live", "yes")], "live"),
        ([("parent", "Glasgow")], "parent"),
        ([("unknown", "1")], "unknown"),
        ([("geography:unknown", "1")], "geography:unknown"),
        ([("type", "Ward"), ("_sort", "nothing")], "_sort"),
        ([("type", "Nothing")], "type"),
        ([("type", "Ward"), ("dataset", "elsewhere")], "dataset"),
    ],
)
def test_unresolved_names_and_values_are_named(items: list[tuple[str, str]], name: str) -> None:
    """Names that stand for nothing and values not of the property's kind are named."""
    with pytest.raises(ParameterError) as caught:
        resolve(read_parameters(items, max_page=MAX_PAGE), SCOPE)
    assert name in [p.name for p in caught.value.problems]


def test_a_local_name_two_properties_share_needs_a_curie() -> None:
    """``parent`` is a local name of two declared properties: the error names both CURIEs."""
    vocabulary = Vocabulary.of(BASE, list(KINDS), KINDS.get)
    scope = Scope(vocabulary, SCOPE.graph_of, SCOPE.has_instances)
    with pytest.raises(ParameterError, match="geography:parent") as caught:
        resolve(read_parameters([("parent", "http://x/y")], max_page=MAX_PAGE), scope)
    assert "/def/other/parent" in str(caught.value)
    with pytest.raises(ParameterError) as caught:
        resolve(read_parameters([("exists-parent.label", "true")], max_page=MAX_PAGE), scope)
    assert [(p.name, p.value) for p in caught.value.problems] == [
        ("exists-parent.label", "parent.label")
    ]
    chosen = resolve(
        read_parameters([("geography:parent", "http://x/y")], max_page=MAX_PAGE), scope
    )
    assert chosen.filters[0].path.iris == ("http://h/def/geography/parent",)


def test_values_are_typed_by_the_data() -> None:
    """Numbers, dates, IRIs (full, CURIE, site path) and text become terms of their kind."""
    query = resolve(
        read_parameters(
            [
                ("min-population", "1e3"),
                ("max-opened", "2020-01-31"),
                ("parent", "/id/x"),
                ("geography:parent", "geography:Ward"),
                ("rdfs:label", 'say "hi"'),
                ("min-checked", "2020-01-31"),
            ],
            max_page=MAX_PAGE,
        ),
        SCOPE,
    )
    terms = [f.term for f in query.filters]
    assert query.filters[4].choices == ('"say \\"hi\\""@en', '"say \\"hi\\""')
    assert terms == [
        '"1e3"^^<http://www.w3.org/2001/XMLSchema#double>',
        '"2020-01-31"^^<http://www.w3.org/2001/XMLSchema#date>',
        "<http://h/id/x>",
        "<http://h/def/geography/Ward>",
        '"say \\"hi\\""',
        '"2020-01-31T00:00:00"^^<http://www.w3.org/2001/XMLSchema#dateTime>',
    ]


NAMES = st.sampled_from(
    [
        "type",
        "dataset",
        "q",
        "page",
        "_page",
        "_pageSize",
        "_sort",
        "_properties",
        "_view",
        "population",
        "min-population",
        "max-opened",
        "exists-live",
        "parent.label",
        "geography:parent",
        "rdfs:label",
        "min-checked",
        "live",
        "label",
    ]
)
VALUES = st.one_of(
    st.sampled_from(
        ["Ward", "wards", "true", "false", "-population,label", "label,parent", "2", "500"]
    ),
    st.sampled_from(["http://h/id/x", "/id/y", "geography:Ward", "2020-01-01", "1.5", "-3"]),
    st.text(max_size=30),
)
TEXT_ITEMS = st.lists(st.tuples(st.one_of(NAMES, st.text(max_size=20)), VALUES), max_size=8)


@settings(max_examples=400, deadline=None)
@given(TEXT_ITEMS)
def test_a_query_or_a_clean_parameter_error(items: list[tuple[str, str]]) -> None:
    """Whatever the parameters, the parser gives a query whose SPARQL parses, or a
    ``ParameterError`` whose every problem names a parameter; nothing else."""
    try:
        query = resolve(read_parameters(items, max_page=MAX_PAGE), SCOPE)
    except ParameterError as exc:
        assert exc.problems and all(p.name for p in exc.problems)
        assert all(p.reason for p in exc.problems)
        return
    assert isinstance(query, ListQuery)
    store = pyoxigraph.Store()
    for text in (
        page_query(query),
        count_query(query),
        values_query(["http://h/a"], query.columns),
    ):
        store.query(text)
