"""Browsing and slicing statistics cubes over HTTP, against cubes published for real.

The module publishes, once, the reference geography the cubes' areas need, the employment
and Census tenure cubes, SIMD 2020 over a sample of its real rows (the first 60 data zones
and those whose cells are marked '*', 'n/a' or left empty), and a tiny cube whose codes hold
markup. Every number the slicer shows is checked against the source CSV, read here on its
own.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pyoxigraph import NamedNode, RdfFormat, parse

from opendatacommunities.config import Settings
from opendatacommunities.publish.pipeline import Layout, publish
from opendatacommunities.web import create_app
from opendatacommunities.web.cube import downloads, slices
from opendatacommunities.web.cube.index import CubeIndex
from opendatacommunities.web.cube.views import resolve
from tests.plugins.project import BASE, ROOT

HTML_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
MAPPINGS = (
    "geography-countries.json",
    "geography-local-authorities.json",
    "geography-data-zones.json",
    "sg-employment.cube.json",
    "census2011-tenure.cube.json",
)
SIMD_CSV = ROOT / "data" / "scotland" / "simd2020v2_withinds_by_datazone.csv"
TENURE_CSV = ROOT / "data" / "census2011" / "tenure-households-lad.csv"
EMPLOYMENT_CSV = ROOT / "data" / "scotland" / "employment" / "employment.csv"
# Data rows of the SIMD file kept: 5, 7, 9... hold '*', 140 'n/a', 3700 and 3721 empty cells.
SIMD_ROWS = (*range(60), 140, 3700, 3720, 3721)
# Some SIMD measures and their source columns.
SIMD_COLUMNS = {
    "totalPopulation": "Total_population",
    "incomeRate": "income_rate",
    "crimeCount": "crime_count",
    "attainment": "Attainment",
    "cif": "CIF",
    "broadband": "broadband",
}
MISSING = {"*": "suppressed", "n/a": "not applicable", "": "not available"}
ESCAPE_CUBE = {
    "dc:title": "Markup <b>in</b> a title & more",
    "csv": "../sample/escape.csv",
    "dimensions": [
        {"name": "refArea", "label": "Council area", "kind": "area", "column": "area"},
        {"name": "refPeriod", "label": "Year", "kind": "period", "value": "2019"},
        {"name": "kind", "label": "Kind <i>of</i> thing", "column": "kind"},
    ],
    "measures": [{"name": "count", "label": "Count", "datatype": "integer"}],
    "observations": {"value": "value"},
}
ESCAPE_ROWS = [
    ["area", "kind", "value"],
    ["S12000033", "<script>alert(1)</script>", "5"],
    ["S12000033", "Fish & chips", "7"],
]


@dataclass(frozen=True)
class Site:
    """The app over the published release, and the SIMD rows it was published from."""

    client: TestClient
    simd: list[dict[str, str]]


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _layout(work: Path) -> Layout:
    mappings = work / "mappings"
    mappings.mkdir()
    (work / "data").symlink_to(ROOT / "data")
    for name in MAPPINGS:
        shutil.copy(ROOT / "mappings" / name, mappings / name)
    sample = work / "sample"
    sample.mkdir()
    with SIMD_CSV.open(encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    with (sample / "simd2020.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([lines[0], *(lines[i + 1] for i in SIMD_ROWS)])
    with (sample / "escape.csv").open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(ESCAPE_ROWS)
    simd = json.loads((ROOT / "mappings" / "simd2020.cube.json").read_text(encoding="utf-8"))
    simd["csv"] = "../sample/simd2020.csv"
    (mappings / "simd2020.cube.json").write_text(json.dumps(simd), encoding="utf-8")
    (mappings / "escape.cube.json").write_text(json.dumps(ESCAPE_CUBE), encoding="utf-8")
    return Layout(
        mappings=mappings,
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=work / "build",
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The cubes, published once for the module, served in process."""
    work = tmp_path_factory.mktemp("cube-web")
    publish(Settings(store_dir=work / "store"), _layout(work))
    settings = Settings(base_iri=BASE, store_dir=work / "store", reload_seconds=60)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        simd = _read_csv(work / "sample" / "simd2020.csv")
        yield Site(client, simd)


def _json(site: Site, url: str) -> dict[str, Any]:
    response = site.client.get(url)
    assert response.status_code == 200, (url, response.text)
    document = response.json()
    assert isinstance(document, dict)
    return document


def _all_pages(site: Site, url: str) -> list[dict[str, Any]]:
    """Every row of a view, page after page, from its JSON twin."""
    first = _json(site, url)
    rows = list(first["data"])
    for page in range(2, first["pages"] + 1):
        rows += _json(site, f"{url}&page={page}")["data"]
    assert len(rows) == first["total_rows"]
    return rows


def _cells(row: dict[str, Any]) -> list[Any]:
    return [cell["value"] if cell["value"] is not None else cell["status"] for cell in row["cells"]]


class _TableParser(HTMLParser):
    """The slicer's table: heading texts, then each row's cells as the CSV has them (the
    row's label and code as shown, the cells' ``data-value``)."""

    def __init__(self) -> None:
        super().__init__()
        self.header: list[str] = []
        self.rows: list[list[str]] = []
        self._where = ""
        self._cell: list[str] | None = None
        self._value: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("thead", "tbody"):
            self._where = tag
        elif tag == "tr" and self._where == "tbody":
            self.rows.append([])
        elif tag in ("th", "td") and self._where:
            self._cell, self._value = [], dict(attrs).get("data-value")
        elif tag == "span" and self._cell is not None:
            self._cell.append("\0")  # badges ("total") are not part of the text

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            text = "".join(self._cell).split("\0")[0]
            text = " ".join(text.replace("▲", "").replace("▼", "").split())
            target = self.header if self._where == "thead" else self.rows[-1]
            target.append(self._value if self._value is not None else text)
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _html_table(site: Site, url: str) -> tuple[list[str], list[list[str]]]:
    response = site.client.get(url, headers={"Accept": HTML_ACCEPT})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    parser = _TableParser()
    parser.feed(response.text)
    return parser.header, parser.rows


def _csv_rows(site: Site, url: str) -> list[list[str]]:
    response = site.client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


# --- numbers against the source -------------------------------------------------------------


def _tenure_columns() -> dict[str, str]:
    """Source column -> the label of its code: the header path's last part ("Owned:
    Total" is the group "Owned"; "All categories: Tenure" is "All")."""
    found = {}
    for column in _read_csv(TENURE_CSV)[0]:
        if not column.startswith("Tenure: "):
            continue
        path = column.removeprefix("Tenure: ").removesuffix("; measures: Value").split(": ")
        if path[-1] == "Total":
            path = path[:-1]
        found[column] = "All" if path[0].startswith("All categories") else path[-1]
    return found


def test_census_slice_equals_the_source(site: Site) -> None:
    """Every authority's tenure counts, page by page, are the CSV's cells; columns come in
    the Census header's order, not alphabetically."""
    url = "/data/census2011-tenure/slice.json?rows=refArea&columns=tenure"
    first = _json(site, url)
    columns = _tenure_columns()
    assert [c["label"] for c in first["columns"]["codes"]] == list(columns.values())
    assert first["header"][2:] == list(columns.values())
    rows = {row["code"]: row for row in _all_pages(site, url)}
    source = _read_csv(TENURE_CSV)
    assert len(rows) == len(source) == 348
    for line in source[::23]:
        row = rows[line["geography code"]]
        assert _cells(row) == [int(line[c]) for c in columns], line["geography"]
    assert rows["W06000011"]["label"] == "Swansea"  # English, not Abertawe


def test_totals_are_marked(site: Site) -> None:
    """Codes that are the total of others say so (JSON ``total``, HTML badge), and the
    children name their parent."""
    document = _json(site, "/data/census2011-tenure/slice.json?rows=refArea&columns=tenure")
    codes = {c["code"]: c for c in document["columns"]["codes"]}
    assert codes["all"].get("total") and codes["owned"].get("total")
    assert "total" not in codes["owned-owned-outright"]
    assert codes["owned-owned-outright"]["parent"].endswith("/tenure/owned")
    page = site.client.get("/data/census2011-tenure/slice", headers={"Accept": HTML_ACCEPT})
    assert '<span class="status">total</span>' in page.text


def test_simd_slice_equals_the_source(site: Site) -> None:
    """Data zones by measure: sampled measures are the CSV's cells ('8%' is 8), missing
    values say why (never blank, never 0)."""
    url = "/data/simd2020/slice.json?rows=refArea&columns=measure"
    document = _json(site, url)
    keys = [c["code"] for c in document["columns"]["codes"]]
    assert (document["page_size"], len(keys)) == (20, 46)  # a wide table: fewer rows a page
    rows = {row["code"]: row for row in _all_pages(site, url)}
    assert len(rows) == len(SIMD_ROWS)
    for line in site.simd:
        row = rows[line["Data_Zone"]]
        assert row["label"] and row["label"] != row["code"]
        for key, column in SIMD_COLUMNS.items():
            cell = row["cells"][keys.index(key)]
            text = line[column].strip()
            if text in MISSING:
                assert cell == {"value": None, "status": MISSING[text]}, (row["code"], key)
            else:
                assert cell["value"] == pytest.approx(float(text.rstrip("%"))), (row["code"], key)


def test_employment_locks(site: Site) -> None:
    """Locking gender to Female gives the female counts, quarters as columns in time
    order; the lock is in the view's stable URL."""
    url = "/data/sg-employment/slice.json?rows=refArea&columns=refPeriod&gender=female"
    document = _json(site, url)
    assert [c["label"] for c in document["columns"]["codes"]] == [f"2017-Q{q}" for q in range(1, 5)]
    assert document["locks"]["gender"]["label"] == "Female"
    assert document["links"]["canonical"] == (
        "/data/sg-employment/slice?rows=refArea&columns=refPeriod&gender=female&measure=count"
    )
    rows = {row["code"]: _cells(row) for row in _all_pages(site, url)}
    source = [r for r in _read_csv(EMPLOYMENT_CSV) if r["Gender"] == "Female"]
    for line in source:
        quarter = int(line["Quarter"][-1]) - 1
        assert rows[line["Geography"]][quarter] == int(line["Value"])


def test_defaults_lock_the_total_and_the_latest_period(site: Site) -> None:
    """Unnamed locks take the top of the hierarchy (All) and the latest period."""
    document = _json(site, "/data/sg-employment/slice.json?rows=refArea&columns=none")
    assert document["locks"]["gender"]["code"] == "all"
    assert document["locks"]["refPeriod"]["code"] == "2017-Q4"


# --- twins, paging, sorting ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "rows=refArea&columns=tenure&page=3",
        "rows=tenure&columns=none&refArea=E06000005",
        "rows=refArea&columns=none&tenure=owned&sort=-value",
    ],
)
def test_html_csv_and_json_show_the_same_table(site: Site, query: str) -> None:
    """The HTML table, its CSV twin and its JSON twin hold the same headings and cells."""
    base = "/data/census2011-tenure/slice"
    header, rows = _html_table(site, f"{base}?{query}")
    table = _csv_rows(site, f"{base}.csv?{query}")
    assert [header, *rows] == table
    document = _json(site, f"{base}.json?{query}")
    assert document["header"] == table[0]
    as_text = [[r["label"], r["code"], *(str(v) for v in _cells(r))] for r in document["data"]]
    assert as_text == table[1:]


def test_paging(site: Site) -> None:
    """50 rows a page, the last page holds the rest, links lead on, no page beyond."""
    base = "/data/census2011-tenure/slice.json?rows=refArea&columns=tenure"
    first = _json(site, base)
    assert (first["pages"], first["total_rows"], len(first["data"])) == (7, 348, 50)
    assert "prev" not in first["links"] and first["links"]["next"].endswith("page=2")
    last = _json(site, f"{base}&page=7")
    assert len(last["data"]) == 348 - 6 * 50
    codes = [r["code"] for page in range(1, 8) for r in _json(site, f"{base}&page={page}")["data"]]
    assert len(set(codes)) == 348
    assert site.client.get(f"{base}&page=8").status_code == 404
    assert site.client.get(f"{base}&page=0").status_code == 400


def test_sorting(site: Site) -> None:
    """Rows sort by label, code, or a column's value, either way; missing values last."""
    base = "/data/census2011-tenure/slice.json?rows=refArea&columns=tenure"
    labels = [r["label"] for r in _json(site, f"{base}&sort=-label")["data"]]
    assert labels == sorted(labels, key=str.casefold, reverse=True)
    codes = [r["code"] for r in _json(site, f"{base}&sort=code")["data"]]
    assert codes == sorted(codes)
    biggest = _json(site, f"{base}&sort=-all")
    values = [r["cells"][0]["value"] for r in biggest["data"]]
    assert values == sorted(values, reverse=True)
    top = max(
        _read_csv(TENURE_CSV),
        key=lambda r: int(r["Tenure: All categories: Tenure; measures: Value"]),
    )
    assert biggest["data"][0]["code"] == top["geography code"]
    crime = _all_pages(
        site, "/data/simd2020/slice.json?rows=refArea&columns=none&measure=crimeCount&sort=value"
    )
    numbers = [r["cells"][0]["value"] for r in crime if r["cells"][0]["value"] is not None]
    assert numbers == sorted(numbers)
    tail = crime[len(numbers) :]
    assert tail and all(r["cells"][0]["status"] == "suppressed" for r in tail)


@pytest.mark.parametrize(
    "query",
    [
        "rows=refArea&columns=tenure&sort=-owned",
        "rows=refArea&columns=measure&sort=-simdRank",
        "rows=refArea&columns=none&measure=crimeCount&sort=value",
    ],
)
def test_a_slice_kept_whole_shows_what_pages_read_one_by_one_show(
    site: Site, query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Small slices are read whole in the background after a first visit and their pages
    then come from memory: the same rows, order and cells (missing values' reasons too)."""
    dataset = "census2011-tenure" if "tenure" in query else "simd2020"
    with monkeypatch.context() as patched:
        patched.setattr(slices, "GRID_CELLS", 0)
        by_page = _all_pages(site, f"/data/{dataset}/slice.json?{query}")
    app = site.client.app
    release = app.state.odc.live.current()  # type: ignore[attr-defined]
    index = CubeIndex.of(release)
    cube = index.cube_now(f"{BASE}/data/{dataset}")
    assert cube is not None
    view = resolve(cube, [tuple(part.split("=")) for part in query.split("&")])
    deadline = time.monotonic() + 30
    while slices._grid(release, index, view) is None:  # asks for it, then waits
        assert time.monotonic() < deadline, "the slice was never kept"
        time.sleep(0.05)
    # The same view under another address: the response cache does not answer for it.
    reordered = "&".join(reversed(query.split("&")))
    assert _all_pages(site, f"/data/{dataset}/slice.json?{reordered}") == by_page


def test_hierarchy_and_time_order(site: Site) -> None:
    """The cube's own order: a hierarchy depth first, periods by time."""
    tenure = _json(
        site, "/data/census2011-tenure/slice.json?rows=tenure&columns=none&refArea=E06000005"
    )
    assert [r["label"] for r in tenure["data"]][:4] == [
        "All",
        "Owned",
        "Owned outright",
        "Owned with a mortgage or loan",
    ]
    periods = _json(
        site, "/data/sg-employment/slice.json?rows=refPeriod&columns=gender&refArea=S12000033"
    )
    assert [r["code"] for r in periods["data"]] == ["2017-Q1", "2017-Q2", "2017-Q3", "2017-Q4"]
    reverse = _json(
        site,
        "/data/sg-employment/slice.json?rows=refPeriod&columns=gender&refArea=S12000033&sort=-order",
    )
    assert reverse["data"][0]["code"] == "2017-Q4"


# --- downloads --------------------------------------------------------------------------------


def _download(site: Site, url: str) -> list[dict[str, str]]:
    response = site.client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.text)))


def test_download_everything(site: Site) -> None:
    """The whole cube: one row per observation, every code with its label."""
    rows = _download(site, "/data/census2011-tenure/observations.csv")
    assert len(rows) == 348 * 14
    source = {r["geography code"]: r for r in _read_csv(TENURE_CSV)}
    columns = {label: column for column, label in _tenure_columns().items()}
    for row in rows[::97]:
        assert row["value"] == source[row["refArea"]][columns[row["tenure_label"]]]
        assert row["refPeriod_label"] == "2011" and row["measure_label"] == "Households"
        assert row["observation"].startswith(f"{BASE}/data/census2011-tenure/{row['refArea']}/")


def test_download_the_slice(site: Site) -> None:
    """The slicer's download link: every observation with the view's locks, all rows."""
    document = _json(
        site, "/data/sg-employment/slice.json?rows=refArea&columns=refPeriod&gender=male"
    )
    rows = _download(site, document["links"]["download"])
    assert len(rows) == 32 * 4
    assert {r["gender_label"] for r in rows} == {"Male"}
    source = {
        (r["Geography"], r["Quarter"]): r["Value"]
        for r in _read_csv(EMPLOYMENT_CSV)
        if r["Gender"] == "Male"
    }
    assert {(r["refArea"], r["refPeriod"]): r["value"] for r in rows} == source


def test_download_shows_missing_values(site: Site) -> None:
    """Suppressed cells are rows too, their value saying why."""
    rows = _download(site, "/data/simd2020/observations.csv?measure=crimeCount")
    assert len(rows) == len(SIMD_ROWS)
    starred = {r["Data_Zone"] for r in site.simd if r["crime_count"] == "*"}
    assert {r["refArea"] for r in rows if r["value"] == "suppressed"} == starred
    assert all(r["status"] == "suppressed" for r in rows if r["refArea"] in starred)


def test_download_in_chunks_has_no_cap(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read a few observations at a time, the download is the same, every row once."""
    whole = _download(site, "/data/simd2020/observations.csv")
    monkeypatch.setattr(downloads, "CHUNK_OBSERVATIONS", 50)
    chunked = _download(site, "/data/simd2020/observations.csv")
    assert len(chunked) == len(whole) == len(SIMD_ROWS) * 46
    assert chunked == whole
    assert len({r["observation"] for r in chunked}) == len(chunked)


# --- pages of the cube, its observations and codes --------------------------------------------


def test_dataset_page_tells_what_the_cube_measures(site: Site) -> None:
    """/data/{cube} in a browser: the cube in words, its parts with labels, code lists with
    counts, geography levels, periods and downloads."""
    page = site.client.get("/data/census2011-tenure", headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 200
    text = page.text
    # Taunton Deane and West Somerset (archived in 2019) are local authorities too.
    assert "Households, for each of the 348 local authorities, in 2011" in text
    assert "4,872 observations." in text
    assert '<p class="description">Households in each local authority' in text
    for words in ("Local authority", "Census year", "Tenure", "Unit of measure", "Owned outright"):
        assert words in text
    assert 'Owned outright</a> <code class="meta">owned-owned-outright</code>' in text
    assert "(348)" in text  # observations of each code
    assert 'href="/data/census2011-tenure/slice"' in text
    assert 'href="/data/census2011-tenure/observations.csv"' in text
    assert "Office for National Statistics" in text  # the catalogue record
    simd = site.client.get("/data/simd2020.html").text
    assert "of which" in simd and "suppressed" in simd and "data zone" in simd


@pytest.mark.parametrize("suffix", ["ttl", "nt", "rdf", "jsonld"])
def test_dataset_description_in_rdf(site: Site, suffix: str) -> None:
    """Every RDF format of /data/{cube} is still the catalogue's description."""
    response = site.client.get(f"/data/census2011-tenure.{suffix}")
    assert response.status_code == 200
    triples = list(parse(response.content, format=RdfFormat.from_extension(suffix)))
    title = NamedNode("http://purl.org/dc/terms/title")
    assert any(t.predicate == title for t in triples)
    negotiated = site.client.get("/data/census2011-tenure", headers={"Accept": "text/turtle"})
    assert negotiated.headers["content-type"].startswith("text/turtle")


OBSERVATION = "/data/census2011-tenure/E06000005/year/2011/owned-owned-outright/households"


def test_observation_page_reads_as_a_sentence(site: Site) -> None:
    """An observation's page says what it is, in words, with links."""
    page = site.client.get(OBSERVATION, headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 200
    assert "<h1>Households (Owned outright) in Darlington, 2011: 13,810</h1>" in page.text
    assert 'href="/doc/statistical-geography/E06000005"' in page.text
    assert "/data/census2011-tenure/slice?rows=refArea" in page.text
    starred = next(r["Data_Zone"] for r in site.simd if r["crime_count"] == "*")
    missing = site.client.get(f"/data/simd2020/{starred}/year/2020/crimeCount.html")
    assert ": suppressed</h1>" in missing.text


@pytest.mark.parametrize("suffix", ["ttl", "nt", "rdf", "jsonld"])
def test_observation_in_rdf(site: Site, suffix: str) -> None:
    """Each observation is a resource in every RDF format."""
    response = site.client.get(f"{OBSERVATION}.{suffix}")
    assert response.status_code == 200
    triples = list(parse(response.content, format=RdfFormat.from_extension(suffix)))
    measure = NamedNode(f"{BASE}/def/measure/census2011-tenure/households")
    values = [t.object.value for t in triples if t.predicate == measure]
    assert values == ["13810"]


def test_code_page(site: Site) -> None:
    """A code's page: its dimension and cube, its place in the hierarchy, its count, the
    slices that show it; its RDF formats are the resource's."""
    url = "/def/concept/census2011-tenure/tenure/owned"
    page = site.client.get(url, headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 200
    assert "<h1>Owned</h1>" in page.text
    assert "348 observations have it" in page.text
    assert "Owned outright" in page.text and "Part of" in page.text
    assert (
        "/data/census2011-tenure/slice?rows=refArea&amp;columns=none&amp;tenure=owned" in page.text
    )
    for suffix in ("ttl", "nt", "rdf", "jsonld"):
        response = site.client.get(f"{url}.{suffix}")
        triples = list(parse(response.content, format=RdfFormat.from_extension(suffix)))
        assert any(t.predicate.value.endswith("#sortPriority") for t in triples)


# --- errors and escaping -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "status", "words"),
    [
        ("rows=nonsense", 400, "not a dimension"),
        ("colour=red", 400, "Unknown parameter 'colour'"),
        ("tenure=castles&rows=refArea&columns=none", 404, "not a code of Tenure"),
        ("measure=height&columns=tenure", 404, "not a code of Measure"),
        ("rows=tenure&columns=tenure", 400, "different dimensions"),
        ("sort=-nothing", 400, "Cannot sort by"),
        ("page=two", 400, "page must be"),
        ("page=1&page=2", 400, "given twice"),
    ],
)
def test_bad_requests_get_the_one_error_shape(
    site: Site, query: str, status: int, words: str
) -> None:
    """Unknown dimensions, codes and measures: 400 or 404, as problem details for JSON
    clients and a page for browsers."""
    url = f"/data/census2011-tenure/slice?{query}"
    response = site.client.get(url, headers={"Accept": "application/json"})
    assert response.status_code == status
    problem = response.json()
    assert problem["status"] == status and words in problem["detail"]
    assert set(problem) >= {"type", "title", "status", "detail", "instance"}
    page = site.client.get(url, headers={"Accept": HTML_ACCEPT})
    assert page.status_code == status and page.headers["content-type"].startswith("text/html")


def test_unknown_cube_and_download_errors(site: Site) -> None:
    """No such cube: 404; a download filtered by an unknown dimension: 400."""
    assert site.client.get("/data/nothing-here/slice").status_code == 404
    assert site.client.get("/data/census2011-tenure/observations.csv?x=1").status_code == 400
    assert site.client.get("/data/census2011-tenure/observations.csv?tenure=x").status_code == 404
    assert site.client.get("/data/census2011-tenure/slice.xml").status_code == 404


def test_markup_in_the_data_is_escaped(site: Site) -> None:
    """Labels holding markup show as text on every page."""
    for url in ("/data/escape/slice?rows=kind&columns=none", "/data/escape"):
        page = site.client.get(url, headers={"Accept": HTML_ACCEPT})
        assert page.status_code == 200, url
        assert "<script>alert" not in page.text and "<b>in</b>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "Fish &amp; chips" in page.text


def test_codes_used_page(site: Site) -> None:
    """A dimension's codes-used collection: its codes a page at a time, in the slicer's
    order, each linked; its RDF lists them all."""
    url = "/data/census2011-tenure/codes-used/refArea"
    page = site.client.get(url, headers={"Accept": HTML_ACCEPT})
    assert page.status_code == 200
    assert "The 348 codes local authority takes" in page.text
    assert page.text.index(">Adur<") < page.text.index(">Allerdale<")
    assert 'rel="next" href="/data/census2011-tenure/codes-used/refArea?page=2"' in page.text
    assert site.client.get(f"{url}?page=3", headers={"Accept": HTML_ACCEPT}).status_code == 404
    triples = list(parse(site.client.get(f"{url}.nt").content, format=RdfFormat.N_TRIPLES))
    member = NamedNode("http://www.w3.org/2004/02/skos/core#member")
    assert len([t for t in triples if t.predicate == member]) == 348


def test_slices_are_cacheable_and_negotiated(site: Site) -> None:
    """A slice has validators (304 on a match), answers HEAD, and picks CSV or JSON by
    Accept on its bare URL; nothing acceptable gets 406."""
    url = "/data/sg-employment/slice?rows=refArea&columns=gender"
    first = site.client.get(url, headers={"Accept": HTML_ACCEPT})
    etag = first.headers["etag"]
    again = site.client.get(url, headers={"Accept": HTML_ACCEPT, "If-None-Match": etag})
    assert again.status_code == 304
    head = site.client.head(url, headers={"Accept": HTML_ACCEPT})
    assert head.status_code == 200 and head.content == b""
    assert site.client.get(url, headers={"Accept": "text/csv"}).text.startswith("Council area,")
    as_json = site.client.get(url, headers={"Accept": "application/json"})
    assert as_json.json()["rows"]["dimension"] == "refArea"
    assert site.client.get(url, headers={"Accept": "image/png"}).status_code == 406


# --- an area's page ---------------------------------------------------------------------------


def test_an_area_page_lists_its_figures_as_the_source_gives_them(site: Site) -> None:
    """A council area's page lists its employment figures from the source CSV, in the code
    lists' order: by quarter, then gender as its hierarchy orders it (All before its parts)."""
    rows = [r for r in _read_csv(EMPLOYMENT_CSV) if r["Geography"] == "S12000033"]
    values = {(r["Quarter"], r["Gender"]): int(r["Value"]) for r in rows}
    expected = [
        values[(quarter, gender)]
        for quarter in sorted({r["Quarter"] for r in rows})
        for gender in ("All", "Female", "Male")
        if (quarter, gender) in values
    ]
    document = _json(site, "/doc/statistical-geography/S12000033.json")
    [group] = [g for g in document["statistics"] if g["dataset"] == f"{BASE}/data/sg-employment"]
    assert group["count"] == len(rows) == len(expected)
    assert [item["value"] for item in group["items"]] == expected
    labels = [item["label"] for item in group["items"]]
    assert labels[:3] == [
        f"Count, {gender}, {labels[0].rsplit(', ', 1)[1]}" for gender in ("All", "Female", "Male")
    ]
    properties = {g["property"] for g in document["incoming"]["groups"]}
    assert "http://purl.org/linked-data/sdmx/2009/dimension#refArea" not in properties
