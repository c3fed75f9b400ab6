"""Pages for the parts of a cube: each observation and each code, in words.

An observation reads as a sentence ("Income deprived (per cent of population) in Abbey
Parks North, 2020: 8") with every part linked, then its own statements; a code says which
dimension and cube it belongs to, where it sits in its hierarchy, how many observations have
it, and links to the slices that show them. Their RDF formats are the resource pages'.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from opendatacommunities.errors import NotFoundError
from opendatacommunities.formats import HTML, RESOURCE_FORMATS
from opendatacommunities.iris import TOTAL_ATTRIBUTE
from opendatacommunities.places.figures import number_text
from opendatacommunities.store import Reader, Release
from opendatacommunities.store.cube.codes import code_labels
from opendatacommunities.store.cube.profile import CubeProfile
from opendatacommunities.store.cube.structure import Code, Cube, CubeDimension
from opendatacommunities.store.cube.tables import NO_STATUS
from opendatacommunities.store.terms import Literal, NamedNode
from opendatacommunities.vocab import QB_DATASET_PROPERTY, SDMX_OBS_STATUS
from opendatacommunities.web.cache import Rendered
from opendatacommunities.web.context import AppContext
from opendatacommunities.web.cube.pages import outgoing_view, page_headers
from opendatacommunities.web.cube.words import plural
from opendatacommunities.web.target import Target

_NOT_NUMBERS = ("NaN", "INF", "-INF")


@dataclass(frozen=True)
class Part:
    """A dimension of the observation and its code."""

    dimension: CubeDimension
    code: Code
    href: str


@dataclass(frozen=True)
class Related:
    """A slice related to the resource shown, in words."""

    text: str
    href: str


def is_observation(release: Release, cube: Cube, iri: str) -> bool:
    """Whether ``iri`` is an observation of ``cube``."""
    return Reader.of(release).holds(iri, QB_DATASET_PROPERTY, cube.iri)


def _slice(dataset: str, params: dict[str, str]) -> str:
    return f"/data/{dataset}/slice?{urlencode(params)}"


def _related(dataset: str, parts: list[Part]) -> list[Related]:
    """For each dimension with other codes: the slice along it, every other part locked."""
    related = []
    for part in parts:
        if len(part.dimension.codes) < 2:
            continue
        locks = {p.dimension.key: p.code.key for p in parts if p is not part}
        href = _slice(dataset, {"rows": part.dimension.key, "columns": "none", **locks})
        related.append(Related(f"The same for every {part.dimension.label.lower()}", href))
    return related


def _sentence(parts: list[Part], value: str) -> str:
    """ "Households (Owned outright) in Darlington, 2011: 13,810"."""
    measure = next(p.code.label for p in parts if p.dimension.kind == "measure")
    coded = [p.code.label for p in parts if p.dimension.kind in ("coded", "other")]
    areas = [p.code.label for p in parts if p.dimension.kind == "area"]
    periods = [p.code.label for p in parts if p.dimension.kind == "period"]
    text = measure + (f" ({', '.join(coded)})" if coded else "")
    text += f" in {areas[0]}" if areas else ""
    return text + "".join(f", {period}" for period in periods) + f": {value}"


def _parts(
    context: AppContext, cube: Cube, statements: dict[str, list[NamedNode | Literal]]
) -> tuple[list[Part], Literal | None]:
    """The observation's code of each dimension, and its value."""
    parts: list[Part] = []
    value: Literal | None = None
    for dimension in cube.dimensions:
        if dimension.kind == "measure":
            code = next((c for c in dimension.codes if c.iri in statements), None)
            found = statements[code.iri][0] if code is not None else None
            value = found if isinstance(found, Literal) else value
        else:
            term = statements.get(dimension.iri, [None])[0]
            code = dimension.find(term.value) if isinstance(term, NamedNode) else None
        if code is not None:
            parts.append(Part(dimension, code, context.iris.page_path(code.iri)))
    return parts, value


def _status(release: Release, statements: dict[str, list[NamedNode | Literal]]) -> str | None:
    status = statements.get(SDMX_OBS_STATUS, [None])[0]
    if not isinstance(status, NamedNode):
        return None
    return code_labels(release, [status.value]).get(status.value, NO_STATUS)


def _is_total(statements: dict[str, list[NamedNode | Literal]]) -> bool:
    """Whether the observation is marked as a total of others (the ``total`` attribute)."""
    return any(
        prop.endswith(TOTAL_ATTRIBUTE)
        and any(isinstance(v, Literal) and v.value == "true" for v in values)
        for prop, values in statements.items()
    )


def observation_page(target: Target, dataset: str, cube: Cube, iri: str) -> Rendered:
    """The page of one observation."""
    context, release, address = target.context, target.release, target.address
    statements = Reader.of(release).statements(iri)
    parts, value = _parts(context, cube, statements)
    status = _status(release, statements)
    number = value.value if value is not None and value.value not in _NOT_NUMBERS else None
    measure = next((cube.measure(p.code.iri) for p in parts if p.dimension.kind == "measure"), None)
    shown = number_text(number) if number is not None else (status or NO_STATUS)
    body = context.templates.get_template("cube_observation.html").render(
        cube=cube,
        dataset=dataset,
        sentence=_sentence(parts, shown),
        parts=parts,
        value=shown,
        missing=number is None,
        status=status,
        total=_is_total(statements),
        unit=measure.unit if measure else None,
        related=_related(dataset, parts),
        resource=outgoing_view(context, release, iri, address),
    )
    headers = page_headers(release, address, "observation-html", target.negotiated)
    return Rendered(body.encode(), headers, headers["etag"])


def code_of(cube: Cube, iri: str) -> tuple[CubeDimension, Code] | None:
    """The dimension of ``cube`` that takes the code ``iri``, and the code."""
    for dimension in cube.dimensions:
        if dimension.kind != "measure" and (code := dimension.find(iri)) is not None:
            return dimension, code
    return None


def _code_related(dataset: str, cube: Cube, dimension: CubeDimension, code: Code) -> list[Related]:
    """The code's values for every area (or the first other dimension), and the code beside
    its siblings."""
    rows = next((d for d in cube.dimensions if d.kind == "area"), None) or next(
        (d for d in cube.dimensions if d is not dimension), None
    )
    if rows is None:
        return []
    alone = {"rows": rows.key, "columns": "none", dimension.key: code.key}
    beside = {"rows": rows.key, "columns": dimension.key}
    return [
        Related(f"{code.label} for every {rows.label.lower()}", _slice(dataset, alone)),
        Related(f"Beside the other {plural(dimension.label.lower())}", _slice(dataset, beside)),
    ]


def code_page(
    target: Target,
    dataset: str,
    cube: Cube,
    profile: CubeProfile,
    found: tuple[CubeDimension, Code],
) -> Rendered:
    """The page of one code of a cube's code list."""
    context, address = target.context, target.address
    dimension, code = found
    body = context.templates.get_template("cube_code.html").render(
        cube=cube,
        dataset=dataset,
        dimension=dimension,
        code=code,
        parent=dimension.find(code.parent) if code.parent else None,
        children=[c for c in dimension.codes if c.parent == code.iri],
        count=profile.counts.get(dimension.key, {}).get(code.iri),
        related=_code_related(dataset, cube, dimension, code),
        page_path=context.iris.page_path,
        resource=outgoing_view(context, target.release, code.iri, address),
    )
    headers = page_headers(target.release, address, "code-html", target.negotiated)
    return Rendered(body.encode(), headers, headers["etag"])


#: Codes a page of a codes-used collection lists.
CODES_PAGE = 200


def dimension_using(cube: Cube, iri: str) -> CubeDimension | None:
    """The dimension whose codes-used collection ``iri`` is."""
    return next((d for d in cube.dimensions if d.codes_used == iri), None)


def codes_used_page(target: Target, dataset: str, cube: Cube, dimension: CubeDimension) -> Rendered:
    """The codes a dimension takes in the cube, a page at a time (``target.page``), in
    display order.

    :raises NotFoundError: for a page past the last.
    """
    context, address, page = target.context, target.address, target.page
    pages = max(1, -(-len(dimension.codes) // CODES_PAGE))
    if page > pages:
        raise NotFoundError(f"There is no page {page}: this list has {pages}.")
    codes = dimension.codes[(page - 1) * CODES_PAGE : page * CODES_PAGE]
    body = context.templates.get_template("cube_codes_used.html").render(
        cube=cube,
        dataset=dataset,
        dimension=dimension,
        codes=codes,
        page=page,
        pages=pages,
        address=address,
        page_path=context.iris.page_path,
        slice_href=_slice(dataset, {"rows": dimension.key}),
        formats=[(f.name, address.with_format(f.key)) for f in RESOURCE_FORMATS if f is not HTML],
    )
    headers = page_headers(target.release, address, f"codes-used-html-{page}", target.negotiated)
    return Rendered(body.encode(), headers, headers["etag"])
