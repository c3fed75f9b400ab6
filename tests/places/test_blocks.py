"""Reading live blocks: each kind, each source, and the syntax errors with their line."""

from __future__ import annotations

import pytest

from opendatacommunities.errors import BlockSyntaxError
from opendatacommunities.places.blocks import (
    CubeSource,
    QuerySource,
    parse_block,
    variables_used,
)


def test_each_kind_reads() -> None:
    """Chart, map, table and figure, from a query or a slice, with their options."""
    chart = parse_block('chart query=q x=a y=b type=line unit="% of homes" limit=3 n=4', "C", 7)
    assert (chart.kind, chart.type, chart.unit, chart.limit, chart.line) == (
        "chart",
        "line",
        "% of homes",
        3,
        7,
    )
    assert chart.source == QuerySource("q", (("n", "4"),))
    area_map = parse_block("map slice=/data/simd2020/map?measure=simdRank&level=DataZone", "", 2)
    assert area_map.source == CubeSource(
        "simd2020", "map", (("measure", "simdRank"), ("level", "DataZone"))
    )
    table = parse_block("table query=q columns=a,b", "", 1)
    assert table.columns == ("a", "b")
    figure = parse_block("figure query=q", "{n} of {total} zones", 1)
    assert variables_used(figure) == ("n", "total")


@pytest.mark.parametrize(
    ("info", "body", "fragment"),
    [
        ("graph query=q", "", "not a kind of block"),
        ("table", "", "one source"),
        ("table query=q slice=/data/x/slice", "", "one source"),
        ("table slice=https://evil.example/data/x/slice", "", "slice= takes"),
        ("table slice=/data/x/observations.csv", "", "slice= takes"),
        ("table slice=/data/x/slice foo=1", "", "not an option"),
        ("chart query=q x=a", "", "x=) and values (y=)"),
        ("chart query=q x=a y=b type=pie", "", "type= takes"),
        ("table query=q limit=0", "", "limit= takes"),
        ("table query=q limit=many", "", "limit= takes"),
        ("table query=q stray", "", "is not name=value"),
        ('table query=q unit="open', "", "cannot read"),
        ("figure query=q", "no placeholder", "sentence naming"),
        ("figure slice=/data/x/slice", "{n}", "from a query"),
    ],
)
def test_syntax_errors_name_the_line(info: str, body: str, fragment: str) -> None:
    with pytest.raises(BlockSyntaxError) as caught:
        parse_block(info, body, 12)
    assert caught.value.line == 12
    assert fragment in caught.value.message
