"""Places: what the statistics say about areas (best-fit lookups, ward-level summaries,
profiles, comparisons, stories). Never imports the web layer."""
