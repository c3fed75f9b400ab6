"""``/geography`` and its levels' lists, and ``/compare``, over HTTP: levels in words with
their counts, a level's areas searched (one typo forgiven) and paged, twins that agree, and
a comparison whose download holds the numbers its page shows; bad requests are 400s that
name what is wrong."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser

from fastapi.testclient import TestClient

from tests.plugins.project import BASE
from tests.plugins.web import BROWSER

BROWSER_ONLY = {"accept": BROWSER}
CALTON, ANDERSTON, LINN = "S13002975", "S13002976", "S13002967"


def test_levels_say_what_they_are_and_count_areas_and_datasets(places: TestClient) -> None:
    """The old fields stay (type, label, areas); the key, definition and datasets are new."""
    levels = {v["key"]: v for v in places.get("/geography.json").json()["levels"]}
    ward, authority = levels["ElectoralWard"], levels["LocalAuthority"]
    assert ward["type"] == f"{BASE}/def/geography/ElectoralWard"
    assert ward["label"] == "electoral ward" and ward["areas"] > 9_000
    assert ward["definition"].startswith("An electoral ward or division")
    # Wards: the made-up cube; authorities: tenure, employment, and the made-up cube.
    assert (ward["datasets"], authority["datasets"]) == (1, 3)
    rows = list(csv.DictReader(places.get("/geography.csv").text.splitlines()))
    assert {r["key"]: int(r["areas"]) for r in rows} == {k: v["areas"] for k, v in levels.items()}
    html = places.get("/geography", headers={"accept": BROWSER}).text
    assert 'href="/geography/ElectoralWard"' in html and "multi-member ward" in html


def test_a_level_lists_its_areas_searched_and_paged(places: TestClient) -> None:
    """Any case of the key; a name with a letter missing still finds its ward; pages of 50;
    the CSV twin holds the JSON's rows."""
    found = places.get("/geography/electoralward.json", params={"q": "caltn"}).json()
    assert found["level"]["key"] == "ElectoralWard"
    # The ward of 2017 and the one it replaced are both called Calton.
    calton = next(r for r in found["results"] if r["code"] == CALTON)
    assert found["results"].index(calton) < 2 and calton["label"] == "Calton"
    assert calton["page"] == f"/doc/statistical-geography/{CALTON}"
    assert "Glasgow City" in calton["within"]
    second = places.get("/geography/ElectoralWard.json", params={"page": 2}).json()
    assert len(second["results"]) == 50 and second["page"] == 2
    assert second["pages"] == -(-second["total"] // 50)
    rows = list(csv.DictReader(places.get("/geography/ElectoralWard.csv?page=2").text.splitlines()))
    assert [r["code"] for r in rows] == [r["code"] for r in second["results"]]
    html = places.get("/geography/ElectoralWard?q=calton", headers={"accept": BROWSER}).text
    assert 'name="q"' in html and f"<code>{CALTON}</code>" in html
    assert 'rel="next"' in places.get("/geography/ElectoralWard", headers={"accept": BROWSER}).text


def _drawn_links(html: str) -> list[str]:
    drawn = re.search(r"<svg.*?</svg>", html, re.S)
    return re.findall(r'<a href="([^"]+)" class="area', drawn.group()) if drawn else []


def test_a_level_s_page_maps_the_areas_it_lists(places: TestClient) -> None:
    """Every ward with a boundary is drawn (not only the first page's), each a link to its
    page; a search draws its matches only; a level without boundaries has no map."""
    wards = _drawn_links(places.get("/geography/ElectoralWard", headers=BROWSER_ONLY).text)
    assert len(wards) >= 23 and f"/doc/statistical-geography/{CALTON}" in wards
    found = places.get("/geography/ElectoralWard?q=calton", headers=BROWSER_ONLY).text
    matched = _drawn_links(found)
    assert f"/doc/statistical-geography/{CALTON}" in matched and len(matched) < len(wards)
    assert "Where the electoral wards matching “calton” are" in found
    authorities = places.get("/geography/LocalAuthority", headers=BROWSER_ONLY).text
    assert "<svg" not in authorities and "<table" in authorities


def test_unknown_levels_and_pages_are_not_found(places: TestClient) -> None:
    missing = places.get("/geography/Region.json")
    assert missing.status_code == 404 and "ElectoralWard" in missing.text
    assert places.get("/geography/ElectoralWard.json?page=9999").status_code == 404
    assert places.get("/geography/ElectoralWard.xml").status_code == 404


class _Table(HTMLParser):
    """The cells of the comparison table, row by row, as text."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.inside = False
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("class", "figures compare") in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def test_the_download_holds_the_numbers_the_page_shows(places: TestClient) -> None:
    """Every figure cell of the page is the CSV's value for that area and figure."""
    areas = f"{CALTON},{ANDERSTON},{LINN}"
    html = places.get(f"/compare?areas={areas}", headers={"accept": BROWSER}).text
    table = _Table()
    table.feed(html)
    header, *body = table.rows
    names = header[1:]
    assert names == ["Calton", "Anderston/City/Yorkhill", "Linn"]
    shown = {
        (name, row[0]): cell
        for row in body
        if len(row) == len(header)
        for name, cell in zip(names, row[1:], strict=True)
    }
    rows = list(csv.DictReader(places.get(f"/compare.csv?areas={areas}").text.splitlines()))
    assert len(rows) == len(shown) == 6
    for row in rows:
        text = shown[(row["area_label"], row["figure"])]
        assert float(re.sub(r"[,%]", "", text)) == float(row["value"])
    document = places.get(f"/compare.json?areas={areas}").json()
    assert [a["label"] for a in document["areas"]] == names
    assert len(document["rows"]) == 2 and document["level"] == "electoral ward"


def test_areas_are_named_by_code_or_iri(places: TestClient) -> None:
    iri = f"{BASE}/id/statistical-geography/{ANDERSTON}"
    document = places.get("/compare.json", params={"areas": f"{CALTON.lower()},{iri}"}).json()
    assert [a["uri"].rsplit("/", 1)[-1] for a in document["areas"]] == [CALTON, ANDERSTON]


def test_bad_comparisons_are_400s_naming_the_areas(places: TestClient) -> None:
    mixed = places.get(f"/compare.json?areas={CALTON},E08000003")
    assert mixed.status_code == 400
    assert "S13002975 (electoral ward), E08000003 (local authority)" in mixed.text
    unknown = places.get(f"/compare.csv?areas={CALTON},S13999999")
    assert unknown.status_code == 400 and "S13999999" in unknown.text
    alone = places.get(f"/compare?areas={CALTON}", headers={"accept": BROWSER})
    assert alone.status_code == 400 and "from 2 to 12 areas" in alone.text
    form = places.get("/compare", headers={"accept": BROWSER})
    assert form.status_code == 200 and 'name="areas"' in form.text
