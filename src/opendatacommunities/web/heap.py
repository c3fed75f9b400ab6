"""The heap once the app has warmed up: frozen, so that full garbage collections skip it.

Before serving, the app reads what a release keeps for as long as it is served (labels,
cubes and their codes, the search index): millions of objects that never become garbage.
Python's full collections walk every tracked object, and on a busy server each one held
the interpreter for 100 ms or more, a pause every request in flight waited for. Freezing
moves what exists after warm-up out of the collector's sight; it is still freed by
reference counting when a later release replaces it.
"""

from __future__ import annotations

import gc

from opendatacommunities.store import LiveStore


def freeze(live: LiveStore) -> None:
    """Freeze what the warm-up read: the last step of start-up. A release swapped in later
    is frozen too, once warmed (its warmers run in order, and this one is added last)."""
    gc.collect()  # what the warm-up let go of is freed now, not frozen
    gc.freeze()
    live.warmers.append(lambda _release: gc.freeze())


def unfreeze() -> None:
    """Give the heap back to the collector (the app stops)."""
    gc.unfreeze()
