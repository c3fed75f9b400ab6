"""Whether the live release is the one to serve, and bringing it up to date for ``odc serve``.

A release is stale when nothing is published, when it was published for another base IRI
than the server's (its URIs would not dereference where they are served), or when a
mapping, shape, ontology or data file is newer than it. ``odc serve --publish-if-stale``
(what ``make serve`` runs) then publishes before and while it serves, so that a site is up
as early as possible:

* a live release with the right base keeps being served while everything is republished
  in a background process; the server swaps to the new release when it is live;
* with no release to serve (none yet, or one for another base), the reference datasets
  (the geography) are published first, in seconds, and served while the statistics are
  published beside them in the background, reusing what was just mapped.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from opendatacommunities.config import Settings, child_environment
from opendatacommunities.store import ReleaseRoot

from .datasets import discover
from .pipeline import Layout, publish

Progress = Callable[[str], None]
BACKGROUND_NICENESS = 10
"""How much lower a background publish's scheduling priority is than the server's."""
DATA = Path("data")
"""The source files the bundled mappings point to."""


def stale_reason(settings: Settings, layout: Layout, data: Path = DATA) -> str | None:
    """Why the live release should be published again before it is served; None when it
    is up to date."""
    root = ReleaseRoot(settings.store_dir)
    if root.pointer() is None:
        return "nothing is published yet"
    base = root.current_base()
    if base != settings.base_iri:
        was = f"for {base}" if base else "without a recorded base IRI"
        return f"the live release was published {was}, and is served at {settings.base_iri}"
    published = os.lstat(root.current_link).st_mtime
    folders = (layout.mappings, layout.shapes, layout.ontologies, data)
    newer = next((p for f in folders for p in _files(f) if _mtime(p) > published), None)
    return None if newer is None else f"{newer} is newer than the live release"


def _files(folder: Path) -> list[Path]:
    return [Path(top) / name for top, _, names in os.walk(folder) for name in names]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:  # a dangling link, or removed meanwhile: nothing to publish from
        return 0.0


def bring_up_to_date(
    settings: Settings, layout: Layout, progress: Progress
) -> subprocess.Popen[bytes] | None:
    """Publish what ``stale_reason`` finds stale: in this process what must be live before
    serving, the rest in a background ``odc publish`` (returned, for the caller to stop).

    :raises PublishError: the foreground publish failed (nothing can be served).
    """
    reason = stale_reason(settings, layout)
    if reason is None:
        return None
    progress(f"publishing: {reason}")
    if ReleaseRoot(settings.store_dir).current_base() == settings.base_iri:
        return start_publish(settings, layout)
    cubes = [d.mapping for d in discover(layout.mappings, layout.include) if d.is_cube]
    publish(settings, replace(layout, cubes=False), progress=progress)
    if not cubes:
        return None
    progress("serving the reference datasets; the statistics follow as they are published")
    # The reference datasets were mapped a moment ago: only the cubes are mapped again.
    return start_publish(settings, layout, only=cubes)


def start_publish(
    settings: Settings, layout: Layout, only: list[Path] | None = None
) -> subprocess.Popen[bytes]:
    """Start ``odc publish`` (of ``only``, reusing the others' mapped output, or of every
    mapping) in a process of its own, stopped with this one."""
    command = [sys.executable, "-m", "opendatacommunities.cli", "publish"]
    command += ["--build", str(layout.build), "--include", layout.include]
    command += [str(path) for path in only or ()]
    return subprocess.Popen(command, env=child_environment(settings), preexec_fn=_in_background)


def _in_background() -> None:
    """Runs in the child before it starts: it yields the processor to the server (whose
    start-up and pages come first; an idle server leaves it every cycle), and the kernel
    sends it SIGTERM when the server process ends, however it ends (Linux; elsewhere the
    caller's ``stop`` does it)."""
    os.nice(BACKGROUND_NICENESS)
    with contextlib.suppress(AttributeError, OSError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """Stop a background publish that is still running (the live release is untouched)."""
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait()


def served_settings(settings: Settings, warn: Progress) -> Settings:
    """The settings to serve the live release with: when it was published for another
    base IRI than the address served, say so in one line and, unless ``ODC_BASE_IRI`` was
    set, serve it with the base it holds (its URIs then name that address, not this one)."""
    base = ReleaseRoot(settings.store_dir).current_base()
    if base is None or base == settings.base_iri:
        return settings
    advice = "make serve republishes; or set ODC_BASE_IRI and publish again"
    warn(
        f"the live release was published for {base}, not {settings.base_iri} where it is "
        f"served: its URIs will not dereference here ({advice})"
    )
    return replace(settings, base_iri=base) if settings.follows_address else settings
