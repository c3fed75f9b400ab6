"""``/catalog``: the site's DCAT catalogue in every RDF format, following DCAT-AP 3 (checked
against ``shapes/dcat-ap.ttl``), paged with Hydra (``hydra:next``, ``hydra:previous``,
``hydra:totalItems``) when it holds more than ``Settings.catalog_page_size`` datasets.

Each dataset is offered as one distribution per RDF format of its page, and one per full
dump (``/data/{dataset}/dump.nt.gz``, ``.ttl.gz``) with its size and SHA-256. The entries are
read once per release (a ``Slot``); each page of each format is written once and kept.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from opendatacommunities.errors import BadRequestError, NotFoundError
from opendatacommunities.formats import RDF_FORMATS, WebFormat
from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Release
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.dcat import CatalogueEntry, catalogue_entries
from opendatacommunities.store.terms import Literal, NamedNode, Triple
from opendatacommunities.vocab import DCAT, DCT, FOAF, RDF_TYPE, SPDX, XSD
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import get_context
from opendatacommunities.web.dumps import MEDIA_TYPE, DumpLink, dump_links
from opendatacommunities.web.http import release_headers
from opendatacommunities.web.representations import render_triples
from opendatacommunities.web.serving import serve_once
from opendatacommunities.web.void import rdf_format

PATH = "/catalog"
HYDRA = "http://www.w3.org/ns/hydra/core#"
IANA = "http://www.iana.org/assignments/media-types/"
SITE_NAME = "Open Data Communities"
CATALOGUE_ENTRIES: Slot[list[CatalogueEntry]] = Slot("catalogue-entries")


def _t(subject: str, predicate: str, value: str | Literal) -> Triple:
    obj = value if isinstance(value, Literal) else NamedNode(value)
    return Triple(NamedNode(subject), NamedNode(predicate), obj)


def _text(value: str) -> Literal:
    return Literal(value, language="en")


def catalogue_triples(iris: IriSpace, total: int) -> list[Triple]:
    """The catalogue itself and its publisher (DCAT-AP: title, description, publisher)."""
    catalogue, publisher = iris.catalogue(), iris.url(PATH + "#publisher")
    return [
        _t(catalogue, RDF_TYPE, DCAT + "Catalog"),
        _t(catalogue, DCT + "title", _text(f"{SITE_NAME}: datasets")),
        _t(catalogue, DCT + "description", _text(f"Every dataset published by {SITE_NAME}.")),
        _t(catalogue, DCT + "publisher", publisher),
        _t(catalogue, FOAF + "homepage", iris.url("/")),
        _t(publisher, RDF_TYPE, FOAF + "Agent"),
        _t(publisher, FOAF + "name", _text(SITE_NAME)),
        _t(
            catalogue,
            HYDRA + "totalItems",
            Literal(str(total), datatype=NamedNode(XSD + "integer")),
        ),
    ]


def entry_triples(
    iris: IriSpace, entry: CatalogueEntry, dumps: Sequence[DumpLink] = ()
) -> list[Triple]:
    """One dataset, with a distribution for each RDF format of its page and one for each of
    its ``dumps``. A dataset with no description is described by its title (DCAT-AP requires
    one; none is invented)."""
    node, title = entry.iri, entry.title or entry.iri.rsplit("/", 1)[-1]
    triples = [
        _t(iris.catalogue(), DCAT + "dataset", node),
        _t(node, RDF_TYPE, DCAT + "Dataset"),
        _t(node, DCT + "title", _text(title)),
        _t(node, DCT + "description", _text(entry.description or title)),
        _t(node, DCAT + "landingPage", iris.url(iris.page_path(node))),
    ]
    if entry.modified and entry.modified_type:
        modified = Literal(entry.modified, datatype=NamedNode(entry.modified_type))
        triples.append(_t(node, DCT + "modified", modified))
    if entry.publisher and entry.publisher_name:
        triples += [
            _t(node, DCT + "publisher", entry.publisher),
            _t(entry.publisher, RDF_TYPE, FOAF + "Agent"),
            _t(entry.publisher, FOAF + "name", _text(entry.publisher_name)),
        ]
    for fmt in RDF_FORMATS:
        triples += _distribution(iris, node, fmt, entry.licence)
    for dump in dumps:
        triples += dump_distribution(node, dump, entry.licence)
    return triples


def dump_distribution(node: str, dump: DumpLink, licence: str | None) -> list[Triple]:
    """A dataset's dump as a distribution: gzipped (``dcat:compressFormat``), with its size
    and its SHA-256."""
    distribution, checksum = f"{node}#dump-{dump.key}", f"{node}#dump-{dump.key}-sha256"
    triples = [
        _t(node, DCAT + "distribution", distribution),
        _t(distribution, RDF_TYPE, DCAT + "Distribution"),
        _t(distribution, DCT + "title", _text(f"Full dump ({dump.name}, gzipped)")),
        _t(distribution, DCAT + "accessURL", dump.url),
        _t(distribution, DCAT + "downloadURL", dump.url),
        _t(distribution, DCAT + "mediaType", IANA + dump.media_type),
        _t(distribution, DCAT + "compressFormat", IANA + MEDIA_TYPE),
        _t(
            distribution,
            DCAT + "byteSize",
            Literal(str(dump.file.bytes), datatype=NamedNode(XSD + "nonNegativeInteger")),
        ),
        _t(distribution, SPDX + "checksum", checksum),
        _t(checksum, RDF_TYPE, SPDX + "Checksum"),
        _t(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256"),
        _t(
            checksum,
            SPDX + "checksumValue",
            Literal(dump.file.sha256, datatype=NamedNode(XSD + "hexBinary")),
        ),
    ]
    if licence:
        triples.append(_t(distribution, DCT + "license", licence))
    return triples


def _distribution(iris: IriSpace, node: str, fmt: WebFormat, licence: str | None) -> list[Triple]:
    page = iris.url(iris.page_path(node))
    distribution = f"{node}#{fmt.key}"
    triples = [
        _t(node, DCAT + "distribution", distribution),
        _t(distribution, RDF_TYPE, DCAT + "Distribution"),
        _t(distribution, DCT + "title", _text(f"{fmt.name} description")),
        _t(distribution, DCAT + "accessURL", page),
        _t(distribution, DCAT + "downloadURL", f"{page}.{fmt.key}"),
        _t(distribution, DCAT + "mediaType", IANA + fmt.media_type),
    ]
    if fmt.iri:
        triples.append(_t(distribution, DCT + "format", fmt.iri))
    if licence:
        triples.append(_t(distribution, DCT + "license", licence))
    return triples


def _view(iris: IriSpace, page: int, pages: int, suffix: str) -> list[Triple]:
    """Hydra's view of one page of the catalogue, with links to its neighbours."""
    here = iris.url(f"{PATH}{suffix}?page={page}")
    triples = [
        _t(iris.catalogue(), HYDRA + "view", here),
        _t(here, RDF_TYPE, HYDRA + "PartialCollectionView"),
        _t(here, HYDRA + "first", iris.url(f"{PATH}{suffix}?page=1")),
        _t(here, HYDRA + "last", iris.url(f"{PATH}{suffix}?page={pages}")),
    ]
    if page > 1:
        triples.append(_t(here, HYDRA + "previous", iris.url(f"{PATH}{suffix}?page={page - 1}")))
    if page < pages:
        triples.append(_t(here, HYDRA + "next", iris.url(f"{PATH}{suffix}?page={page + 1}")))
    return triples


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise BadRequestError(f"page must be a whole number from 1, not {text!r}.")
    return int(text)


def _dumps(release: Release, iris: IriSpace, dataset: str) -> list[DumpLink]:
    """The dumps of the dataset ``dataset`` (an IRI) if it is one of this site's."""
    prefix = iris.dataset("")
    return (
        dump_links(release, iris, dataset.removeprefix(prefix))
        if dataset.startswith(prefix)
        else []
    )


def _entries(release: Release, catalogue: str) -> list[CatalogueEntry]:
    return release.cache.once(CATALOGUE_ENTRIES, lambda: catalogue_entries(release, catalogue))


async def catalog(request: Request, suffix: str | None = None) -> Response:
    """One page of the DCAT catalogue, in the format the suffix names or the client prefers."""
    fmt, context, page = (
        rdf_format(request, suffix, "catalogue"),
        get_context(request),
        _page_number(request),
    )
    release, iris, size = context.live.current(), context.iris, context.settings.catalog_page_size
    entries = await run_in_threadpool(_entries, release, iris.catalogue())
    pages = max(1, -(-len(entries) // size))
    if page > pages:
        raise NotFoundError(f"There is no page {page}: the catalogue has {pages}.")

    async def render() -> Rendered:
        triples = catalogue_triples(iris, len(entries))
        for entry in entries[(page - 1) * size : page * size]:
            triples += entry_triples(iris, entry, _dumps(release, iris, entry.iri))
        if pages > 1:
            triples += _view(iris, page, pages, f".{suffix}" if suffix else "")
        headers = release_headers(release, fmt.content_type, f"catalog-{page}-{fmt.key}")
        if suffix is None:
            headers["vary"] = "Accept"
        body = await run_in_threadpool(render_triples, triples, fmt, iris)
        return Rendered(body, headers, headers["etag"])

    key = (release.id, "catalog", fmt.key, suffix, page)
    return await serve_once(request, release.id, key, render)
