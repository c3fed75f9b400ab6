"""Places on the web: charts, maps, area profiles, comparisons, stories and dashboards."""
