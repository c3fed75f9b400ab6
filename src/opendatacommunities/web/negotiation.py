"""Content negotiation over the formats table (``opendatacommunities.formats``).

Every page family offers a tuple of ``WebFormat`` in its order of preference; ``negotiate``
picks one from an ``Accept`` header (q-values, wildcards and specificity as RFC 9110
section 12.5.1 says) and ``split_suffix`` picks one from a URL suffix.

>>> negotiate("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8").key
'html'
>>> negotiate(None).key
'ttl'
>>> negotiate("application/ld+json, application/json;q=0.9").key
'jsonld'
>>> negotiate("image/png") is None
True
>>> split_suffix("statistical-geography/S13002967.ttl")
('statistical-geography/S13002967', 'ttl')
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from opendatacommunities.errors import NotAcceptableError
from opendatacommunities.formats import BY_SUFFIX, RESOURCE_FORMATS, WebFormat


@dataclass(frozen=True)
class MediaRange:
    """One element of an ``Accept`` header."""

    type: str
    subtype: str
    q: float
    specificity: int

    def matches(self, media_type: str) -> bool:
        """Whether this range covers ``media_type`` (``type/subtype``, lower case)."""
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header; malformed elements are skipped.

    >>> [(r.type, r.subtype, r.q) for r in parse_accept("text/*;q=0.5, text/turtle")]
    [('text', '*', 0.5), ('text', 'turtle', 1.0)]
    """
    ranges = []
    for element in header.split(","):
        media, *params = (part.strip() for part in element.split(";"))
        kind, slash, sub = media.lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q, extra = 1.0, 0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    q = -1.0
            else:
                extra = 1
        if q < 0:
            continue
        specificity = 0 if kind == "*" else 1 if sub == "*" else 2 + extra
        ranges.append(MediaRange(kind, sub, q, specificity))
    return ranges


def _quality(fmt: WebFormat, ranges: Sequence[MediaRange]) -> tuple[float, int]:
    # Each media type takes the q of the most specific range covering it (RFC 9110).
    best = (0.0, -1)
    for media_type in fmt.media_types:
        covering = [r for r in ranges if r.matches(media_type)]
        if covering:
            top = max(covering, key=lambda r: r.specificity)
            best = max(best, (top.q, top.specificity))
    return best


def negotiate(
    accept: str | None, offered: Sequence[WebFormat] = RESOURCE_FORMATS
) -> WebFormat | None:
    """The offered format the client prefers, or None when it accepts none of them.

    Ties in q go to the format named more specifically, then to the earlier one in
    ``offered``. No (or an empty) ``Accept`` gets ``offered[0]``.
    """
    if accept is None or not accept.strip():
        return offered[0]
    return _negotiate(accept, tuple(offered))


# Clients send few distinct Accept headers, and negotiation runs on every request.
@lru_cache(maxsize=1024)
def _negotiate(accept: str, offered: tuple[WebFormat, ...]) -> WebFormat | None:
    ranges = parse_accept(accept)
    if not ranges:
        return offered[0]
    scored = [(_quality(fmt, ranges), -index, fmt) for index, fmt in enumerate(offered)]
    (q, _), _, best = max(scored, key=lambda item: (item[0], item[1]))
    return best if q > 0 else None


def choose(accept: str | None, offered: Sequence[WebFormat], what: str) -> WebFormat:
    """The offered format the client prefers (as ``negotiate``); ``what`` names the resource
    in the 406 answered when the client accepts none of them.

    :raises NotAcceptableError: naming every media type on offer.
    """
    chosen = negotiate(accept, offered)
    if chosen is None:
        raise NotAcceptableError(
            f"{what} is available as: {describe_offer(offered)}.",
            available=[f.media_type for f in offered],
            headers={"vary": "Accept"},
        )
    return chosen


def split_suffix(path: str) -> tuple[str, str | None]:
    """Split a known format suffix off ``path``: ``("x", "ttl")`` or ``(path, None)``."""
    stem, dot, suffix = path.rpartition(".")
    if dot and stem and "/" not in suffix and suffix in BY_SUFFIX:
        return stem, suffix
    return path, None


def describe_offer(offered: Sequence[WebFormat]) -> str:
    """A line naming every media type on offer, for 406 responses."""
    return ", ".join(f.media_type for f in offered)
