"""The site's icon: linked from every page as SVG, and answered at ``/favicon.ico`` (where
clients ask without reading a page) as a real icon, cached by the client."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET

from fastapi.testclient import TestClient

from tests.plugins.web import BROWSER, GLASGOW


def test_favicon_ico_is_an_icon_the_client_keeps(client: TestClient) -> None:
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/vnd.microsoft.icon"
    assert "max-age=" in response.headers["cache-control"]
    reserved, kind, count = struct.unpack("<HHH", response.content[:6])
    assert (reserved, kind, count) == (0, 1, 1)
    width, height = response.content[6], response.content[7]
    size, offset = struct.unpack("<II", response.content[14:22])
    assert (width, height) == (32, 32) and offset + size == len(response.content)
    again = client.get("/favicon.ico", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.head("/favicon.ico").headers["content-length"] == str(len(response.content))


def test_pages_link_the_svg_icon_the_site_serves(client: TestClient) -> None:
    for path in ("/", GLASGOW, "/geography", "/search?q=glasgow"):
        page = client.get(path, headers={"accept": BROWSER})
        assert page.status_code == 200, path
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page.text
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    root = ET.fromstring(icon.content)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox") == "0 0 32 32"
