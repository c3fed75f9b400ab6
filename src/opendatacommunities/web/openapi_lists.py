"""The OpenAPI description of ``/resources`` and ``/resources.{suffix}``: every parameter of
the Linked Data API's conventions the lists take, with what it does and examples."""

from __future__ import annotations

from collections.abc import Callable

from opendatacommunities.formats import CSV, HTML, JSON, RDF_FORMATS
from opendatacommunities.store.listing import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE
from opendatacommunities.store.listing.run import MAX_CANDIDATES
from opendatacommunities.store.listing.sparql import COUNT_CAP

ErrorResponse = Callable[[str], dict[str, object]]
_STRING = {"type": "string"}
_NAMES = (
    "Short property names are CURIEs with the site's prefixes (rdfs:label, "
    "geography:parent, dcterms:issued) or a property's local name alone (label, parent, "
    "notation) when a single property declared in the published vocabularies, or a common "
    "one, has it; a path follows properties in turn, separated by dots (parent.label)."
)


def _parameter(name: str, description: str, schema: object, *examples: str) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }
    if examples:
        entry["examples"] = {f"e{n}": {"value": value} for n, value in enumerate(examples)}
    return entry


_PAGE = {"type": "integer", "minimum": 1, "maximum": 100_000}
_PARAMETERS = [
    _parameter(
        "type",
        "The class to list: its IRI, a CURIE, or the local name of a class with members.",
        _STRING,
        "ElectoralWard",
        "geography:CouncilArea",
    ),
    _parameter(
        "dataset",
        "Only resources typed in this dataset's graph: its name, its IRI or its graph's IRI.",
        _STRING,
        "reference-geography",
    ),
    _parameter(
        "q",
        "Only resources whose name or code matches this text, as /search matches (with "
        f"other filters, the text may match at most {MAX_CANDIDATES:,} resources).",
        {"type": "string", "maxLength": 200},
        "linn",
    ),
    _parameter(
        "filters",
        "Any number of {path}=value (values equal to it), min-{path}=value and "
        "max-{path}=value (inclusive bounds) and exists-{path}=true|false. Values are read "
        "as the data holds them: numbers compare as numbers, dates (YYYY-MM-DD) as dates, "
        "IRIs (full, a CURIE, or a path of this site such as /id/...) as IRIs, other text "
        "whatever its language. " + _NAMES,
        {"type": "object", "additionalProperties": {"type": "string"}},
    ),
    _parameter(
        "_sort",
        "Sort keys separated by commas, each a path or label (the name shown); a leading - "
        "sorts descending. Resources without a value come last; then by IRI. Without it: by "
        f"name, or past {COUNT_CAP:,} resources in the store's order (fixed for a release).",
        _STRING,
        "-notation",
        "parent.label,-label",
    ),
    _parameter("_page", "The page to show, from 1.", _PAGE, "2"),
    _parameter("page", "The page to show, as _page (give one of them).", _PAGE),
    _parameter(
        "_pageSize",
        f"Resources per page, at most {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE}).",
        {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
        "100",
    ),
    _parameter(
        "_properties",
        "The columns of the HTML table, the JSON and the CSV, separated by commas: paths, or "
        "label; each value a list (IRIs for resources). Without it: uri, label, kind, code, "
        "within, status and page.",
        _STRING,
        "label,notation,parent.label",
    ),
]
# Free-form names: an object parameter exploded into the query string, one pair per member.
_PARAMETERS[3].update(
    style="form",
    explode=True,
    examples={"path": {"value": {"parent.label": "Glasgow City", "min-population": "1000"}}},
)
_LIST_DOCUMENT = {
    "type": "object",
    "required": ["total", "count", "page", "pageSize", "columns", "results"],
    "properties": {
        "total": {
            "type": ["integer", "null"],
            "description": f"The number of resources, or null when over {COUNT_CAP:,}",
        },
        "count": {"type": "string", "description": f'"12", or "more than {COUNT_CAP:,}"'},
        "page": {"type": "integer"},
        "pageSize": {"type": "integer"},
        "previous": {"type": ["string", "null"]},
        "next": {"type": ["string", "null"]},
        "columns": {"type": "array", "items": _STRING},
        "results": {"type": "array", "items": {"type": "object"}},
    },
}
_CONTENT: dict[str, object] = {
    JSON.media_type: {"schema": _LIST_DOCUMENT},
    CSV.media_type: {},
    HTML.media_type: {},
    **{fmt.media_type: {} for fmt in RDF_FORMATS},
}
_SUFFIX = {
    "name": "suffix",
    "in": "path",
    "required": True,
    "description": "The format: html, json, csv, or an RDF format (ttl, nt, rdf, jsonld), "
    "which holds the page's statements and its Hydra view (members, totalItems, next).",
    "schema": {"type": "string", "enum": ["html", "json", "csv", "ttl", "nt", "rdf", "jsonld"]},
}


def _operation(name: str, summary: str, error: ErrorResponse, *extra: object) -> object:
    return {
        "get": {
            "operationId": name,
            "summary": summary,
            "description": "Resources of a type, in a dataset, filtered along property paths, "
            "sorted, paged, with the columns asked for: the Linked Data API's list "
            f"conventions. Counts are exact up to {COUNT_CAP:,}, then 'more than "
            f"{COUNT_CAP:,}'. Bad parameters answer 400 naming each one.",
            "tags": ["lists"],
            "parameters": [*extra, *_PARAMETERS],
            "responses": {
                "200": {"description": "One page of the list", "content": _CONTENT},
                **{status: error(status) for status in ("400", "404", "406", "503")},
            },
        }
    }


def list_paths(error: ErrorResponse) -> dict[str, object]:
    """The operations of ``/resources`` (format by ``Accept``) and ``/resources.{suffix}``;
    ``error`` describes an error response of a status."""
    return {
        "/resources": _operation("resources", "A list of resources (format by Accept)", error),
        "/resources.{suffix}": _operation(
            "resourcesAs", "A list of resources in the format of the suffix", error, _SUFFIX
        ),
    }
