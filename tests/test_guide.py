"""docs/publishing.md stays true: its commands are run as written, in order, in a new
project, and what it shows of their output is what they print.

The guide marks its blocks with an HTML comment on the line before the fence:
``<!-- file: PATH -->`` (the block is written to PATH), ``<!-- run -->`` (a shell block that
must succeed), ``<!-- run: fails -->`` (one that must fail), ``<!-- run: server -->`` (one
run while ``odc serve`` serves the project's store: ``127.0.0.1:8000`` is the test's port),
and ``<!-- output -->`` (every line of it appears in what the command before it printed; the
guide's project folder ``/srv/odc`` is the test's).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.plugins.project import ROOT

GUIDE = ROOT / "docs" / "publishing.md"
BLOCK = re.compile(r"<!-- (?P<mark>[^>]+?) -->\n```\w*\n(?P<body>.*?)```", re.DOTALL)
ODC = Path(sys.executable).parent / "odc"
#: The reference geography the guide's project publishes (the countries and authorities).
GEOGRAPHY = ("geography-countries.json", "geography-local-authorities.json")


@dataclass
class Step:
    """A marked block of the guide, and the output shown after it (if any)."""

    mark: str
    body: str
    output: list[str]


def _steps(text: str) -> list[Step]:
    steps: list[Step] = []
    for match in BLOCK.finditer(text):
        mark, body = match["mark"], match["body"]
        if mark == "output":
            steps[-1].output += [line for line in body.splitlines() if line.strip()]
        else:
            steps.append(Step(mark, body, []))
    return steps


def _project(folder: Path) -> Path:
    """A new project: the Makefile, shapes and ontologies, the geography of countries and
    authorities, and this checkout's ``odc`` installed as ``.venv`` (so ``make publish`` runs
    it without building a venv)."""
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy(ROOT / name, folder / name)
    for name in ("shapes", "ontologies"):
        shutil.copytree(ROOT / name, folder / name)
    (folder / "mappings").mkdir()
    for name in GEOGRAPHY:  # the areas a cube's observations may name, as in this repository
        shutil.copy(ROOT / "mappings" / name, folder / "mappings" / name)
    (folder / "data").mkdir()
    (folder / "data" / "geography").symlink_to(ROOT / "data" / "geography")
    (folder / ".venv" / "bin").mkdir(parents=True)
    (folder / ".venv" / "bin" / "odc").symlink_to(ODC)
    (folder / ".venv" / ".installed").touch()  # newer than pyproject.toml: make installs nothing
    return folder


def _environment() -> dict[str, str]:
    kept = {k: v for k, v in os.environ.items() if not k.startswith("ODC_")}
    return {**kept, "PATH": f"{ODC.parent}{os.pathsep}{os.environ['PATH']}"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """``odc serve`` on the project's store, started when first needed."""

    def __init__(self, project: Path, env: dict[str, str]) -> None:
        self.project, self.env = project, env
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server (once) and wait until it answers, for 60 s at most."""
        if self.process is not None:
            return
        command = [str(ODC), "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(command, cwd=self.project, env=self.env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/data", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, "odc serve stopped"
            time.sleep(0.2)
        pytest.fail("odc serve did not answer within 60 s")

    def stop(self) -> None:
        """Stop the server, if it was started."""
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The guide's project, and a server for it (stopped after the test)."""
    for tool in ("bash", "make", "sed", "curl"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} not found: the guide's commands use it (.ci/run installs it)")
    project = _project(tmp_path)
    running = Server(project, _environment())
    yield running
    running.stop()


def _run(step: Step, server: Server) -> str:
    body = step.body
    if step.mark == "run: server":
        server.start()
        body = body.replace("127.0.0.1:8000", f"127.0.0.1:{server.port}")
    result = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", body],
        cwd=server.project,
        env=server.env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    printed = result.stdout + result.stderr
    if step.mark == "run: fails":
        assert result.returncode != 0, f"expected to fail:\n{step.body}\n{printed}"
    else:
        assert result.returncode == 0, f"failed:\n{step.body}\n{printed}"
    return printed


def test_the_guide_runs_as_written(server: Server) -> None:
    """Every block of the guide, in order: files written, commands run, outputs as shown."""
    steps = _steps(GUIDE.read_text(encoding="utf-8"))
    assert any(s.mark == "run: server" for s in steps)
    for step in steps:
        if step.mark.startswith("file: "):
            (server.project / step.mark.removeprefix("file: ")).write_text(step.body)
            continue
        assert step.mark in ("run", "run: fails", "run: server"), f"unknown mark {step.mark!r}"
        printed = _run(step, server)
        for line in step.output:
            expected = line.replace("/srv/odc", str(server.project))
            assert expected in printed, f"{step.body}\nprinted:\n{printed}\nnot: {expected}"
