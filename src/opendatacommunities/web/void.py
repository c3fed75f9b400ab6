"""``/.well-known/void``: a VoID description of the whole site (RFC 5785's well-known place
for it), in every RDF format: its SPARQL endpoint, URI space, size by class, each
dataset's full dumps (``void:dataDump``, on the site's dataset too), and the linksets to
the official geography URIs of ONS and statistics.gov.scot.

The figures are counted once per release (a ``Slot``); each format is written once and kept.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import RDF_FORMATS, WebFormat
from opendatacommunities.iris import IriSpace, local_name
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.terms import Literal, NamedNode, Triple
from opendatacommunities.store.void import VoidFigures, void_figures
from opendatacommunities.vocab import DCT, FOAF, OFFICIAL_GEOGRAPHY, RDF_TYPE, VOID, XSD
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import get_context
from opendatacommunities.web.dumps import dump_links, release_dumps
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.negotiation import choose
from opendatacommunities.web.representations import render_triples
from opendatacommunities.web.serving import serve_once

PATH = "/.well-known/void"
BY_SUFFIX = {f.key: f for f in RDF_FORMATS}
VOID_FIGURES: Slot[VoidFigures] = Slot("void-figures")


def _triple(subject: str, predicate: str, value: str | Literal) -> Triple:
    obj = value if isinstance(value, Literal) else NamedNode(value)
    return Triple(NamedNode(subject), NamedNode(predicate), obj)


def _count(value: int) -> Literal:
    return Literal(str(value), datatype=NamedNode(XSD + "integer"))


def _target(iris: IriSpace, space: str) -> str:
    return iris.url(f"{PATH}#{space.split('/')[2]}")


def void_triples(
    iris: IriSpace, figures: VoidFigures, dumps: Mapping[str, Sequence[str]] | None = None
) -> list[Triple]:
    """The description: the document, the site's dataset, its classes and its linksets;
    ``dumps`` gives the addresses of each dataset's full dumps (by dataset IRI)."""
    doc, site = iris.url(PATH), iris.url(PATH + "#dataset")
    triples = [
        _triple(doc, RDF_TYPE, VOID + "DatasetDescription"),
        _triple(doc, FOAF + "primaryTopic", site),
        _triple(site, RDF_TYPE, VOID + "Dataset"),
        _triple(site, DCT + "title", Literal("Open Data Communities")),
        _triple(site, VOID + "sparqlEndpoint", iris.url("/sparql")),
        _triple(site, VOID + "uriSpace", Literal(iris.base + "/")),
        _triple(site, VOID + "rootResource", iris.catalogue()),
        _triple(site, FOAF + "homepage", iris.url("/")),
        _triple(site, VOID + "triples", _count(figures.triples)),
        _triple(site, VOID + "classes", _count(len(figures.classes))),
    ]
    triples += _partitions(iris, site, figures) + _subsets(iris, site, figures)
    for dataset, urls in sorted((dumps or {}).items()):
        triples += [_triple(dataset, VOID + "dataDump", url) for url in urls]
        triples += [_triple(site, VOID + "dataDump", url) for url in urls]
    return triples


def _partitions(iris: IriSpace, site: str, figures: VoidFigures) -> list[Triple]:
    """The class partitions and the linksets of the site."""
    triples: list[Triple] = []
    for number, (cls, entities) in enumerate(figures.classes, start=1):
        partition = iris.url(f"{PATH}#class-{number}")
        triples += [
            _triple(site, VOID + "classPartition", partition),
            _triple(partition, VOID + "class", cls),
            _triple(partition, VOID + "entities", _count(entities)),
        ]
    for predicate, space, links in figures.links:
        linkset = iris.url(f"{PATH}#links-{space.split('/')[2]}-{local_name(predicate)}")
        triples += [
            _triple(site, VOID + "subset", linkset),
            _triple(linkset, RDF_TYPE, VOID + "Linkset"),
            _triple(linkset, VOID + "subjectsTarget", site),
            _triple(linkset, VOID + "objectsTarget", _target(iris, space)),
            _triple(linkset, VOID + "linkPredicate", predicate),
            _triple(linkset, VOID + "triples", _count(links)),
        ]
    return triples


def _subsets(iris: IriSpace, site: str, figures: VoidFigures) -> list[Triple]:
    """The datasets of the catalogue, and the sites linked to."""
    triples: list[Triple] = []
    for dataset, size in figures.datasets:
        triples += [
            _triple(site, VOID + "subset", dataset),
            _triple(dataset, RDF_TYPE, VOID + "Dataset"),
            _triple(dataset, VOID + "triples", _count(size)),
            _triple(dataset, VOID + "sparqlEndpoint", iris.url("/sparql")),
            _triple(dataset, FOAF + "page", iris.url(iris.page_path(dataset))),
        ]
    for space, (site, holds) in OFFICIAL_GEOGRAPHY.items():
        target = _target(iris, space)
        triples += [
            _triple(target, RDF_TYPE, VOID + "Dataset"),
            _triple(target, DCT + "title", Literal(f"{holds} ({site})")),
            _triple(target, VOID + "uriSpace", Literal(space)),
            _triple(target, FOAF + "homepage", space),
        ]
    return triples


def _figures(release: Release, catalogue: str) -> VoidFigures:
    def count() -> VoidFigures:
        return void_figures(release, tuple(OFFICIAL_GEOGRAPHY), catalogue)

    return release.cache.once(VOID_FIGURES, count)


def _dumps(release: Release, iris: IriSpace) -> dict[str, list[str]]:
    """The addresses of each dataset's dumps, by dataset IRI."""
    return {
        iris.dataset(name): [link.url for link in dump_links(release, iris, name)]
        for name in release_dumps(release)
    }


def rdf_format(request: Request, suffix: str | None, what: str) -> WebFormat:
    """The RDF format ``suffix`` names, else the one the client prefers; 404 for a suffix
    naming no RDF format, 406 naming the formats on offer when none is acceptable."""
    if suffix is not None:
        if suffix not in BY_SUFFIX:
            raise NotFoundError(f"There is no format .{suffix}; try one of " + ", ".join(BY_SUFFIX))
        return BY_SUFFIX[suffix]
    return choose(request.headers.get("accept"), RDF_FORMATS, f"The {what}")


async def void(request: Request, suffix: str | None = None) -> Response:
    """The VoID description, in the format the suffix names or the client prefers."""
    fmt, context = rdf_format(request, suffix, "VoID description"), get_context(request)
    release = context.live.current()

    async def render() -> Rendered:
        figures = await run_in_threadpool(_figures, release, context.iris.catalogue())
        dumps = await run_in_threadpool(_dumps, release, context.iris)
        body = render_triples(void_triples(context.iris, figures, dumps), fmt, context.iris)
        headers = release_headers(release, fmt.content_type, "void-" + fmt.key)
        if suffix is None:
            headers["vary"] = "Accept"
            headers["content-location"] = f"{PATH}.{fmt.key}"
        return Rendered(body, headers, headers["etag"])

    return await serve_once(request, release.id, (release.id, "void", fmt.key, suffix), render)
