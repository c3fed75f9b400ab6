"""Stories and dashboards over a real server: each kind of block drawn with its numbers as a
table, links to the query and a CSV download, the JSON twin, the lists, a block whose data
cannot be read, hostile Markdown kept inert, and the shipped dashboards' panels linking to
the queries that feed them."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from opendatacommunities.places.stories import read_folder
from tests.plugins.project import ROOT
from tests.plugins.servers import serving_fixtures

HTML = {"accept": "text/html"}
STORY = """# Glasgow's wards

The wards of [Glasgow City](/doc/statistical-geography/S12000049).

```figure query=wards-of-area area=/id/statistical-geography/S12000049
The first ward by name is {ward}, code {code}.
```

```table query=wards-of-area area=/id/statistical-geography/S12000049 columns=ward,code
Wards and codes
```

```chart query=wards-of-area area=/id/statistical-geography/S12000049 x=ward y=code
Wards (a chart)
```

```map query=wards-of-area area=/id/statistical-geography/S12000049 x=ward y=code
Wards (a map)
```

```table slice=/data/nothing/slice
A cube that is not published
```

<script>alert(1)</script> [x](javascript:alert(2))
"""
#: A made-up boundary for one of the fixtures' Glasgow wards, so that the map has one to draw.
BOUNDARY = """
@prefix geo: <http://www.opengis.net/ont/geosparql#> .
<id/statistical-geography/S13002967> geo:hasGeometry <id/geometry/S13002967> .
<id/geometry/S13002967> geo:asWKT
    "POLYGON((-4.3 55.8, -4.2 55.8, -4.2 55.9, -4.3 55.9, -4.3 55.8))"^^geo:wktLiteral .
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A story of the fixtures' Glasgow wards, and the shipped dashboards."""
    work = tmp_path_factory.mktemp("stories")
    (work / "stories").mkdir()
    (work / "stories" / "wards.md").write_text(STORY, encoding="utf-8")
    with serving_fixtures(
        work / "store",
        extra=BOUNDARY,
        queries_dir=ROOT / "queries",
        stories_dir=work / "stories",
        dashboards_dir=ROOT / "dashboards",
        sparql_workers=1,
    ) as settings:
        yield settings.base_iri


def _sections(page: str) -> list[str]:
    return re.findall(r'<section class="block block-\w+">.*?</section>', page, re.S)


def test_each_kind_of_block(server: str) -> None:
    page = httpx.get(f"{server}/stories/wards", headers=HTML, timeout=60).text
    figure, table, chart, area_map, broken = _sections(page)
    # The figure: a sentence filled from the first row, escaped.
    assert re.search(r"The first ward by name is <strong>[^<]+</strong>, code <strong>S13", figure)
    # Tables: the chosen columns, areas linked to their pages.
    assert '<th scope="col">Ward</th><th scope="col">Code</th></tr>' in table
    assert '<a href="/doc/statistical-geography/S13002967">' in table
    for section in (chart, area_map):  # their numbers as a table too
        assert "<table" in section and "/doc/statistical-geography/S13002967" in section
    # Every block links to its query (with its parameters) and a CSV download.
    for section in (figure, table, chart, area_map):
        assert 'href="/queries/wards-of-area?area=http' in section
        assert 'href="/queries/wards-of-area.csv?area=http' in section
    assert "could not be read: There is no statistics cube at /data/nothing" in broken


def test_charts_and_maps_are_drawn_with_their_numbers_once(server: str) -> None:
    page = httpx.get(f"{server}/stories/wards", headers=HTML, timeout=60).text
    _, table, chart, area_map, _ = _sections(page)
    assert "<svg" not in table
    assert '<figure class="chart bar"' in chart and "<svg" in chart
    # The map draws the ward with a boundary, as a link to its page; every ward is in its table.
    drawn = re.search(r"<svg.*?</svg>", area_map, re.S)
    assert drawn is not None
    assert drawn.group().count("<a ") == 1
    assert '/doc/statistical-geography/S13002967"' in drawn.group()
    for section in (chart, area_map):  # the drawing's own table only
        assert section.count("<table") == 1
    assert area_map.count("<tr") - 1 > drawn.group().count("<a ")


def test_links_work(server: str) -> None:
    page = httpx.get(f"{server}/stories/wards", headers=HTML, timeout=60).text
    csv_link = re.search(r'href="(/queries/wards-of-area\.csv\?[^"]+)"', page)
    assert csv_link is not None
    response = httpx.get(server + csv_link.group(1).replace("&amp;", "&"), timeout=60)
    assert response.status_code == 200
    assert "S13002967" in response.text


def test_hostile_text_is_inert(server: str) -> None:
    page = httpx.get(f"{server}/stories/wards", headers=HTML, timeout=60).text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page.lower()


def test_json_twin(server: str) -> None:
    story = httpx.get(f"{server}/stories/wards.json", timeout=60).json()
    assert story["title"] == "Glasgow's wards"
    kinds = [block["kind"] for block in story["blocks"]]
    assert kinds == ["figure", "table", "chart", "map", "table"]
    table = story["blocks"][1]
    assert [c["key"] for c in table["columns"]] == ["ward", "code", "status"]
    assert any(row[0].endswith("/S13002967") for row in table["rows"])
    assert story["blocks"][4]["error"]
    negotiated = httpx.get(f"{server}/stories/wards", headers={"accept": "application/json"})
    assert negotiated.json()["name"] == "wards"


def test_lists_and_not_found(server: str) -> None:
    listing = httpx.get(f"{server}/stories", headers=HTML).text
    assert '<a href="/stories/wards">Glasgow&#39;s wards</a>' in listing
    assert httpx.get(f"{server}/stories.json").json()["stories"][0]["url"] == "/stories/wards"
    dashboards = httpx.get(f"{server}/dashboards", headers=HTML).text
    for theme in ("deprivation", "housing", "labour-market"):
        assert f'href="/dashboards/{theme}"' in dashboards
    assert httpx.get(f"{server}/stories/nothing", headers=HTML).status_code == 404
    assert httpx.get(f"{server}/stories/wards.xml").status_code == 404


@pytest.mark.parametrize("theme", ["deprivation", "housing", "labour-market"])
def test_dashboard_panels_link_to_their_queries(server: str, theme: str) -> None:
    """Each panel of a shipped dashboard links to the named query that feeds it (the
    fixtures hold no statistics: the panels are empty, their links are not)."""
    documents, errors = read_folder(ROOT / "dashboards", "dashboards")
    assert errors == []
    page = httpx.get(f"{server}/dashboards/{theme}", headers=HTML, timeout=120).text
    sections = _sections(page)
    blocks = documents[theme].blocks
    assert len(sections) == len(blocks) >= 3
    for section, block in zip(sections, blocks, strict=True):
        name = block.source.path  # /queries/{name}
        assert name.startswith("/queries/")
        assert re.search(rf'href="{re.escape(name)}(\?[^"]*)?"', section), section
        assert httpx.get(server + name, headers=HTML).status_code == 200
