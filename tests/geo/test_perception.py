"""perceived_vs_recorded on two hand-built zones with known answers."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.crs import METRIC_CRS, STORAGE_CRS
from geo.perception import PERCEPTION_COLUMNS, perceived_vs_recorded


@pytest.fixture(scope="module")
def zones(square) -> gpd.GeoDataFrame:
    """The square's west and east halves, plus a small zone far to the north."""
    x, y, h = square.centre_x, square.centre_y, square.half_side_m
    return gpd.GeoDataFrame(
        {"zone_id": ["west", "east", "north"]},
        geometry=[
            box(x - h, y - h, x, y + h),
            box(x, y - h, x + h, y + h),
            box(x - 100, y + 2000, x + 100, y + 2200),
        ],
        crs=METRIC_CRS,
    )


def points_at(square, offsets_m, **columns) -> gpd.GeoDataFrame:
    """Points `(dx, dy)` metres from the square's centre, in EPSG:4326."""
    lonlat = [square.point(dx, dy) for dx, dy in offsets_m]
    return gpd.GeoDataFrame(columns, geometry=[Point(p) for p in lonlat], crs=STORAGE_CRS)


@pytest.fixture(scope="module")
def pins(square) -> gpd.GeoDataFrame:
    return points_at(
        square,
        [(-300, 0), (-200, 100), (-100, -400), (250, 250), (900, 0)],
        category=["dark", "dark", "hidden", "dark", "dark"],  # the last lies outside
    )


@pytest.fixture(scope="module")
def survey(square) -> gpd.GeoDataFrame:
    return points_at(
        square,
        [(-400, 0), (-350, 50), (300, -300)],
        rating=[2.0, 5.0, np.nan],
        time_band=["night", "day", "evening"],
    )


@pytest.fixture(scope="module")
def accidents(square) -> gpd.GeoDataFrame:
    return points_at(
        square,
        [(-250, -250), (-250, 250), (200, 0), (210, 10), (220, 20)],
        light=["dark", "day", "dusk", "dusk", None],
        year=[2022, 2023, 2023, 2024, 2024],
        category=[3, 2, 3, 3, 1],
        pedestrian=[True, False, False, True, False],
        cyclist=[False, True, False, False, False],
    )


def test_counts_per_zone_are_the_known_answers(zones, pins, survey, accidents):
    table = perceived_vs_recorded(pins=pins, survey=survey, accidents=accidents, zones=zones)
    assert list(table.columns) == list(PERCEPTION_COLUMNS)
    assert table.index.name == "zone_id"
    assert table.index.tolist() == ["west", "east", "north"]
    expected = pd.DataFrame(
        {
            "pins": [3, 1, 0],
            "pins_dark": [2, 1, 0],
            "survey_answers": [2, 1, 0],
            "survey_mean_rating": [3.5, np.nan, np.nan],
            "accidents": [2, 3, 0],
            "accidents_dark": [1, 0, 0],
            "accidents_daylight": [1, 0, 0],
            "accidents_dusk": [0, 2, 0],
        },
        index=pd.Index(["west", "east", "north"], name="zone_id"),
    )
    pd.testing.assert_frame_equal(table, expected)


def test_absent_survey_and_accidents_give_zeros_and_nan(zones, pins):
    table = perceived_vs_recorded(pins=pins, survey=None, accidents=None, zones=zones)
    assert table["pins"].tolist() == [3, 1, 0]
    for column in ("survey_answers", "accidents", "accidents_dark", "accidents_daylight"):
        assert table[column].tolist() == [0, 0, 0]
        assert table[column].dtype == np.int64
    assert table["survey_mean_rating"].isna().all()


def test_no_pins_count_zero(zones, pins, survey):
    table = perceived_vs_recorded(pins=pins.iloc[:0], survey=survey, accidents=None, zones=zones)
    assert table["pins"].tolist() == [0, 0, 0]
    assert table["survey_answers"].tolist() == [2, 1, 0]


def test_zones_in_wgs84_give_the_same_table(zones, pins, survey, accidents):
    metric = perceived_vs_recorded(pins=pins, survey=survey, accidents=accidents, zones=zones)
    stored = perceived_vs_recorded(
        pins=pins.to_crs(METRIC_CRS),
        survey=survey,
        accidents=accidents,
        zones=zones.to_crs(STORAGE_CRS),
    )
    pd.testing.assert_frame_equal(metric, stored)


def test_a_point_on_the_shared_edge_counts_once_in_the_first_zone(zones, square):
    on_edge = gpd.GeoDataFrame(
        {"category": ["dark"]},
        geometry=[Point(square.centre_x, square.centre_y)],
        crs=METRIC_CRS,
    )
    table = perceived_vs_recorded(pins=on_edge, survey=None, accidents=None, zones=zones)
    assert table["pins"].tolist() == [1, 0, 0]


def test_no_zones_give_an_empty_table_with_the_same_columns(zones, pins):
    table = perceived_vs_recorded(pins=pins, survey=None, accidents=None, zones=zones.iloc[:0])
    assert table.empty
    assert list(table.columns) == list(PERCEPTION_COLUMNS)
    assert table.index.name == "zone_id"


def test_inputs_are_not_changed(zones, pins, survey, accidents):
    copies = [frame.copy() for frame in (zones, pins, survey, accidents)]
    perceived_vs_recorded(pins=pins, survey=survey, accidents=accidents, zones=zones)
    for frame, copy in zip((zones, pins, survey, accidents), copies, strict=True):
        assert frame.equals(copy)
        assert frame.crs == copy.crs


def test_zones_need_a_unique_zone_id(zones, pins):
    with pytest.raises(ValueError, match="no 'zone_id' column"):
        perceived_vs_recorded(
            pins=pins, survey=None, accidents=None, zones=zones.rename(columns={"zone_id": "id"})
        )
    twice = zones.assign(zone_id=["a", "a", "b"])
    with pytest.raises(ValueError, match="duplicate zone_id values: a"):
        perceived_vs_recorded(pins=pins, survey=None, accidents=None, zones=twice)


@pytest.mark.parametrize(
    ("layer", "column"), [("pins", "category"), ("survey", "rating"), ("accidents", "light")]
)
def test_a_layer_without_its_column_is_named(zones, pins, survey, accidents, layer, column):
    layers = {"pins": pins, "survey": survey, "accidents": accidents}
    layers[layer] = layers[layer].drop(columns=[column])
    with pytest.raises(ValueError, match=f"'{layer}' has no '{column}' column"):
        perceived_vs_recorded(zones=zones, **layers)
