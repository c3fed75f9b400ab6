"""Releases: complete, immutable stores side by side under one root, and a ``current`` pointer.

Layout of a release root (``Settings.store_dir``)::

    releases/20261123T003406123456Z-1a2b3c/   one pyoxigraph store per release, never changed
    releases/.../release.json                 the release's id, publication time and base IRI
    current -> releases/20261123T003406123456Z-1a2b3c

A publisher builds a new release beside the live one (``new_release()``), loads and checks
it, then ``commit()`` swaps ``current`` in one ``os.replace`` of a symlink: readers see either
the old release or the new one, never a half-built store, and a crash at any point before the
rename leaves the live release untouched. Servers open the target of ``current`` read-only.

Every process that has a release open holds a shared ``flock`` on its directory
(``locks.share``), and a publisher holds its draft's alone (``locks.claim``). ``prune`` deletes
only what it can claim: a release some server or query worker still reads stays on disk until
a later publish finds it free, and so does the draft of a publish still running, while the
draft of a killed publish (the kernel dropped its lock) goes.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import IO

from pyoxigraph import DefaultGraph, NamedNode, RdfFormat, Store

from opendatacommunities.errors import NoReleaseError, OdcError, ReleaseError
from opendatacommunities.store.cache import ReleaseCache
from opendatacommunities.store.graph_store import GraphStore
from opendatacommunities.store.locks import Hold, claim, share

RELEASES = "releases"
CURRENT = "current"
STAMP = "release.json"


@dataclass(frozen=True)
class Release:
    """One opened release: a read-only store and what identifies it."""

    id: str
    path: Path
    published: datetime
    store: GraphStore
    """Its triples: an embedded store opened read-only, or a remote engine's graphs."""
    cache: ReleaseCache = field(default_factory=ReleaseCache, compare=False, repr=False)
    """What is derived from the store, kept for as long as the release is served (the store
    never changes, so it never goes stale), each kind of value in a typed slot."""
    hold: Hold | None = field(default=None, compare=False, repr=False)
    """The shared lock that keeps the release on disk while this process reads it."""

    def graph_names(self) -> list[str]:
        """The names of the release's named graphs (a dataset's, its metadata's), sorted."""
        return sorted(str(graph.value) for graph in self.store.named_graphs())


def _new_release_id() -> str:
    # Sortable by time first; the random tail keeps two publishes in one microsecond apart.
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}-{secrets.token_hex(3)}"


class ReleaseRoot:
    """A directory holding release directories and the ``current`` pointer."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.releases_dir = self.root / RELEASES
        self.current_link = self.root / CURRENT

    def pointer(self) -> str | None:
        """The target ``current`` names, or None before the first release.

        One ``readlink`` system call: cheap enough to run on every request, which is how a
        server notices that a new release was swapped in.
        """
        try:
            return os.readlink(self.current_link)
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise ReleaseError(f"{self.current_link} is not a symlink to a release") from exc

    def current_path(self) -> Path | None:
        """The directory of the current release, or None before the first release."""
        target = self.pointer()
        return None if target is None else self.root / target

    def open_current_read_only(self) -> Release:
        """Open the current release read-only. Raises ``NoReleaseError`` when there is none."""
        target = self.pointer()
        if target is None:
            raise NoReleaseError(f"no release has been published under {self.root}")
        return self.open_read_only(target)

    def open_read_only(self, target: str) -> Release:
        """Open the release a ``pointer()`` value names, read-only, holding it on disk until
        its ``hold`` is released.

        :raises ReleaseError: it is gone, or is being deleted.
        """
        path = self.root / target
        try:
            hold = share(path)
        except (OSError, OdcError) as exc:
            raise ReleaseError(f"release {path.name} cannot be opened: {exc}") from exc
        try:
            store = Store.read_only(str(path))
        except BaseException:
            hold.release()
            raise
        return Release(path.name, path, _published(path), store, hold=hold)

    def current_base(self) -> str | None:
        """The base IRI the current release was published with; None before the first
        release, or for one whose stamp does not say (made by hand, or by an older version)."""
        path = self.current_path()
        return None if path is None else _stamp(path).get("base_iri")

    def new_release(self, start_from: Path | None = None) -> ReleaseDraft:
        """Create a release directory with a writable store, not yet current: empty, or a
        copy of the release ``start_from`` (a directory under this root).

        The copy is a RocksDB checkpoint: its immutable files are hard links to the other
        release's, so it costs neither time nor disk until the two stores diverge.
        """
        self.releases_dir.mkdir(parents=True, exist_ok=True)
        path = self.releases_dir / _new_release_id()
        if start_from is None:
            path.mkdir()
        else:
            self._copy(Path(start_from), path)
        hold = claim(path)
        if hold is None:  # a new, uniquely named directory: nobody else can hold it
            raise ReleaseError(f"{path}: could not lock the new release")
        return ReleaseDraft(self, path, hold)

    def _copy(self, source: Path, target: Path) -> None:
        """Check ``source`` (held while it is read) out into the new directory ``target``.

        Nobody can take ``target`` for a leftover before it is claimed: only a publisher
        prunes, and it holds the release root alone.
        """
        release = self.open_read_only(os.path.relpath(source, self.root))
        try:
            _embedded(release).backup(str(target))
        finally:
            if release.hold is not None:
                release.hold.release()

    def dump_graph(self, release: Path, graph: str, target: Path) -> None:
        """Write one named graph of a committed release as N-Triples to ``target``."""
        opened = self.open_read_only(os.path.relpath(release, self.root))
        try:
            _embedded(opened).dump(target, RdfFormat.N_TRIPLES, from_graph=NamedNode(graph))
        finally:
            if opened.hold is not None:
                opened.hold.release()

    def activate(self, path: Path) -> None:
        """Make ``path`` (a release directory under this root) current, atomically."""
        path = Path(path)
        if path.parent.resolve() != self.releases_dir.resolve() or not path.is_dir():
            raise ReleaseError(f"{path} is not a release directory under {self.releases_dir}")
        if self.current_link.exists() and not self.current_link.is_symlink():
            raise ReleaseError(f"{self.current_link} exists and is not a symlink")
        # A relative target keeps the root relocatable; the temporary name is unique so two
        # publishers racing cannot trip over each other's half-made link.
        temporary = self.root / f".{CURRENT}-{secrets.token_hex(6)}"
        os.symlink(os.path.join(RELEASES, path.name), temporary)
        try:
            os.replace(temporary, self.current_link)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def releases(self) -> list[Path]:
        """Every committed release directory, oldest first."""
        if not self.releases_dir.is_dir():
            return []
        found = (p for p in self.releases_dir.iterdir() if (p / STAMP).is_file())
        return sorted(found, key=lambda p: p.name)

    def prune(self, keep: int = 2) -> list[Path]:
        """Delete all but the ``keep`` newest releases (never the current one) and the drafts
        of publishes that are no longer running; return what was deleted.

        A release or draft another holder has open (``locks.share``, ``locks.claim``) is
        left for a later prune.
        """
        if keep < 1:
            raise ValueError("keep at least the current release")
        current = self.current_path()
        committed = self.releases()
        doomed = [p for p in committed[:-keep] if current is None or p.name != current.name]
        if self.releases_dir.is_dir():
            doomed += [p for p in self.releases_dir.iterdir() if not (p / STAMP).is_file()]
        return [path for path in doomed if _delete_unheld(path)]


def _embedded(release: Release) -> Store:
    """The embedded store of ``release`` (copies and dumps are made from those alone)."""
    if not isinstance(release.store, Store):
        raise ReleaseError(f"release {release.id} is not held in an embedded store")
    return release.store


def _delete_unheld(path: Path) -> bool:
    """Delete the directory ``path`` if no process holds it; whether it was deleted."""
    try:
        hold = claim(path)
    except OSError:  # not a directory (or gone already): nothing of ours
        return False
    if hold is None:
        return False
    try:
        shutil.rmtree(path, ignore_errors=True)
    finally:
        hold.release()
    return not path.exists()


def _stamp(path: Path) -> dict[str, str]:
    """What a release's stamp says (empty when it has none or it cannot be read)."""
    try:
        stamp = json.loads((path / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in stamp.items() if isinstance(v, str)} if isinstance(stamp, dict) else {}


def _published(path: Path) -> datetime:
    try:
        return datetime.fromisoformat(_stamp(path)["published"])
    except (ValueError, KeyError):
        # A release made by hand has no stamp; its directory's mtime is the best we know.
        return datetime.fromtimestamp(path.stat().st_mtime, UTC)


class ReleaseDraft:
    """A release being built: load data, then ``commit()`` to make it current.

    Used as a context manager, a draft that was not committed is deleted on exit, so an
    exception while loading or validating leaves nothing behind. Do not keep references to
    ``store`` past ``commit()``: the writable store must be closed before readers open it.
    """

    def __init__(self, root: ReleaseRoot, path: Path, hold: Hold) -> None:
        self.root = root
        self.path = path
        self.id = path.name
        self._hold = hold
        """Held alone until the commit: a draft in progress is never taken for a leftover."""
        self._store: Store | None = Store(str(path))
        self._sealed = False
        self._committed = False

    @property
    def store(self) -> Store:
        """The writable store of this draft."""
        if self._store is None:
            raise ReleaseError(f"release {self.id} is already sealed, committed or discarded")
        return self._store

    def load(
        self,
        data: bytes | str | IO[bytes] | Path,
        format: RdfFormat,
        *,
        graph: str | None = None,
        base_iri: str | None = None,
        lenient: bool = False,
    ) -> None:
        """Bulk-load RDF into ``graph`` (the default graph when None). ``lenient`` skips
        validating IRIs (faster), for data already parsed strictly elsewhere."""
        target = NamedNode(graph) if graph is not None else DefaultGraph()
        source, path = (None, data) if isinstance(data, Path) else (data, None)
        self.store.bulk_load(
            source, format, path=path, base_iri=base_iri, to_graph=target, lenient=lenient
        )

    def drop_graph(self, graph: str) -> None:
        """Remove a named graph and every triple in it (a triple at a time: slow for big
        graphs, about ten seconds a hundred thousand triples)."""
        self.store.remove_graph(NamedNode(graph))

    def seal(self, *, compact: bool = True) -> None:
        """Write everything out, compact the store and close it: no more loading.

        Compaction (``optimize``) costs seconds but roughly halves the time of the lookups a
        server then makes. A publisher may seal a draft (in another thread) while it still
        checks the data, and commit later. Without ``compact`` the files a copy shares with
        the release it was made from stay shared (compaction rewrites every file).
        """
        store = self.store
        store.flush()
        if compact:
            store.optimize()
        # Dropping the last reference closes RocksDB (pyoxigraph has no close()).
        del store
        self._store = None
        self._sealed = True

    def commit(self, files: dict[str, bytes] | None = None, *, base_iri: str | None = None) -> Path:
        """Seal the store if that is not done, write ``files`` (name -> content) beside it,
        stamp the release (with the ``base_iri`` it was published with) and make it current.
        Returns its directory."""
        if not self._sealed:
            self.seal()
        for name, content in (files or {}).items():
            (self.path / name).write_bytes(content)
        stamp = {"id": self.id, "published": datetime.now(UTC).isoformat()}
        if base_iri is not None:
            stamp["base_iri"] = base_iri
        (self.path / STAMP).write_text(json.dumps(stamp), encoding="utf-8")
        # Let go before going live, so that servers can hold the release they open.
        self._hold.release()
        self.root.activate(self.path)
        self._committed = True
        return self.path

    def discard(self) -> None:
        """Forget this draft and delete its directory."""
        self._store = None
        shutil.rmtree(self.path, ignore_errors=True)
        self._hold.release()

    def __enter__(self) -> ReleaseDraft:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if not self._committed:
            self.discard()
