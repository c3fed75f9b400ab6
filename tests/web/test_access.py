"""The access log: one line per request, in one fixed shape, unless it is turned off."""

from __future__ import annotations

import logging
import time
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.operations import LOG_LINE
from tests.plugins.web import GLASGOW


def test_access_log_has_one_line_per_request(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    def logged() -> list[str]:
        records = [r for r in caplog.records if r.name == "opendatacommunities.access"]
        return [line for record in records for line in record.getMessage().splitlines()]

    with caplog.at_level(logging.INFO, logger="opendatacommunities.access"):
        client.get(GLASGOW + "?x=a%20b")
        client.get(GLASGOW + "?x=a%20b")  # remembered: logged all the same
        client.get("/no/such%0Apage")
        deadline = time.monotonic() + 5
        while len(logged()) < 3 and time.monotonic() < deadline:
            time.sleep(0.02)  # lines are written a batch at a time
    lines = logged()
    assert len(lines) == 3
    parsed = [LOG_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["request"], m["status"]) for m in parsed if m] == [
        (f"GET {GLASGOW}?x=a%20b HTTP/1.1", "200"),
        (f"GET {GLASGOW}?x=a%20b HTTP/1.1", "200"),
        ("GET /no/such%0Apage HTTP/1.1", "404"),
    ]


def test_access_log_can_be_turned_off(settings: Settings, caplog: pytest.LogCaptureFixture) -> None:
    with (
        TestClient(create_app(replace(settings, access_log=False))) as client,
        caplog.at_level(logging.INFO, logger="opendatacommunities.access"),
    ):
        assert client.get(GLASGOW).status_code == 200
    assert not [r for r in caplog.records if r.name == "opendatacommunities.access"]
