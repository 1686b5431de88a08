"""Places without a map: offset_point, parse_coordinates and landmarks_near."""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from pyproj import Geod
from shapely.geometry import Point

from geo.places import (
    DIRECTIONS,
    MAX_OFFSET_M,
    Whereabouts,
    landmarks_near,
    offset_point,
    parse_coordinates,
    whereabouts,
)
from rules.errors import ValidationError

START = (7.5470, 51.5136)  # lon, lat near Dortmund's centre

# Unit vectors (east, north) of the compass directions, written out independently.
_S = math.sqrt(0.5)
UNIT = {
    "N": (0.0, 1.0),
    "NE": (_S, _S),
    "E": (1.0, 0.0),
    "SE": (_S, -_S),
    "S": (0.0, -1.0),
    "SW": (-_S, -_S),
    "W": (-1.0, 0.0),
    "NW": (-_S, _S),
}


def _metric(lon: float, lat: float) -> tuple[float, float]:
    """Measure in EPSG:25832 through geopandas, independently of geo.crs."""
    point = gpd.GeoSeries([Point(lon, lat)], crs="EPSG:4326").to_crs("EPSG:25832").iloc[0]
    return point.x, point.y


# --- offset_point --------------------------------------------------------------


def test_every_direction_is_covered():
    assert set(DIRECTIONS) == set(UNIT)


@pytest.mark.parametrize("direction", sorted(UNIT))
@pytest.mark.parametrize("distance", [100.0, 1234.5])
def test_offset_moves_the_distance_in_the_direction(direction, distance):
    lon, lat = offset_point(*START, distance_m=distance, direction=direction)
    x0, y0 = _metric(*START)
    x1, y1 = _metric(lon, lat)
    east, north = UNIT[direction]
    assert x1 - x0 == pytest.approx(distance * east, abs=0.01)
    assert y1 - y0 == pytest.approx(distance * north, abs=0.01)
    # On the ellipsoid the distance is the same to well under a metre.
    _, _, geodesic = Geod(ellps="GRS80").inv(*START, lon, lat)
    assert geodesic == pytest.approx(distance, abs=0.5)


def test_hundred_metres_north_keeps_longitude_and_raises_latitude():
    lon, lat = offset_point(*START, distance_m=100, direction="N")
    # 100 m is about 0.0009 degrees of latitude; grid north differs from true north slightly.
    assert lat - START[1] == pytest.approx(0.0009, abs=0.00005)
    assert lon == pytest.approx(START[0], abs=0.0001)


@pytest.mark.parametrize("direction", sorted(UNIT))
def test_zero_distance_returns_the_same_point(direction):
    lon, lat = offset_point(*START, distance_m=0, direction=direction)
    assert lon == pytest.approx(START[0], abs=1e-9)
    assert lat == pytest.approx(START[1], abs=1e-9)


def test_maximum_distance_is_allowed():
    lon, lat = offset_point(*START, distance_m=MAX_OFFSET_M, direction="E")
    x0, _ = _metric(*START)
    x1, _ = _metric(lon, lat)
    assert x1 - x0 == pytest.approx(MAX_OFFSET_M, abs=0.01)


@pytest.mark.parametrize(
    "distance", [-1.0, -0.001, MAX_OFFSET_M + 0.01, 5000.0, math.nan, math.inf]
)
def test_distance_out_of_range_is_refused(distance):
    with pytest.raises(ValidationError) as exc_info:
        offset_point(*START, distance_m=distance, direction="N")
    assert exc_info.value.params == {"limit": 2000}


@pytest.mark.parametrize("direction", ["north", "n", "", "NNE", "Nord"])
def test_unknown_direction_is_refused(direction):
    with pytest.raises(ValidationError) as exc_info:
        offset_point(*START, distance_m=100, direction=direction)
    assert exc_info.value.params == {"value": direction}


# --- parse_coordinates ---------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "51.5136, 7.5470",
        "7.5470, 51.5136",
        "51,5136; 7,5470",
        "51.5136 7.5470",
        "51.5136,7.5470",
        "  51.5136 ;  7.5470  ",
        "51.5136° 7.5470°",
        "7,5470 51,5136",
    ],
)
def test_parse_coordinates_accepts_common_forms(text):
    lon, lat = parse_coordinates(text)
    assert lon == pytest.approx(7.5470, abs=1e-9)
    assert lat == pytest.approx(51.5136, abs=1e-9)


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("", "two numbers"),
        ("hello", "two numbers"),
        ("51.5136", "two numbers"),
        ("51,7", "two numbers"),
        ("51, 7", "two numbers"),
        ("51.5136, 7.5470, 12", "two numbers"),
        ("51.5136 N 7.5470 E", "two numbers"),
        ("52.5200, 13.4050", "Dortmund"),  # Berlin
        ("13.4050, 52.5200", "Dortmund"),  # Berlin, either order
        ("0.0, 0.0", "Dortmund"),
    ],
)
def test_parse_coordinates_refuses_other_input(text, word):
    with pytest.raises(ValidationError, match=word):
        parse_coordinates(text)


# --- landmarks_near ------------------------------------------------------------


@pytest.fixture
def landmarks(square) -> gpd.GeoDataFrame:
    """Three landmarks: inside the square, 100 m outside its edge, 1 km outside."""
    half = square.half_side_m
    rows = [
        ("Marktplatz", "stop", square.point(0, 0)),
        ("Grundschule am Rand", "school", square.point(half + 100, 0)),
        ("Ferner Halt", "stop", square.point(0, half + 1000)),
    ]
    return gpd.GeoDataFrame(
        {"name": [r[0] for r in rows], "kind": [r[1] for r in rows]},
        geometry=[Point(r[2]) for r in rows],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize(
    ("distance", "expected"),
    [
        (0, ["Marktplatz"]),
        (50, ["Marktplatz"]),
        (150, ["Grundschule am Rand", "Marktplatz"]),
        (1100, ["Ferner Halt", "Grundschule am Rand", "Marktplatz"]),
    ],
)
def test_landmarks_near_keeps_inside_and_nearby(landmarks, square, distance, expected):
    near = landmarks_near(landmarks, square.polygon, distance_m=distance)
    assert near["name"].tolist() == expected
    assert list(near.columns) == list(landmarks.columns)
    assert near.crs == landmarks.crs


def test_landmarks_near_on_empty_input_gives_empty_frame(square):
    empty = gpd.GeoDataFrame({"name": [], "kind": []}, geometry=[], crs="EPSG:4326")
    near = landmarks_near(empty, square.polygon, distance_m=300)
    assert near.empty
    assert list(near.columns) == ["name", "kind", "geometry"]


def _landmarks() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Brackel Kirche", "Schule am Hellweg"], "kind": ["stop", "school"]},
        geometry=[Point(7.55, 51.52), Point(7.57, 51.51)],
        crs="EPSG:4326",
    )


def test_a_place_is_told_by_its_nearest_landmark_distance_and_direction() -> None:
    # 150 m north-east and 300 m south of the church, by the same offsets people type.
    ne = offset_point(7.55, 51.52, distance_m=150, direction="NE")
    south = offset_point(7.55, 51.52, distance_m=300, direction="S")
    found = whereabouts(_landmarks(), [ne[0], south[0]], [ne[1], south[1]])
    assert found == [
        Whereabouts("Brackel Kirche", "stop", 150, "NE"),
        Whereabouts("Brackel Kirche", "stop", 300, "S"),
    ]


def test_a_place_at_a_landmark_has_no_direction_and_none_without_landmarks() -> None:
    (at,) = whereabouts(_landmarks(), [7.5701], [51.5100])
    assert at is not None and at.landmark == "Schule am Hellweg" and at.direction == ""
    assert whereabouts(_landmarks().iloc[:0], [7.55], [51.52]) == [None]
