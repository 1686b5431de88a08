"""Rasters: a small value object for north-up grids, grid snapping, masks.

Surfaces (pin density, distance to the nearest lamp) are computed in metres on a
grid in METRIC_CRS and kept as a `Raster`; `bounds_lonlat()` places one on the
EPSG:4326 map.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from rasterio.features import geometry_mask
from rasterio.transform import Affine, array_bounds
from rasterio.warp import transform_bounds
from shapely.geometry.base import BaseGeometry

from geo.crs import STORAGE_CRS, metric_geometries
from rules.errors import N_, ValidationError

# A guard, not a tuning knob: 4 million float64 cells are 32 MB per array, and
# Dortmund's largest district at 5 m cells needs well under that.
MAX_CELLS = 4_000_000

Shape = tuple[int, int]


@dataclass(frozen=True, eq=False)
class Raster:
    """A north-up, single-band float64 grid with its georeference.

    `values[0, 0]` is the north-west cell; `transform` maps (col, row) to the
    cell's upper-left corner in `crs`. Cells equal to `nodata` (or NaN when
    `nodata` is NaN) carry no value. `values` is stored as a read-only float64
    view, so a Raster cannot be changed after it is built.
    """

    values: np.ndarray
    transform: Affine
    crs: str
    nodata: float | None = None

    def __post_init__(self) -> None:
        values = np.asarray(self.values, dtype=np.float64)
        if values.ndim != 2:
            raise ValidationError(
                N_("'values' should be a 2-D array, got {ndim} dimensions."), ndim=values.ndim
            )
        view = values.view()
        view.flags.writeable = False
        object.__setattr__(self, "values", view)

    @property
    def shape(self) -> Shape:
        """(rows, cols)."""
        rows, cols = self.values.shape
        return int(rows), int(cols)

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the grid's outer edges in its CRS."""
        rows, cols = self.shape
        west, south, east, north = array_bounds(rows, cols, self.transform)
        return float(west), float(south), float(east), float(north)

    def bounds_lonlat(self) -> tuple[float, float, float, float]:
        """(south, west, north, east) in EPSG:4326, the order folium's ImageOverlay
        wants as [[south, west], [north, east]].

        The box encloses the whole grid (its edges are densified before
        projecting). A projected grid is not aligned with lon/lat, so an
        ImageOverlay stretched over this box is close but not exact.
        """
        west, south, east, north = transform_bounds(
            self.crs, STORAGE_CRS, *self.bounds, densify_pts=21
        )
        return float(south), float(west), float(north), float(east)

    def valid_mask(self) -> np.ndarray:
        """True where a cell carries a value (not nodata, not NaN)."""
        valid = ~np.isnan(self.values)
        if self.nodata is not None and not math.isnan(self.nodata):
            valid &= self.values != self.nodata
        return valid


def _check_cell_m(cell_m: float) -> None:
    if not (math.isfinite(cell_m) and cell_m > 0):
        raise ValidationError(
            N_("'cell_m' should be a positive number of metres, got {value}."), value=cell_m
        )


def check_cell_count(rows: int, cols: int) -> None:
    """Raise ValidationError when a grid of rows x cols would be absurdly large."""
    cells = rows * cols
    if cells > MAX_CELLS:
        raise ValidationError(
            N_(
                "The grid would have {cells} cells ({rows} x {cols}); at most {limit} "
                "are allowed. Choose larger cells or a smaller area."
            ),
            cells=cells,
            rows=rows,
            cols=cols,
            limit=MAX_CELLS,
        )


def north_up(west_m: float, north_m: float, *, cell_m: float) -> Affine:
    """The transform of a north-up grid of square `cell_m` cells from its north-west corner."""
    # Same as rasterio's from_origin, built directly (from_origin warns on affine 3).
    return Affine(cell_m, 0.0, west_m, 0.0, -cell_m, north_m)


def grid_for(area_m: BaseGeometry, *, cell_m: float) -> tuple[Affine, Shape]:
    """A north-up grid of whole `cell_m` cells covering `area_m` (in METRIC_CRS).

    The grid's edges are snapped to multiples of `cell_m`, so grids of the same
    cell size over different areas line up. Returns (transform, (rows, cols)).
    An empty area gives a (0, 0) grid.
    """
    _check_cell_m(cell_m)
    if area_m.is_empty:
        return north_up(0.0, 0.0, cell_m=cell_m), (0, 0)
    minx, miny, maxx, maxy = area_m.bounds
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise ValidationError(N_("The area has no finite bounds."))
    west = math.floor(minx / cell_m) * cell_m
    south = math.floor(miny / cell_m) * cell_m
    # A point or line still gets one cell.
    cols = max(1, math.ceil(maxx / cell_m) - math.floor(minx / cell_m))
    rows = max(1, math.ceil(maxy / cell_m) - math.floor(miny / cell_m))
    check_cell_count(rows, cols)
    north = south + rows * cell_m
    return north_up(west, north, cell_m=cell_m), (rows, cols)


def cell_centres(transform: Affine, shape: Shape) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every cell centre, each shaped like the grid."""
    rows, cols = shape
    col_idx = np.arange(cols, dtype=np.float64) + 0.5
    row_idx = np.arange(rows, dtype=np.float64) + 0.5
    x = transform.c + transform.a * col_idx[np.newaxis, :] + transform.b * row_idx[:, np.newaxis]
    y = transform.f + transform.d * col_idx[np.newaxis, :] + transform.e * row_idx[:, np.newaxis]
    return np.broadcast_to(x, shape).copy(), np.broadcast_to(y, shape).copy()


def inside_mask(area: BaseGeometry, *, transform: Affine, shape: Shape) -> np.ndarray:
    """True for cells whose centre lies inside `area` (given in the grid's CRS)."""
    if area.is_empty or 0 in shape:
        return np.zeros(shape, dtype=bool)
    outside: np.ndarray = geometry_mask([area], out_shape=shape, transform=transform)
    return ~outside


def mask_outside(raster: Raster, area_m: BaseGeometry) -> Raster:
    """A copy of `raster` with cells whose centre lies outside `area_m` set to nodata.

    `area_m` must be in the raster's CRS. A raster without nodata gets NaN as
    nodata. An empty area leaves no cell with a value.
    """
    nodata = raster.nodata if raster.nodata is not None else math.nan
    inside = inside_mask(area_m, transform=raster.transform, shape=raster.shape)
    values = np.where(inside, raster.values, nodata)
    return Raster(values=values, transform=raster.transform, crs=raster.crs, nodata=nodata)


def metric_xy(points: gpd.GeoDataFrame, *, name: str = "points") -> np.ndarray:
    """(N, 2) array of point coordinates in METRIC_CRS, one row per row of `points`.

    Rows without a geometry (missing or empty) give NaN, so the result stays
    aligned with the frame. Any CRS is accepted; non-point geometries are refused.
    """
    if len(points) == 0:
        return np.empty((0, 2), dtype=np.float64)
    if points.crs is None:
        raise ValidationError(
            N_("'{name}' has no CRS; set it with set_crs() before measuring."), name=name
        )
    geoms = metric_geometries(points)
    present = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    kinds = shapely.get_type_id(geoms[present])
    if (kinds != shapely.GeometryType.POINT).any():
        others = set(gpd.GeoSeries(geoms[present]).geom_type) - {"Point"}
        raise ValidationError(
            N_("'{name}' should hold points, got {kinds}."), name=name, kinds=sorted(others)
        )
    xy = np.full((len(points), 2), np.nan, dtype=np.float64)
    kept = geoms[present]
    xy[present] = np.column_stack([shapely.get_x(kept), shapely.get_y(kept)])
    return xy
