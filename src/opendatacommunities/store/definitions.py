"""What things are, in a sentence: the ``skos:definition`` of classes and terms (the kinds of
area of the geography vocabulary, say), English or untagged first."""

from __future__ import annotations

from collections.abc import Iterable

from opendatacommunities.store.describe import iri_node
from opendatacommunities.store.releases import Release
from opendatacommunities.store.result_rows import solutions
from opendatacommunities.vocab import SKOS

_BATCH = 1_000


def read_definitions(release: Release, iris: Iterable[str]) -> dict[str, str]:
    """IRI -> its definition, for those of ``iris`` that have one.

    :raises NotAnIriError: if one of ``iris`` is not an IRI.
    """
    wanted = list(dict.fromkeys(iris))
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(wanted), _BATCH):
        values = " ".join(str(iri_node(iri)) for iri in wanted[start : start + _BATCH])
        query = f"SELECT ?s ?d WHERE {{ VALUES ?s {{ {values} }} ?s <{SKOS}definition> ?d }}"
        for subject, text in solutions(release.store, query):
            language = getattr(text, "language", None)
            rank = 0 if language in (None, "en") or str(language).startswith("en-") else 1
            best = found.get(subject.value)
            if best is None or (rank, text.value) < best:
                found[subject.value] = (rank, text.value)
    return {iri: text for iri, (_, text) in found.items()}
