"""Glasgow City Council's open data catalogue, harvested: the bundled mapping published by
the real pipeline, checked against the council's catalogue export it is made from and
cross-checked against the council's own DCAT feed (JSON-LD, September 2022)."""

from __future__ import annotations

import csv
import importlib.util
import shutil
from collections import defaultdict
from pathlib import Path
from types import ModuleType

import pyoxigraph
import pytest

from opendatacommunities.config import Settings
from opendatacommunities.errors import ValidationFailedError
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from tests.plugins.project import BASE, ROOT

SOURCE = ROOT / "data" / "glasgow" / "gcc_open_data_catalogue_dcat.csv"
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ENTRY = BASE + "/data/glasgow-open-data/"
PREFIXES = f"""PREFIX dcat: <http://www.w3.org/ns/dcat#> PREFIX dct: <http://purl.org/dc/terms/>
PREFIX cat: <{BASE}/def/catalogue/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def _derive() -> ModuleType:
    """The script that makes the harvest tables (``data/glasgow/derive.py``)."""
    spec = importlib.util.spec_from_file_location("glasgow_derive", SOURCE.with_name("derive.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def store(harvest_release: Path) -> pyoxigraph.Store:
    """The live release after publishing the harvest alone."""
    return pyoxigraph.Store.read_only(str(harvest_release))


@pytest.fixture(scope="module")
def source() -> list[dict[str, str]]:
    """The council's catalogue export: one row per distribution."""
    with SOURCE.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _select(store: pyoxigraph.Store, query: str) -> list[tuple[str, ...]]:
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
    assert isinstance(result, pyoxigraph.QuerySolutions)
    return [tuple(term.value if term else "" for term in row) for row in result]


def _entries_by_page(source: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["PageURL"]: row for row in source}


def test_every_dataset_and_distribution_is_harvested(
    store: pyoxigraph.Store, source: list[dict[str, str]]
) -> None:
    pages = _entries_by_page(source)
    entries = _select(
        store, "SELECT ?d ?page WHERE { ?d a cat:HarvestedDataset ; dcat:landingPage ?page }"
    )
    assert len(entries) == len(pages) == 138  # 137 titles: two are unfilled "{{name}}" templates
    assert {page for _, page in entries} == set(pages)
    downloads = _select(
        store,
        "SELECT ?x ?url WHERE { ?d a cat:HarvestedDataset ; dcat:distribution ?x ."
        " ?x dcat:accessURL ?url }",
    )
    assert len(downloads) == len(source) == 803
    assert {url for _, url in downloads} == {row["AssetURL"] for row in source}
    listed = _select(
        store, f"SELECT ?d WHERE {{ <{BASE}/data> dcat:dataset ?d . ?d a cat:HarvestedDataset }}"
    )
    assert len(listed) == 138  # each appears in the site's catalogue


def test_ogl3_is_the_open_government_licence_and_no_licence_is_invented(
    store: pyoxigraph.Store, source: list[dict[str, str]]
) -> None:
    licensed = {page for page, row in _entries_by_page(source).items() if row["License"] == "OGL3"}
    rows = _select(
        store,
        "SELECT ?page ?licence ?note WHERE { ?d a cat:HarvestedDataset ; dcat:landingPage ?page"
        " OPTIONAL { ?d dct:license ?licence } OPTIONAL { ?d cat:licenceNote ?note } }",
    )
    assert {page for page, licence, _ in rows if licence} == licensed
    assert {licence for _, licence, _ in rows if licence} == {OGL}
    unlicensed = [(licence, note) for page, licence, note in rows if page not in licensed]
    assert unlicensed and set(unlicensed) == {("", "licence not stated")}
    assert all(note == "" for page, _, note in rows if page in licensed)


def test_test_entries_and_templates_are_flagged_and_only_they(store: pyoxigraph.Store) -> None:
    flagged = _select(
        store, "SELECT ?title ?why WHERE { ?d cat:testEntry ?why ; dct:title ?title }"
    )
    assert sorted(title for title, _ in flagged) == [
        "CONSAREA UAT TEST",
        "FOOTPATH UAT TESTING",
        "UAT TEst Cycle Routes",
        "{{name}}",
        "{{name}}",
    ]
    assert all("left in the council's catalogue" in why for _, why in flagged)


def test_keywords_are_split(store: pyoxigraph.Store, source: list[dict[str, str]]) -> None:
    rows = _select(store, "SELECT ?page ?k WHERE { ?d dcat:landingPage ?page ; dcat:keyword ?k }")
    found: dict[str, set[str]] = defaultdict(set)
    for page, keyword in rows:
        found[page].add(keyword)
    for page, row in _entries_by_page(source).items():
        expected = {t.strip() for t in row["OriginalTags"].split(";") if t.strip()}
        assert found.get(page, set()) == expected, page
    road = ENTRY + "road-safety-accidents"
    assert found[pages_of(store, road)] == {"environment", "roads", "safety", "transport"}


def pages_of(store: pyoxigraph.Store, entry: str) -> str:
    """The landing page of a harvested entry."""
    ((page,),) = _select(store, f"SELECT ?p WHERE {{ <{entry}> dcat:landingPage ?p }}")
    return page


def test_descriptions_hold_text_not_html(
    store: pyoxigraph.Store, source: list[dict[str, str]]
) -> None:
    with_html = {row["PageURL"] for row in source if "<" in row["Description"]}
    assert len(with_html) > 20
    rows = _select(
        store, "SELECT ?page ?text WHERE { ?d dcat:landingPage ?page ; dct:description ?text }"
    )
    texts = dict(rows)
    assert with_html <= set(texts)
    for text in texts.values():
        assert "<" not in text and "&quot;" not in text and "{{" not in text, text
    road = texts[pages_of(store, ENTRY + "road-safety-accidents")]
    assert road.startswith("This dataset captures detailed statistics about road accidents")


def test_the_council_publishes_every_entry(store: pyoxigraph.Store) -> None:
    rows = _select(
        store,
        "SELECT DISTINCT ?name WHERE { ?d a cat:HarvestedDataset ; dct:publisher ?p ."
        " ?p rdfs:label ?name }",
    )
    assert rows == [("Glasgow City Council",)]


def test_html_to_text_drops_code_and_keeps_words() -> None:
    derive = _derive()
    hostile = "<p onclick='x()'>A &amp; B</p><script>alert(1)</script><img src=x onerror=alert(2)>C"
    assert derive.html_to_text(hostile) == "A & B C"
    assert derive.test_reason("Cycle Routes") == ""


def test_cross_check_with_the_councils_dcat_feed(store: pyoxigraph.Store, shared_dir: Path) -> None:
    """The council's own feed of September 2022 lists fewer datasets, states no licence and
    names its publisher as a string; what differs is written in docs/glasgow-harvest.md."""
    feed = pyoxigraph.Store()
    path = shared_dir / "data" / "glasgow" / "gcc_dcat_catalog_2022-09.jsonld"
    feed.load(
        path.read_bytes(),
        format=pyoxigraph.RdfFormat.JSON_LD,
        base_iri="https://data.glasgow.gov.uk/",
    )
    rows = _select(feed, "SELECT ?d ?t WHERE { ?d a dcat:Dataset ; dct:title ?t }")
    identifier = _derive().identifier
    theirs = {identifier(d): t for d, t in rows}
    ours = dict(
        _select(
            store,
            "SELECT ?id ?t WHERE { ?d a cat:HarvestedDataset ; dct:identifier ?id ; dct:title ?t }",
        )
    )
    assert len(theirs) == 68
    both = theirs.keys() & ours.keys()
    only_theirs, only_ours = theirs.keys() - ours.keys(), ours.keys() - theirs.keys()
    assert (len(both), len(only_theirs), len(only_ours)) == (61, 7, 77)
    assert {"bike-hire-api", "fixed-penalty-notices", "graffiti-incidences"} <= only_theirs
    renamed = {(theirs[k], ours[k]) for k in both if theirs[k] != ours[k]}
    assert renamed == {
        ("Open Data design", "Glasgow Open Data Hub"),
        ("Community Asset Register Properties", "Community asset register properties"),
    }
    assert _select(feed, "SELECT ?l WHERE { ?d a dcat:Dataset ; dct:license ?l }") == []


def test_html_left_in_a_description_fails_the_publish(tmp_path: Path) -> None:
    """The shapes stop markup reaching the store: a description still holding a tag fails
    the publish, naming the entry and what was expected; nothing is published."""
    (tmp_path / "mappings").mkdir()
    (tmp_path / "data" / "glasgow").mkdir(parents=True)
    shutil.copy(ROOT / "mappings" / "glasgow-open-data.json", tmp_path / "mappings")
    shutil.copy(SOURCE.with_name("distributions.csv"), tmp_path / "data" / "glasgow")
    text = SOURCE.with_name("datasets.csv").read_text(encoding="utf-8")
    road = "This dataset captures detailed statistics"
    assert road in text
    (tmp_path / "data" / "glasgow" / "datasets.csv").write_text(
        text.replace(road, "<b>This</b> dataset captures detailed statistics"), encoding="utf-8"
    )
    layout = Layout(
        mappings=tmp_path / "mappings",
        shapes=ROOT / "shapes",
        ontologies=ROOT / "ontologies",
        build=tmp_path / "build",
    )
    settings = Settings(base_iri=BASE, store_dir=tmp_path / "store")
    with pytest.raises(ValidationFailedError) as failure:
        publish(settings, layout, workers=0)
    assert "no HTML tags" in str(failure.value)
    assert "road-safety-accidents" in str(failure.value)
    assert "datasets.csv:" in str(failure.value)  # the file and row of the cell
    assert ReleaseRoot(settings.store_dir).current_path() is None
