"""Lists of resources with the Linked Data API's conventions (``/resources``): reading the
parameters (``params``), resolving short names and typed values against a release
(``names``, ``query``, ``scope``), the SPARQL (``sparql``), running it (``run``) and what a
page shows (``rows``)."""

from opendatacommunities.store.listing.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    ListParameters,
    read_parameters,
)
from opendatacommunities.store.listing.run import Count, ListPage, list_page
from opendatacommunities.store.listing.scope import scope_of

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "MAX_PAGE_SIZE",
    "Count",
    "ListPage",
    "ListParameters",
    "list_page",
    "read_parameters",
    "scope_of",
]
