"""Street lighting: distance raster, dark points, nearest lamp, lamp status."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from geopandas.testing import assert_geodataframe_equal

from geo.crs import METRIC_CRS, STORAGE_CRS, geometry_to_metric, metric_to_lonlat
from geo.lighting import (
    NEAREST_COLUMNS,
    dark_points,
    distance_to_lamp_raster,
    lamp_status,
    nearest_lamp,
)
from geo.raster import grid_for
from rules.errors import ValidationError

CELL_M = 5.0
# A cell well inside the 1 km square quarter (the grid has about 200 x 200 cells).
ROW, COL = 100, 90


def frame(lonlats, *, index=None, **columns) -> gpd.GeoDataFrame:
    """Points in EPSG:4326 with optional columns; None stands for a missing geometry."""
    geometry = gpd.GeoSeries(
        [None if p is None else gpd.points_from_xy([p[0]], [p[1]])[0] for p in lonlats],
        crs=STORAGE_CRS,
    )
    data = pd.DataFrame(columns, index=range(len(lonlats)))
    out = gpd.GeoDataFrame(data, geometry=geometry.values, crs=STORAGE_CRS)
    if index is not None:
        out.index = pd.Index(index)
    return out


@pytest.fixture
def grid(square):
    return grid_for(geometry_to_metric(square.polygon), cell_m=CELL_M)


def cell_centre_lonlat(grid, row: int, col: int) -> tuple[float, float]:
    transform, _ = grid
    x = transform.c + (col + 0.5) * CELL_M
    y = transform.f - (row + 0.5) * CELL_M
    return metric_to_lonlat(x, y)


# --- distance_to_lamp_raster ---------------------------------------------------------


@pytest.mark.parametrize(
    ("d_row", "d_col", "distance_m"),
    [(0, 0, 0.0), (0, 1, 5.0), (0, -4, 20.0), (1, 0, 5.0), (3, 4, 25.0), (-6, 8, 50.0)],
)
def test_distance_from_a_lamp_at_a_cell_centre(square, grid, d_row, d_col, distance_m):
    lamps = frame([cell_centre_lonlat(grid, ROW, COL)], status=["ok"])
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    assert raster.values[ROW + d_row, COL + d_col] == pytest.approx(distance_m, abs=1e-6)


def test_raster_lies_on_the_snapped_grid_in_metres(square, grid):
    lamps = frame([cell_centre_lonlat(grid, ROW, COL)])
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    transform, shape = grid
    assert (raster.transform, raster.shape, raster.crs) == (transform, shape, METRIC_CRS)
    assert raster.nodata is not None and math.isnan(raster.nodata)


def test_cells_outside_the_area_are_nodata(square):
    lamps = frame([square.point(0, 0)])
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    inside = raster.valid_mask()
    # The square covers 200 x 200 cells' worth of area.
    assert inside.sum() == pytest.approx(200 * 200, rel=0.02)
    assert np.isnan(raster.values[~inside]).all()
    assert np.isfinite(raster.values[inside]).all()
    # Farthest inside cell: a corner, about 707 m from the centre.
    assert np.nanmax(raster.values) == pytest.approx(500 * math.sqrt(2), abs=CELL_M)


@pytest.mark.parametrize("status", ["defect", "unknown", " Defect ", None])
def test_only_working_lamps_light(square, grid, status):
    here = cell_centre_lonlat(grid, ROW, COL)
    ten_cells_east = cell_centre_lonlat(grid, ROW, COL + 10)
    lamps = frame([here, ten_cells_east], status=[status, "ok"])
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    assert raster.values[ROW, COL] == pytest.approx(50.0, abs=1e-6)


@pytest.mark.parametrize("status", ["OK", " ok", "ok"])
def test_status_ignores_case_and_blanks(square, grid, status):
    lamps = frame([cell_centre_lonlat(grid, ROW, COL)], status=[status])
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    assert raster.values[ROW, COL] == pytest.approx(0.0, abs=1e-6)


def test_without_a_status_column_every_lamp_works(square, grid):
    lamps = frame([cell_centre_lonlat(grid, ROW, COL)])
    assert "status" not in lamps.columns
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    assert raster.values[ROW, COL] == pytest.approx(0.0, abs=1e-6)


@pytest.mark.parametrize(
    "lamps",
    [
        pytest.param(frame([(7.55, 51.52)], status=["defect"]), id="only-defect"),
        pytest.param(frame([]), id="no-lamps"),
    ],
)
def test_no_working_lamp_gives_infinity_inside_and_nodata_outside(square, lamps):
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    inside = ~np.isnan(raster.values)
    assert inside.sum() == pytest.approx(200 * 200, rel=0.02)
    assert np.isposinf(raster.values[inside]).all()


def test_lamps_outside_the_area_still_count(square, grid):
    # A lamp 20 m beyond the eastern edge lights the cells along that edge.
    lamps = frame([square.point(520, 0)])
    raster = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    assert np.nanmin(raster.values) == pytest.approx(20 + CELL_M / 2, abs=CELL_M)


def test_lamps_in_a_metric_crs_give_the_same_raster(square, grid):
    lamps = frame([cell_centre_lonlat(grid, ROW, COL)], status=["ok"])
    got = distance_to_lamp_raster(lamps.to_crs(METRIC_CRS), square.polygon, cell_m=CELL_M)
    want = distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    np.testing.assert_allclose(got.values, want.values, atol=1e-6)


def test_the_lamps_are_not_changed(square):
    lamps = frame([square.point(0, 0), square.point(10, 0)], status=[" OK", None])
    before = lamps.copy()
    distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)
    dark_points(lamps, lamps)
    assert_geodataframe_equal(lamps, before)


def test_unknown_status_is_refused(square):
    lamps = frame([square.point(0, 0), square.point(5, 0)], status=["ok", "kaputt"])
    with pytest.raises(ValidationError, match=r"Unknown lamp status: kaputt\. Expected one of"):
        distance_to_lamp_raster(lamps, square.polygon, cell_m=CELL_M)


def test_lamp_status_normalises():
    lamps = frame([(7.5, 51.5)] * 4, status=["OK", " defect", None, "Unknown"])
    assert lamp_status(lamps).tolist() == ["ok", "defect", "unknown", "unknown"]


def test_absurd_cell_size_is_refused(square):
    with pytest.raises(ValidationError, match="at most"):
        distance_to_lamp_raster(frame([square.point(0, 0)]), square.polygon, cell_m=0.25)


# --- dark_points --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("distance_m", "max_distance_m", "dark"),
    [(29.9, 30.0, False), (30.1, 30.0, True), (0.0, 0.0, False), (12.0, 11.0, True)],
)
def test_dark_on_both_sides_of_max_distance(square, distance_m, max_distance_m, dark):
    lamps = frame([square.point(0, 0)], status=["ok"])
    points = frame([square.point(0, distance_m)])
    result = dark_points(points, lamps, max_distance_m=max_distance_m)
    assert result.tolist() == [dark]


def test_default_max_distance_is_30_m(square):
    lamps = frame([square.point(0, 0)])
    points = frame([square.point(29.5, 0), square.point(-30.5, 0)])
    assert dark_points(points, lamps).tolist() == [False, True]


def test_dark_points_is_aligned_with_the_points(square):
    lamps = frame([square.point(0, 0), square.point(200, 0)], status=["ok", "defect"])
    points = frame(
        [square.point(200, 5), square.point(3, 4), None, square.point(-100, 0)],
        index=["far-defect", "near", "nowhere", "far"],
    )
    result = dark_points(points, lamps, max_distance_m=30.0)
    assert result.dtype == bool
    assert result.name == "dark"
    assert result.to_dict() == {"far-defect": True, "near": False, "nowhere": False, "far": True}


def test_without_working_lamps_every_point_is_dark(square):
    lamps = frame([square.point(0, 0)], status=["defect"])
    points = frame([square.point(0, 0), square.point(1, 1)])
    assert dark_points(points, lamps).tolist() == [True, True]


def test_no_points_give_an_empty_series(square):
    result = dark_points(frame([]), frame([square.point(0, 0)]))
    assert result.empty and result.dtype == bool


@pytest.mark.parametrize("max_distance_m", [-1.0, math.nan, math.inf])
def test_max_distance_must_be_a_distance(square, max_distance_m):
    with pytest.raises(ValidationError, match="'max_distance_m' should be zero or a positive"):
        dark_points(frame([square.point(0, 0)]), frame([]), max_distance_m=max_distance_m)


# --- nearest_lamp -------------------------------------------------------------------


def test_nearest_lamp_reports_a_defect_lamp_by_default(square):
    lamps = frame(
        [square.point(0, 10), square.point(0, 40)], index=["L-7", "L-8"], status=["defect", "ok"]
    )
    points = frame([square.point(0, 0)], index=[42])
    anything = nearest_lamp(points, lamps)
    assert list(anything.columns) == list(NEAREST_COLUMNS)
    assert anything.loc[42, "lamp_index"] == "L-7"
    assert anything.loc[42, "lamp_status"] == "defect"
    assert anything.loc[42, "distance_m"] == pytest.approx(10.0, abs=1e-6)
    working = nearest_lamp(points, lamps, only_working=True)
    assert (working.loc[42, "lamp_index"], working.loc[42, "lamp_status"]) == ("L-8", "ok")
    assert working.loc[42, "distance_m"] == pytest.approx(40.0, abs=1e-6)


def test_nearest_lamp_without_geometry_or_lamps(square):
    points = frame([square.point(0, 0), None], index=["a", "b"])
    got = nearest_lamp(points, frame([]))
    distance_m = got["distance_m"].to_dict()
    assert math.isinf(distance_m["a"]) and math.isnan(distance_m["b"])
    assert got["lamp_index"].isna().all() and got["lamp_status"].isna().all()
    located = nearest_lamp(points, frame([square.point(3, 4)]))
    assert located.loc["a", "distance_m"] == pytest.approx(5.0, abs=1e-6)
    assert np.isnan(located["distance_m"].to_numpy()[1]) and located.loc["b", "lamp_index"] is None


def test_nearest_lamp_of_no_points_is_an_empty_frame(square):
    got = nearest_lamp(frame([]), frame([square.point(0, 0)]))
    assert got.empty and list(got.columns) == list(NEAREST_COLUMNS)


def test_nearest_lamp_refuses_non_point_lamps(square):
    lamps = gpd.GeoDataFrame(geometry=[square.polygon], crs=STORAGE_CRS)
    with pytest.raises(ValidationError, match="'lamps' should hold points, got Polygon"):
        nearest_lamp(frame([square.point(0, 0)]), lamps)
