"""Places: area profiles, aggregation lookups, comparisons, stories and dashboards
(no web imports)."""
