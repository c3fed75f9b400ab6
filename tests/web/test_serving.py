"""Serve from the cache or render once: one entry per document, whatever requests ask for
it, its bytes held and counted once; the index of requests answered from it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from opendatacommunities.web.cache import Rendered, RequestIndex, ResponseCache

GLASGOW_DOC = "/doc/statistical-geography/S12000049"


def _rendered(body: bytes) -> Rendered:
    return Rendered(body, {"content-type": "text/plain"}, '"r1-txt"')


def test_the_index_points_at_entries_the_cache_still_holds() -> None:
    cache = ResponseCache(max_entries=1, max_bytes=1000)
    index = RequestIndex(cache, max_entries=10)
    cache.put(("r1", "a"), _rendered(b"a"))
    index.put(("r1", "/a", b"", b"text/plain"), ("r1", "a"))
    index.put(("r1", "/a", b"", b"*/*"), ("r1", "a"))
    found = index.get(("r1", "/a", b"", b"*/*"))
    assert found is not None and found.body == b"a"
    cache.put(("r1", "b"), _rendered(b"b"))  # the cache holds one entry: "a" goes
    assert index.get(("r1", "/a", b"", b"text/plain")) is None
    assert (index.hits, index.misses) == (1, 1)


def test_the_index_is_bounded_by_count() -> None:
    cache = ResponseCache(max_entries=10, max_bytes=1000)
    index = RequestIndex(cache, max_entries=2)
    cache.put("entry", _rendered(b"x"))
    for n in range(3):
        index.put(("request", n), "entry")
    assert len(index) == 2
    assert index.get(("request", 0)) is None  # the oldest went
    assert index.get(("request", 2)) is not None


def test_one_document_is_rendered_once_and_held_once(client: TestClient) -> None:
    context = client.app.state.odc  # type: ignore[attr-defined]
    entries, size, requests = len(context.cache), context.cache.size_bytes, len(context.requests)
    first = client.get(GLASGOW_DOC, headers={"accept": "text/turtle"})
    hits = context.cache.hits
    # Another Accept header choosing the same format: another request, the same document.
    second = client.get(GLASGOW_DOC, headers={"accept": "text/turtle;q=0.9, text/plain;q=0.1"})
    assert context.cache.hits == hits + 1  # found, not rendered again
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert len(context.cache) == entries + 1
    assert context.cache.size_bytes == size + len(first.content)
    assert len(context.requests) == requests + 2


def test_a_remembered_request_is_answered_with_validators(client: TestClient) -> None:
    first = client.get(GLASGOW_DOC, headers={"accept": "text/turtle"})
    again = client.get(GLASGOW_DOC, headers={"accept": "text/turtle"})
    assert again.content == first.content
    assert again.headers["etag"] == first.headers["etag"]
    fresh = {"accept": "text/turtle", "if-none-match": first.headers["etag"]}
    assert client.get(GLASGOW_DOC, headers=fresh).status_code == 304
    head = client.head(GLASGOW_DOC, headers={"accept": "text/turtle"})
    assert head.content == b""
    assert head.headers["content-length"] == str(len(first.content))
