"""Geometry and statistics on frames and arrays (CRS, grids, hotspots, density, lighting,
indicators, privacy); reads no files and no settings, imports only rules/ of the app."""
