"""Codes that replaced others: an area's former codes (``dct:replaces``, or the old code's
``dct:isReplacedBy``), as the geography's code history states them, read in one query."""

from __future__ import annotations

from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import select_rows
from opendatacommunities.vocab import DCT_IS_REPLACED_BY, DCT_REPLACES


def read_former_codes(release: Release) -> dict[str, tuple[str, ...]]:
    """Area IRI -> the IRIs it replaced (directly), for every area that replaced one."""
    query = f"""SELECT DISTINCT ?new ?old WHERE {{
      {{ ?new <{DCT_REPLACES}> ?old }} UNION {{ ?old <{DCT_IS_REPLACED_BY}> ?new }}
      FILTER(isIRI(?new) && isIRI(?old) && ?new != ?old) }}"""
    found: dict[str, list[str]] = {}
    for new, old in select_rows(release.store, query):
        if new is not None and old is not None:
            found.setdefault(new, []).append(old)
    return {new: tuple(sorted(olds)) for new, olds in found.items()}
