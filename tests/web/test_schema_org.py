"""schema.org ``Dataset`` JSON-LD embedded in every dataset page (a plain dataset's and a
cube's): it parses as JSON-LD and states name, description, licence, distribution and URL;
text from the data cannot end the script element."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish
from tests.plugins.web import BROWSER, TINY_CUBE

SDO = rdflib.Namespace("https://schema.org/")
OGL = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
HOSTILE = "Wards </script><script>alert(1)</script> & more"
EXTRA = f"""
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
</data/wards> a dcat:Dataset ; dct:title "Wards"@en ; dct:description "{HOSTILE}"@en ;
    dct:license <{OGL}> ; dct:publisher </id/organisation/sg> .
</id/organisation/sg> foaf:name "Scottish Government"@en .
</data/tiny> dct:license <{OGL}> ; dct:description "Two colours counted."@en .
"""
SCRIPT = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


@pytest.fixture
def site(tmp_path: Path) -> Iterator[TestClient]:
    """The app over the fixtures, a small cube and a plain dataset."""
    store = tmp_path / "store"
    publish(store, BASE, extra=TINY_CUBE + EXTRA)
    settings = Settings(base_iri=BASE, store_dir=store, reload_seconds=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def _embedded(client: TestClient, path: str) -> list[str]:
    response = client.get(path, headers={"accept": BROWSER})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    return SCRIPT.findall(response.text)


def _as_rdf(text: str) -> rdflib.Graph:
    """The JSON-LD as RDF; schema.org's remote context is stood in for by its vocabulary, so
    the test makes no network request."""
    document = json.loads(text)
    assert document["@context"] == "https://schema.org/"
    document["@context"] = {"@vocab": "https://schema.org/"}
    return rdflib.Graph().parse(data=json.dumps(document), format="json-ld")


@pytest.mark.parametrize(
    ("path", "name", "description"),
    [("/data/wards", "Wards", HOSTILE), ("/data/tiny", "Tiny cube", "Two colours counted.")],
)
def test_a_dataset_page_embeds_schema_org(
    site: TestClient, path: str, name: str, description: str
) -> None:
    scripts = _embedded(site, path)
    assert len(scripts) == 1
    graph = _as_rdf(scripts[0])
    dataset = rdflib.URIRef(BASE + path)
    assert (dataset, rdflib.RDF.type, SDO.Dataset) in graph
    assert str(graph.value(dataset, SDO.name)) == name
    assert str(graph.value(dataset, SDO.description)) == description
    assert str(graph.value(dataset, SDO.license)) == OGL
    assert str(graph.value(dataset, SDO.url)) == BASE + path
    downloads = {
        str(graph.value(d, SDO.contentUrl)) for d in graph.objects(dataset, SDO.distribution)
    }
    assert downloads == {f"{BASE}{path}.{s}" for s in ("ttl", "nt", "rdf", "jsonld")}


def test_the_data_cannot_end_the_script(site: TestClient) -> None:
    (script,) = _embedded(site, "/data/wards")
    assert "<" not in script and ">" not in script
    assert "alert(1)" in script  # escaped, not dropped


def test_other_pages_embed_nothing(site: TestClient) -> None:
    assert _embedded(site, "/doc/statistical-geography/S12000049") == []
    assert "ld+json" not in site.get("/data/wards.ttl").text
