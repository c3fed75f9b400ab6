"""The reference for bench-serve: a bare FastAPI app, one route, one CONSTRUCT per request."""

import os

from fastapi import FastAPI
from fastapi.responses import Response
from pyoxigraph import RdfFormat, Store, serialize

BASE = os.environ.get("ODC_BASE_IRI", "http://localhost:8000")
store = Store.read_only(os.environ["ODC_BENCH_STORE"])
app = FastAPI()


@app.get("/doc/{path:path}")
def doc(path: str) -> Response:
    subject = f"<{BASE}/id/{path}>"
    query = f"CONSTRUCT {{ {subject} ?p ?o }} WHERE {{ GRAPH ?g {{ {subject} ?p ?o }} }}"
    body = serialize(store.query(query), format=RdfFormat.N_TRIPLES)
    return Response(body, media_type="application/n-triples")
