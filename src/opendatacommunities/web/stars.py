"""Datasets' five-star ratings as pages show them: looked up in the release's ratings
(``store.stars``, computed once per release), and written as JSON."""

from __future__ import annotations

from opendatacommunities.iris import IriSpace
from opendatacommunities.store import Release
from opendatacommunities.store.stars import Rating, dataset_ratings


def rating_of(iris: IriSpace, release: Release, iri: str) -> Rating | None:
    """The rating of the dataset ``iri``, or None when it is not a dataset of the catalogue
    (only IRIs under ``/data/`` are looked up)."""
    path = iris.local_path(iri)
    if path is None or not path.startswith("/data/"):
        return None
    return dataset_ratings(release, iris).get(iri)


def stars_json(rating: Rating) -> dict[str, object]:
    """A rating as JSON: how many stars, and each of the five with its reason.

    >>> from opendatacommunities.store.stars import Evidence, rate
    >>> found = stars_json(rate(Evidence()))
    >>> found["stars"], found["each"][0]["earned"], found["each"][0]["reason"]
    (0, False, 'no licence stated, so no first star')
    """
    return {
        "stars": rating.stars,
        "each": [
            {"star": s.number, "title": s.title, "earned": s.earned, "reason": s.reason}
            for s in rating.each
        ],
    }
