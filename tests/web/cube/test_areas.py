"""An area's statistics as its page and its JSON twin show them."""

from __future__ import annotations

from opendatacommunities.web.cube.areas import DatasetFigures, Figure, statistics_json

EX = "http://example.org/"


def _figure(label: str, value: str | None, status: str | None = None) -> Figure:
    return Figure(label, value, status, total=False, iri=EX + label, href="/doc/" + label)


def test_a_figure_reads_as_a_number_or_says_why_it_has_none() -> None:
    """Thousands are separated, decimals kept as published; a missing value gives its reason."""
    assert _figure("people", "46670").text == "46,670"
    assert _figure("rate", "-1234.50").text == "-1,234.50"
    assert _figure("people", None, "suppressed").text == "suppressed"
    assert _figure("people", None).text == ""


def test_the_json_twin_carries_numbers_as_numbers_and_page_links() -> None:
    """Whole numbers stay whole, decimals are floats, missing values are null with a status."""
    group = DatasetFigures(
        iri=EX + "data/people",
        title="People",
        name="people",
        count=3,
        page=1,
        pages=2,
        figures=(
            _figure("all", "46670"),
            _figure("rate", "12.5"),
            Figure("old", None, "suppressed", True, EX + "old", "/doc/old"),
        ),
        links={"next": "?dataset=people&page=2"},
        slice_href="/data/people/slice?refArea=S12000049",
    )
    [document] = statistics_json((group,))
    assert document["href"] == "/data/people"
    assert document["slice"] == "/data/people/slice?refArea=S12000049"
    assert (document["count"], document["page"], document["pages"]) == (3, 1, 2)
    assert document["next"] == "?dataset=people&page=2" and "prev" not in document
    values = [(item["value"], item["status"], item["total"]) for item in document["items"]]
    assert values == [(46670, None, False), (12.5, None, False), (None, "suppressed", True)]
    assert isinstance(values[0][0], int)
    assert document["items"][0]["uri"] == EX + "all"
