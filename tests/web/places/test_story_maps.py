"""A story's map block fed by a cube's map over HTTP: the wards of the map project coloured
by their figures, each a link to its page, the ward without a figure listed as such."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.plugins.maps import MISSING_WARD, MapProject, glasgow_wards
from tests.plugins.servers import serving_url

STORY = """# People by ward

```map slice=/data/people/map?refPeriod=2020&sex=f unit=people
Women in each ward, 2020
```
"""


@pytest.fixture(scope="module")
def story_site(map_project: MapProject, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The map project served with one story."""
    stories = tmp_path_factory.mktemp("story-maps")
    (stories / "wards.md").write_text(STORY, encoding="utf-8")
    settings = dataclasses.replace(map_project.settings, stories_dir=stories)
    with serving_url(settings) as url:
        yield url


def test_a_slice_map_block_is_a_choropleth_of_its_areas(story_site: str) -> None:
    page = httpx.get(f"{story_site}/stories/wards", timeout=60).text
    block = re.search(r'<section class="block block-map">.*?</section>', page, re.S)
    assert block is not None
    assert '<figure class="map choropleth"' in block.group()
    drawn = re.search(r"<svg.*?</svg>", block.group(), re.S)
    assert drawn is not None
    links = re.findall(r'<a href="(/doc/statistical-geography/\w+)" class="area', drawn.group())
    assert len(links) == len(glasgow_wards()) == 23
    missing = re.search(rf'data-area="[^"]*{MISSING_WARD}"><title>([^<]*)<', drawn.group())
    assert missing is not None and "no figure" in missing.group(1).lower()
    # The map's own table holds the numbers: the block shows no second one.
    assert block.group().count("<table") == 1
