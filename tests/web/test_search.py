"""Search over the bundled reference geography (countries, council areas, wards, data zones),
published through the real pipeline and served by uvicorn: names as people type them, with
typos, without accents, in Welsh and Gaelic, and codes whole or begun."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser

from opendatacommunities.config import Settings
from opendatacommunities.publish.pipeline import Layout, publish
from tests.plugins.project import ROOT
from tests.plugins.servers import serving

GEOGRAPHY = (
    "geography-countries.json",
    "geography-local-authorities.json",
    "geography-wards.json",
    "geography-data-zones.json",
)
SG = "/doc/statistical-geography/"

# What a person types, and the area they mean: it must be among the first five results.
FOUND = [
    ("Andersten", "S13002976"),  # Anderston/City/Yorkhill, misspelt
    ("Glasg", "S12000049"),  # begun
    ("Steornabhagh a Deas", "S13002605"),  # Steòrnabhagh a Deas, without its accent
    ("Ynys Mon", "W06000001"),  # Ynys Môn, Welsh without its accent
    ("S12000049", "S12000049"),  # a code
    ("s12000049", "S12000049"),  # a code in lower case
    ("S1300297", "S13002976"),  # a code begun
    ("Caerdydd", "W06000015"),  # Cardiff, in Welsh
    ("Abertawe", "W06000011"),  # Swansea, in Welsh
    ("Bro Morgannwg", "W06000014"),  # Vale of Glamorgan, in Welsh
    ("Wrecsam", "W06000006"),  # Wrexham, in Welsh
    ("Na h-Eileanan Siar", "S12000013"),  # Gaelic, with its hyphen
    ("Pollokshiels", "S13002972"),  # Pollokshields, a letter missing
    ("Denistoun", "S13002988"),  # Dennistoun, a letter missing
    ("Edinbrugh", "S12000036"),  # City of Edinburgh, two letters swapped
    ("Calton", "S13002975"),
    ("Hillhead", "S13002977"),
    ("springburn", "S13002983"),  # Springburn/Robroyston, one of its names
    ("Partick East", "S13002989"),  # Partick East/Kelvindale, begun
    ("Baillieston", "S13002986"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The reference geography published under the server's own address, served."""
    work = tmp_path_factory.mktemp("search")
    mappings = work / "mappings"
    mappings.mkdir()
    (work / "data").symlink_to(ROOT / "data")
    for name in GEOGRAPHY:
        shutil.copy(ROOT / "mappings" / name, mappings / name)

    def make_settings(url: str) -> Settings:
        settings = Settings(base_iri=url, store_dir=work / "store", reload_seconds=60)
        layout = Layout(mappings, ROOT / "shapes", ROOT / "ontologies", work / "build")
        publish(settings, layout, workers=0)
        return settings

    # Start-up reads every name of the release before the first request: allow for it.
    with serving(make_settings, start_seconds=120) as settings:
        yield settings.base_iri


def _get(server: str, path: str, **params: str) -> dict[str, Any]:
    response = httpx.get(server + path, params=params, timeout=30)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def _codes(server: str, query: str, **params: str) -> list[str | None]:
    results = _get(server, "/search.json", q=query, **params)["results"]
    return [row["code"] for row in results]


@pytest.mark.parametrize(("query", "code"), FOUND)
def test_search_finds_what_people_type(server: str, query: str, code: str) -> None:
    """Each real name or code, however typed, finds its area among the first five."""
    assert code in _codes(server, query)[:5]


def test_a_code_and_an_exact_name_come_first(server: str) -> None:
    assert _codes(server, "S13002976")[0] == "S13002976"
    first = _get(server, "/search.json", q="Hillhead")["results"][0]
    assert first["label"] == "Hillhead"


def test_results_say_their_kind_and_parent(server: str) -> None:
    """The wards called "Castle" are told apart by the council they lie within."""
    rows = _get(server, "/search.json", q="Castle", kind="area")["results"]
    castles = [r for r in rows if r["label"] == "Castle"]
    assert len(castles) > 5
    assert all(r["kind"] == "electoral ward" and r["within"] for r in castles)
    assert len({r["within"] for r in castles}) > 20


def test_filters_by_level_and_kind(server: str) -> None:
    wards = _get(server, "/search.json", q="Castle", level="ElectoralWard")["results"]
    assert wards and all(r["kind"] == "electoral ward" for r in wards)
    assert not _codes(server, "Glasgow", level="ElectoralWard")
    councils = _codes(server, "Glasgow", level="LocalAuthority")
    assert set(councils) == {"S12000046", "S12000049"}
    datasets = _get(server, "/search.json", q="wards", kind="dataset")["results"]
    assert [r["page"] for r in datasets] == ["/data/geography-wards"]


def test_bad_filters_are_refused_naming_them(server: str) -> None:
    for params, named in (({"kind": "planet"}, "kind=planet"), ({"level": "Moon"}, "level=Moon")):
        response = httpx.get(server + "/search.json", params={"q": "x", **params})
        assert response.status_code == 400
        assert named in response.text


def test_paging_shares_an_honest_total(server: str) -> None:
    """Every page reports the whole total, and the pages hold every match exactly once."""
    first = _get(server, "/search.json", q="Castle")
    total = first["total"]
    assert total > 50
    seen = [r["uri"] for r in first["results"]]
    for page in range(2, -(-total // 50) + 1):
        more = _get(server, "/search.json", q="Castle", page=str(page))
        assert more["total"] == total
        seen += [r["uri"] for r in more["results"]]
    assert len(seen) == len(set(seen)) == total


def test_csv_twin_holds_the_same_rows(server: str) -> None:
    text = httpx.get(server + "/search.csv", params={"q": "Andersten"}).text
    assert text.splitlines()[0] == "uri,label,kind,code,within,status,page"
    assert "Anderston/City/Yorkhill" in text


def test_suggest_gives_the_first_few(server: str) -> None:
    """What a search box shows as someone types: a handful, best first, each with its page."""
    found = _get(server, "/search/suggest", q="Glasg")
    assert found["query"] == "Glasg"
    suggestions = found["suggestions"]
    assert 0 < len(suggestions) <= 8
    assert suggestions[0]["label"] == "Glasgow City"
    assert suggestions[0]["page"].startswith(SG)
    assert _get(server, "/search/suggest", q="")["suggestions"] == []
    typo = _get(server, "/search/suggest", q="Andersten")["suggestions"]
    assert "Anderston/City/Yorkhill" in [s["label"] for s in typo]


def test_a_suggestion_answered_before_routing_is_the_routes_own(server: str) -> None:
    """Made by the fast path (no routing) or by the route (a conditional request goes
    through the app): the same bytes and headers; a text too long is the route's 400."""
    params = {"q": "Caerdydd"}
    direct = httpx.get(server + "/search/suggest", params=params, timeout=30)
    routed = httpx.get(
        server + "/search/suggest", params=params, headers={"If-None-Match": '"x"'}, timeout=30
    )
    assert direct.status_code == routed.status_code == 200
    assert direct.content == routed.content
    assert direct.json()["suggestions"][0]["code"] == "W06000015"
    for name in ("content-type", "etag", "last-modified", "cache-control", "content-length"):
        assert direct.headers[name] == routed.headers[name], name
    assert direct.headers["access-control-allow-origin"] == "*"
    fresh = httpx.get(
        server + "/search/suggest",
        params=params,
        headers={"If-None-Match": direct.headers["etag"]},
        timeout=30,
    )
    assert fresh.status_code == 304
    too_long = httpx.get(server + "/search/suggest", params={"q": "x" * 201}, timeout=30)
    assert too_long.status_code == 400 and "200 characters" in too_long.text
    head = httpx.head(server + "/search/suggest", params={"q": "Abertawe"}, timeout=30)
    assert head.status_code == 200 and head.content == b""
    # One letter repeated may match too much to answer on the event loop: the route does.
    routed_only = _get(server, "/search/suggest", q="s s s")
    assert routed_only["query"] == "s s s" and len(routed_only["suggestions"]) == 8


def test_search_box_works_by_keyboard_alone(server: str, browser: Browser) -> None:
    """Type, Down to the first suggestion, Enter opens its page; Escape closes the list."""
    page = browser.new_page()
    page.goto(server + "/geography")
    box = page.locator("#site-search")
    box.focus()
    page.keyboard.type("Glasg")
    listbox = page.get_by_role("listbox", name="Suggestions")
    listbox.wait_for(state="visible")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    page.keyboard.press("ArrowDown")
    first = page.get_by_role("option").first
    assert first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert "Glasgow City" in first.inner_text()
    page.keyboard.press("Escape")
    listbox.wait_for(state="hidden")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")
    listbox.wait_for(state="visible")
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert SG in page.url
    assert "Glasgow City" in page.title()
    page.close()


def test_search_box_is_a_plain_form_without_scripts(server: str, browser: Browser) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/geography")
    page.locator("#site-search").fill("Andersten")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/search?q=Andersten" in page.url
    assert "Anderston/City/Yorkhill" in page.content()
    context.close()


def test_search_page_offers_the_filters_it_applies(server: str) -> None:
    """The page's form shows the kind and level chosen, and the box's list is in the page."""
    page = httpx.get(
        server + "/search",
        params={"q": "Castle", "level": "ElectoralWard"},
        headers={"accept": "text/html"},
    ).text
    assert '<option value="ElectoralWard" selected>' in page
    assert 'id="site-search-list"' in page and 'src="/static/suggest.js"' in page
    assert "Castle" in page and "electoral ward" in page
