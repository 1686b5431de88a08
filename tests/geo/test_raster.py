"""Rasters: the value object, grid snapping, masks, point coordinates."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import LineString, Point, Polygon, box

from geo.crs import METRIC_CRS, STORAGE_CRS, geometry_to_metric
from geo.raster import (
    MAX_CELLS,
    Raster,
    cell_centres,
    grid_for,
    mask_outside,
    metric_xy,
    north_up,
)
from rules.errors import ValidationError

# A 4 x 5 grid of 10 m cells whose north-west corner is (400000, 5710040).
WEST, NORTH, CELL = 400_000.0, 5_710_040.0, 10.0
TRANSFORM = north_up(WEST, NORTH, cell_m=CELL)


def small_raster(nodata: float | None = None) -> Raster:
    values = np.arange(20, dtype=np.float64).reshape(4, 5) * 1.25 - 3.0
    return Raster(values=values, transform=TRANSFORM, crs=METRIC_CRS, nodata=nodata)


# --- Raster --------------------------------------------------------------------


def test_bounds_are_the_outer_cell_edges():
    assert small_raster().bounds == (WEST, NORTH - 40.0, WEST + 50.0, NORTH)


def test_bounds_lonlat_is_south_west_north_east_around_the_grid():
    raster = small_raster()
    south, west, north, east = raster.bounds_lonlat()
    assert south < north and west < east
    grid_lonlat = gpd.GeoSeries([box(*raster.bounds)], crs=METRIC_CRS).to_crs(STORAGE_CRS)
    g_west, g_south, g_east, g_north = grid_lonlat.total_bounds
    assert (south, west) == pytest.approx((g_south, g_west), abs=1e-9)
    assert (north, east) == pytest.approx((g_north, g_east), abs=1e-9)
    assert 51 < south < 52 and 7 < west < 8  # Dortmund, not swapped


def test_values_become_read_only_float64_and_the_input_stays_writable():
    source = np.ones((2, 3), dtype=np.int32)
    raster = Raster(values=source, transform=TRANSFORM, crs=METRIC_CRS)
    assert raster.values.dtype == np.float64
    assert raster.shape == (2, 3)
    with pytest.raises(ValueError, match="read-only"):
        raster.values[0, 0] = 5.0
    source[0, 0] = 7  # the caller's array is not frozen
    assert raster.values[0, 0] == 1.0


@pytest.mark.parametrize("values", [np.zeros(4), np.zeros((2, 2, 2))])
def test_values_must_be_two_dimensional(values):
    with pytest.raises(ValidationError, match="'values' should be a 2-D array"):
        Raster(values=values, transform=TRANSFORM, crs=METRIC_CRS)


# --- grid_for ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("area", "cell_m", "origin", "shape"),
    [
        (box(0, 0, 100, 100), 10.0, (0.0, 100.0), (10, 10)),
        (box(3, 7, 25, 31), 10.0, (0.0, 40.0), (4, 3)),
        (box(-12, -3, 12, 3), 5.0, (-15.0, 5.0), (2, 6)),
        (Point(12, 17), 5.0, (10.0, 20.0), (1, 1)),
        (LineString([(0, 0), (20, 0)]), 5.0, (0.0, 5.0), (1, 4)),
    ],
)
def test_grid_is_snapped_to_whole_cells(area, cell_m, origin, shape):
    transform, got_shape = grid_for(area, cell_m=cell_m)
    assert (transform.c, transform.f) == origin
    assert (transform.a, transform.e) == (cell_m, -cell_m)
    assert got_shape == shape


@pytest.mark.parametrize("cell_m", [5.0, 7.5, 25.0])
def test_grid_covers_a_real_quarter(square, cell_m):
    area_m = geometry_to_metric(square.polygon)
    transform, (rows, cols) = grid_for(area_m, cell_m=cell_m)
    grid = box(transform.c, transform.f - rows * cell_m, transform.c + cols * cell_m, transform.f)
    assert grid.covers(area_m)
    # Not more than one cell of slack on any side.
    assert grid.area < (1000 + 2 * cell_m) ** 2


def test_empty_area_gives_an_empty_grid():
    _, shape = grid_for(Polygon(), cell_m=5.0)
    assert shape == (0, 0)


@pytest.mark.parametrize("cell_m", [0.0, -5.0, math.nan, math.inf])
def test_cell_size_must_be_positive(cell_m):
    with pytest.raises(ValidationError, match="'cell_m' should be a positive number of metres"):
        grid_for(box(0, 0, 100, 100), cell_m=cell_m)


def test_absurd_grid_is_refused():
    # 10 km x 10 km at 1 m cells: 100 million cells.
    with pytest.raises(ValidationError, match=f"at most {MAX_CELLS} are allowed") as exc_info:
        grid_for(box(0, 0, 10_000, 10_000), cell_m=1.0)
    assert exc_info.value.params["cells"] == 100_000_000


# --- cell_centres ----------------------------------------------------------------


def test_cell_centres_are_half_a_cell_in():
    xs, ys = cell_centres(TRANSFORM, (4, 5))
    assert xs.shape == ys.shape == (4, 5)
    assert (xs[0, 0], ys[0, 0]) == (WEST + 5.0, NORTH - 5.0)
    assert (xs[3, 4], ys[3, 4]) == (WEST + 45.0, NORTH - 35.0)


# --- mask_outside ----------------------------------------------------------------


@pytest.mark.parametrize(("nodata", "expected_nodata"), [(None, math.nan), (-9999.0, -9999.0)])
def test_mask_outside_sets_cells_outside_to_nodata(nodata, expected_nodata):
    raster = small_raster(nodata=nodata)
    before = raster.values.copy()
    # The two western columns: cell centres at +5 and +15 m lie inside, +25 does not.
    area = box(WEST, NORTH - 40.0, WEST + 20.0, NORTH)
    masked = mask_outside(raster, area)
    np.testing.assert_array_equal(masked.values[:, :2], raster.values[:, :2])
    np.testing.assert_array_equal(masked.values[:, 2:], np.full((4, 3), expected_nodata))
    np.testing.assert_array_equal(
        masked.valid_mask(), np.array([[True, True, False, False, False]] * 4)
    )
    assert masked.nodata == expected_nodata or (
        math.isnan(expected_nodata) and masked.nodata is not None and math.isnan(masked.nodata)
    )
    assert (masked.transform, masked.crs) == (raster.transform, raster.crs)
    np.testing.assert_array_equal(raster.values, before)  # the input is unchanged


def test_mask_outside_uses_the_cell_centre():
    # Legs of 26 m from the south-west corner: centres with x + y < 26 m lie
    # inside, those at 30 m do not, though the triangle touches their cells.
    south = NORTH - 40.0
    triangle = Polygon([(WEST, south), (WEST + 26.0, south), (WEST, south + 26.0)])
    masked = mask_outside(small_raster(), triangle)
    expected = np.zeros((4, 5), dtype=bool)
    expected[3, 0] = expected[3, 1] = expected[2, 0] = True  # centres (5,5) (15,5) (5,15)
    np.testing.assert_array_equal(masked.valid_mask(), expected)


def test_mask_outside_an_empty_area_leaves_no_value():
    masked = mask_outside(small_raster(), Polygon())
    assert not masked.valid_mask().any()


# --- metric_xy -------------------------------------------------------------------


def test_metric_xy_keeps_rows_aligned(square):
    lon, lat = square.point(30, -40)
    frame = gpd.GeoDataFrame(
        {"n": [1, 2, 3]}, geometry=[Point(lon, lat), None, Point()], crs=STORAGE_CRS
    )
    xy = metric_xy(frame)
    assert xy.shape == (3, 2)
    assert tuple(xy[0]) == pytest.approx((square.centre_x + 30, square.centre_y - 40), abs=1e-6)
    assert np.isnan(xy[1:]).all()


def test_metric_xy_of_no_points_is_empty():
    assert metric_xy(gpd.GeoDataFrame(geometry=[], crs=STORAGE_CRS)).shape == (0, 2)


def test_metric_xy_refuses_other_geometries_and_missing_crs():
    with pytest.raises(ValidationError, match=r"'lamps' should hold points, got LineString"):
        metric_xy(
            gpd.GeoDataFrame(geometry=[LineString([(7.5, 51.5), (7.6, 51.5)])], crs=STORAGE_CRS),
            name="lamps",
        )
    with pytest.raises(ValidationError, match="'points' has no CRS"):
        metric_xy(gpd.GeoDataFrame(geometry=[Point(7.5, 51.5)]))
