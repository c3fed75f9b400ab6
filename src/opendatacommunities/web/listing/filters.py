"""The filters, sorting and paging of ``/data``, read from its query string: pure functions
over the release's listing (``store.datasets``), shared by the page and its twins.

Filters are links: ``/data?publisher=Glasgow+City+Council&level=electoral+ward``. Each
filter takes one of the values the list shows (a theme, publisher, licence or geography
level, as written on the page; ``licence not stated`` for the entries without one), and
each value is offered with how many datasets it would leave, given the other filters.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from opendatacommunities.errors import ParameterProblem
from opendatacommunities.store.datasets import ListedDataset
from opendatacommunities.web.errors import bad_parameters
from opendatacommunities.web.target import MAX_PAGE, whole_number

NO_LICENCE = "licence not stated"
PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def licence_words(entry: ListedDataset) -> str:
    """The licence as the list shows it: its name, or that none is stated (never invented)."""
    return entry.licence or NO_LICENCE


def _licence(entry: ListedDataset) -> tuple[str, ...]:
    return (licence_words(entry),)


def _publisher(entry: ListedDataset) -> tuple[str, ...]:
    return (entry.publisher,) if entry.publisher else ()


#: Each filter's parameter, its name in words, and the values an entry has for it.
FILTERS: dict[str, tuple[str, Callable[[ListedDataset], tuple[str, ...]]]] = {
    "theme": ("Theme", lambda entry: entry.themes),
    "publisher": ("Publisher", _publisher),
    "licence": ("Licence", _licence),
    "level": ("Geography level", lambda entry: entry.levels),
}


def _stars(entry: ListedDataset) -> int:
    return entry.rating.stars if entry.rating else 0


#: Each sort key (``-`` before it: descending) and what it sorts by.
SORTS: dict[str, Callable[[ListedDataset], str | int]] = {
    "title": lambda entry: entry.title.casefold(),
    "published": lambda entry: entry.published or "",
    "stars": _stars,
    "publisher": lambda entry: (entry.publisher or "").casefold(),
}
DEFAULT_SORT = "title"
PARAMETERS = (*FILTERS, "sort", "page", "page_size")


@dataclass(frozen=True)
class ListQuery:
    """What a request of ``/data`` asks for."""

    filters: dict[str, str] = field(default_factory=dict)
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = PAGE_SIZE

    def url(self, **changes: object) -> str:
        """The URL of this list with ``changes`` (a filter set to None is cleared); a
        changed filter or sort goes back to the first page.

        >>> ListQuery({"theme": "Housing"}).url(level="ward", page=None)
        '/data?theme=Housing&level=ward'
        >>> ListQuery({"theme": "Housing"}, page=3).url(theme=None)
        '/data'
        """
        return self.link(changes)

    def link(self, changes: Mapping[str, object], base: str = "/data") -> str:
        """``url(**changes)``, at ``base`` (``/data.json``)."""
        filters = dict(self.filters)
        query = self
        for key, value in changes.items():
            if key in FILTERS:
                filters[key] = str(value) if value is not None else ""
                query = replace(query, page=1)
            elif key == "sort":
                query = replace(query, sort=str(value), page=1)
            elif key == "page":
                query = replace(query, page=1 if value is None else int(str(value)))
        params = [(k, v) for k, v in filters.items() if v]
        if query.sort != DEFAULT_SORT:
            params.append(("sort", query.sort))
        if query.page > 1:
            params.append(("page", str(query.page)))
        if query.page_size != PAGE_SIZE:
            params.append(("page_size", str(query.page_size)))
        return base + ("?" + urlencode(params) if params else "")


def _number(name: str, text: str, highest: int) -> int | ParameterProblem:
    number = whole_number(text, highest)
    if number is None:
        return ParameterProblem(name, f"must be a whole number from 1 to {highest:,}", text)
    return number


def parse_query(params: Sequence[tuple[str, str]]) -> ListQuery:
    """The request's query string as a ``ListQuery``.

    :raises BadRequestError: naming each unknown, repeated or malformed parameter.
    """
    invalid: list[ParameterProblem] = []
    given: dict[str, str] = {}
    for name, value in params:
        if name not in PARAMETERS:
            known = ", ".join(PARAMETERS)
            invalid.append(
                ParameterProblem(name, f"is not a parameter of this list ({known})", value)
            )
        elif name in given:
            invalid.append(ParameterProblem(name, "is given more than once", value))
        given[name] = value.strip()
    sort = given.get("sort", DEFAULT_SORT)
    if sort.removeprefix("-") not in SORTS:
        keys = ", ".join(SORTS)
        invalid.append(
            ParameterProblem("sort", f"must be one of {keys} (- first: descending)", sort)
        )
    page = _number("page", given.get("page", "1"), MAX_PAGE)
    size = _number("page_size", given.get("page_size", str(PAGE_SIZE)), MAX_PAGE_SIZE)
    invalid += [n for n in (page, size) if isinstance(n, ParameterProblem)]
    if invalid:
        raise bad_parameters(invalid)
    assert isinstance(page, int) and isinstance(size, int)
    filters = {k: v for k, v in given.items() if k in FILTERS and v}
    return ListQuery(filters, sort, page, size)


def check_values(query: ListQuery, entries: Sequence[ListedDataset]) -> None:
    """Each filter's value must be one the list shows.

    :raises BadRequestError: naming the filters whose value no dataset has.
    """
    invalid = []
    for key, value in query.filters.items():
        known = {v.casefold() for entry in entries for v in FILTERS[key][1](entry)}
        if value.casefold() not in known:
            reason = f"names no {FILTERS[key][0].lower()} of any dataset here"
            invalid.append(ParameterProblem(key, reason, value))
    if invalid:
        raise bad_parameters(invalid)


def _matches(entry: ListedDataset, filters: Mapping[str, str]) -> bool:
    return all(
        value.casefold() in {v.casefold() for v in FILTERS[key][1](entry)}
        for key, value in filters.items()
    )


def chosen(query: ListQuery, entries: Sequence[ListedDataset]) -> list[ListedDataset]:
    """The entries the filters leave, in the order asked for (ties by title)."""
    kept = [entry for entry in entries if _matches(entry, query.filters)]
    kept.sort(key=SORTS["title"])
    key = query.sort.removeprefix("-")
    return sorted(kept, key=SORTS[key], reverse=query.sort.startswith("-"))


@dataclass(frozen=True)
class FacetValue:
    """One value of a filter: how many datasets it leaves, the link that applies it (or,
    when applied, clears it)."""

    value: str
    count: int
    href: str
    selected: bool


@dataclass(frozen=True)
class Facet:
    """One filter, with its values, most datasets first."""

    key: str
    title: str
    values: tuple[FacetValue, ...]
    clear: str | None
    """The link that clears this filter, when it is applied."""


def facets(query: ListQuery, entries: Sequence[ListedDataset]) -> list[Facet]:
    """Every filter, its values counted over the datasets the other filters leave."""
    found = []
    for key, (title, values_of) in FILTERS.items():
        others = {k: v for k, v in query.filters.items() if k != key}
        counts = Counter(v for e in entries if _matches(e, others) for v in values_of(e))
        current = query.filters.get(key, "").casefold()
        values = tuple(
            FacetValue(
                value,
                count,
                query.link({key: None if value.casefold() == current else value}),
                value.casefold() == current,
            )
            for value, count in sorted(counts.items(), key=lambda vc: (-vc[1], vc[0].casefold()))
        )
        clear = query.link({key: None}) if key in query.filters else None
        found.append(Facet(key, title, values, clear))
    return found
