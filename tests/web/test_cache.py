"""The response cache: bounded by entries and by bytes, least recently used first out."""

from __future__ import annotations

from opendatacommunities.web.cache import Rendered, ResponseCache


def rendered(size: int) -> Rendered:
    return Rendered(b"x" * size, {"content-type": "text/plain"}, '"e"')


def test_cache_evicts_least_recently_used_by_count() -> None:
    cache = ResponseCache(max_entries=2, max_bytes=1000)
    cache.put("a", rendered(1))
    cache.put("b", rendered(1))
    assert cache.get("a") is not None  # a is now the most recently used
    cache.put("c", rendered(1))
    assert cache.get("b") is None
    assert cache.get("a") is not None and cache.get("c") is not None
    assert cache.hits == 3 and cache.misses == 1


def test_cache_is_bounded_by_bytes() -> None:
    cache = ResponseCache(max_entries=100, max_bytes=10)
    cache.put("a", rendered(6))
    cache.put("b", rendered(6))
    assert len(cache) == 1 and cache.size_bytes == 6
    cache.put("huge", rendered(11))
    assert cache.get("huge") is None
    cache.put("b", rendered(2))
    assert cache.size_bytes == 2


def test_rendered_carries_asgi_headers() -> None:
    raw = rendered(3).raw_headers
    assert (b"content-length", b"3") in raw
    assert (b"content-type", b"text/plain") in raw
