"""``odc serve`` as operators run it: a real process, its access log on stdout, and with
several server processes, metrics added up over all of them."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.plugins.operations import LOG_LINE, samples, value
from tests.plugins.releases import publish
from tests.plugins.web import GLASGOW

STARTUP_SECONDS = 60
#: How long both of two server processes may take to be up: on a loaded machine the second
#: can finish its start-up well after the first.
BOTH_SECONDS = 180


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
        deadline = time.monotonic() + BOTH_SECONDS
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


def _readiness(url: str) -> tuple[int, str]:
    """The server process that answered ``/readyz`` (a new connection each time, so that
    the processes take turns), and the release it serves."""
    body = httpx.get(url + "/readyz", timeout=30).raise_for_status().json()
    return body["process"], body["release"]


def _both_processes(url: str) -> set[tuple[int, str]]:
    """Ask ``/readyz`` (four at a time) until both server processes have answered: the
    second may still be starting when the first is ready."""
    seen: set[tuple[int, str]] = set()
    deadline = time.monotonic() + BOTH_SECONDS
    with ThreadPoolExecutor(max_workers=4) as clients:
        while len({process for process, _ in seen}) < 2:
            assert time.monotonic() < deadline, f"only {seen} answered"
            seen |= set(clients.map(lambda _: _readiness(url), range(4)))
    return seen


def _keep_asking(url: str, stop: threading.Event, failures: list[str]) -> int:
    """Ask for a page until ``stop``, a new connection each time; every answer that is not
    200 goes into ``failures``. Returns the number of requests made."""
    made = 0
    while not stop.is_set():
        made += 1
        try:
            status = httpx.get(url + GLASGOW, timeout=30).status_code
        except httpx.TransportError as exc:
            failures.append(repr(exc))
            continue
        if status != 200:
            failures.append(str(status))
    return made


def test_every_server_process_follows_a_new_release_without_a_failed_request(
    tmp_path: Path,
) -> None:
    with _serve(tmp_path, "--workers", "2") as (url, _process):
        old = _both_processes(url)
        stop, failures = threading.Event(), list[str]()
        with ThreadPoolExecutor(max_workers=4) as clients:
            asked = [clients.submit(_keep_asking, url, stop, failures) for _ in range(4)]
            time.sleep(1)
            new = publish(tmp_path / "store", url, extra=f"<{url}/id/x> a <{url}/def/X> .")
            moved: set[int] = set()
            deadline = time.monotonic() + STARTUP_SECONDS
            while moved != {process for process, _ in old}:
                assert time.monotonic() < deadline, f"only {moved} moved to {new.name}"
                moved |= {p for p, release in [_readiness(url)] if release == new.name}
                time.sleep(0.05)
            time.sleep(1)  # requests go on after the last process has moved
            stop.set()
            made = sum(future.result() for future in asked)
    assert failures == []
    assert made > 20


def test_a_server_process_that_dies_is_replaced(tmp_path: Path) -> None:
    with _serve(tmp_path, "--workers", "2") as (url, _process):
        first = {process for process, _ in _both_processes(url)}
        killed = min(first)
        os.kill(killed, signal.SIGKILL)
        seen: set[int] = set()
        deadline = time.monotonic() + STARTUP_SECONDS
        while not seen - first:
            assert time.monotonic() < deadline, "no process took the killed one's place"
            # A connection the killed process had accepted fails: it is not the question.
            with contextlib.suppress(httpx.HTTPError):
                seen.add(_readiness(url)[0])
            time.sleep(0.05)
        assert killed not in seen
