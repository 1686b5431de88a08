"""square_grid, count_in_cells and area_share on the hand-built 1 km square."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import LineString, Point, Polygon

from geo.crs import METRIC_CRS, STORAGE_CRS, metric_to_lonlat
from geo.grid import MAX_GRID_CELLS, area_share, count_in_cells, square_grid


def points_at(square, offsets_m, **columns) -> gpd.GeoDataFrame:
    """Points `(dx, dy)` metres from the square's centre, in EPSG:4326."""
    lonlat = [square.point(dx, dy) for dx, dy in offsets_m]
    geometry = gpd.points_from_xy([p[0] for p in lonlat], [p[1] for p in lonlat])
    return gpd.GeoDataFrame(columns, geometry=geometry, crs=STORAGE_CRS)


@pytest.fixture(scope="module")
def grid(square) -> gpd.GeoDataFrame:
    return square_grid(square.polygon, cell_m=50.0)


def triangle(square) -> Polygon:
    """The square's south-west half: corners SW, SE, NW (drawn in metres)."""
    h = square.half_side_m
    corners = [(-h, -h), (h, -h), (-h, h)]
    return Polygon([square.point(dx, dy) for dx, dy in corners])


# --- square_grid ------------------------------------------------------------------


def test_one_km_square_gets_exactly_400_cells_of_50_m(grid, square):
    assert len(grid) == 400
    assert list(grid.columns) == ["cell_id", "row", "col", "geometry"]
    assert grid.crs == METRIC_CRS
    assert sorted(set(grid["row"])) == list(range(20))
    assert sorted(set(grid["col"])) == list(range(20))
    assert grid["cell_id"].tolist() == (grid["row"] * 20 + grid["col"]).tolist()
    np.testing.assert_allclose(grid.geometry.area, 2500.0)
    # The cells tile the square exactly: no gap, no overhang.
    h = square.half_side_m
    expected = [square.centre_x - h, square.centre_y - h, square.centre_x + h, square.centre_y + h]
    np.testing.assert_allclose(grid.total_bounds, expected, atol=1e-6)
    assert shapely.union_all(grid.geometry.to_numpy()).area == pytest.approx(1e6)


def test_row_zero_is_north_and_col_zero_is_west(grid, square):
    first = grid.iloc[0]
    assert (first["row"], first["col"]) == (0, 0)
    minx, _, _, maxy = first.geometry.bounds
    assert minx == pytest.approx(square.centre_x - square.half_side_m)
    assert maxy == pytest.approx(square.centre_y + square.half_side_m)


@pytest.mark.parametrize(("cell_m", "expected"), [(100.0, 100), (250.0, 16), (300.0, 16)])
def test_cells_overhanging_the_area_are_kept(square, cell_m, expected):
    # 1000 / 300 leaves a part column and row: they overlap the square, so they stay.
    assert len(square_grid(square.polygon, cell_m=cell_m)) == expected


def test_cells_that_overlap_the_area_are_kept_not_only_those_with_their_centre_in_it(square):
    cells = square_grid(triangle(square), cell_m=50.0)
    # Counting rows from the south, cell (s, c) overlaps the triangle when
    # s + c <= 19: 190 cells inside and 20 that the diagonal halves. The 19 cells
    # with s + c == 20 touch it at a corner only and are left out.
    assert len(cells) == 20 * 21 // 2
    from_south = 19 - cells["row"]
    assert (from_south + cells["col"]).max() == 19


def test_empty_area_gives_an_empty_grid_with_the_same_columns():
    empty = square_grid(Polygon(), cell_m=50.0)
    assert len(empty) == 0
    assert list(empty.columns) == ["cell_id", "row", "col", "geometry"]
    assert empty.crs == METRIC_CRS


@pytest.mark.parametrize("cell_m", [0.0, -50.0, math.nan, math.inf])
def test_cell_size_must_be_a_positive_number(square, cell_m):
    with pytest.raises(ValueError, match="'cell_m' should be a positive number"):
        square_grid(square.polygon, cell_m=cell_m)


@pytest.mark.parametrize("area", [Point(7.55, 51.52), LineString([(7.55, 51.52), (7.56, 51.53)])])
def test_area_must_be_polygonal(area):
    with pytest.raises(ValueError, match="'area' should be a Polygon or MultiPolygon, got"):
        square_grid(area, cell_m=50.0)


def test_a_grid_of_millions_of_cells_is_refused(square):
    cell_m = 1000.0 / math.sqrt(MAX_GRID_CELLS) / 1.01
    with pytest.raises(ValueError, match="choose a larger 'cell_m'"):
        square_grid(square.polygon, cell_m=cell_m)


# --- count_in_cells ---------------------------------------------------------------


def test_hand_placed_points_land_in_their_cells(grid, square):
    offsets = [
        (-475, 475),  # north-west corner cell: row 0, col 0
        (-460, 460),  # the same cell
        (475, -475),  # south-east corner cell: row 19, col 19
        (-475, -475),  # south-west: row 19, col 0
        (30, 120),  # 530 m from the west edge, 380 m from the north edge: row 7, col 10
        (600, 0),  # outside the square: not counted
    ]
    counts = count_in_cells(grid, points_at(square, offsets))
    assert counts.dtype == np.int64
    by_cell = {
        (int(r), int(c)): int(n)
        for r, c, n in zip(grid["row"], grid["col"], counts, strict=True)
        if n
    }
    assert by_cell == {(0, 0): 2, (19, 19): 1, (19, 0): 1, (7, 10): 1}


def test_points_in_any_crs_count_the_same(grid, square):
    offsets = [(-475, 475), (30, 120), (475, -475)]
    stored = points_at(square, offsets)
    np.testing.assert_array_equal(
        count_in_cells(grid, stored), count_in_cells(grid, stored.to_crs(METRIC_CRS))
    )


def test_a_point_on_a_shared_corner_is_counted_once(grid, square):
    # The square's centre is the corner of four cells.
    x, y = square.centre_x, square.centre_y
    on_corner = gpd.GeoDataFrame(geometry=[Point(x, y)], crs=METRIC_CRS)
    assert count_in_cells(grid, on_corner).sum() == 1


def test_weights_are_summed_and_missing_weights_count_nothing(grid, square):
    points = points_at(square, [(-475, 475), (-460, 460), (475, -475)], severity=[2.0, 3.0, np.nan])
    weighted = count_in_cells(grid, points, weight="severity")
    assert weighted.dtype == np.float64
    assert weighted[0] == 5.0
    assert weighted.sum() == 5.0


def test_missing_and_empty_geometries_are_not_counted(grid, square):
    lon, lat = square.point(-475, 475)
    points = gpd.GeoDataFrame(geometry=[Point(lon, lat), None, Point()], crs=STORAGE_CRS)
    assert count_in_cells(grid, points).sum() == 1


def test_no_points_give_zeros(grid, square):
    counts = count_in_cells(grid, points_at(square, []))
    assert counts.shape == (400,)
    assert counts.sum() == 0


def test_the_points_are_not_changed(grid, square):
    points = points_at(square, [(-475, 475), (30, 120)], severity=[1, 2])
    before = points.copy()
    count_in_cells(grid, points, weight="severity")
    assert points.crs == STORAGE_CRS
    assert points.equals(before)


def test_grid_must_be_metric(grid, square):
    with pytest.raises(ValueError, match="'grid' should be in EPSG:25832"):
        count_in_cells(grid.to_crs(STORAGE_CRS), points_at(square, []))


def test_points_without_crs_are_refused(grid):
    with pytest.raises(ValueError, match="no CRS"):
        count_in_cells(grid, gpd.GeoDataFrame(geometry=[Point(7.55, 51.52)]))


def test_unknown_weight_column_is_named(grid, square):
    with pytest.raises(ValueError, match="no column 'severity'"):
        count_in_cells(grid, points_at(square, [(0, 0)]), weight="severity")


def test_only_points_can_be_counted(grid, square):
    polygons = gpd.GeoDataFrame(geometry=[square.polygon], crs=STORAGE_CRS)
    with pytest.raises(ValueError, match="Point geometries only"):
        count_in_cells(grid, polygons)


# --- area_share -------------------------------------------------------------------


def test_area_share_is_one_inside_and_a_half_on_the_diagonal(square):
    area = triangle(square)
    cells = square_grid(area, cell_m=50.0)
    shares = area_share(cells, area)
    on_diagonal = (19 - cells["row"] + cells["col"]).to_numpy() == 19
    np.testing.assert_allclose(shares[on_diagonal], 0.5, atol=1e-6)
    np.testing.assert_allclose(shares[~on_diagonal], 1.0, atol=1e-6)


def test_area_share_of_an_area_far_away_is_zero(grid):
    lon, lat = metric_to_lonlat(0.0, 0.0)
    far = Polygon([(lon, lat), (lon + 0.01, lat), (lon, lat + 0.01)])
    assert area_share(grid, far).sum() == 0.0
