"""Locks between processes: one publisher per folder (the loser is told who holds it), and
release directories held shared while read and claimed alone only when nobody reads them.
The kernel lets a lock go when its process dies, ``kill -9`` included."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from opendatacommunities.errors import BusyError
from opendatacommunities.store import exclusive
from opendatacommunities.store.locks import LOCK, claim, share

#: A process that takes a lock on argv[2] ("exclusive" or "share" in argv[1]), says so, and
#: holds it until it is killed.
HOLDER = """
import sys, time
from pathlib import Path
from opendatacommunities.store.locks import exclusive, share
if sys.argv[1] == "exclusive":
    with exclusive(Path(sys.argv[2]), purpose="publish"):
        print("held", flush=True)
        time.sleep(600)
hold = share(Path(sys.argv[2]))
print("held", flush=True)
time.sleep(600)
"""


@contextmanager
def _held_elsewhere(kind: str, folder: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``folder``'s lock until the block ends (it is then killed
    with SIGKILL, as a crash would end it)."""
    with subprocess.Popen(
        [sys.executable, "-c", HOLDER, kind, str(folder)], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None and process.stdout.readline() == "held\n"
            yield process
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)


def test_a_second_publisher_is_refused_naming_the_holder(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    with _held_elsewhere("exclusive", folder) as holder:
        with pytest.raises(BusyError) as refused, exclusive(folder, purpose="publish"):
            pass
        assert refused.value.status == 409
        assert str(refused.value) == (
            f"{folder}: another publish is running (process {holder.pid}); "
            "wait for it to end, then try again"
        )
    with exclusive(folder, purpose="publish"):  # a killed holder leaves no stale lock
        assert (folder / LOCK).read_text() == str(os.getpid())


def test_the_lock_folder_is_made_and_the_lock_let_go_after_the_block(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "build"
    with exclusive(folder, purpose="build"):
        assert folder.is_dir()
    with exclusive(folder, purpose="build"):
        pass


def test_readers_share_a_release_that_cannot_be_claimed_meanwhile(tmp_path: Path) -> None:
    first, second = share(tmp_path), share(tmp_path)
    assert first.held and second.held
    assert claim(tmp_path) is None
    first.release()
    assert claim(tmp_path) is None  # one reader is enough to keep it
    second.release()
    second.release()  # again is harmless
    claimed = claim(tmp_path)
    assert claimed is not None and claimed.held
    with pytest.raises(BusyError, match="the release is being built or deleted"):
        share(tmp_path)
    claimed.release()
    assert not claimed.held
    share(tmp_path).release()


def test_a_reader_in_another_process_keeps_the_release_until_it_dies(tmp_path: Path) -> None:
    with _held_elsewhere("share", tmp_path):
        assert claim(tmp_path) is None
        share(tmp_path).release()  # another reader is welcome
    claimed = claim(tmp_path)
    assert claimed is not None
    claimed.release()


def test_a_release_that_is_gone_cannot_be_held(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        share(tmp_path / "deleted")
