"""Gi* hot spots on the hand-built 1 km square (400 cells of 50 m)."""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pytest
from esda.getisord import G_Local
from libpysal.weights import DistanceBand, Queen

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.grid import count_in_cells, square_grid
from geo.hotspots import (
    HOTSPOT_COLUMNS,
    LABELS,
    HotspotResult,
    TooFewPointsError,
    _lattice_of,
    gi_star_z,
    hotspots,
    hotspots_by_time_band,
    neighbour_matrix,
)
from geo.random_maps import random_maps
from rules.errors import ValidationError
from rules.vocab import TIME_BANDS

PERMUTATIONS = 199  # enough to reach p = 0.01; keeps the tests fast


def points_at(square, offsets_m, **columns) -> gpd.GeoDataFrame:
    """Points `(dx, dy)` metres from the square's centre, in EPSG:4326."""
    offsets = np.asarray(offsets_m, dtype=float).reshape(-1, 2)
    metric = gpd.points_from_xy(
        square.centre_x + offsets[:, 0], square.centre_y + offsets[:, 1], crs=METRIC_CRS
    )
    return gpd.GeoDataFrame(columns, geometry=metric, crs=METRIC_CRS).to_crs(STORAGE_CRS)


def uniform_offsets(rng: np.random.Generator, count: int) -> np.ndarray:
    """Offsets spread evenly at random over the square (1 cm inside its edges)."""
    return rng.uniform(-499.99, 499.99, size=(count, 2))


@pytest.fixture(scope="module")
def corner_cluster(square) -> gpd.GeoDataFrame:
    """40 points in the north-west 100 m x 100 m (2 x 2 cells) over 60 spread evenly."""
    rng = np.random.default_rng(7)
    cluster = rng.uniform([-495, 405], [-405, 495], size=(40, 2))
    return points_at(square, np.vstack([cluster, uniform_offsets(rng, 60)]))


def cells_by_position(result: HotspotResult) -> gpd.GeoDataFrame:
    cells = result.cells.copy()
    cells["row"], cells["col"] = np.divmod(cells["cell_id"].to_numpy(), 20)
    return cells


# --- the pattern a planner must see -----------------------------------------------


def test_a_corner_cluster_makes_the_corner_cells_hot(corner_cluster, square):
    result = hotspots(corner_cluster, square.polygon, permutations=999)
    cells = cells_by_position(result)
    corner = cells[(cells["row"] <= 1) & (cells["col"] <= 1)]
    assert (corner["label"] == "hot").all()
    assert (corner["z"] > 1.96).all()
    assert (corner["p_sim"] < 0.05).all()
    hot = cells[cells["label"] == "hot"]
    # Hot cells are the cluster and the cells whose 3 x 3 window reaches it.
    assert hot["row"].max() <= 2 and hot["col"].max() <= 2
    assert (cells["label"] != "cold").all()


def test_evenly_random_points_give_no_hot_or_cold_cell(square):
    rng = np.random.default_rng(11)
    points = points_at(square, uniform_offsets(rng, 300))
    result = hotspots(points, square.polygon, permutations=PERMUTATIONS)
    assert (result.cells["label"] == "none").all()
    # A cell-by-cell test would have painted noise here: that is why labels use p_map.
    assert (result.cells["p_sim"] < 0.05).sum() >= 5


def test_one_point_in_every_cell_has_z_zero_everywhere(square):
    centres = [(-475 + 50 * c, 475 - 50 * r) for r in range(20) for c in range(20)]
    result = hotspots(points_at(square, centres), square.polygon, permutations=PERMUTATIONS)
    assert (result.cells["count"] == 1).all()
    assert (result.cells["z"] == 0).all()
    assert (result.cells["label"] == "none").all()
    assert (result.cells["p_map"] == 1).all()


def test_thirty_pins_in_one_cell_are_a_hot_spot(square):
    """The place a safety map must show, even with empty cells all around it."""
    rng = np.random.default_rng(3)
    spot = rng.uniform([20, 20], [45, 45], size=(30, 2))  # one cell: row 9, col 10
    points = points_at(square, np.vstack([spot, uniform_offsets(rng, 50)]))
    result = hotspots(points, square.polygon, permutations=PERMUTATIONS)
    cells = cells_by_position(result)
    spot_cell = cells[(cells["row"] == 9) & (cells["col"] == 10)].iloc[0]
    assert spot_cell["count"] >= 30
    assert spot_cell["label"] == "hot"
    assert spot_cell["p_map"] <= 2 / (PERMUTATIONS + 1)


def test_p_map_is_never_below_p_sim(corner_cluster, square):
    cells = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS).cells
    assert (cells["p_map"] >= cells["p_sim"]).all()
    assert cells["p_sim"].between(0, 1).all() and cells["p_map"].between(0, 1).all()


# --- the same numbers as esda -----------------------------------------------------


@pytest.fixture(scope="module")
def small_grid(square) -> gpd.GeoDataFrame:
    return square_grid(square.polygon, cell_m=100.0)  # 10 x 10 cells


def esda_z(counts: np.ndarray, weights) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # esda's notices about its own future defaults
        return G_Local(counts, weights, transform="B", star=True, permutations=0).Zs


def test_z_scores_equal_esda_with_queen_weights(small_grid):
    counts = np.random.default_rng(5).poisson(2.0, len(small_grid)).astype(float)
    queen = Queen.from_dataframe(small_grid, use_index=False, silence_warnings=True)
    ours = gi_star_z(counts, neighbour_matrix(small_grid, distance_band_m=150.0))
    np.testing.assert_allclose(ours, esda_z(counts, queen), rtol=0, atol=1e-9)


def test_z_scores_equal_esda_with_a_distance_band(small_grid):
    counts = np.random.default_rng(6).poisson(1.0, len(small_grid)).astype(float)
    centres = np.column_stack([small_grid.centroid.x, small_grid.centroid.y])
    band = DistanceBand(centres, threshold=250.0, binary=True, silence_warnings=True)
    ours = gi_star_z(counts, neighbour_matrix(small_grid, distance_band_m=250.0))
    np.testing.assert_allclose(ours, esda_z(counts, band), rtol=0, atol=1e-9)


def test_hotspots_reports_esdas_z_for_its_own_counts(corner_cluster, square):
    result = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS)
    grid = square_grid(square.polygon, cell_m=50.0)
    counts = count_in_cells(grid, corner_cluster).astype(float)
    np.testing.assert_array_equal(result.cells["count"], counts)
    queen = Queen.from_dataframe(grid, use_index=False, silence_warnings=True)
    np.testing.assert_allclose(result.cells["z"], esda_z(counts, queen), rtol=0, atol=1e-9)


def test_queen_is_a_distance_band_of_one_and_a_half_cells(small_grid):
    weights = neighbour_matrix(small_grid, distance_band_m=150.0).toarray()
    np.testing.assert_array_equal(weights, weights.T)
    assert np.diag(weights).tolist() == [1.0] * 100
    sizes = weights.sum(axis=1).reshape(10, 10)
    assert (sizes[0, 0], sizes[0, 5], sizes[5, 5]) == (4, 6, 9)


# --- reproducible -----------------------------------------------------------------


def test_the_same_seed_gives_the_same_p_values(corner_cluster, square):
    first = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS, seed=1)
    again = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS, seed=1)
    np.testing.assert_array_equal(first.cells["p_sim"], again.cells["p_sim"])
    np.testing.assert_array_equal(first.cells["p_map"], again.cells["p_map"])


def test_another_seed_gives_other_p_values_but_the_same_z(corner_cluster, square):
    first = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS, seed=1)
    other = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS, seed=2)
    assert not np.array_equal(first.cells["p_sim"], other.cells["p_sim"])
    np.testing.assert_array_equal(first.cells["z"], other.cells["z"])


# --- the result -------------------------------------------------------------------


def test_result_describes_itself_and_is_stored_in_wgs84(corner_cluster, square):
    before = corner_cluster.copy()
    result = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS, seed=9)
    assert list(result.cells.columns) == [*HOTSPOT_COLUMNS, "geometry"]
    assert result.cells.crs == STORAGE_CRS
    assert len(result.cells) == 400
    assert set(result.cells["label"]) <= set(LABELS) == {"hot", "cold", "none"}
    assert (result.points_used, result.cell_m, result.permutations, result.seed) == (
        100,
        50.0,
        PERMUTATIONS,
        9,
    )
    assert result.distance_band_m == 75.0
    assert corner_cluster.equals(before)


def test_an_area_is_cut_into_cells_once_and_a_result_may_be_changed(corner_cluster, square):
    _lattice_of.cache_clear()
    first = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS, seed=9)
    first.cells.loc[0, "geometry"] = None  # a caller's change stays in its own result
    again = hotspots(corner_cluster.iloc[:60], square.polygon, permutations=PERMUTATIONS)
    assert _lattice_of.cache_info().misses == 1 and _lattice_of.cache_info().hits == 1
    assert again.cells.geometry.notna().all()
    expected = square_grid(square.polygon, cell_m=50.0).to_crs(STORAGE_CRS).geometry
    assert again.cells.geometry.geom_equals_exact(expected, tolerance=0).all()


# --- too few answers --------------------------------------------------------------


def test_too_few_points_are_refused_with_the_counts(square):
    points = points_at(square, uniform_offsets(np.random.default_rng(1), 19))
    with pytest.raises(TooFewPointsError) as exc_info:
        hotspots(points, square.polygon, permutations=PERMUTATIONS)
    error = exc_info.value
    assert isinstance(error, ValidationError)
    assert error.params == {"count": 19, "minimum": 20}
    assert str(error) == ("Too few answers for a hotspot analysis: 19 (at least 20 are needed).")


def test_points_outside_the_area_do_not_count_towards_the_minimum(square):
    rng = np.random.default_rng(2)
    outside = rng.uniform(600, 900, size=(10, 2))
    points = points_at(square, np.vstack([uniform_offsets(rng, 15), outside]))
    with pytest.raises(TooFewPointsError) as exc_info:
        hotspots(points, square.polygon, permutations=PERMUTATIONS, min_points=20)
    assert exc_info.value.params["count"] == 15


def test_exactly_min_points_is_enough(square):
    points = points_at(square, uniform_offsets(np.random.default_rng(1), 20))
    assert hotspots(points, square.polygon, permutations=PERMUTATIONS).points_used == 20


# --- time bands -------------------------------------------------------------------


def test_each_time_band_is_analysed_on_its_own(corner_cluster, square):
    rng = np.random.default_rng(4)
    points = corner_cluster.copy()
    points["time_band"] = ["night"] * 40 + ["day"] * 55 + ["evening"] * 5
    points = points.sample(frac=1.0, random_state=rng)  # order must not matter
    results = hotspots_by_time_band(points, square.polygon, permutations=PERMUTATIONS)
    assert list(results) == list(TIME_BANDS)
    night, day = results["night"], results["day"]
    assert isinstance(night, HotspotResult) and isinstance(day, HotspotResult)
    assert (night.points_used, day.points_used) == (40, 55)
    assert isinstance(results["evening"], TooFewPointsError)
    assert results["evening"].params == {"count": 5, "minimum": 20}
    assert isinstance(results["always"], TooFewPointsError)
    assert results["always"].params["count"] == 0
    # The night pins are the corner cluster; the day pins are spread evenly.
    assert (night.cells["label"] == "hot").sum() >= 4
    assert (day.cells["label"] == "none").all()


def test_time_bands_need_the_column(corner_cluster, square):
    with pytest.raises(ValueError, match="no 'time_band' column"):
        hotspots_by_time_band(corner_cluster, square.polygon)


# --- options ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"distance_band_m": 40.0}, "'distance_band_m' should be at least one cell"),
        ({"permutations": 0}, "'permutations' should be a positive integer"),
        ({"min_points": 0}, "'min_points' should be a positive integer"),
        ({"alpha": 1.5}, "'alpha' should lie between 0 and 1"),
    ],
)
def test_bad_options_are_named(corner_cluster, square, options, message):
    with pytest.raises(ValueError, match=message):
        hotspots(corner_cluster, square.polygon, **options)


def test_a_wider_band_widens_the_hot_area(corner_cluster, square):
    narrow = hotspots(corner_cluster, square.polygon, permutations=PERMUTATIONS)
    wide = hotspots(
        corner_cluster, square.polygon, permutations=PERMUTATIONS, distance_band_m=150.0
    )
    assert wide.distance_band_m == 150.0
    assert (wide.cells["label"] == "hot").sum() > (narrow.cells["label"] == "hot").sum()


@pytest.mark.parametrize("by_place", [True, False])
def test_random_maps_spread_every_point_by_the_cells_chances(by_place):
    chance = np.array([0.5, 0.25, 0.125, 0.125, 0.0])
    maps = random_maps(np.random.default_rng(4), chance, 40, 4_000, by_place=by_place)
    assert maps.shape == (4_000, 5)
    assert (maps.sum(axis=1) == 40).all()
    assert (maps[:, 4] == 0).all()  # no chance, no point
    np.testing.assert_allclose(maps.mean(axis=0), 40 * chance, rtol=0.03, atol=0.01)
    # Multinomial spread: variance n p (1 - p) per cell.
    np.testing.assert_allclose(maps.var(axis=0)[:4], 40 * chance[:4] * (1 - chance[:4]), rtol=0.1)
    # and cells compete for the points: covariance -n p_i p_j (independent counts give 0).
    covariance = np.cov(maps[:, 0], maps[:, 1])[0, 1]
    assert covariance == pytest.approx(-40 * chance[0] * chance[1], rel=0.15)
