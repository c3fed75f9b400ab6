"""What probes ask: ``/healthz`` (the process answers) and ``/readyz`` (a release is served)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app
from tests.plugins.project import BASE
from tests.plugins.releases import publish


def test_healthz_answers_while_nothing_is_published(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "store", reload_seconds=0)
    with TestClient(create_app(settings)) as client:
        answer = client.get("/healthz")
        assert client.head("/healthz").status_code == 200  # probes that only look at the status
    assert answer.status_code == 200
    assert answer.text == "ok\n"
    assert answer.headers["cache-control"] == "no-store"


def test_readyz_is_503_until_a_release_is_published(tmp_path: Path) -> None:
    store = tmp_path / "store"
    settings = Settings(store_dir=store, reload_seconds=0)
    with TestClient(create_app(settings)) as client:
        before = client.get("/readyz")
        assert before.status_code == 503
        assert client.head("/readyz").status_code == 503
        assert before.json()["status"] == "not ready"
        assert "no release has been published" in before.json()["reason"]
        release = publish(store, BASE)
        after = client.get("/readyz")
    assert after.status_code == 200
    body = after.json()
    assert body["status"] == "ready"
    assert body["release"] == release.name
    assert 0 <= body["release_age_seconds"] < 60
