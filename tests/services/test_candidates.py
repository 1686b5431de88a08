"""Candidate places with their facts, and the notes near a drawn place
(services.candidates), on pins laid out in metres with a known answer."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.candidates import Candidate
from geo.crs import METRIC_CRS, STORAGE_CRS, geometry_to_storage, metric_to_lonlat
from services.candidates import (
    PlaceCandidate,
    hotspot_candidates,
    pins_at_place,
    place_candidates,
    quarter_pin_ids,
    unanswered,
)

X0, Y0 = 392_000.0, 5_710_000.0


def _metric_points(
    columns: dict[str, list[object]], offsets: list[tuple[float, float]]
) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        columns, geometry=[Point(X0 + dx, Y0 + dy) for dx, dy in offsets], crs=METRIC_CRS
    ).to_crs(STORAGE_CRS)


def _pins(rows: list[tuple[int, str, str, float, float, int]]) -> gpd.GeoDataFrame:
    """(id, quarter, category, metric dx, dy, supports)."""
    return _metric_points(
        {
            "id": [r[0] for r in rows],
            "quarter_id": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "supports": [r[5] for r in rows],
            "time_band": ["night"] * len(rows),
        },
        [(r[3], r[4]) for r in rows],
    ).astype({"id": "int64", "supports": "int64"})


PINS = _pins(
    [
        (1, "320", "dark", 0, 0, 0),
        (2, "320", "dark", 10, 0, 0),
        (3, "320", "dark", 0, 10, 0),
        (4, "320", "traffic", 500, 0, 1),
        (5, "320", "traffic", 510, 0, 1),
        (6, "320", "traffic", 500, 10, 1),
        (7, "530", "dark", 35, 0, 0),  # near, but another quarter
        (8, "320", "litter", 45, 0, 0),  # just beyond 40 m
    ]
)


def _hotspot(weight_pins: tuple[int, ...], supports: int) -> Candidate:
    lon, lat = metric_to_lonlat(X0 + 1000, Y0)
    return Candidate(
        quarter_id="320",
        category="dark",
        centre=Point(lon, lat),
        pin_ids=weight_pins,
        supports=supports,
        time_bands=(("night", len(weight_pins)),),
        area=Point(lon, lat).buffer(1e-4),
    )


def test_groups_and_hotspots_are_merged_the_most_people_first() -> None:
    hotspot = _hotspot((1, 2, 3, 4, 5), supports=0)  # weight 5
    found = place_candidates(PINS, [hotspot], {})
    weights = [c.candidate.weight for c in found]
    assert weights == sorted(weights, reverse=True)
    assert [c.candidate.pin_ids for c in found] == [(4, 5, 6), (1, 2, 3, 4, 5), (1, 2, 3)]
    # A group's measure lies at its centre, a hotspot's on its area.
    assert found[0].place.equals(found[0].candidate.centre)
    assert found[1].place.equals(hotspot.area)
    assert place_candidates(PINS, [hotspot], {}, limit=2) == found[:2]


def test_each_candidate_carries_what_the_layers_say_there() -> None:
    stops = _metric_points({"name": ["Am Markt", "Fern"]}, [(0, 30), (3000, 0)])
    accidents = _metric_points({"light": ["dark", "day", "dark"]}, [(5, 5), (50, 50), (900, 0)])
    found = place_candidates(PINS, [], {"stops": stops, "accidents": accidents, "lamps": None})
    dark = next(c for c in found if c.candidate.category == "dark")
    assert isinstance(dark, PlaceCandidate)
    assert dark.facts.stop_name == "Am Markt"
    assert dark.facts.stop_m is not None and 20 < dark.facts.stop_m < 30
    assert (dark.facts.accidents, dark.facts.accidents_dark) == (2, 1)
    assert dark.facts.lamp_m is None and dark.facts.lamp_status is None
    bare = place_candidates(PINS, [], {})[0].facts
    assert (bare.stop_name, bare.accidents) == (None, None)


def test_no_candidates_without_close_notes() -> None:
    assert place_candidates(PINS.iloc[[0, 3, 7]], [], {}) == []


def test_a_point_takes_the_quarters_notes_within_40_m() -> None:
    assert pins_at_place(PINS, "320", PINS.geometry.iloc[0]) == [1, 2, 3]
    assert pins_at_place(PINS, "320", PINS.geometry.iloc[0], radius_m=50) == [1, 2, 3, 8]
    assert pins_at_place(PINS, "530", PINS.geometry.iloc[0]) == [7]


def test_an_area_takes_the_quarters_notes_inside_it() -> None:
    area = geometry_to_storage(box(X0 - 1, Y0 - 1, X0 + 520, Y0 + 5))  # drawn in metres
    assert pins_at_place(PINS, "320", area) == [1, 2, 4, 5, 8]
    assert quarter_pin_ids(PINS, "320") == [1, 2, 3, 4, 5, 6, 8]
    assert quarter_pin_ids(PINS, "710") == []


def test_the_frame_is_not_changed() -> None:
    before = PINS.copy()
    place_candidates(PINS, [], {})
    pins_at_place(PINS, "320", PINS.geometry.iloc[0])
    pd.testing.assert_frame_equal(PINS, before)


def test_a_hotspot_needs_as_many_notes_as_a_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two hot cells: one holds notes 1-3, one only note 4; the lone note is no candidate."""
    import services.candidates as candidates

    cells = gpd.GeoDataFrame(
        {"label": ["hot", "hot"]},
        geometry=[box(X0 - 5, Y0 - 5, X0 + 15, Y0 + 15), box(X0 + 495, Y0 - 5, X0 + 505, Y0 + 5)],
        crs=METRIC_CRS,
    ).to_crs(STORAGE_CRS)
    monkeypatch.setattr(candidates, "hot_cells_by_quarter", lambda pins, areas: {"320": cells})
    found = hotspot_candidates(PINS, {"320": box(0, 0, 1, 1)})
    assert [c.pin_ids for c in found] == [(1, 2, 3)]
    assert [c.pin_ids for c in hotspot_candidates(PINS, {}, min_pins=1)] == [(1, 2, 3), (4,)]


def test_a_candidate_whose_notes_a_measure_answers_is_no_longer_offered() -> None:
    hotspot = _hotspot((1, 2, 3, 4, 5), supports=0)
    offered = place_candidates(PINS, [hotspot], {}, answered={1, 2, 3})
    # The group 1-3 became a measure; the hotspot keeps only two notes no measure answers.
    assert [c.candidate.pin_ids for c in offered] == [(4, 5, 6)]
    # One answered note leaves two of the group: fewer than a candidate needs.
    assert [c.candidate.pin_ids for c in place_candidates(PINS, [], {}, answered={2})] == [
        (4, 5, 6)
    ]
    assert unanswered([hotspot], {1, 2}) == [hotspot]  # three notes still open
