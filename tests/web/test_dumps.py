"""Full dumps over real HTTP: downloads of the files the publish wrote (HEAD, ETag and 304,
byte ranges, a file name), listed in the DCAT catalogue and in VoID; an unknown dataset or
format is a 404 in the one error shape."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph
import pyshacl
import pytest
import rdflib

from opendatacommunities.config import Settings
from opendatacommunities.publish import Layout, publish
from opendatacommunities.store import ReleaseRoot
from opendatacommunities.store.dumps import dump_path
from tests.plugins.areas import AREA_SHAPES, CODES, write_coded_areas
from tests.plugins.cubes import cube_rows, write_cube
from tests.plugins.project import BASE
from tests.plugins.servers import serving_url

DCAT = "http://www.w3.org/ns/dcat#"
VOID = "http://rdfs.org/ns/void#"
SPDX = "http://spdx.org/rdf/terms#"
SHAPES = Path(__file__).resolve().parents[2] / "shapes" / "dcat-ap" / "dcat-ap.ttl"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A project of areas and a cube over them, published by the real pipeline."""
    folder = tmp_path_factory.mktemp("dumps")
    for name in ("mappings", "shapes", "ontologies"):
        (folder / name).mkdir()
    (folder / "shapes" / "areas.ttl").write_text(AREA_SHAPES, encoding="utf-8")
    write_coded_areas(folder / "mappings", "areas", CODES)
    write_cube(folder / "mappings", "people", cube_rows(range(2011, 2014)))
    layout = Layout(folder / "mappings", folder / "shapes", folder / "ontologies", folder / "build")
    settings = Settings(base_iri=BASE, store_dir=folder / "store", reload_seconds=0)
    publish(settings, layout, workers=0)
    return settings


@pytest.fixture(scope="module")
def site(published: Settings) -> Iterator[str]:
    """The URL of a server over the published project."""
    with serving_url(published) as url:
        yield url


def _release(settings: Settings) -> Path:
    path = ReleaseRoot(settings.store_dir).current_path()
    assert path is not None
    return path


def test_a_dump_downloads_as_the_file_written(site: str, published: Settings) -> None:
    response = httpx.get(f"{site}/data/areas/dump.nt.gz")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in response.headers
    assert 'filename="areas.nt.gz"' in response.headers["content-disposition"]
    on_disk = dump_path(_release(published), "areas", "nt").read_bytes()
    assert response.content == on_disk
    assert response.headers["etag"] == f'"{hashlib.sha256(on_disk).hexdigest()}"'
    assert response.headers["last-modified"]
    triples = list(
        pyoxigraph.parse(gzip.decompress(response.content), pyoxigraph.RdfFormat.N_TRIPLES)
    )
    assert len(triples) == 3 * 2


def test_head_gives_the_size_and_no_body(site: str, published: Settings) -> None:
    response = httpx.head(f"{site}/data/people/dump.ttl.gz")
    assert response.status_code == 200
    size = dump_path(_release(published), "people", "ttl").stat().st_size
    assert int(response.headers["content-length"]) == size
    assert response.content == b""


def test_a_current_copy_is_not_sent_again(site: str) -> None:
    first = httpx.get(f"{site}/data/people/dump.ttl.gz")
    again = httpx.get(
        f"{site}/data/people/dump.ttl.gz", headers={"if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def test_a_download_resumes_from_a_byte(site: str, published: Settings) -> None:
    on_disk = dump_path(_release(published), "people", "nt").read_bytes()
    response = httpx.get(f"{site}/data/people/dump.nt.gz", headers={"range": "bytes=10-"})
    assert response.status_code == 206
    assert response.content == on_disk[10:]


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/data/nothing/dump.nt.gz", "no dataset 'nothing'"),
        ("/data/areas/dump.xml.gz", "no dump in the format .xml"),
    ],
)
def test_an_unknown_dump_is_a_404_in_the_error_shape(site: str, path: str, words: str) -> None:
    response = httpx.get(site + path, headers={"accept": "application/json"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    assert words in response.json()["detail"]


def _graph(url: str) -> pyoxigraph.Store:
    response = httpx.get(url, headers={"accept": "text/turtle"})
    assert response.status_code == 200, response.text
    store = pyoxigraph.Store()
    store.load(response.content, pyoxigraph.RdfFormat.TURTLE, base_iri=url)
    return store


def test_the_catalogue_lists_each_dump_with_size_and_checksum(
    site: str, published: Settings
) -> None:
    store = _graph(f"{site}/catalog")
    query = f"""SELECT ?url ?type ?size ?sum {{
      <{BASE}/data/areas> <{DCAT}distribution> ?d .
      ?d <{DCAT}downloadURL> ?url ; <{DCAT}mediaType> ?type ; <{DCAT}byteSize> ?size ;
         <{DCAT}compressFormat> <http://www.iana.org/assignments/media-types/application/gzip> ;
         <{SPDX}checksum>/<{SPDX}checksumValue> ?sum }}"""
    rows = {str(row["url"].value): row for row in store.query(query)}  # type: ignore[union-attr]
    assert sorted(rows) == [f"{BASE}/data/areas/dump.nt.gz", f"{BASE}/data/areas/dump.ttl.gz"]
    row = rows[f"{BASE}/data/areas/dump.nt.gz"]
    data = dump_path(_release(published), "areas", "nt").read_bytes()
    assert str(row["type"].value).endswith("/application/n-triples")
    assert int(row["size"].value) == len(data)
    assert row["sum"].value == hashlib.sha256(data).hexdigest()


def test_void_names_every_dump(site: str) -> None:
    store = _graph(f"{site}/.well-known/void")
    query = f"SELECT ?d ?dump {{ ?d <{VOID}dataDump> ?dump }}"
    found = {(str(r["d"].value), str(r["dump"].value)) for r in store.query(query)}  # type: ignore[union-attr]
    for name in ("areas", "people"):
        for key in ("nt", "ttl"):
            assert (f"{BASE}/data/{name}", f"{BASE}/data/{name}/dump.{key}.gz") in found
            site_dataset = f"{BASE}/.well-known/void#dataset"
            assert (site_dataset, f"{BASE}/data/{name}/dump.{key}.gz") in found


def test_the_catalogue_with_dumps_conforms_to_dcat_ap(site: str) -> None:
    shapes = rdflib.Graph().parse(SHAPES, format="turtle")
    response = httpx.get(f"{site}/catalog", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.content, format="turtle")
    conforms, _, text = pyshacl.validate(graph, shacl_graph=shapes, inference="none")
    assert conforms, text
