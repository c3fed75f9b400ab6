"""Places: what the statistics say about areas, in figures, maps and words (best-fit
lookups, ward-level summaries, profiles, comparisons, stories). Never imports the web layer."""
