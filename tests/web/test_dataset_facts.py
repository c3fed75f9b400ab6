"""A dataset's page tells where it came from (its files with their SHA-256, the release),
how big it is in words, where its dumps are, and offers example queries that run; tried
over real HTTP on a project published by the real pipeline: a reference dataset (the
generic page) and a cube (the cube's page)."""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.areas import CODES
from tests.plugins.cubes import cube_rows, write_cube
from tests.plugins.project import BASE
from tests.plugins.servers import serving_url

ROOT = Path(__file__).resolve().parents[2]
BROWSER = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
SPARQL_JSON = "application/sparql-results+json"


def _areas(folder: Path) -> None:
    """Council areas, each typed, from a CSV of their own."""
    rows = "".join(f"{code},Area {code}\n" for code in CODES)
    (folder / "areas.csv").write_text("code,name\n" + rows, encoding="utf-8")
    mapping = {
        "@context": "http://www.w3.org/ns/csvw",
        "url": "areas.csv",
        "dc:title": "Council areas",
        "tableSchema": {
            "aboutUrl": BASE + "/id/statistical-geography/{code}",
            "columns": [
                {"name": "code", "titles": "code", "propertyUrl": "skos:notation"},
                {"name": "name", "titles": "name", "propertyUrl": "rdfs:label"},
                {
                    "virtual": True,
                    "propertyUrl": "rdf:type",
                    "valueUrl": BASE + "/def/geography/LocalAuthority",
                },
            ],
        },
    }
    (folder / "areas.json").write_text(json.dumps(mapping), encoding="utf-8")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path]:
    """Areas and a cube over them, published; and the folder of the mappings and CSVs."""
    folder = tmp_path_factory.mktemp("facts")
    for name in ("mappings", "shapes"):
        (folder / name).mkdir()
    _areas(folder / "mappings")
    write_cube(folder / "mappings", "people", cube_rows(range(2011, 2014)))
    # The project's own vocabularies: the areas' class has a label there.
    layout = Layout(folder / "mappings", folder / "shapes", ROOT / "ontologies", folder / "build")
    settings = Settings(base_iri=BASE, store_dir=folder / "store", reload_seconds=0)
    publish(settings, layout, workers=0)
    return settings, folder / "mappings"


@pytest.fixture(scope="module")
def site(project: tuple[Settings, Path]) -> Iterator[str]:
    """The URL of a server over the published project."""
    with serving_url(project[0]) as url:
        yield url


def _facts(site: str, name: str) -> dict[str, object]:
    response = httpx.get(f"{site}/data/{name}.json")
    assert response.status_code == 200, response.text
    facts = response.json()["dataset"]
    assert isinstance(facts, dict)
    return facts


def _page(site: str, name: str) -> str:
    response = httpx.get(f"{site}/data/{name}", headers={"accept": BROWSER})
    assert response.status_code == 200, response.text
    return html.unescape(re.sub(r"\s+", " ", response.text))


def _text(site: str, name: str) -> str:
    """The page's words, tags and scripts removed."""
    shown = re.sub(r"<script\b.*?</script>", " ", _page(site, name), flags=re.DOTALL)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", shown))


def test_provenance_gives_each_file_with_its_checksum(
    site: str, project: tuple[Settings, Path]
) -> None:
    folder = project[1]
    for name, source, mapping in [
        ("areas", "areas.csv", "areas.json"),
        ("people", "people.csv", "people.cube.json"),
    ]:
        files = {Path(str(f["path"])).name: f for f in _facts(site, name)["files"]}  # type: ignore[attr-defined]
        assert files[source]["role"] == "source"
        assert files[mapping]["role"] == "mapping"
        for file_name in (source, mapping):
            digest = hashlib.sha256((folder / file_name).read_bytes()).hexdigest()
            assert files[file_name]["sha256"] == digest
            assert digest in _page(site, name)


def test_the_release_is_named_on_the_page(site: str, project: tuple[Settings, Path]) -> None:
    release = ReleaseRoot(project[0].store_dir).current_path()
    assert release is not None
    for name in ("areas", "people"):
        assert _facts(site, name)["release"]["id"] == release.name  # type: ignore[index]
        words = (
            re.escape(f"in release {release.name}")
            + r" \(\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC\)"
        )
        assert re.search(words, _text(site, name))


def test_the_size_is_given_in_words(site: str) -> None:
    areas = _text(site, "areas")
    assert "9 triples: 3 local authorities." in areas
    people = _text(site, "people")
    assert re.search(r"[\d,]+ triples: 9 observations", people)


def test_both_pages_link_the_dumps(site: str) -> None:
    for name in ("areas", "people"):
        page = _page(site, name)
        for key in ("nt", "ttl"):
            assert f'href="{BASE}/data/{name}/dump.{key}.gz"' in page
        dumps = _facts(site, name)["dumps"]
        assert [d["format"] for d in dumps] == ["N-Triples", "Turtle"]  # type: ignore[attr-defined]


def _run(site: str, href: str) -> list[dict[str, object]]:
    assert href.startswith("/sparql?query=")
    query = unquote(href.removeprefix("/sparql?query="))
    response = httpx.get(f"{site}/sparql", params={"query": query}, headers={"accept": SPARQL_JSON})
    assert response.status_code == 200, (query, response.text)
    bindings = response.json()["results"]["bindings"]
    assert isinstance(bindings, list)
    return bindings


def _example_links(site: str, name: str) -> list[str]:
    """The links of the page's example queries."""
    found = re.search(r'<section class="dataset-queries">(.*?)</section>', _page(site, name))
    assert found is not None
    return re.findall(r'<a href="(/sparql\?query=[^"]+)"', found.group(1))


def test_every_example_query_runs_and_returns_rows(site: str) -> None:
    for name in ("areas", "people"):
        hrefs = _example_links(site, name)
        assert len(hrefs) == len(_facts(site, name)["examples"]) == 3  # type: ignore[arg-type]
        for href in hrefs:
            assert _run(site, href), href


def test_the_table_query_has_a_column_per_property(site: str) -> None:
    table = _facts(site, "areas")["examples"][1]  # type: ignore[index]
    assert table["title"] == "The first 100 local authorities, with their label and notation"
    rows = _run(site, "/sparql?query=" + table["query"])
    assert {str(row["notation"]["value"]) for row in rows} == set(CODES)  # type: ignore[index]


def test_an_example_opens_in_the_editor(site: str) -> None:
    href = _example_links(site, "areas")[-1]
    response = httpx.get(site + href, headers={"accept": BROWSER})
    assert response.status_code == 200
    assert "GROUP BY ?property" in html.unescape(response.text)
