"""The parameters of ``/data`` read, checked and applied as pure functions: what is wrong is
named, the facets count what each value would leave."""

from __future__ import annotations

import pytest

from opendatacommunities.errors import BadRequestError
from opendatacommunities.store.datasets import ListedDataset
from opendatacommunities.web.listing.filters import (
    ListQuery,
    check_values,
    chosen,
    facets,
    parse_query,
)


def _entry(title: str, publisher: str | None, licence: str | None, *themes: str) -> ListedDataset:
    return ListedDataset(
        iri=f"http://x/data/{title.lower()}",
        title=title,
        summary="",
        themes=themes,
        publisher=publisher,
        licence=licence,
        licence_iri=None,
        levels=(),
        periods=(),
        published=None,
        published_type=None,
        harvested=False,
        rating=None,
    )


ENTRIES = [
    _entry("Bins", "Glasgow", None, "Environment"),
    _entry("Trees", "Glasgow", "OGL", "Environment", "Parks"),
    _entry("Wards", "ONS", "OGL", "Geography"),
]


def test_a_query_string_is_read() -> None:
    query = parse_query([("publisher", "Glasgow"), ("sort", "-title"), ("page", "2")])
    assert query == ListQuery({"publisher": "Glasgow"}, "-title", 2)


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ([("sort", "colour")], ["sort"]),
        ([("page", "-1")], ["page"]),
        ([("page_size", "501")], ["page_size"]),
        ([("publsher", "ONS")], ["publsher"]),
        ([("theme", "a"), ("theme", "b")], ["theme"]),
        ([("sort", "x"), ("page", "x")], ["sort", "page"]),
    ],
)
def test_what_is_wrong_is_named(params: list[tuple[str, str]], named: list[str]) -> None:
    with pytest.raises(BadRequestError) as raised:
        parse_query(params)
    members = raised.value.members["invalid-params"]
    assert isinstance(members, list)
    assert [m["name"] for m in members] == named


def test_a_value_no_dataset_has_is_refused() -> None:
    check_values(ListQuery({"licence": "licence not stated", "theme": "parks"}), ENTRIES)
    with pytest.raises(BadRequestError, match="publisher names no publisher"):
        check_values(ListQuery({"publisher": "Nobody"}), ENTRIES)


def test_filters_and_sorting_choose_and_order() -> None:
    titles = [e.title for e in chosen(ListQuery({"theme": "environment"}, "-title"), ENTRIES)]
    assert titles == ["Trees", "Bins"]
    assert [e.title for e in chosen(ListQuery({"licence": "OGL"}), ENTRIES)] == ["Trees", "Wards"]


def test_facets_count_over_the_other_filters() -> None:
    found = {f.key: f for f in facets(ListQuery({"publisher": "Glasgow"}), ENTRIES)}
    themes = {v.value: v.count for v in found["theme"].values}
    assert themes == {"Environment": 2, "Parks": 1}
    publishers = {v.value: (v.count, v.selected) for v in found["publisher"].values}
    assert publishers == {"Glasgow": (2, True), "ONS": (1, False)}
    assert found["publisher"].clear == "/data"
    assert found["theme"].clear is None
    licences = [(v.value, v.href) for v in found["licence"].values]
    assert ("licence not stated", "/data?publisher=Glasgow&licence=licence+not+stated") in licences
