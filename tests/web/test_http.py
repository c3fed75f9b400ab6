"""HTTP validators: entity tags as the conditional-request headers compare them, and dates."""

from __future__ import annotations

from datetime import UTC, datetime

from opendatacommunities.web.http import etag_matches, http_date, make_etag


def test_etags_and_dates() -> None:
    etag = make_etag("r1", "ttl")
    assert etag == '"r1-ttl"'
    assert etag_matches(etag, etag)
    assert etag_matches(f"W/{etag}", etag)
    assert etag_matches(f'"other", {etag}', etag)
    assert not etag_matches('"r0-ttl"', etag)
    moment = datetime(2026, 11, 23, 0, 34, 6, 123456, tzinfo=UTC)
    assert http_date(moment) == "Mon, 23 Nov 2026 00:34:06 GMT"
