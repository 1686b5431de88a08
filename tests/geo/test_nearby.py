"""Support ("me too"): the pins of the same category near a new pin."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from geo.crs import metric_to_lonlat
from geo.nearby import SUPPORT_RADIUS_M, nearby_same_category
from geo.pins import PIN_COLUMNS, pins_frame
from rules.pins import Pin
from tests.factories import pin_at_metres

# The query point, in EPSG:25832; pins are placed at metre offsets from it.
X0 = 399_400.0
Y0 = 5_708_650.0
QUERY_LON, QUERY_LAT = metric_to_lonlat(X0, Y0)
TOLERANCE_M = 1e-6


def pin(pin_id: int, dx_m: float, dy_m: float, category: str = "dark") -> Pin:
    """A pin dx_m east and dy_m north of the query point."""
    return pin_at_metres(pin_id, X0 + dx_m, Y0 + dy_m, category=category)


def nearby(pins: list[Pin], category: str = "dark", **options: float):
    return nearby_same_category(
        pins_frame(pins), lon=QUERY_LON, lat=QUERY_LAT, category=category, **options
    )


@pytest.mark.parametrize(
    ("dx_m", "dy_m", "near"),
    [
        (49.0, 0.0, True),
        (0.0, -49.0, True),
        (49 / math.sqrt(2), 49 / math.sqrt(2), True),
        (51.0, 0.0, False),
        (0.0, 51.0, False),
        (-51 / math.sqrt(2), 51 / math.sqrt(2), False),
        (0.0, 0.0, True),
    ],
)
def test_near_means_within_fifty_metres(dx_m, dy_m, near) -> None:
    found = nearby([pin(1, dx_m, dy_m)])
    assert found["id"].tolist() == ([1] if near else [])
    if near:
        assert found["distance_m"].iloc[0] == pytest.approx(math.hypot(dx_m, dy_m), abs=1e-6)


def test_another_category_is_never_near() -> None:
    assert nearby([pin(1, 5.0, 0.0, category="traffic")]).empty
    assert nearby([pin(1, 5.0, 0.0, category="traffic")], category="traffic")["id"].tolist() == [1]


def test_nearest_first_with_distances() -> None:
    pins = [
        pin(1, 40.0, 0.0),
        pin(2, 0.0, 10.0),
        pin(3, -30.0, 0.0, category="traffic"),
        pin(4, -20.0, -20.0),
        pin(5, 200.0, 0.0),
        pin(6, 0.0, -1.0),
    ]
    found = nearby(pins)
    assert found["id"].tolist() == [6, 2, 4, 1]
    assert found["distance_m"].tolist() == pytest.approx(
        [1.0, 10.0, math.hypot(20.0, 20.0), 40.0], abs=TOLERANCE_M
    )
    assert found["distance_m"].is_monotonic_increasing


def test_the_radius_is_an_option() -> None:
    pins = [pin(1, 40.0, 0.0), pin(2, 0.0, 10.0), pin(3, 0.0, 90.0)]
    assert nearby(pins, radius_m=20.0)["id"].tolist() == [2]
    assert nearby(pins, radius_m=100.0)["id"].tolist() == [2, 1, 3]
    assert SUPPORT_RADIUS_M == 50.0


def test_nearby_keeps_the_columns_and_adds_distance() -> None:
    found = nearby([pin(1, 3.0, 4.0)])
    assert found.columns.tolist() == [*PIN_COLUMNS, "geometry", "distance_m"]
    assert found.crs == "EPSG:4326"
    assert found["distance_m"].iloc[0] == pytest.approx(5.0, abs=TOLERANCE_M)


@pytest.mark.parametrize("pins", [[], [pin(1, 5.0, 0.0, category="traffic")], [pin(1, 500.0, 0.0)]])
def test_nothing_near_is_empty_with_the_same_columns(pins) -> None:
    found = nearby(pins)
    assert found.empty
    assert found.columns.tolist() == [*PIN_COLUMNS, "geometry", "distance_m"]
    assert found["distance_m"].dtype == "float64"


def test_a_pin_without_location_is_never_near() -> None:
    frame = pins_frame([pin(1, 3.0, 0.0), pin(2, 4.0, 0.0)])
    frame.loc[frame["id"] == 1, "geometry"] = None
    found = nearby_same_category(frame, lon=QUERY_LON, lat=QUERY_LAT, category="dark")
    assert found["id"].tolist() == [2]


def test_nearby_does_not_change_its_input() -> None:
    frame = pins_frame([pin(1, 3.0, 0.0), pin(2, 1.0, 0.0)])
    before = frame.copy()
    found = nearby_same_category(frame, lon=QUERY_LON, lat=QUERY_LAT, category="dark")
    found.loc[found.index, "quarter_id"] = "changed"
    assert frame.equals(before)
    assert "distance_m" not in frame.columns


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"radius_m": -1.0}, ValueError, "'radius_m' should be a number of metres"),
        ({"radius_m": math.nan}, ValueError, "'radius_m'"),
        ({"lon": math.inf}, ValueError, "'lon' should be a finite number"),
        ({"lat": 95.0}, ValueError, "WGS84 degrees"),
        ({"category": None}, TypeError, "'category' should be a str"),
    ],
)
def test_nearby_rejects_bad_arguments(options, error, match) -> None:
    arguments = {"lon": QUERY_LON, "lat": QUERY_LAT, "category": "dark", **options}
    with pytest.raises(error, match=match):
        nearby_same_category(pins_frame([pin(1, 0.0, 0.0)]), **arguments)


def test_with_supports_counts_each_me_too_as_one_more_mark():
    from geo.nearby import with_supports

    frame = pins_frame(
        [
            replace(pin(1, 0.0, 0.0), supports=2),
            replace(pin(2, 5.0, 5.0), supports=0),
        ]
    )
    expanded = with_supports(frame)
    assert expanded["id"].tolist() == [1, 1, 1, 2]
    assert frame["id"].tolist() == [1, 2]  # the input is unchanged
    assert with_supports(frame.iloc[:0]).empty
