"""Pin density: a binned Gaussian kernel density estimate on a metric grid.

Points are counted per cell, then the counts are smoothed with a Gaussian
filter whose sigma is the bandwidth in cells. For 10,000 points on a 200 x 200
grid this gives the surface of scipy.stats.gaussian_kde with the same
isotropic kernel in milliseconds instead of seconds; see
benchmarks/bench_density.py.

Normalisation: every point carries a kernel of mass 1 / N (N = all points
passed in, inside the grid or not), and values are per square metre. So
``surface.sum() * cell area`` is the share of the points' kernel mass that lies
on the grid: about 1 when every point lies at least three bandwidths inside the
grid, less when points lie outside it (they are not counted) or near its edge
(the part of their kernel beyond the edge is cut off, mode="constant").
Multiply by N to get points per square metre.
"""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
from rasterio.transform import Affine
from scipy.ndimage import gaussian_filter
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, geometry_to_metric
from geo.raster import Raster, Shape, check_cell_count, grid_for, mask_outside, metric_xy
from rules.errors import N_, ValidationError

# The Gaussian is cut off at this many sigmas (scipy's default); beyond it the
# kernel weighs less than 1e-4 of its peak.
TRUNCATE_SIGMAS = 4.0


def _check_bandwidth(bandwidth_m: float) -> None:
    if not (math.isfinite(bandwidth_m) and bandwidth_m > 0):
        raise ValidationError(
            N_("'bandwidth_m' should be a positive number of metres, got {value}."),
            value=bandwidth_m,
        )


def _check_grid(transform: Affine, shape: Shape) -> tuple[int, int]:
    if len(shape) != 2 or any(int(n) != n or n < 0 for n in shape):
        raise ValidationError(
            N_("'shape' should be (rows, cols) of whole numbers, got {value}."), value=shape
        )
    rows, cols = int(shape[0]), int(shape[1])
    check_cell_count(rows, cols)
    if transform.b != 0 or transform.d != 0 or transform.a <= 0 or transform.e >= 0:
        raise ValidationError(
            N_("'transform' should describe a north-up grid without rotation, got {value}."),
            value=tuple(transform)[:6],
        )
    return rows, cols


def _as_points(points_xy_m: np.ndarray) -> np.ndarray:
    points = np.asarray(points_xy_m, dtype=np.float64)
    if points.size == 0:
        return np.empty((0, 2), dtype=np.float64)
    if points.ndim != 2 or points.shape[1] != 2:
        raise ValidationError(
            N_("'points_xy_m' should be an (N, 2) array of x and y, got shape {shape}."),
            shape=points.shape,
        )
    if not np.isfinite(points).all():
        raise ValidationError(N_("'points_xy_m' holds coordinates that are not finite."))
    return points


def density_surface(
    points_xy_m: np.ndarray,
    *,
    transform: Affine,
    shape: Shape,
    bandwidth_m: float,
) -> np.ndarray:
    """Kernel density of points on a north-up metric grid, per square metre.

    `points_xy_m` is an (N, 2) array of x, y in the grid's metric CRS;
    `bandwidth_m` is the standard deviation of the isotropic Gaussian kernel.
    Returns a float64 array of `shape`; ``sum * cell area`` is the share of the
    points' kernel mass on the grid (see the module docstring). No points give
    a zero surface. The input is not changed.
    """
    _check_bandwidth(bandwidth_m)
    rows, cols = _check_grid(transform, shape)
    points = _as_points(points_xy_m)
    surface = np.zeros((rows, cols), dtype=np.float64)
    if len(points) == 0 or rows == 0 or cols == 0:
        return surface

    col_idx = np.floor((points[:, 0] - transform.c) / transform.a).astype(np.int64)
    row_idx = np.floor((points[:, 1] - transform.f) / transform.e).astype(np.int64)
    on_grid = (col_idx >= 0) & (col_idx < cols) & (row_idx >= 0) & (row_idx < rows)
    flat = row_idx[on_grid] * cols + col_idx[on_grid]
    counts = np.bincount(flat, minlength=rows * cols).reshape(rows, cols).astype(np.float64)

    cell_w_m, cell_h_m = transform.a, -transform.e
    # Per axis, so non-square cells still get a round kernel in metres.
    sigma_cells = (bandwidth_m / cell_h_m, bandwidth_m / cell_w_m)
    smoothed = gaussian_filter(
        counts, sigma=sigma_cells, mode="constant", cval=0.0, truncate=TRUNCATE_SIGMAS
    )
    surface = smoothed / (len(points) * cell_w_m * cell_h_m)
    return np.asarray(surface, dtype=np.float64)


def density_raster(
    points: gpd.GeoDataFrame,
    area: BaseGeometry,
    *,
    cell_m: float,
    bandwidth_m: float,
) -> Raster:
    """Kernel density of `points` over `area` (both EPSG:4326) as a Raster in METRIC_CRS.

    The grid has `cell_m` cells snapped to cover the area; cells whose centre
    lies outside the area are NaN (the raster's nodata). Points without a
    geometry are skipped; N in the normalisation counts the others, including
    any outside the grid. No points give zeros inside the area.
    """
    _check_bandwidth(bandwidth_m)
    area_m = geometry_to_metric(area)
    transform, shape = grid_for(area_m, cell_m=cell_m)
    xy = metric_xy(points, name="points")
    xy = xy[~np.isnan(xy).any(axis=1)]
    surface = density_surface(xy, transform=transform, shape=shape, bandwidth_m=bandwidth_m)
    raster = Raster(values=surface, transform=transform, crs=METRIC_CRS, nodata=math.nan)
    return mask_outside(raster, area_m)
