"""The pages of ``/sparql`` that are not query results: the editor and the SPARQL 1.1
Service Description."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities import vocab
from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import BY_SUFFIX, GRAPH_FORMATS, RDF_FORMATS, SOLUTION_FORMATS
from opendatacommunities.store import NamedQuery
from opendatacommunities.store.query.prefixes import query_prefixes
from opendatacommunities.store.terms import BlankNode, Literal, NamedNode, Triple, serialize
from opendatacommunities.vocab import SD, SH, XSD
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.negotiation import choose

RDF_TYPE = NamedNode(vocab.RDF_TYPE)
XSD_ANY_URI = NamedNode(XSD + "anyURI")


def _sd(name: str) -> NamedNode:
    return NamedNode(SD + name)


def description_triples(
    endpoint: str,
    graphs: list[str],
    *,
    federated: bool = False,
    prefixes: Mapping[str, str] | None = None,
) -> list[Triple]:
    """The service description: languages, formats, the union default graph, named graphs,
    the ``prefixes`` a query may use undeclared; basic federated query only when
    ``federated`` (some ``SERVICE`` endpoint is allowed)."""
    service, dataset, default = NamedNode(endpoint), BlankNode(), BlankNode()
    triples = [
        Triple(service, RDF_TYPE, _sd("Service")),
        Triple(service, _sd("endpoint"), service),
        Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        Triple(service, _sd("defaultDataset"), dataset),
        Triple(dataset, RDF_TYPE, _sd("Dataset")),
        Triple(dataset, _sd("defaultGraph"), default),
        Triple(default, RDF_TYPE, _sd("Graph")),
    ]
    if federated:
        triples.append(Triple(service, _sd("feature"), _sd("BasicFederatedQuery")))
    triples += [
        Triple(service, _sd("resultFormat"), NamedNode(f.iri))
        for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)
        if f.iri
    ]
    triples += prefix_triples(service, prefixes or {})
    for graph in graphs:
        named = BlankNode()
        triples += [
            Triple(dataset, _sd("namedGraph"), named),
            Triple(named, RDF_TYPE, _sd("NamedGraph")),
            Triple(named, _sd("name"), NamedNode(graph)),
        ]
    return triples


def prefix_triples(service: NamedNode, prefixes: Mapping[str, str]) -> list[Triple]:
    """The prefixes a query may use without declaring them, as SHACL's prefix declarations
    (``sh:declare [ sh:prefix "qb" ; sh:namespace "..."^^xsd:anyURI ]``, the W3C vocabulary
    for them; the Service Description vocabulary has none)."""
    triples = []
    for name, namespace in sorted(prefixes.items()):
        declaration = BlankNode()
        triples += [
            Triple(service, NamedNode(SH + "declare"), declaration),
            Triple(declaration, NamedNode(SH + "prefix"), Literal(name)),
            Triple(
                declaration, NamedNode(SH + "namespace"), Literal(namespace, datatype=XSD_ANY_URI)
            ),
        ]
    return triples


def service_description(request: Request, context: AppContext, suffix: str | None) -> Response:
    """The SPARQL 1.1 Service Description of the endpoint, in any RDF format.

    :raises NotAcceptableError: when the client accepts no RDF format.
    :raises NotFoundError: for a suffix that names no RDF format.
    """
    if suffix is not None:
        fmt = BY_SUFFIX.get(suffix)
        if fmt is None or fmt.rdf is None:
            raise NotFoundError(f"The service description is not available as .{suffix}.")
    else:
        fmt = choose(request.headers.get("accept"), RDF_FORMATS, "The service description")
    graphs = context.live.current().graph_names()
    endpoint = context.iris.url("/sparql")
    triples = description_triples(
        endpoint,
        graphs,
        federated=bool(context.settings.sparql_services),
        prefixes=query_prefixes(context.settings.base_iri),
    )
    assert fmt.rdf is not None
    body = serialize(triples, format=fmt.rdf, prefixes={"sd": SD, "sh": SH}) or b""
    headers = {"content-type": fmt.content_type, "vary": "Accept"}
    return Response(body, headers={**headers, "access-control-allow-origin": "*"})


def _constant(value: str) -> Callable[[re.Match[str]], str]:
    return lambda _: value


def example_text(query: NamedQuery) -> str:
    """The query with each parameter replaced by its example value, for the editor: a
    constant in the pattern, ``(value AS ?name)`` in the ``SELECT`` list.

    Only the examples written in the query files go into the text (never a client's value:
    named queries bind those as terms).
    """
    text = "\n".join(line for line in query.text.splitlines() if not line.startswith("# "))
    where = re.search(r"\bWHERE\b", text, re.IGNORECASE)
    split = where.start() if where else 0
    head, body = text[:split], text[split:]
    for parameter in query.parameters:
        if parameter.example is None:
            continue
        value = str(parameter.term(parameter.example))
        variable = rf"[?$]{parameter.name}\b"
        # A function as replacement: the value is inserted as it is, backslashes included.
        head = re.sub(variable, _constant(f"({value} AS ?{parameter.name})"), head)
        body = re.sub(variable, _constant(value), body)
    return (head + body).strip() + "\n"


def editor_page(request: Request, context: AppContext, query: str) -> Response:
    """The query editor (Yasgui, served from this site), with examples for this site's data."""
    examples = [{"name": q.title, "query": example_text(q)} for q in context.named_queries.values()]
    template = context.templates.get_template("sparql.html")
    body = template.render(
        query=query,
        base_iri=context.settings.base_iri,
        examples=examples,
        prefixes=sorted(query_prefixes(context.settings.base_iri).items()),
        result_types=", ".join(f.media_type for f in (*SOLUTION_FORMATS, *GRAPH_FORMATS)),
    )
    return Response(body, headers={"content-type": "text/html; charset=utf-8", "vary": "Accept"})
