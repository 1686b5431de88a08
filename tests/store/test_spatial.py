"""Spatial filters on both backends: the same pins as shapely and pyproj find."""

from __future__ import annotations

import random

import pytest
import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon, box

from rules.errors import ValidationError
from rules.pins import PinDraft
from rules.roles import Actor, Role
from store import Store
from tests.conftest import StoreFactory
from tests.factories import make_draft

GEOD = Geod(ellps="WGS84")
CENTRE = (7.5512, 51.5187)  # Brackel
MODERATOR = Actor(name="mo", role=Role.MODERATOR)


def _draft(token: str, lon: float, lat: float, category: str = "dark") -> PinDraft:
    return make_draft(token, lon=lon, lat=lat, category=category)


def _at(distance_m: float, azimuth: float = 90.0) -> tuple[float, float]:
    lon, lat, _back = GEOD.fwd(*CENTRE, azimuth, distance_m)
    return float(lon), float(lat)


@pytest.fixture
def store(stores: StoreFactory) -> Store:
    return stores.open()


@pytest.fixture
def scattered(store: Store) -> dict[str, Point]:
    """300 pins scattered over about 2 km around Brackel, a fixed seed."""
    rng = random.Random(7)
    places = {
        f"r{i}": Point(CENTRE[0] + rng.uniform(-0.015, 0.015), CENTRE[1] + rng.uniform(-0.01, 0.01))
        for i in range(300)
    }
    store.add_pins([_draft(token, p.x, p.y) for token, p in places.items()])
    return places


def test_a_box_holds_its_edges_and_nothing_hidden(store: Store) -> None:
    inside = store.add_pin(_draft("in", 7.55, 51.51))
    edge = store.add_pin(_draft("edge", 7.56, 51.52))
    store.add_pin(_draft("out", 7.5601, 51.51))
    hidden = store.add_pin(_draft("hidden", 7.555, 51.515))
    store.hide_pin(hidden.id, actor=MODERATOR, reason="Test")
    found = store.pins_in_bbox(7.54, 51.50, 7.56, 51.52)
    assert [p.token for p in found] == [inside.token, edge.token]


def test_areas_match_shapely(store: Store, scattered: dict[str, Point]) -> None:
    rng = random.Random(11)
    for _ in range(5):
        corners = [
            (CENTRE[0] + rng.uniform(-0.02, 0.02), CENTRE[1] + rng.uniform(-0.012, 0.012))
            for _ in range(6)
        ]
        area = shapely.convex_hull(shapely.multipoints(corners))
        expected = sorted(t for t, p in scattered.items() if area.covers(p))
        assert expected, "the test area should hold some pins"
        assert sorted(p.token for p in store.pins_within(area)) == expected


def test_an_area_with_a_hole_and_its_edge(store: Store) -> None:
    outer = box(7.54, 51.51, 7.56, 51.53)
    hole = box(7.545, 51.515, 7.555, 51.525)
    ring = Polygon(outer.exterior.coords, [hole.exterior.coords])
    store.add_pins(
        [
            _draft("in-ring", 7.542, 51.512),
            _draft("in-hole", 7.55, 51.52),
            _draft("on-edge", 7.54, 51.52),
            _draft("outside", 7.53, 51.52),
        ]
    )
    assert sorted(p.token for p in store.pins_within(ring)) == ["in-ring", "on-edge"]
    assert store.pins_within(Polygon()) == []


def test_near_finds_within_the_radius_nearest_first(store: Store) -> None:
    store.add_pins(
        [
            _draft("49.9m", *_at(49.9, 0)),
            _draft("50.1m", *_at(50.1, 90)),
            _draft("10m", *_at(10.0, 180)),
            _draft("30m-other", *_at(30.0, 270), category="traffic"),
        ]
    )
    near = store.pins_near(*CENTRE, 50.0)
    assert [p.token for p, _ in near] == ["10m", "30m-other", "49.9m"]
    assert [d for _, d in near] == pytest.approx([10.0, 30.0, 49.9], abs=0.01)
    same = store.pins_near(*CENTRE, 50.0, category="dark")
    assert [p.token for p, _ in same] == ["10m", "49.9m"]


def test_near_matches_the_ellipsoid_on_many_pins(store: Store, scattered: dict[str, Point]) -> None:
    for radius in (100.0, 400.0, 900.0):
        expected = {}
        for token, p in scattered.items():
            _f, _b, distance = GEOD.inv(*CENTRE, p.x, p.y)
            if distance <= radius:
                expected[token] = distance
        near = store.pins_near(*CENTRE, radius)
        assert {p.token for p, _ in near} == set(expected)
        for pin, distance in near:
            assert distance == pytest.approx(expected[pin.token], abs=0.01)
        assert [d for _, d in near] == sorted(d for _, d in near)


@pytest.mark.parametrize("radius", [-1.0, float("nan"), 1e9])
def test_a_radius_out_of_range_is_refused(store: Store, radius: float) -> None:
    with pytest.raises(ValidationError, match="between 0 and"):
        store.pins_near(*CENTRE, radius)
