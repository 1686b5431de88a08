"""Candidate places: close pins of one category grouped, with a known answer."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.candidates import candidate_places, place_facts, places_facts
from geo.crs import METRIC_CRS, to_metric
from rules.errors import ValidationError

X0, Y0 = 392_000.0, 5_710_000.0


def _pins(rows: list[tuple[int, str, str, float, float, int, str]]) -> gpd.GeoDataFrame:
    """(id, quarter, category, metric dx, dy, supports, time band)."""
    return gpd.GeoDataFrame(
        {
            "id": pd.Series([r[0] for r in rows], dtype="int64"),
            "quarter_id": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "supports": pd.Series([r[5] for r in rows], dtype="int64"),
            "time_band": [r[6] for r in rows],
        },
        geometry=[Point(X0 + r[3], Y0 + r[4]) for r in rows],
        crs=METRIC_CRS,
    ).to_crs("EPSG:4326")


def test_close_pins_of_one_category_make_one_candidate() -> None:
    pins = _pins(
        [
            # Four "dark" pins within a few metres of each other, one far away.
            (1, "320", "dark", 0, 0, 2, "night"),
            (2, "320", "dark", 20, 0, 0, "night"),
            (3, "320", "dark", 0, 25, 1, "evening"),
            (4, "320", "dark", 30, 30, 0, "night"),
            (5, "320", "dark", 900, 900, 5, "night"),
            # Three "traffic" pins at the same corner: a second candidate.
            (6, "320", "traffic", 10, 10, 0, "day"),
            (7, "320", "traffic", 15, 5, 0, "day"),
            (8, "320", "traffic", 5, 15, 0, "day"),
            # Two litter pins only: below the minimum of three.
            (9, "320", "litter", 0, 0, 0, "day"),
            (10, "320", "litter", 1, 1, 0, "day"),
            # Same place and category, but another quarter: never mixed.
            (11, "530", "dark", 0, 0, 0, "night"),
        ]
    )
    found = candidate_places(pins, radius_m=40, min_pins=3)
    assert [(c.quarter_id, c.category, c.pin_ids) for c in found] == [
        ("320", "dark", (1, 2, 3, 4)),
        ("320", "traffic", (6, 7, 8)),
    ]
    dark = found[0]
    assert dark.supports == 3 and dark.weight == 7
    assert dark.time_bands == (("night", 3), ("evening", 1))
    centre = to_metric(gpd.GeoDataFrame(geometry=[dark.centre], crs="EPSG:4326")).geometry.iloc[0]
    assert (centre.x - X0, centre.y - Y0) == pytest.approx((12.5, 13.75), abs=0.01)


def test_the_radius_decides_what_is_close() -> None:
    pins = _pins([(i, "320", "dark", i * 30.0, 0, 0, "night") for i in range(1, 5)])
    assert [c.pin_ids for c in candidate_places(pins, radius_m=31)] == [(1, 2, 3, 4)]
    assert candidate_places(pins, radius_m=29) == []


def test_nothing_in_nothing_out_and_bad_settings_are_refused() -> None:
    assert candidate_places(_pins([])) == []
    with pytest.raises(ValidationError):
        candidate_places(_pins([]), radius_m=0)
    with pytest.raises(ValidationError):
        candidate_places(_pins([]), min_pins=1)


def test_the_layers_facts_at_a_place() -> None:
    def at(dx: float, dy: float) -> Point:
        return Point(X0 + dx, Y0 + dy)

    def frame(points: list[Point], **columns: list[object]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(columns, geometry=points, crs=METRIC_CRS).to_crs("EPSG:4326")

    place = frame([at(0, 0)]).geometry.iloc[0]
    lamps = frame([at(30, 0), at(8, 6)], status=["ok", "defect"])
    stops = frame([at(0, 250), at(0, -120)], name=["Brackel Kirche", "Hellweg"])
    accidents = frame(
        [at(50, 0), at(0, 99), at(0, 101), at(-70, -70)], light=["dark", "day", "dark", "dusk"]
    )
    facts = place_facts(place, lamps=lamps, stops=stops, accidents=accidents, radius_m=100)
    assert facts.lamp_m == pytest.approx(10.0, abs=0.01)
    assert facts.lamp_status == "defect"  # the nearest lamp, whatever its state
    assert (facts.stop_name, facts.stop_m) == ("Hellweg", pytest.approx(120.0, abs=0.01))
    assert (facts.accidents, facts.accidents_dark) == (3, 1)
    empty = place_facts(place, lamps=None, stops=None, accidents=None)
    assert (empty.lamp_m, empty.stop_name, empty.accidents) == (None, None, None)
    # Many places at once give what each gives alone, in order.
    places = frame([at(0, 0), at(30, 1), at(-60, -60), at(500, 500)]).geometry.tolist()
    together = places_facts(places, lamps=lamps, stops=stops, accidents=accidents, radius_m=100)
    alone = [
        place_facts(p, lamps=lamps, stops=stops, accidents=accidents, radius_m=100) for p in places
    ]
    assert together == alone
    assert [f.lamp_status for f in together] == ["defect", "ok", "defect", "ok"]
    assert places_facts([], lamps=lamps, stops=stops, accidents=accidents) == []


def test_touching_hot_cells_become_one_candidate_with_the_pins_inside() -> None:
    from shapely.geometry import box

    from geo.candidates import hotspot_places

    def cell(col: int, row: int, label: str) -> tuple[object, str]:
        return box(X0 + col * 50, Y0 + row * 50, X0 + (col + 1) * 50, Y0 + (row + 1) * 50), label

    cells_spec = [cell(0, 0, "hot"), cell(1, 0, "hot"), cell(3, 0, "none"), cell(5, 5, "hot")]
    cells = gpd.GeoDataFrame(
        {"label": [c[1] for c in cells_spec]}, geometry=[c[0] for c in cells_spec], crs=METRIC_CRS
    ).to_crs("EPSG:4326")
    pins = _pins(
        [
            (1, "320", "dark", 10, 10, 1, "night"),
            (2, "320", "dark", 60, 20, 0, "night"),
            (3, "320", "traffic", 90, 40, 0, "day"),
            (4, "320", "dark", 170, 10, 0, "night"),  # in a cell that is not hot
            (5, "530", "dark", 20, 20, 0, "night"),  # another quarter
        ]
    )
    (place,) = hotspot_places(pins, cells, "320")  # the lone hot cell holds no pin
    assert place.pin_ids == (1, 2, 3) and place.category == "dark"
    assert place.area is not None and place.area.geom_type == "Polygon"
    assert place.time_bands == (("night", 2), ("day", 1))
