"""Locks: one publisher at a time per release root and per build folder.

Two publishes into one root would each take the other's draft for a crashed publish's
leftover and delete it, and two into one build folder would write the same N-Triples files.
A ``flock`` is held on an open file, so the kernel lets go when the process ends, ``kill -9``
included: a crash never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from opendatacommunities.errors import BusyError

LOCK = ".publish.lock"


@contextmanager
def exclusive(folder: Path, *, purpose: str) -> Iterator[None]:
    """Hold the lock of ``folder`` (made if missing) for the duration of the block.

    The file ``folder/.publish.lock`` names the process holding it, for the error message.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder, exclusive(Path(folder), purpose="test"):
    ...     with exclusive(Path(folder), purpose="test"):
    ...         pass
    Traceback (most recent call last):
    opendatacommunities.errors.BusyError: ... another test is running (process ...)...

    :raises BusyError: when another holder has it; nothing is waited for.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOCK
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "unknown"
            raise BusyError(
                f"{folder}: another {purpose} is running (process {holder}); "
                "wait for it to end, then try again"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(descriptor)


class Hold:
    """A ``flock`` on a release directory, kept until ``release()`` (or the process ends).

    Every process that has a release open holds it shared (servers, query workers); the
    publisher building a draft holds it alone. Whoever wants to delete the directory must
    first take it alone without waiting: a release someone still reads is left on disk.
    """

    def __init__(self, descriptor: int) -> None:
        self._descriptor: int | None = descriptor

    @property
    def held(self) -> bool:
        """Whether this hold has not been released yet."""
        return self._descriptor is not None

    def release(self) -> None:
        """Let go (again is harmless)."""
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is not None:
            os.close(descriptor)

    def __del__(self) -> None:
        self.release()


def _hold(folder: Path, mode: int) -> Hold | None:
    # The directory itself is locked: no lock file to create, so a server that may not write
    # into the release can hold it too.
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return None
    return Hold(descriptor)


def share(folder: Path) -> Hold:
    """A shared hold on the release directory ``folder``, for as long as it is read.

    :raises BusyError: the directory is being built or deleted by another process.
    :raises FileNotFoundError: it is gone.
    """
    hold = _hold(folder, fcntl.LOCK_SH)
    if hold is None:
        raise BusyError(f"{folder}: the release is being built or deleted")
    return hold


def claim(folder: Path) -> Hold | None:
    """An exclusive hold on ``folder`` when no process (this one included, through another
    hold) has it open; None otherwise. Nothing is waited for."""
    return _hold(folder, fcntl.LOCK_EX)
