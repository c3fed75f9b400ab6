"""Statistics cubes on the web: the slicer, downloads, and pages for a cube and its parts."""
