"""Write a described resource in every format of the web's format table.

RDF formats hold the resource's triples (with the blank nodes they reach), the incoming links
on the requested page, and the labels of every linked resource, so that a linked-data client
can show names without another request. Plain JSON and CSV give the same content as tables
for people who do not use RDF.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable

from jinja2 import Environment

from opendatacommunities.formats import CSV, HTML, JSON, JSON_LD, WebFormat
from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Description
from opendatacommunities.store.terms import BlankNode, Literal, NamedNode, Triple, serialize
from opendatacommunities.vocab import RDF, XSD
from opendatacommunities.web.cube.areas import statistics_json
from opendatacommunities.web.dataset_facts import facts_json
from opendatacommunities.web.jsonld import to_jsonld
from opendatacommunities.web.places.areas import place_json
from opendatacommunities.web.stars import stars_json
from opendatacommunities.web.views import PageView, PropertyView, ValueView

# Datatypes Turtle writes without naming them: they need no prefix.
_IMPLICIT = {XSD + "string", RDF + "langString"}
CSV_COLUMNS = [
    "subject",
    "predicate",
    "predicate_label",
    "object",
    "object_label",
    "datatype",
    "language",
]


def _iris_in(triples: Iterable[Triple]) -> Iterable[str]:
    for triple in triples:
        yield triple.predicate.value
        for term in (triple.subject, triple.object):
            if isinstance(term, NamedNode):
                yield term.value
            elif isinstance(term, Literal) and term.datatype.value not in _IMPLICIT:
                yield term.datatype.value


def _ordered(description: Description) -> list[Triple]:
    # The resource's own triples first, then grouped by subject: Turtle then reads as one
    # block about the resource followed by one block per linked resource.
    own = NamedNode(description.iri)
    triples = description.document_triples()
    return sorted(triples, key=lambda t: (t.subject != own, str(t.subject)))


def render_rdf(description: Description, fmt: WebFormat, iris: IriSpace) -> bytes:
    """Turtle, N-Triples, RDF/XML or JSON-LD."""
    return render_triples(_ordered(description), fmt, iris)


def render_triples(triples: list[Triple], fmt: WebFormat, iris: IriSpace) -> bytes:
    """``triples`` in Turtle, N-Triples, RDF/XML or JSON-LD, with the prefixes they use."""
    prefixes = iris.prefixes_for(set(_iris_in(triples)))  # each IRI once: most repeat
    if fmt is JSON_LD:
        document = to_jsonld(triples, prefixes)
        return json.dumps(document, ensure_ascii=False, indent=2).encode()
    assert fmt.rdf is not None
    body = serialize(triples, format=fmt.rdf, prefixes=prefixes)
    assert body is not None  # no output file given: serialize returns the bytes
    return body


def _term_text(term: NamedNode | BlankNode | Literal | Triple) -> str:
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    return str(term) if isinstance(term, Triple) else term.value


def render_csv(description: Description) -> bytes:
    """One row per triple, with the labels of predicate and object."""
    summaries = description.summaries
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for triple in _ordered(description):
        obj = triple.object
        predicate = summaries.get(triple.predicate.value)
        target = summaries.get(obj.value) if isinstance(obj, NamedNode) else None
        literal = obj if isinstance(obj, Literal) else None
        writer.writerow(
            [
                _term_text(triple.subject),
                triple.predicate.value,
                (predicate.label if predicate else None) or "",
                _term_text(obj),
                (target.label if target else None) or "",
                literal.datatype.value if literal and not literal.language else "",
                (literal.language or "") if literal else "",
            ]
        )
    return out.getvalue().encode()


def _value_json(value: ValueView) -> dict[str, object]:
    if value.link is not None:
        return _link_json(value.link.iri, value.link.text, value.link.kinds, value.link.notation)
    if value.nested:
        return {"properties": [_property_json(p) for p in value.nested]}
    if value.lexical:
        return {"value": value.lexical, "note": value.datatype, "text": value.text}
    entry: dict[str, object] = {"value": value.text}
    if value.note:
        entry["note"] = value.note
    if value.truncated:
        entry["truncated"] = True
    return entry


def _link_json(iri: str, label: str, kinds: str, notation: str | None) -> dict[str, object]:
    entry: dict[str, object] = {"uri": iri, "label": label}
    if kinds:
        entry["type"] = kinds
    if notation:
        entry["notation"] = notation
    return entry


def _property_json(prop: PropertyView) -> dict[str, object]:
    return {
        "property": prop.property.iri,
        "label": prop.property.text,
        "values": [_value_json(v) for v in prop.values],
    }


def render_json(view: PageView) -> bytes:
    """The page as plain JSON: the resource by name, its properties, incoming links."""
    subject = view.subject
    document = {
        **_link_json(subject.iri, subject.text, subject.kinds, subject.notation),
        "properties": [_property_json(p) for p in view.properties],
        "incoming": {
            "total": view.incoming_total,
            "page": view.page,
            "pages": view.pages,
            "groups": [
                {
                    "property": group.property.iri,
                    "heading": group.heading,
                    "count": group.count,
                    "items": [_link_json(i.iri, i.text, i.kinds, i.notation) for i in group.items],
                }
                for group in view.incoming
            ],
        },
        "formats": dict(view.formats),
    }
    if view.statistics:
        document["statistics"] = statistics_json(view.statistics)
    if view.dataset is not None:
        document["dataset"] = facts_json(view.dataset)
    if view.stars is not None:
        document["stars"] = stars_json(view.stars)
    if view.place is not None:
        document["profile"] = place_json(view.place)
    return json.dumps(document, ensure_ascii=False, indent=2).encode()


def render(
    description: Description,
    view: Callable[[], PageView],
    fmt: WebFormat,
    iris: IriSpace,
    templates: Environment,
    schema_org: Callable[[], str | None] = lambda: None,
) -> bytes:
    """The body of ``fmt`` for a described resource; ``view`` is only built for the
    formats that show one (HTML, JSON), ``schema_org`` (the JSON-LD a dataset's page
    embeds) for HTML alone."""
    if fmt is HTML:
        page = templates.get_template("resource.html")
        return page.render(view=view(), schema_org=schema_org()).encode()
    if fmt is JSON:
        return render_json(view())
    if fmt is CSV:
        return render_csv(description)
    return render_rdf(description, fmt, iris)
