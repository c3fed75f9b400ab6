"""schema.org ``Dataset`` JSON-LD for a dataset's page, embedded in a
``<script type="application/ld+json">`` so that search engines list the dataset: its name,
description, licence, publisher, URL and a download for each RDF format of its page."""

from __future__ import annotations

import json

from opendatacommunities.formats import RDF_FORMATS
from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Release
from opendatacommunities.store.dcat import CatalogueEntry, dataset_entry

# Characters that would let text from the data end the <script> element or open a comment:
# written as JSON escapes, which mean the same to a JSON-LD processor.
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def schema_org_dataset(iris: IriSpace, entry: CatalogueEntry) -> dict[str, object]:
    """The schema.org description of one dataset."""
    url = iris.url(iris.page_path(entry.iri))
    name = entry.title or entry.iri.rsplit("/", 1)[-1]
    document: dict[str, object] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": entry.iri,
        "name": name,
        "description": entry.description or name,
        "url": url,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": f"{name} ({fmt.name})",
                "contentUrl": f"{url}.{fmt.key}",
                "encodingFormat": fmt.media_type,
            }
            for fmt in RDF_FORMATS
        ],
        "includedInDataCatalog": {"@type": "DataCatalog", "url": iris.url("/catalog")},
    }
    if entry.licence:
        document["license"] = entry.licence
    if entry.modified:
        document["dateModified"] = entry.modified
    if entry.publisher and entry.publisher_name:
        document["publisher"] = {
            "@type": "Organization",
            "@id": entry.publisher,
            "name": entry.publisher_name,
        }
    return document


def script_json(document: dict[str, object]) -> str:
    """``document`` as JSON safe to place inside a ``<script>`` element unescaped."""
    return json.dumps(document, ensure_ascii=False, indent=1).translate(_SCRIPT_SAFE)


def dataset_script(iris: IriSpace, release: Release, iri: str) -> str | None:
    """The JSON-LD to embed in the page of ``iri``, or None when it is not a dataset of this
    site (only IRIs under ``/data/`` are looked up)."""
    path = iris.local_path(iri)
    if path is None or not path.startswith("/data/"):
        return None
    entry = dataset_entry(release, iri)
    return None if entry is None else script_json(schema_org_dataset(iris, entry))
