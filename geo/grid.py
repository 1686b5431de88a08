"""Square analysis grids in metres, and counting points in their cells.

A grid is laid in METRIC_CRS (EPSG:25832) from the north-west corner of the
area's metric bounding box: `row` counts southwards from 0, `col` eastwards
from 0, like a raster. `cell_id` is `row * columns + col` of that bounding box,
so an id names the same square however the grid is later filtered.

Which cells are kept: every cell that shares a positive area with the area
(not only those whose centre lies in it). So every point inside the area falls
in exactly one cell and nothing a participant pinned is dropped at the edge.
The price is that edge cells lie partly outside the area, where nobody pins,
so their counts are lower than a full cell's would be; `area_share` tells by
how much, for analyses that need to allow for it (geo.hotspots does).
"""

from __future__ import annotations

import math
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, geometry_to_metric, to_metric

GRID_COLUMNS = ("cell_id", "row", "col")
# Guard against a cell size that would build millions of polygons by mistake.
MAX_GRID_CELLS = 2_000_000
# Round trips between EPSG:4326 and EPSG:25832 move corners by nanometres; a
# square drawn on whole cells must not grow an extra row or column from that.
_ROUNDING_CELLS = 1e-6
# Cells sharing less than this share of their area with the area are slivers
# from rounding, not real overlap.
_SLIVER_SHARE = 1e-6


def square_grid(area: BaseGeometry, *, cell_m: float) -> gpd.GeoDataFrame:
    """Square cells of `cell_m` metres covering `area` (a polygon in EPSG:4326).

    Returns a GeoDataFrame in METRIC_CRS with the columns cell_id, row, col and
    geometry, one row per cell that overlaps the area, ordered by row then col.
    An empty area gives an empty frame with the same columns.

    >>> square_grid(Polygon(), cell_m=50.0).columns.tolist()
    ['cell_id', 'row', 'col', 'geometry']
    """
    _check_cell_m(cell_m)
    if area.is_empty:
        return _empty_grid()
    if area.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(f"'area' should be a Polygon or MultiPolygon, got {area.geom_type}")
    # A copy: the caller may add columns; the cut itself is kept.
    return _cut(shapely.to_wkb(area), float(cell_m)).copy()


@lru_cache(maxsize=64)
def _cut(area_wkb: bytes, cell_m: float) -> gpd.GeoDataFrame:
    # Cutting cells to an outline is the slow part of every grid analysis and depends on
    # the outline and cell size alone: the quarters' grids are cut once per process.
    area = shapely.from_wkb(area_wkb)
    area_m = geometry_to_metric(area)
    minx, miny, maxx, maxy = area_m.bounds
    columns = max(1, math.ceil((maxx - minx) / cell_m - _ROUNDING_CELLS))
    rows = max(1, math.ceil((maxy - miny) / cell_m - _ROUNDING_CELLS))
    if rows * columns > MAX_GRID_CELLS:
        raise ValueError(
            f"A grid of {cell_m} m cells over this area would need {rows * columns:,} cells "
            f"(at most {MAX_GRID_CELLS:,}); choose a larger 'cell_m'"
        )
    row, col = np.divmod(np.arange(rows * columns, dtype=np.int64), columns)
    west = minx + col * cell_m
    north = maxy - row * cell_m
    cells = shapely.box(west, north - cell_m, west + cell_m, north)
    shapely.prepare(area_m)
    candidate = shapely.intersects(area_m, cells)
    overlap = np.zeros(cells.size)
    overlap[candidate] = shapely.area(shapely.intersection(cells[candidate], area_m))
    keep = overlap > _SLIVER_SHARE * cell_m * cell_m
    frame = pd.DataFrame(
        {"cell_id": row[keep] * columns + col[keep], "row": row[keep], "col": col[keep]}
    )
    return gpd.GeoDataFrame(frame, geometry=cells[keep], crs=METRIC_CRS)


def count_in_cells(
    grid: gpd.GeoDataFrame, points: gpd.GeoDataFrame, *, weight: str | None = None
) -> np.ndarray:
    """How many of `points` (any CRS) fall in each cell of `grid`, in grid order.

    `grid` is a frame made by `square_grid` (rows may be filtered). Cells are
    half-open, so a point on a shared edge is counted once: in the cell to its
    east or south. Points outside every cell and missing or empty geometries
    are not counted. With `weight`, the named column's values are summed instead
    (missing values count as 0) and the result is float; otherwise it is int64.
    Neither input is changed.
    """
    origin_x, origin_y, cell_m = _grid_geometry(grid)
    if not isinstance(points, gpd.GeoDataFrame):
        raise TypeError(f"'points' should be a GeoDataFrame, got {type(points)}")
    if weight is not None and weight not in points.columns:
        raise ValueError(f"'points' has no column {weight!r} to use as weight")
    dtype = np.int64 if weight is None else np.float64
    result = np.zeros(len(grid), dtype=dtype)
    if len(grid) == 0 or len(points) == 0:
        return result
    metric = to_metric(points)
    geoms = metric.geometry.to_numpy()
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = set(shapely.get_type_id(geoms[present]).tolist())
    if kinds - {0}:
        raise ValueError("'points' should hold Point geometries only")
    col = np.floor((shapely.get_x(geoms[present]) - origin_x) / cell_m).astype(np.int64)
    row = np.floor((origin_y - shapely.get_y(geoms[present])) / cell_m).astype(np.int64)
    lookup = cell_lookup(grid)
    inside = (row >= 0) & (row < lookup.shape[0]) & (col >= 0) & (col < lookup.shape[1])
    position = np.full(row.size, -1, dtype=np.int64)
    position[inside] = lookup[row[inside], col[inside]]
    counted = position >= 0
    if weight is None:
        values = np.ones(row.size)
    else:
        raw = pd.to_numeric(metric[weight], errors="coerce").to_numpy(dtype=float)[present]
        values = np.nan_to_num(raw, nan=0.0)
    summed = np.bincount(position[counted], weights=values[counted], minlength=len(grid))
    return summed.astype(dtype) if weight is None else summed


def area_share(grid: gpd.GeoDataFrame, area: BaseGeometry) -> np.ndarray:
    """The share (0 to 1) of each grid cell's area that lies in `area` (EPSG:4326)."""
    cell_m = grid_cell_m(grid)
    if len(grid) == 0 or area.is_empty:
        return np.zeros(len(grid))
    area_m = geometry_to_metric(area)
    cells = grid.geometry.to_numpy()
    shares = shapely.area(shapely.intersection(cells, area_m)) / (cell_m * cell_m)
    return np.clip(shares, 0.0, 1.0)


def cell_lookup(grid: gpd.GeoDataFrame) -> np.ndarray:
    """A (rows, cols) array holding each cell's position in `grid`, -1 where none."""
    row = grid["row"].to_numpy(dtype=np.int64)
    col = grid["col"].to_numpy(dtype=np.int64)
    if row.size == 0:
        return np.full((0, 0), -1, dtype=np.int64)
    lookup = np.full((int(row.max()) + 1, int(col.max()) + 1), -1, dtype=np.int64)
    lookup[row, col] = np.arange(row.size, dtype=np.int64)
    return lookup


def grid_cell_m(grid: gpd.GeoDataFrame) -> float:
    """The side of the grid's square cells in metres (NaN for an empty grid)."""
    return _grid_geometry(grid)[2]


def _grid_geometry(grid: gpd.GeoDataFrame) -> tuple[float, float, float]:
    """Origin (west, north) and cell size of a square_grid frame."""
    if not isinstance(grid, gpd.GeoDataFrame):
        raise TypeError(f"'grid' should be a GeoDataFrame, got {type(grid)}")
    missing = [name for name in ("row", "col") if name not in grid.columns]
    if missing:
        raise ValueError(f"'grid' lacks the columns {missing}; build it with square_grid()")
    if grid.crs is None or grid.crs != METRIC_CRS:
        raise ValueError(
            f"'grid' should be in {METRIC_CRS} as square_grid() returns it, got {grid.crs}"
        )
    if len(grid) == 0:
        return math.nan, math.nan, math.nan
    minx, _, maxx, maxy = grid.geometry.iloc[0].bounds
    cell_m = maxx - minx
    origin_x = minx - int(grid["col"].iloc[0]) * cell_m
    origin_y = maxy + int(grid["row"].iloc[0]) * cell_m
    return origin_x, origin_y, cell_m


def _check_cell_m(cell_m: float) -> None:
    if not (math.isfinite(cell_m) and cell_m > 0):
        raise ValueError(f"'cell_m' should be a positive number of metres, got {cell_m!r}")


def _empty_grid() -> gpd.GeoDataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype="int64") for name in GRID_COLUMNS})
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries([], crs=METRIC_CRS), crs=METRIC_CRS)
