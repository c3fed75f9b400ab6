"""Server-rendered charts: each a figure whose SVG is named by its caption, with its
numbers as a table; missing figures said as such, never drawn as zero; links and the
highlighted item; the download link only where given."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from opendatacommunities.web.places.charts import (
    Bar,
    Spine,
    bar_chart,
    histogram,
    line_chart,
    spine_chart,
)

SVG = "{http://www.w3.org/2000/svg}"


def _svg(html: str) -> ET.Element:
    found = re.search(r"<svg .*?</svg>", html, re.S)
    assert found is not None
    return ET.fromstring(found.group(0))


def _table(html: str) -> list[tuple[str, ...]]:
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", html)
    return [(head, *re.findall(r"<td class=\"number\">(.*?)</td>", cells)) for head, cells in rows]


def test_a_bar_chart_is_a_named_figure_with_its_numbers() -> None:
    bars = [
        Bar("Calton", 62.5, "/doc/statistical-geography/S13002967", highlight=True),
        Bar("Linn", 12.0, "/doc/statistical-geography/S13002968"),
        Bar("Pollokshields", None),
    ]
    html = bar_chart(bars, title="Share most deprived", unit="%", download="/x.csv")
    svg = _svg(html)
    caption = re.search(r'<figcaption id="([^"]+)">Share most deprived</figcaption>', html)
    assert caption is not None and svg.get("aria-labelledby") == caption.group(1)
    assert svg.get("role") == "group"  # its bars are links: each must stay reachable
    assert _table(html) == [("Calton", "62.5%"), ("Linn", "12%"), ("Pollokshields", "no figure")]
    rects = svg.findall(f".//{SVG}rect")
    assert len(rects) == 2  # no bar for the missing figure
    widths = [float(r.get("width", "0")) for r in rects]
    assert abs(widths[0] / widths[1] - 62.5 / 12) < 0.05
    assert "highlight" in (rects[0].get("class") or "")
    links = [a.get("href") for a in svg.iter(f"{SVG}a")]
    assert links == ["/doc/statistical-geography/S13002967", "/doc/statistical-geography/S13002968"]
    assert 'href="/x.csv"' in html and "no figure" in html


def test_no_download_link_unless_given_and_text_is_escaped() -> None:
    html = bar_chart([Bar("<script>", 1.0)], title="A & B")
    assert "Download" not in html and "<script>" not in html
    assert _svg(html).get("role") == "img"  # nothing in it to reach
    assert "&lt;script&gt;" in html and "A &amp; B" in html


def test_a_line_breaks_where_a_figure_is_missing() -> None:
    points = [
        Bar("2017-Q1", 10.0),
        Bar("2017-Q2", None),
        Bar("2017-Q3", 12.0),
        Bar("2017-Q4", 14.0),
    ]
    html = line_chart(points, title="In employment")
    svg = _svg(html)
    (line,) = [p for p in svg.iter(f"{SVG}path") if p.get("class") == "line"]
    moves = (line.get("d") or "").count("M")
    assert moves == 2
    circles = svg.findall(f".//{SVG}circle")
    assert len(circles) == 3
    heights = [float(c.get("cy", "0")) for c in circles]
    assert heights[0] > heights[1] > heights[2]  # larger values higher up
    assert _table(html)[1] == ("2017-Q2", "no figure")


def test_a_histogram_counts_every_value_and_marks_one() -> None:
    values = [1.0, 2.0, 2.5, 3.0, 9.0, 9.5, 10.0]
    html = histogram(values, title="Spread", marker=2.5)
    counts = [int(row[1]) for row in _table(html)]
    assert sum(counts) == len(values)
    svg = _svg(html)
    assert any(line.get("class") == "marker" for line in svg.iter(f"{SVG}line"))
    assert "the marked value is 2.5" in html


def test_a_spine_places_the_area_and_parent_on_the_spread() -> None:
    spine = Spine(7.0, 1.0, 3.0, 5.0, 8.0, 11.0, parent=4.0, parent_label="Glasgow City")
    html = spine_chart(spine, label="Calton", unit="%")
    svg = _svg(html)
    (area,) = [c for c in svg.iter(f"{SVG}circle") if c.get("class") == "area"]
    (median,) = [m for m in svg.iter(f"{SVG}line") if m.get("class") == "median"]
    assert float(area.get("cx", "0")) > float(median.get("x1", "0"))
    assert ("Glasgow City", "4%") in _table(html) and ("Median", "5%") in _table(html)
    assert _table(html)[0] == ("Calton", "7%")


def test_empty_charts_say_so_rather_than_fail() -> None:
    for html in (
        bar_chart([], title="Nothing"),
        line_chart([], title="Nothing"),
        histogram([], title="Nothing"),
        line_chart([Bar("2017", None)], title="Nothing"),
    ):
        assert "<figure" in html and _svg(html).get("role") == "img"
    assert "No figures." in bar_chart([], title="Nothing")


def test_a_spine_is_made_from_a_levels_figures() -> None:
    spine = Spine.of(62.0, [10.0, 20.0, 30.0, 40.0, 62.0], parent=30.0, parent_label="Glasgow")
    assert (spine.minimum, spine.lower_quartile, spine.median) == (10.0, 20.0, 30.0)
    assert (spine.upper_quartile, spine.maximum, spine.value) == (40.0, 62.0, 62.0)
    alone = Spine.of(5.0, [5.0])
    assert alone.minimum == alone.median == alone.maximum == 5.0
