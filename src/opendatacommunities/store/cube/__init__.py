"""Reading statistics cubes from a release: structures, codes, coverage and tables."""
