"""``odc serve`` as operators run it: a real process, its access log on stdout, and with
several server processes, metrics added up over all of them."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.plugins.operations import LOG_LINE, samples, value
from tests.plugins.releases import publish
from tests.plugins.web import GLASGOW

STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_until_up(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"odc serve exited with {process.returncode}")
        try:
            if httpx.get(url + "/readyz").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    pytest.fail(f"odc serve did not answer within {STARTUP_SECONDS} s")


@contextmanager
def _serve(tmp_path: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """``odc serve OPTIONS`` on a free port over a published test store; stopped (SIGINT,
    as Ctrl-C) when the block ends."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    publish(tmp_path / "store", url)
    environ = {
        **os.environ,
        "ODC_STORE_DIR": str(tmp_path / "store"),
        "ODC_BASE_IRI": url,
        "ODC_SPARQL_WORKERS": "1",
    }
    command = [sys.executable, "-m", "opendatacommunities.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, *options],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(url, process)
        yield url, process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_access_log_lines_on_stdout(tmp_path: Path) -> None:
    with _serve(tmp_path) as (url, process):
        assert httpx.get(url + GLASGOW).status_code == 200
        assert httpx.get(url + GLASGOW).status_code == 200
        assert httpx.get(url + "/nowhere").status_code == 404
    stdout, _ = process.communicate()
    lines = [line for line in stdout.splitlines() if "/readyz" not in line]
    assert len(lines) == 3, stdout
    parsed = [LOG_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["client"].split(":")[0], m["request"], m["status"]) for m in parsed if m] == [
        ("127.0.0.1", f"GET {GLASGOW} HTTP/1.1", "200"),
        ("127.0.0.1", f"GET {GLASGOW} HTTP/1.1", "200"),
        ("127.0.0.1", "GET /nowhere HTTP/1.1", "404"),
    ]


def test_metrics_add_up_over_server_processes(tmp_path: Path) -> None:
    """Two server processes: whichever answers /metrics counts every process's requests."""
    with _serve(tmp_path, "--workers", "2") as (url, process):
        deadline = time.monotonic() + STARTUP_SECONDS
        while value(samples(httpx.get(url + "/metrics").text), "odc_sparql_workers") < 2:
            assert time.monotonic() < deadline, "the second server process did not start"
            time.sleep(0.2)
        for _ in range(20):
            assert httpx.get(url + GLASGOW).status_code == 200  # a new connection each
        counts = set()
        for _ in range(8):
            scraped = samples(httpx.get(url + "/metrics").text)
            counts.add(
                value(
                    scraped,
                    "odc_http_requests_total",
                    method="GET",
                    route="/doc/{path}",
                    status="200",
                )
            )
            assert value(scraped, "odc_sparql_workers") == 2  # one per process, added up
        assert counts == {20}
    stdout, stderr = process.communicate()
    assert len(set(re.findall(r"Started server process \[(\d+)\]", stderr))) == 2
    assert stdout.count(f"GET {GLASGOW} ") == 20
