"""The reference for bench-serve and bench-sparql: a bare FastAPI app, one store, one query
per request, run in the threadpool, no limits."""

import os

from fastapi import FastAPI
from fastapi.responses import Response
from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, Store, serialize

BASE = os.environ.get("ODC_BASE_IRI", "http://localhost:8000")
store = Store.read_only(os.environ["ODC_BENCH_STORE"])
app = FastAPI()


@app.get("/query")
def query(query: str) -> Response:
    result = store.query(query)
    if isinstance(result, QuerySolutions):
        body = result.serialize(format=QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")
    return Response(
        serialize(result, format=RdfFormat.N_TRIPLES), media_type="application/n-triples"
    )


@app.get("/{path:path}")
def page(path: str) -> Response:
    # /doc/x is the document about /id/x; /def/, /data/ IRIs are their own documents.
    iri = f"{BASE}/id/{path[4:]}" if path.startswith("doc/") else f"{BASE}/{path}"
    subject = f"<{iri}>"
    query = f"CONSTRUCT {{ {subject} ?p ?o }} WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} }}"
    body = serialize(store.query(query), format=RdfFormat.N_TRIPLES)
    return Response(body, media_type="application/n-triples")
