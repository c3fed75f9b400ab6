"""What the app reads before serving is kept out of the garbage collector's full sweeps."""

from __future__ import annotations

import gc
from pathlib import Path

from fastapi.testclient import TestClient

from opendatacommunities.config import Settings
from opendatacommunities.web import create_app


def test_the_warmed_heap_is_frozen_while_serving(tmp_path: Path) -> None:
    app = create_app(Settings(store_dir=tmp_path / "store"))
    with TestClient(app) as client:
        assert gc.get_freeze_count() > 0
        assert client.get("/sparql").status_code in (200, 503)
        garbage: list[object] = []
        garbage.append(garbage)  # a cycle made after start-up is still collected
        del garbage
        assert gc.collect() >= 1
    assert gc.get_freeze_count() == 0
