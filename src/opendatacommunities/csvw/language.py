"""BCP 47 language tags, as the metadata vocabulary uses them for ``lang`` and titles."""

from __future__ import annotations

import re

_WELL_FORMED = re.compile(
    r"(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*(?:-[Xx](?:-[A-Za-z0-9]{1,8})+)?"
    r"|[Xx](?:-[A-Za-z0-9]{1,8})+|i-[A-Za-z]{3,8}|en-GB-oed|sgn-[A-Za-z]{2}-[A-Za-z]{2}"
)


def is_language_tag(value: str) -> bool:
    """True if ``value`` is a well-formed BCP 47 language tag.

    >>> is_language_tag("en-GB"), is_language_tag("cy"), is_language_tag("not a tag")
    (True, True, False)
    """
    return bool(_WELL_FORMED.fullmatch(value))


def languages_match(a: str, b: str) -> bool:
    """Titles' languages match when equal after truncating to the shorter tag; ``und`` matches all.

    >>> languages_match("en", "en-GB"), languages_match("en", "fr"), languages_match("und", "fr")
    (True, False, True)
    """
    if "und" in (a, b):
        return True
    a_parts, b_parts = a.lower().split("-"), b.lower().split("-")
    size = min(len(a_parts), len(b_parts))
    return a_parts[:size] == b_parts[:size]
