"""JSON-LD with a readable ``@context``: short property names, prefixes, compact IRIs.

pyoxigraph writes expanded JSON-LD only (full IRIs everywhere); people reading our JSON-LD
should see ``"label": "Linn"``, not ``"http://www.w3.org/2000/01/rdf-schema#label"``. The
output is plain JSON-LD 1.1 that any processor expands back to exactly the same triples.

>>> from opendatacommunities.store.terms import Literal, NamedNode, Triple
>>> t = Triple(NamedNode("http://h/id/a"), NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
...            Literal("A"))
>>> document = to_jsonld([t], {"rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
>>> document["@context"]["label"], document["label"]
({'@id': 'rdfs:label'}, 'A')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from opendatacommunities.iris import compact, local_name
from opendatacommunities.store.terms import BlankNode, Literal, NamedNode, Triple
from opendatacommunities.vocab import RDF_TYPE, XSD

JsonValue = str | dict[str, str]
_TERM = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_XSD_STRING = XSD + "string"


def _node_id(term: NamedNode | BlankNode, prefixes: Mapping[str, str]) -> str:
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return compact(term.value, dict(prefixes)) or term.value


def _term_names(
    triples: Sequence[Triple], prefixes: Mapping[str, str]
) -> dict[str, tuple[str, bool]]:
    """Map each predicate IRI to (key used in the JSON, whether its values are all IRIs)."""
    objects_are_ids: dict[str, bool] = {}
    for triple in triples:
        is_id = not isinstance(triple.object, Literal)
        predicate = triple.predicate.value
        objects_are_ids[predicate] = objects_are_ids.get(predicate, True) and is_id
    names: dict[str, tuple[str, bool]] = {}
    taken = set(prefixes)
    locals_count: dict[str, int] = {}
    for predicate in objects_are_ids:
        name = local_name(predicate)
        locals_count[name] = locals_count.get(name, 0) + 1
    for predicate, is_id in objects_are_ids.items():
        name = local_name(predicate)
        if predicate == RDF_TYPE:
            # Written as "@type"; only a literal type (odd, but legal) needs a key.
            names[predicate] = (compact(predicate, dict(prefixes)) or predicate, False)
            continue
        # A short name only where it is unambiguous; otherwise the compact IRI is the key.
        if _TERM.match(name) and locals_count[name] == 1 and name not in taken:
            taken.add(name)
            names[predicate] = (name, is_id)
        else:
            names[predicate] = (compact(predicate, dict(prefixes)) or predicate, False)
    return names


def _literal(literal: Literal, prefixes: Mapping[str, str]) -> JsonValue:
    if literal.language:
        return {"@value": literal.value, "@language": literal.language}
    datatype = literal.datatype.value
    if datatype == _XSD_STRING:
        return literal.value
    return {"@value": literal.value, "@type": compact(datatype, dict(prefixes)) or datatype}


def to_jsonld(triples: Sequence[Triple], prefixes: Mapping[str, str]) -> dict[str, object]:
    """A JSON-LD document for ``triples``: one node object, or an ``@graph`` of them."""
    names = _term_names(triples, prefixes)
    context: dict[str, object] = dict(prefixes)
    for predicate, (name, is_id) in names.items():
        if name == predicate or ":" in name:
            continue
        definition = {"@id": compact(predicate, dict(prefixes)) or predicate}
        if is_id:
            definition["@type"] = "@id"
        context[name] = definition
    nodes: dict[str, dict[str, object]] = {}
    for triple in triples:
        subject, obj = triple.subject, triple.object
        if isinstance(subject, Triple) or isinstance(obj, Triple):
            continue  # RDF-star terms have no place in our documents
        node_id = _node_id(subject, prefixes)
        node = nodes.setdefault(node_id, {"@id": node_id})
        key, value = _entry(triple.predicate.value, obj, names, prefixes)
        existing = node.get(key)
        if existing is None:
            node[key] = value
        elif isinstance(existing, list):
            existing.append(value)
        else:
            node[key] = [existing, value]
    if len(nodes) == 1:
        return {"@context": context, **next(iter(nodes.values()))}
    return {"@context": context, "@graph": list(nodes.values())}


def _entry(
    predicate: str,
    obj: NamedNode | BlankNode | Literal,
    names: Mapping[str, tuple[str, bool]],
    prefixes: Mapping[str, str],
) -> tuple[str, JsonValue]:
    if isinstance(obj, Literal):
        return names[predicate][0], _literal(obj, prefixes)
    if predicate == RDF_TYPE:
        return "@type", _node_id(obj, prefixes)
    key, coerced = names[predicate]
    ident = _node_id(obj, prefixes)
    return key, ident if coerced else {"@id": ident}
