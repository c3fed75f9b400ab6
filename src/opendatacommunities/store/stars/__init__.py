"""Five-star ratings of the catalogue's datasets (Tim Berners-Lee's scheme), computed from
evidence in the store (``evidence``) by a pure function (``rating``), once per release."""

from __future__ import annotations

from opendatacommunities.iris import IriSpace
from opendatacommunities.store.cache import Slot
from opendatacommunities.store.releases import Release
from opendatacommunities.store.stars.evidence import open_property, read_evidence
from opendatacommunities.store.stars.rating import Evidence, Link, Rating, Star, rate

__all__ = [
    "Evidence",
    "Link",
    "Rating",
    "Star",
    "dataset_ratings",
    "open_property",
    "rate",
]

RATINGS: Slot[dict[str, Rating]] = Slot("star-ratings")


def dataset_ratings(release: Release, iris: IriSpace) -> dict[str, Rating]:
    """The rating of every dataset of the catalogue, by IRI, read once per release."""

    def make() -> dict[str, Rating]:
        return {iri: rate(found) for iri, found in read_evidence(release, iris).items()}

    return release.cache.once(RATINGS, make)
