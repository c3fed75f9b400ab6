"""The one reading of the ``page`` parameter and its one bound, on every paged address."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from opendatacommunities.web.errors import BadRequestError
from opendatacommunities.web.target import MAX_PAGE, page_number
from tests.plugins.project import BASE


@pytest.mark.parametrize("text", ["1", "7", str(MAX_PAGE)])
def test_whole_numbers_from_one_to_the_bound_are_pages(text: str) -> None:
    assert page_number(text) == int(text)


@pytest.mark.parametrize("text", ["0", "-1", "", "two", "1.5", " 2", str(MAX_PAGE + 1), "١"])
def test_anything_else_is_a_bad_request_naming_the_bound(text: str) -> None:
    # "١" (Arabic-Indic one) counts as a digit to str.isdigit, and int() reads it: refused.
    with pytest.raises(BadRequestError, match=f"whole number from 1 to {MAX_PAGE:d}, not"):
        page_number(text)


@pytest.mark.parametrize(
    "path",
    [
        "/doc/statistical-geography/S12000049",
        "/search?q=glasgow",
        f"/resources?type={BASE}/def/geography/CouncilArea",
        "/def/geography",
    ],
)
def test_every_paged_address_reads_the_page_the_same_way(client: TestClient, path: str) -> None:
    joiner = "&" if "?" in path else "?"
    for page, status in (("1", 200), ("0", 400), (str(MAX_PAGE + 1), 400), ("x", 400)):
        response = client.get(f"{path}{joiner}page={page}", headers={"accept": "application/json"})
        assert response.status_code == status, (path, page, response.text)
        if status == 400:
            assert f"from 1 to {MAX_PAGE:,}".replace(",", "") in response.json()["detail"]
