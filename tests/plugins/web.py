"""What web tests ask for: a browser's Accept header and the fixtures' well-known pages."""

from __future__ import annotations

#: The Accept header Firefox sends for a page.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"
#: The path under which the fixtures' statistical geographies are identified.
SG = "/id/statistical-geography/"
#: Glasgow City's page in the fixtures.
GLASGOW = "/doc/statistical-geography/S12000049"
