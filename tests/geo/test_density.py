"""Binned kernel density: shape of the kernel, normalisation, validation, the raster."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pytest
from geopandas.testing import assert_geodataframe_equal
from rasterio.transform import Affine
from scipy.stats import norm

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.density import density_raster, density_surface
from geo.raster import MAX_CELLS, north_up
from rules.errors import ValidationError

# A 1 km x 1 km grid of 10 m cells; cell (row 50, col 50) has its centre at (505, 495).
CELL = 10.0
TRANSFORM = north_up(0.0, 1000.0, cell_m=CELL)
SHAPE = (100, 100)
CENTRE_XY = (505.0, 495.0)
CENTRE_CELL = (50, 50)


def surface_of(points, bandwidth_m: float = 30.0) -> np.ndarray:
    return density_surface(
        np.asarray(points, dtype=float), transform=TRANSFORM, shape=SHAPE, bandwidth_m=bandwidth_m
    )


@pytest.mark.parametrize("bandwidth_m", [10.0, 30.0, 80.0])
def test_one_point_peaks_at_its_cell(bandwidth_m):
    surface = surface_of([CENTRE_XY], bandwidth_m)
    assert np.unravel_index(surface.argmax(), SHAPE) == CENTRE_CELL
    assert (surface[CENTRE_CELL] > surface[49, 50]) and (surface[CENTRE_CELL] > surface[50, 51])


@pytest.mark.parametrize("bandwidth_m", [10.0, 30.0, 80.0])
def test_one_point_gives_a_round_symmetric_kernel(bandwidth_m):
    window = surface_of([CENTRE_XY], bandwidth_m)[30:71, 30:71]  # centred on the point
    np.testing.assert_allclose(window, window[::-1, :], rtol=1e-12)
    np.testing.assert_allclose(window, window[:, ::-1], rtol=1e-12)
    np.testing.assert_allclose(window, window.T, rtol=1e-12)


@pytest.mark.parametrize("bandwidth_m", [10.0, 30.0, 80.0])
def test_one_point_far_from_the_edges_integrates_to_one(bandwidth_m):
    surface = surface_of([CENTRE_XY], bandwidth_m)
    assert surface.sum() * CELL * CELL == pytest.approx(1.0, abs=1e-6)


@pytest.mark.parametrize("bandwidth_m", [20.0, 40.0])
def test_surface_matches_the_continuous_gaussian_for_points_at_cell_centres(bandwidth_m):
    points = np.array([CENTRE_XY, (405.0, 595.0), (605.0, 555.0)])
    surface = surface_of(points, bandwidth_m)
    xs = np.arange(SHAPE[1]) * CELL + CELL / 2
    ys = 1000.0 - (np.arange(SHAPE[0]) * CELL + CELL / 2)
    gx, gy = np.meshgrid(xs, ys)
    expected = np.zeros(SHAPE)
    for px, py in points:
        expected += np.exp(-((gx - px) ** 2 + (gy - py) ** 2) / (2 * bandwidth_m**2))
    peak = 1 / (2 * math.pi * bandwidth_m**2)
    expected *= peak / len(points)
    # At the points the discretely normalised kernel is the continuous one.
    for px, py in points:
        row, col = int((1000.0 - py) // CELL), int(px // CELL)
        assert surface[row, col] == pytest.approx(expected[row, col], rel=1e-3)
    # Elsewhere the only loss is the kernel's cut-off at 4 sigma per axis,
    # worth at most exp(-8) of one kernel's peak.
    np.testing.assert_allclose(surface, expected, rtol=0, atol=math.exp(-8) * peak * 1.01)


def test_points_off_the_grid_count_in_the_share():
    # One point at the centre, one 5 km away: half of the mass lies on the grid.
    surface = surface_of([CENTRE_XY, (5000.0, 5000.0)])
    assert surface.sum() * CELL * CELL == pytest.approx(0.5, abs=1e-6)


def test_mass_beyond_the_edge_is_cut_off():
    # A point in the westernmost column counts at that cell's centre, 5 m in,
    # and keeps the part of its kernel east of the grid's edge.
    surface = surface_of([(0.5, 495.0)], 30.0)
    assert surface.sum() * CELL * CELL == pytest.approx(norm.cdf(5.0 / 30.0), abs=1e-3)


def test_two_points_in_one_cell_weigh_twice_one_point():
    one = surface_of([CENTRE_XY, (5000.0, 5000.0)])
    two = surface_of([CENTRE_XY, (CENTRE_XY[0] + 2, CENTRE_XY[1] - 3)])
    np.testing.assert_allclose(two, 2 * one, rtol=1e-12)


@pytest.mark.parametrize("points", [np.empty((0, 2)), np.empty(0), []])
def test_no_points_give_a_zero_surface(points):
    surface = density_surface(
        np.asarray(points, dtype=float), transform=TRANSFORM, shape=SHAPE, bandwidth_m=30.0
    )
    assert surface.shape == SHAPE
    assert surface.dtype == np.float64
    assert not surface.any()


def test_the_input_points_are_not_changed():
    points = np.array([CENTRE_XY, (100.0, 100.0)])
    before = points.copy()
    surface_of(points)
    np.testing.assert_array_equal(points, before)


@pytest.mark.parametrize("bandwidth_m", [0.0, -10.0, math.nan, math.inf])
def test_bandwidth_must_be_positive(bandwidth_m):
    with pytest.raises(
        ValidationError, match="'bandwidth_m' should be a positive number of metres, got"
    ) as exc_info:
        surface_of([CENTRE_XY], bandwidth_m)
    assert exc_info.value.params["value"] is bandwidth_m or math.isnan(bandwidth_m)


def test_absurd_grid_is_refused():
    with pytest.raises(ValidationError, match=f"at most {MAX_CELLS} are allowed"):
        density_surface(np.empty((0, 2)), transform=TRANSFORM, shape=(3000, 3000), bandwidth_m=5)


@pytest.mark.parametrize(
    ("points", "match"),
    [
        (np.zeros((3, 3)), r"should be an \(N, 2\) array"),
        (np.array([[1.0, math.nan]]), "not finite"),
    ],
)
def test_bad_points_are_refused(points, match):
    with pytest.raises(ValidationError, match=match):
        surface_of(points)


def test_a_rotated_grid_is_refused():
    rotated = TRANSFORM @ Affine.rotation(10)
    with pytest.raises(ValidationError, match="north-up grid"):
        density_surface(np.empty((0, 2)), transform=rotated, shape=SHAPE, bandwidth_m=30.0)


# --- density_raster ----------------------------------------------------------------


def pins(square, offsets_m) -> gpd.GeoDataFrame:
    points = [square.point(dx, dy) for dx, dy in offsets_m]
    return gpd.GeoDataFrame(
        {"n": range(len(points))},
        geometry=gpd.points_from_xy([p[0] for p in points], [p[1] for p in points]),
        crs=STORAGE_CRS,
    )


@pytest.mark.parametrize("cell_m", [10.0, 25.0])
def test_density_raster_over_a_quarter(square, cell_m):
    frame = pins(square, [(0, 0), (0, 0), (250, -250)])  # two pins at the centre
    before = frame.copy()
    raster = density_raster(frame, square.polygon, cell_m=cell_m, bandwidth_m=50.0)
    assert raster.crs == METRIC_CRS
    assert raster.nodata is not None and math.isnan(raster.nodata)
    assert raster.transform.a == cell_m
    # Outside the square: nodata; inside: the density, summing to about 1.
    inside = raster.valid_mask()
    assert inside.sum() * cell_m**2 == pytest.approx(1_000_000, rel=0.06)
    assert np.isnan(raster.values[~inside]).all()
    assert raster.values[inside].sum() * cell_m**2 == pytest.approx(1.0, abs=1e-3)
    # The peak lies in the cell holding the two pins at the centre.
    row, col = np.unravel_index(np.nanargmax(raster.values), raster.shape)
    x = raster.transform.c + (col + 0.5) * cell_m
    y = raster.transform.f - (row + 0.5) * cell_m
    assert abs(x - square.centre_x) <= cell_m and abs(y - square.centre_y) <= cell_m
    assert_geodataframe_equal(frame, before)


def test_density_raster_without_pins_is_zero_inside(square):
    raster = density_raster(pins(square, []), square.polygon, cell_m=20.0, bandwidth_m=50.0)
    inside = raster.valid_mask()
    assert inside.any()
    assert not raster.values[inside].any()


def test_density_raster_skips_pins_without_geometry(square):
    frame = pins(square, [(0, 0)])
    with_missing = gpd.GeoDataFrame(
        {"n": [0, 1]}, geometry=[frame.geometry.iloc[0], None], crs=STORAGE_CRS
    )
    got = density_raster(with_missing, square.polygon, cell_m=20.0, bandwidth_m=50.0)
    want = density_raster(frame, square.polygon, cell_m=20.0, bandwidth_m=50.0)
    np.testing.assert_array_equal(got.values, want.values)


@pytest.mark.parametrize(
    ("cell_m", "bandwidth_m", "match"),
    [(0.0, 50.0, "'cell_m'"), (10.0, -1.0, "'bandwidth_m'"), (0.1, 50.0, "at most")],
)
def test_density_raster_validates_its_options(square, cell_m, bandwidth_m, match):
    with pytest.raises(ValidationError, match=match):
        density_raster(
            pins(square, [(0, 0)]), square.polygon, cell_m=cell_m, bandwidth_m=bandwidth_m
        )
