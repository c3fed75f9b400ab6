"""What a query worker may not do: reach the network, or grow past its memory ceiling.

Both are enforced by the operating system as the worker starts, before it opens a store:

* the network: the worker moves into a network namespace of its own (``unshare``; as root
  ``CLONE_NEWNET``, otherwise with a user namespace, ``CLONE_NEWUSER | CLONE_NEWNET``), where
  the only interface is a loopback that is down, so no connection can be opened, whatever a
  query asks. The socket to the server, made before, keeps working. Where the system
  refuses (no namespaces, a seccomp filter), the worker says so and runs without this wall;
  the query check (``query_services``) is then the only one. When ``SERVICE`` endpoints are
  allow-listed, workers need the network and keep it.
* memory: ``RLIMIT_AS`` caps the worker's address space. A query that needs more fails to
  allocate; the engine then aborts the process, and the server answers ``503`` and starts
  another worker.
"""

from __future__ import annotations

import ctypes
import os
import resource
from dataclasses import dataclass

from opendatacommunities.store.query.messages import Ready

_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000


@dataclass(frozen=True)
class Confinement:
    """The walls a worker puts up as it starts."""

    cut_network: bool = True
    max_memory_bytes: int = 0
    """The worker's address space ceiling; 0 leaves it unbounded."""


def confine(confinement: Confinement) -> Ready:
    """Put up the walls ``confinement`` asks for, in this process; say what holds."""
    if confinement.max_memory_bytes:
        cap_memory(confinement.max_memory_bytes)
    if not confinement.cut_network:
        return Ready(isolated=False, note="SERVICE endpoints are allow-listed")
    refused = cut_network()
    return Ready(isolated=not refused, note=refused)


def cap_memory(limit: int) -> None:
    """Cap this process's address space at ``limit`` bytes (or its hard limit, if lower)."""
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def cut_network() -> str:
    """Move this process into a network namespace of its own; the reason it could not,
    or "" when it did."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError as exc:
        return f"no C library to call unshare: {exc}"
    if libc.unshare(_CLONE_NEWNET) == 0:
        return ""
    first = ctypes.get_errno()
    if libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET) == 0:
        return ""
    second = ctypes.get_errno()
    return (
        f"the system refused a network namespace ({os.strerror(first)}; with a user "
        f"namespace: {os.strerror(second)})"
    )
