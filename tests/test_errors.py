"""Every exception class lives in ``errors``, and each web-facing one carries its status."""

from __future__ import annotations

import ast
import builtins
import inspect
from pathlib import Path

import pytest

from opendatacommunities import errors

SOURCE = Path(errors.__file__).parent
CLASSES = {
    name: value
    for name, value in vars(errors).items()
    if inspect.isclass(value) and issubclass(value, BaseException)
}
BUILT_IN = {name for name, value in vars(builtins).items() if inspect.isclass(value)} & {
    name for name in dir(builtins) if name.endswith(("Error", "Exception"))
}

STATUSES = {
    "SourceError": 400,
    "MetadataError": 400,
    "CellError": 400,
    "BusyError": 409,
    "NoReleaseError": 503,
    "RemoteStoreError": 503,
    "QuerySyntaxError": 400,
    "QueryTimeoutError": 503,
    "QueryMemoryError": 503,
    "ResultTooLargeError": 400,
    "UnacceptableResultError": 406,
    "QueryTooComplexError": 400,
    "ServiceRefusedError": 400,
    "ParameterError": 400,
    "BadRequestError": 400,
    "ForbiddenError": 403,
    "NotFoundError": 404,
    "NotAcceptableError": 406,
    "PayloadTooLargeError": 413,
    "UnsupportedMediaTypeError": 415,
    "BodyTimeoutError": 408,
    "NotAnIriError": 400,
}


@pytest.mark.parametrize(("name", "status"), STATUSES.items())
def test_web_facing_errors_carry_their_status(name: str, status: int) -> None:
    error = CLASSES[name]
    assert issubclass(error, errors.OdcError)
    assert error.status == status


def test_the_rest_of_our_errors_are_server_side() -> None:
    """Errors not listed above are the platform's own failures: a client sees a generic 500."""
    ours = {n: c for n, c in CLASSES.items() if issubclass(c, errors.OdcError)}
    assert {n for n, c in ours.items() if c.status != 500} == set(STATUSES)


def test_a_cut_response_passes_every_except_exception() -> None:
    assert not issubclass(errors.ResponseCutShort, Exception)


def _exception_classes_outside_errors() -> list[str]:
    found = []
    for path in sorted(SOURCE.rglob("*.py")):
        if path == SOURCE / "errors.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {b.id if isinstance(b, ast.Name) else ast.unparse(b) for b in node.bases}
            if bases & (set(CLASSES) | BUILT_IN | {"BaseException"}):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno} {node.name}")
    return found


def test_every_exception_class_is_defined_in_errors() -> None:
    assert _exception_classes_outside_errors() == []
