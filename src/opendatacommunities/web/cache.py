"""A bounded LRU cache of rendered responses, and the index of requests answered from it.

The data is read-only between releases, so a rendered document is valid for as long as its
release is current: keys start with the release id, and entries of an old release simply age
out. Bounded both by entry count and by total body size. Requests that got an entry (many
requests, differing in ``Accept`` or in the order of their parameters, can get one document)
point at it through a ``RequestIndex``: its bytes are held, and counted, once.

>>> cache = ResponseCache(max_entries=2, max_bytes=1000)
>>> cache.put(("r1", "a"), Rendered(b"x", {}, '"e"'))
>>> cache.get(("r1", "a")).body
b'x'
>>> cache.get(("r1", "b")) is None
True
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Rendered:
    """A response body ready to send, with the headers that go with it."""

    body: bytes
    headers: dict[str, str]
    etag: str
    raw_headers: list[tuple[bytes, bytes]] = field(init=False, repr=False, compare=False)
    """The headers as ASGI sends them, content-length included: encoded once, sent often."""

    def __post_init__(self) -> None:
        raw = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in self.headers.items()]
        raw.append((b"content-length", str(len(self.body)).encode()))
        object.__setattr__(self, "raw_headers", raw)


class ResponseCache:
    """Least-recently-used, thread-safe, bounded by count and by bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[Hashable, Rendered] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable) -> Rendered | None:
        """The entry for ``key`` (now the most recently used), or None."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def put(self, key: Hashable, entry: Rendered) -> None:
        """Store ``entry``, evicting the least recently used ones to stay within bounds."""
        size = len(entry.body)
        if size > self.max_bytes or self.max_entries == 0:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._entries[key] = entry
            self._bytes += size
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size_bytes(self) -> int:
        """Total size of the cached bodies."""
        return self._bytes


class RequestIndex:
    """Which entry of a ``ResponseCache`` answered which request, for ``FastPath``.

    Holds keys only, bounded by count; an entry the cache has let go of is a miss.
    """

    def __init__(self, cache: ResponseCache, max_entries: int) -> None:
        self.cache = cache
        self.max_entries = max_entries
        self._keys: OrderedDict[Hashable, Hashable] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def put(self, request: Hashable, key: Hashable) -> None:
        """Note that ``request`` is answered by the cache's entry ``key``."""
        if self.max_entries == 0:
            return
        with self._lock:
            self._keys[request] = key
            self._keys.move_to_end(request)
            while len(self._keys) > self.max_entries:
                self._keys.popitem(last=False)

    def keep(self, request: Hashable, rendered: Rendered) -> None:
        """Keep ``rendered`` in the cache as the answer to ``request``."""
        self.cache.put(request, rendered)
        self.put(request, request)

    def get(self, request: Hashable) -> Rendered | None:
        """The entry that answered ``request`` (while the cache still holds it), or None."""
        with self._lock:
            key = self._keys.get(request)
        entry = None if key is None else self.cache.get(key)
        if entry is None:
            self.misses += 1
            return None
        self.hits += 1
        return entry

    def __len__(self) -> int:
        return len(self._keys)
