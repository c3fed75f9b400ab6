"""What a cube uses, recorded while its observations are written: the codes each dimension
takes, in the order the source first gives them.

From that come two things a browser of the cube needs and should not have to scan millions
of observations for: PublishMyData's *codes used* collections (``pmdqb:codesUsed`` on each
component specification, a ``skos:Collection`` whose members are the codes the dimension
takes in this cube, as table2qb and graphql-qb use them), and the display order of each code
list (``ui:sortPriority``, as table2qb and csvcubed write it): parents before their children,
siblings in the order the publisher listed them or the source first gave them (for a wide
Census table, the order of its header).

>>> tree_order({"all": None, "male": "all", "female": "all"}, ["female", "male", "all"])
['all', 'female', 'male']
"""

from __future__ import annotations

from collections.abc import Iterator

from opendatacommunities.cube.description import CubeDescription, Dimension, slug
from opendatacommunities.cube.tidy import Observation, Unpivot


class RecordingUnpivot(Unpivot):
    """An ``Unpivot`` that remembers, for every dimension, the codes its observations take
    (first met first), and the measures they use."""

    def __init__(self, cube: CubeDescription) -> None:
        super().__init__(cube)
        self.used: dict[str, dict[str, None]] = {d.name: {} for d in cube.dimensions}
        self.measures_used: dict[str, None] = {}

    def observations(self) -> Iterator[Observation]:
        """The observations of ``Unpivot``, recorded on the way through."""
        used, measures = self.used, self.measures_used
        for observation in super().observations():
            for name, code in observation[0].items():
                used[name][code] = None
            measures[observation[1]] = None
            yield observation


def tree_order(parents: dict[str, str | None], ranked: list[str]) -> list[str]:
    """Every code of ``parents`` (code -> parent code), depth first: each parent before its
    children, siblings by their place in ``ranked`` (codes not in it come after, as listed).
    A code whose parent is not in the list counts as a top code."""
    rank = {code: index for index, code in enumerate(ranked)}
    position = {code: index for index, code in enumerate(parents)}

    def key(code: str) -> tuple[int, int]:
        return (rank.get(code, len(rank)), position[code])

    children: dict[str | None, list[str]] = {}
    for code, parent in parents.items():
        top = parent is None or parent not in parents or parent == code
        children.setdefault(None if top else parent, []).append(code)
    ordered: list[str] = []
    pending = sorted(children.get(None, []), key=key, reverse=True)
    while pending:
        code = pending.pop()
        if code in position and code not in ordered:
            ordered.append(code)
            pending += sorted(children.get(code, []), key=key, reverse=True)
    return ordered


def display_order(
    dimension: Dimension, labels: dict[str, str], parents: dict[str, str], seen: dict[str, None]
) -> list[str]:
    """The codes of a coded dimension in the order to show them: a closed list's own order,
    else the order the source first gave them, arranged as a tree."""
    declared = [slug(label) for label in dimension.codes] if dimension.codes else list(seen)
    return tree_order({code: parents.get(code) for code in labels}, declared)
