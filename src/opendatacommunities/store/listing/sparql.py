"""The SPARQL of a list: which items (a page of them, in order), how many (up to a cap), and
their values (a CONSTRUCT of the page's items).

Every IRI is written by pyoxigraph's ``NamedNode`` (which refuses anything that is not an
IRI) and every value arrives already written as a term by ``names.value_term``: nothing a
client sends is pasted into a query as it came.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyoxigraph import NamedNode

from opendatacommunities.store.listing.query import Filter, ListQuery, PropertyPath, Sort
from opendatacommunities.vocab import RDF_TYPE, RDFS_LABEL, SKOS_NOTATION, SKOS_PREF_LABEL

COUNT_CAP = 10_000
"""Counts stop here: a longer list is "more than 10,000", never a guess."""
VALUES_CAP = 100_000
"""The most statements the values of one page may take."""
SHOWN = (SKOS_PREF_LABEL, RDFS_LABEL, SKOS_NOTATION, RDF_TYPE)
"""What every page fetches of each item: names, code and types."""
_LABELS = f"{NamedNode(SKOS_PREF_LABEL)}|{NamedNode(RDFS_LABEL)}"
_COMPARE = {"eq": "=", "min": ">=", "max": "<="}


def iri(text: str) -> str:
    """``text`` as a SPARQL IRI term (``<...>``); ``ValueError`` if it is not an IRI."""
    return str(NamedNode(text))


def _steps(path: PropertyPath) -> str:
    return "/".join(iri(step) for step in path.iris)


def _filter(number: int, found: Filter) -> str:
    path, var = _steps(found.path), f"?f{number}"
    if found.op == "exists":
        negation = "" if found.term == "true" else "NOT "
        return f"FILTER {negation}EXISTS {{ ?item {path} {var} }}"
    if found.op == "eq" and found.path.kind == "iri":
        return f"?item {path} {found.term} ."
    if found.choices is not None:
        # Each form of the text, looked up in the index: no scan of every value.
        return f"?item {path} {var} . VALUES {var} {{ {' '.join(found.choices)} }}"
    value = f"STR({var})" if found.path.kind == "text" else var
    return f"?item {path} {var} . FILTER({value} {_COMPARE[found.op]} {found.term})"


def _members(query: ListQuery) -> str:
    """The pattern binding ``?item`` to each resource of the type and dataset."""
    if query.kind is None and query.graph is None:
        return ""
    kind = "?anyType" if query.kind is None else iri(query.kind)
    pattern = f"?item {iri(RDF_TYPE)} {kind} ."
    return pattern if query.graph is None else f"GRAPH {iri(query.graph)} {{ {pattern} }}"


def where(query: ListQuery) -> str:
    """The graph pattern the items of ``query`` match (binding ``?item``)."""
    lines = []
    if query.candidates is not None:
        lines.append("VALUES ?item { " + " ".join(iri(c) for c in query.candidates) + " }")
    lines.append(_members(query))
    lines += [_filter(n, f) for n, f in enumerate(query.filters)]
    return "\n  ".join(line for line in lines if line)


def _key(number: int, key: Sort) -> tuple[str, str]:
    """The optional pattern of a sort key and its aggregate (lowest value first, highest
    first when descending)."""
    var = f"?s{number}"
    if key.path is None:
        pattern, value = f"OPTIONAL {{ ?item {_LABELS} {var} }}", f"LCASE(STR({var}))"
    else:
        pattern, value = f"OPTIONAL {{ ?item {_steps(key.path)} {var} }}", var
    aggregate = "MAX" if key.descending else "MIN"
    return pattern, f"({aggregate}({value}) AS ?k{number})"


def page_query(query: ListQuery, *, by_name: bool = True) -> str:
    """The items of the page (and one more, to know whether another page follows), in
    order: by each sort key (by name without one, when ``by_name``), items without a value
    last, then by IRI. With no key and not ``by_name``, in the store's order: no sort, so
    a page of millions costs what it shows (the order is fixed, as the release is)."""
    if not query.sort and not by_name:
        return (
            f"SELECT DISTINCT ?item WHERE {{\n  {where(query)}\n}} "
            f"LIMIT {query.page_size + 1} OFFSET {query.offset}"
        )
    keys = query.sort or (Sort(None, descending=False),)
    parts = [_key(n, key) for n, key in enumerate(keys)]
    order = " ".join(
        f"(!BOUND(?k{n})) {'DESC' if key.descending else 'ASC'}(?k{n})"
        for n, key in enumerate(keys)
    )
    return (
        f"SELECT ?item {' '.join(a for _, a in parts)} WHERE {{\n  {where(query)}\n  "
        + "\n  ".join(p for p, _ in parts)
        + f"\n}} GROUP BY ?item ORDER BY {order} ?item "
        f"LIMIT {query.page_size + 1} OFFSET {query.offset}"
    )


def count_query(query: ListQuery) -> str:
    """How many items there are, counting no further than one past ``COUNT_CAP``."""
    return (
        f"SELECT (COUNT(?item) AS ?n) WHERE {{ SELECT DISTINCT ?item WHERE {{\n  "
        f"{where(query)}\n}} LIMIT {COUNT_CAP + 1} }}"
    )


def _branch(number: int, path: PropertyPath) -> str:
    """The triples along ``path`` from ``?item``, one variable per step."""
    triples, subject = [], "?item"
    for step, prop in enumerate(path.iris):
        node = f"?v{number}_{step}"
        triples.append(f"{subject} {iri(prop)} {node} .")
        subject = node
    return " ".join(triples)


def values_query(items: Iterable[str], columns: Iterable[PropertyPath | None]) -> str:
    """The statements a page shows of ``items``: their names, codes and types, and the
    values along each column's path (with the resources on the way)."""
    shown = [PropertyPath((p,), p, "text") for p in SHOWN]
    paths = [*shown, *(c for c in columns if c is not None)]
    branches = [_branch(n, path) for n, path in enumerate(dict.fromkeys(paths))]
    template = " ".join(branches)
    union = " UNION ".join(f"{{ {b} }}" for b in branches)
    values = " ".join(iri(item) for item in items)
    return (
        f"CONSTRUCT {{ {template} }} WHERE {{ VALUES ?item {{ {values} }} {union} }} "
        f"LIMIT {VALUES_CAP}"
    )
