"""Small parts of the web layer: the response cache, HTTP validators, IRIs and words."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from opendatacommunities.config import Settings
from opendatacommunities.iris import IriSpace, compact, humanise, split_namespace
from opendatacommunities.web.cache import Rendered, ResponseCache
from opendatacommunities.web.http import etag_matches, http_date, make_etag
from tests.plugins.project import BASE


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


def test_etags_and_dates() -> None:
    etag = make_etag("r1", "ttl")
    assert etag == '"r1-ttl"'
    assert etag_matches(etag, etag)
    assert etag_matches(f"W/{etag}", etag)
    assert etag_matches(f'"other", {etag}', etag)
    assert not etag_matches('"r0-ttl"', etag)
    moment = datetime(2026, 11, 23, 0, 34, 6, 123456, tzinfo=UTC)
    assert http_date(moment) == "Mon, 23 Nov 2026 00:34:06 GMT"


def test_iri_space() -> None:
    space = IriSpace(f"{BASE}/")
    assert space.base == BASE
    assert space.id_iri("a b") == f"{BASE}/id/a%20b"
    assert space.page_path(f"{BASE}/def/geography") == "/def/geography"
    assert space.page_path(f"{BASE}/id/x#frag").startswith("/resource?uri=")
    assert space.local_path("http://elsewhere.org/id/x") is None
    assert space.alternatives(f"{BASE}/id/S12") == []
    assert space.alternatives("http://elsewhere.org/x") == []
    prefixes = space.prefixes_for(
        [
            f"{BASE}/id/statistical-geography/S1",
            "http://www.w3.org/2000/01/rdf-schema#label",
        ]
    )
    assert prefixes == {
        "statistical-geography": f"{BASE}/id/statistical-geography/",
        "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    }


def test_words_from_iris() -> None:
    assert split_namespace("http://x/a#b") == ("http://x/a#", "b")
    assert humanise("http://x/statisticalEntity") == "statistical entity"
    assert humanise("http://x/GSSCode") == "GSS code"
    assert compact("http://nowhere/x", {"a": "http://a/"}) is None


def test_settings_from_environment() -> None:
    settings = Settings.from_env(
        {
            "ODC_STORE_DIR": "/srv/store",
            "ODC_PAGE_SIZE": "25",
            "ODC_DEBUG": "yes",
            "ODC_RELOAD_SECONDS": "0.5",
            "HOME": "/ignored",
        }
    )
    assert str(settings.store_dir) == "/srv/store"
    assert (settings.page_size, settings.debug, settings.reload_seconds) == (25, True, 0.5)
    with pytest.raises(ValueError, match="ODC_PORT"):
        Settings.from_env({"ODC_PORT": "eighty"})
    with pytest.raises(ValueError, match="ODC_PORT"):
        Settings.from_env({"ODC_PORT": "-1"})
    with pytest.raises(ValueError, match="ODC_DEBUG"):
        Settings.from_env({"ODC_DEBUG": "perhaps"})
    with pytest.raises(ValueError, match="BASE_IRI"):
        Settings.from_env({"ODC_BASE_IRI": BASE.removeprefix("http://")})
