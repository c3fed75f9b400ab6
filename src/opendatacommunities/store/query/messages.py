"""The messages between the server and its query workers, one class each.

The server sends a ``Task``; the worker first says ``Ready``, then answers each task with
``Done`` (an answer that fits in one chunk), or ``Start``, ``Chunk``..., ``End`` (a larger
one), or ``Unacceptable`` or ``Failed``. ``Lost`` is the server's own note that a worker's
socket closed (the process died or was killed).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from opendatacommunities.store.query.job import Job

Kind = Literal["solutions", "boolean", "triples"]
Reason = Literal["syntax", "too-large", "memory", "store"]


@dataclass(frozen=True, slots=True)
class Task:
    """A job to run, and the most bytes of results the worker may send for it (0: any)."""

    job: Job
    max_bytes: int


@dataclass(frozen=True, slots=True)
class Ready:
    """The worker is up; ``isolated`` says whether it is cut off from the network, and
    ``note`` why not when it is not."""

    isolated: bool
    note: str = ""


@dataclass(frozen=True, slots=True)
class Done:
    """A whole answer."""

    kind: Kind
    body: bytes


@dataclass(frozen=True, slots=True)
class Start:
    """The first of an answer sent in chunks."""

    kind: Kind


@dataclass(frozen=True, slots=True)
class Chunk:
    """The next bytes of an answer sent in chunks."""

    data: bytes


@dataclass(frozen=True, slots=True)
class End:
    """The last of an answer sent in chunks."""


@dataclass(frozen=True, slots=True)
class Unacceptable:
    """The job offers no format for this kind of result."""

    kind: Kind


@dataclass(frozen=True, slots=True)
class Failed:
    """The job failed: why, and the engine's message."""

    reason: Reason
    text: str = ""


@dataclass(frozen=True, slots=True)
class Lost:
    """The worker's socket closed."""


FromWorker = Ready | Done | Start | Chunk | End | Unacceptable | Failed
