"""The engines the remote-store tests start: each takes an update and a Graph Store upload
through the endpoints and credentials its fixture names, and answers a query."""

from __future__ import annotations

import httpx

from tests.plugins.engines import Engine


def test_an_engine_takes_updates_and_uploads_and_answers_queries(engine: Engine) -> None:
    update = 'INSERT DATA { GRAPH <urn:test:a> { <urn:test:s> <urn:test:p> "a" } }'
    response = httpx.post(engine.update_url, data={"update": update}, auth=engine.auth())
    assert response.status_code < 300, response.text
    upload = httpx.put(
        engine.graph_url,
        params={"graph": "urn:test:b"},
        content=b'<urn:test:s> <urn:test:p> "b" .\n',
        headers={"Content-Type": "application/n-triples"},
        auth=engine.auth(),
    )
    assert upload.status_code < 300, upload.text
    query = "SELECT ?g ?o WHERE { GRAPH ?g { <urn:test:s> <urn:test:p> ?o } } ORDER BY ?o"
    answer = httpx.get(
        engine.query_url,
        params={"query": query},
        headers={"Accept": "application/sparql-results+json"},
    )
    rows = answer.json()["results"]["bindings"]
    assert [(r["g"]["value"], r["o"]["value"]) for r in rows] == [
        ("urn:test:a", "a"),
        ("urn:test:b", "b"),
    ]
