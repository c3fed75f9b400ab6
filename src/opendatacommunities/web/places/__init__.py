"""Places on the site: stories, dashboards (and area profiles, maps and charts)."""
