"""The reference for bench-serve and bench-sparql: a bare FastAPI app, one store, one query
per request, run in the threadpool, no limits."""

import os

from fastapi import FastAPI
from fastapi.responses import Response
from pyoxigraph import QueryResultsFormat, QuerySolutions, RdfFormat, Store, serialize

BASE = os.environ.get("ODC_BASE_IRI", "http://localhost:8000")
store = Store.read_only(os.environ["ODC_BENCH_STORE"])
app = FastAPI()


@app.get("/doc/{path:path}")
def doc(path: str) -> Response:
    subject = f"<{BASE}/id/{path}>"
    query = f"CONSTRUCT {{ {subject} ?p ?o }} WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} }}"
    body = serialize(store.query(query), format=RdfFormat.N_TRIPLES)
    return Response(body, media_type="application/n-triples")


@app.get("/query")
def query(query: str) -> Response:
    result = store.query(query)
    if isinstance(result, QuerySolutions):
        body = result.serialize(format=QueryResultsFormat.JSON)
        return Response(body, media_type="application/sparql-results+json")
    return Response(
        serialize(result, format=RdfFormat.N_TRIPLES), media_type="application/n-triples"
    )
