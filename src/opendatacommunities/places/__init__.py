"""Places: what the statistics say about areas, in figures, maps and words (no web imports)."""
