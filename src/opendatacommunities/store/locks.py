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

from opendatacommunities.errors import OdcError

LOCK = ".publish.lock"


class BusyError(OdcError):
    """Another process holds a lock this one needs."""

    status = 409


@contextmanager
def exclusive(folder: Path, *, purpose: str) -> Iterator[None]:
    """Hold the lock of ``folder`` (made if missing) for the duration of the block.

    The file ``folder/.publish.lock`` names the process holding it, for the error message.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder, exclusive(Path(folder), purpose="test"):
    ...     with exclusive(Path(folder), purpose="test"):
    ...         pass
    Traceback (most recent call last):
    opendatacommunities.store.locks.BusyError: ... another test is running (process ...)...

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
