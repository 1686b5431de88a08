"""What the public map may show: snapping to the anchored grid and public_view."""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point

from geo.crs import STORAGE_CRS, to_metric
from geo.pins import PIN_COLUMNS, pins_frame
from geo.privacy import (
    K_SESSIONS,
    PRIVACY_CELL_M,
    SPARSE_BELOW,
    public_view,
    snap_to_grid,
)
from rules.pins import Pin
from tests.factories import pin_at_metres

# A grid corner near Brackel in EPSG:25832: a multiple of 25 m (and of 50 m) in
# both axes, so the 25 m cell east and north of it spans [X0, X0 + 25) and its
# centre lies at (X0 + 12.5, Y0 + 12.5).
X0 = 399_400.0
Y0 = 5_708_650.0
CELL = PRIVACY_CELL_M
HALF = CELL / 2
# Round trips between EPSG:4326 and EPSG:25832 move points by nanometres.
TOLERANCE_M = 1e-6


def pin(pin_id: int, dx_m: float, dy_m: float, **changes: Any) -> Pin:
    """A pin placed dx_m east and dy_m north of the grid corner (X0, Y0)."""
    return pin_at_metres(pin_id, X0 + dx_m, Y0 + dy_m, **changes)


def offsets_m(frame: gpd.GeoDataFrame) -> list[tuple[float, float]]:
    """Each point's (east, north) offset in metres from (X0, Y0)."""
    metric = to_metric(frame)
    return [(p.x - X0, p.y - Y0) for p in metric.geometry]


def ids(frame: gpd.GeoDataFrame) -> list[int]:
    return sorted(frame["id"].tolist())


# --- snap_to_grid -------------------------------------------------------------


@pytest.mark.parametrize(
    ("dx_m", "dy_m", "centre"),
    [
        (3.0, 20.0, (HALF, HALF)),
        (0.01, 0.01, (HALF, HALF)),
        (24.99, 24.99, (HALF, HALF)),
        (HALF, HALF, (HALF, HALF)),  # already on a centre: stays
        (25.0, 0.0, (CELL + HALF, HALF)),  # on an edge: the cell to the east
        (-0.01, 30.0, (-HALF, CELL + HALF)),
        (-26.0, -49.0, (-CELL - HALF, -CELL - HALF)),
    ],
)
def test_a_point_goes_to_the_centre_of_its_cell(dx_m, dy_m, centre) -> None:
    snapped = snap_to_grid(pins_frame([pin(1, dx_m, dy_m)]))
    (x, y) = offsets_m(snapped)[0]
    assert x == pytest.approx(centre[0], abs=TOLERANCE_M)
    assert y == pytest.approx(centre[1], abs=TOLERANCE_M)
    assert math.hypot(x - dx_m, y - dy_m) <= CELL * math.sqrt(2) / 2 + TOLERANCE_M


@pytest.mark.parametrize("cell_m", [10.0, 25.0, 100.0])
def test_a_point_moves_at_most_half_a_cell_diagonal(cell_m) -> None:
    steps = [0.0, 0.3, 4.9, 9.99, 12.5, 17.0, 24.99, 61.7, 99.9]
    frame = pins_frame(
        [pin(i * 100 + j, dx, dy) for i, dx in enumerate(steps) for j, dy in enumerate(steps)]
    )
    before = to_metric(frame).geometry
    after = to_metric(snap_to_grid(frame, cell_m=cell_m)).geometry
    moved = before.distance(after, align=True)
    assert moved.max() <= cell_m * math.sqrt(2) / 2 + TOLERANCE_M
    # Every snapped point sits half a cell from the lines of the grid anchored at (0, 0).
    for point in after:
        assert (point.x % cell_m) == pytest.approx(cell_m / 2, abs=TOLERANCE_M)
        assert (point.y % cell_m) == pytest.approx(cell_m / 2, abs=TOLERANCE_M)


def test_two_points_in_one_cell_end_up_identical() -> None:
    snapped = snap_to_grid(pins_frame([pin(1, 1.0, 2.0), pin(2, 23.5, 19.0)]))
    first, second = snapped.geometry
    assert (first.x, first.y) == (second.x, second.y)


def test_the_grid_is_anchored_not_fitted_to_the_points() -> None:
    alone = snap_to_grid(pins_frame([pin(1, 7.0, 11.0)]))
    among = snap_to_grid(
        pins_frame([pin(2, -3_000.0, 813.3), pin(1, 7.0, 11.0), pin(3, 2_250.6, -77.1)])
    )
    point_alone = alone.geometry.iloc[0]
    point_among = among.geometry.iloc[1]
    assert (point_alone.x, point_alone.y) == (point_among.x, point_among.y)


def test_snapping_twice_changes_nothing() -> None:
    once = snap_to_grid(pins_frame([pin(1, 7.0, 11.0), pin(2, 24.999, 0.001)]))
    twice = snap_to_grid(once)
    assert [(p.x, p.y) for p in twice.geometry] == [(p.x, p.y) for p in once.geometry]


def test_snap_keeps_columns_index_and_returns_storage_crs() -> None:
    frame = pins_frame([pin(1, 7.0, 11.0), pin(2, 40.0, 11.0)]).set_axis([10, 20])
    snapped = snap_to_grid(frame)
    assert snapped.columns.tolist() == frame.columns.tolist()
    assert snapped.index.tolist() == [10, 20]
    assert snapped.crs == STORAGE_CRS


def test_snap_accepts_a_metric_frame_and_returns_storage_crs() -> None:
    metric = to_metric(pins_frame([pin(1, 7.0, 11.0)]))
    snapped = snap_to_grid(metric)
    assert snapped.crs == STORAGE_CRS
    assert offsets_m(snapped)[0] == pytest.approx((HALF, HALF), abs=TOLERANCE_M)


def test_snap_does_not_change_its_input() -> None:
    frame = pins_frame([pin(1, 7.0, 11.0)])
    before = frame.copy()
    snap_to_grid(frame)
    assert frame.equals(before)
    assert frame.geometry.iloc[0].equals_exact(before.geometry.iloc[0], tolerance=0)


def test_snap_of_no_points_is_empty_with_the_same_columns() -> None:
    snapped = snap_to_grid(pins_frame([]))
    assert snapped.empty
    assert snapped.columns.tolist() == [*PIN_COLUMNS, "geometry"]
    assert snapped.crs == STORAGE_CRS


def test_snap_keeps_missing_and_empty_geometries() -> None:
    frame = gpd.GeoDataFrame(
        {"n": [1, 2, 3]}, geometry=[None, Point(), Point(7.55, 51.52)], crs=STORAGE_CRS
    )
    snapped = snap_to_grid(frame)
    assert snapped.geometry.iloc[0] is None
    assert snapped.geometry.iloc[1].is_empty
    assert not snapped.geometry.iloc[2].equals(frame.geometry.iloc[2])


@pytest.mark.parametrize("cell_m", [0.0, -25.0, math.nan, math.inf])
def test_snap_rejects_a_bad_cell_size(cell_m) -> None:
    with pytest.raises(ValueError, match="'cell_m' should be a positive number"):
        snap_to_grid(pins_frame([pin(1, 0.0, 0.0)]), cell_m=cell_m)


def test_snap_rejects_a_frame_without_crs_or_with_lines() -> None:
    no_crs = gpd.GeoDataFrame({"n": [1]}, geometry=[Point(7.55, 51.52)])
    with pytest.raises(ValueError, match="'frame' has no CRS"):
        snap_to_grid(no_crs)
    lines = gpd.GeoDataFrame(
        {"n": [1]}, geometry=[LineString([(7.55, 51.52), (7.56, 51.52)])], crs=STORAGE_CRS
    )
    with pytest.raises(ValueError, match="Point geometries only"):
        snap_to_grid(lines)
    with pytest.raises(TypeError, match="'frame' should be a GeoDataFrame"):
        snap_to_grid("pins")


# --- public_view: texts -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "status", "shown"),
    [
        ("Keine Laterne", "released", "Keine Laterne"),
        ("Keine Laterne", "pending", ""),
        ("", "none", ""),
        ("Alte Notiz", "none", ""),
    ],
)
def test_text_is_shown_only_when_released(text, status, shown) -> None:
    frame = pins_frame([pin(1, 5.0, 5.0, text=text, text_status=status, session_id=None)])
    view = public_view(frame, sparse_below=0)
    assert view["text"].tolist() == [shown]


# --- public_view: sparse cells --------------------------------------------------

# Cell A (the corner cell) holds two pins from session 1 only; cell B, 100 m
# east, one pin each from sessions 1 and 2.
ONE_LAB_CELL = [pin(1, 3.0, 4.0, session_id=1), pin(2, 20.0, 21.0, session_id=1)]
MIXED_CELL = [pin(3, 103.0, 4.0, session_id=1), pin(4, 120.0, 10.0, session_id=2)]


def test_sparse_pins_lose_a_single_session_cell_but_keep_a_mixed_one() -> None:
    view = public_view(pins_frame([*ONE_LAB_CELL, *MIXED_CELL]))
    assert ids(view) == [3, 4]


def test_pins_of_the_viewers_own_session_are_always_shown() -> None:
    view = public_view(pins_frame([*ONE_LAB_CELL, *MIXED_CELL]), own_session=1)
    assert ids(view) == [1, 2, 3, 4]


def test_own_session_does_not_reveal_another_sessions_lone_cell() -> None:
    lone_lab_7 = pin(5, 203.0, 4.0, session_id=7)
    view = public_view(pins_frame([*ONE_LAB_CELL, lone_lab_7]), own_session=1)
    assert ids(view) == [1, 2]


def test_a_lone_cell_is_shown_once_there_are_enough_pins() -> None:
    # SPARSE_BELOW pins in all: 28 spread in mixed cells, plus the one-lab cell.
    filler = [
        pin(100 + i, 1_000.0 + 100.0 * (i // 2), 5.0, session_id=10 + i % 2)
        for i in range(SPARSE_BELOW - 2)
    ]
    frame = pins_frame([*ONE_LAB_CELL, *filler])
    assert len(frame) == SPARSE_BELOW
    assert ids(public_view(frame)) == ids(frame)
    # One pin fewer and the set is sparse: the one-lab cell goes.
    fewer = pins_frame([*ONE_LAB_CELL, *filler[:-2], filler[-2]])
    assert len(fewer) == SPARSE_BELOW - 1
    assert 1 not in ids(public_view(fewer))
    assert 2 not in ids(public_view(fewer))


@pytest.mark.parametrize(
    ("sessions", "shown"),
    [
        ((None,), False),  # one online pin alone in its cell
        ((None, None), True),  # two online pins: two sessions
        ((None, 1), True),
        ((1, 1), False),
        ((1, 1, None), True),
        ((1, 2), True),
    ],
)
def test_a_pin_without_session_counts_as_its_own_session(sessions, shown) -> None:
    frame = pins_frame(
        [pin(i + 1, 2.0 + 3 * i, 2.0 + 2 * i, session_id=s) for i, s in enumerate(sessions)]
    )
    view = public_view(frame)
    assert len(view) == (len(sessions) if shown else 0)


def test_an_online_pin_is_not_the_viewers_own() -> None:
    view = public_view(pins_frame([pin(1, 2.0, 2.0, session_id=None)]), own_session=1)
    assert view.empty


@pytest.mark.parametrize(("k_sessions", "expected"), [(1, [1, 2, 3, 4]), (3, [])])
def test_k_sessions_sets_how_many_sessions_a_cell_needs(k_sessions, expected) -> None:
    view = public_view(pins_frame([*ONE_LAB_CELL, *MIXED_CELL]), k_sessions=k_sessions)
    assert ids(view) == expected


def test_the_defaults_are_the_documented_constants() -> None:
    assert (PRIVACY_CELL_M, K_SESSIONS, SPARSE_BELOW) == (25.0, 2, 30)


# --- public_view: nothing exact -------------------------------------------------


def test_public_view_holds_no_exact_place() -> None:
    pins = [
        pin(1, 3.0, 4.0, session_id=1),
        pin(2, 7.0, 9.0, session_id=2),
        pin(3, HALF, HALF, session_id=3),  # already on a centre
        pin(4, 61.2, -17.9, session_id=None),
    ]
    frame = pins_frame(pins)
    # A caller's extra columns with exact coordinates must not slip through.
    frame["lon"] = [p.lon for p in pins]
    frame["lat"] = [p.lat for p in pins]
    view = public_view(frame, sparse_below=0)
    assert view.columns.tolist() == [*PIN_COLUMNS, "geometry"]
    exact = {p.lon for p in pins} | {p.lat for p in pins}
    for name in PIN_COLUMNS:
        assert not set(view[name].tolist()) & exact, name
    for original, shown, on_centre in zip(
        frame.geometry, view.geometry, [False, False, True, False], strict=True
    ):
        assert ((shown.x, shown.y) == (original.x, original.y)) is on_centre
        assert shown.equals_exact(original, tolerance=1e-9) is on_centre


def test_public_view_equals_snapping_then_masking() -> None:
    frame = pins_frame([*ONE_LAB_CELL, *MIXED_CELL])
    view = public_view(frame, sparse_below=0)
    snapped = snap_to_grid(frame)
    assert [(p.x, p.y) for p in view.geometry] == [(p.x, p.y) for p in snapped.geometry]
    assert view.crs == STORAGE_CRS


def test_public_view_does_not_change_its_input() -> None:
    frame = pins_frame([pin(1, 3.0, 4.0, text="Geheim", text_status="pending", session_id=1)])
    before = frame.copy()
    view = public_view(frame)
    assert frame.equals(before)
    assert frame["text"].tolist() == ["Geheim"]
    view.loc[view.index, "quarter_id"] = "changed"  # a copy: no effect on the input
    assert frame["quarter_id"].tolist() == ["320"]


def test_public_view_of_no_pins_is_empty_with_the_same_columns() -> None:
    view = public_view(pins_frame([]), own_session=3)
    assert view.empty
    assert view.columns.tolist() == [*PIN_COLUMNS, "geometry"]
    assert view.crs == STORAGE_CRS


def test_public_view_works_on_a_repeated_index() -> None:
    frame = pins_frame([*ONE_LAB_CELL, *MIXED_CELL]).set_axis([5, 5, 5, 5])
    view = public_view(frame)
    assert view["id"].tolist() == [3, 4]
    assert view.index.tolist() == [5, 5]


def test_public_view_leaves_out_pins_without_a_location() -> None:
    frame = pins_frame([pin(1, 3.0, 4.0, session_id=1), pin(2, 8.0, 4.0, session_id=2)])
    frame.loc[frame["id"] == 2, "geometry"] = None
    view = public_view(frame, sparse_below=0)
    assert ids(view) == [1]


@pytest.mark.parametrize(
    ("options", "error", "match"),
    [
        ({"k_sessions": 0}, ValueError, "'k_sessions' should be a whole number of at least 1"),
        ({"k_sessions": 1.5}, ValueError, "'k_sessions'"),
        ({"sparse_below": -1}, ValueError, "'sparse_below' should be a whole number"),
        ({"cell_m": 0.0}, ValueError, "'cell_m'"),
        ({"own_session": "1"}, TypeError, "'own_session' should be an int or None"),
    ],
)
def test_public_view_rejects_bad_options(options, error, match) -> None:
    with pytest.raises(error, match=match):
        public_view(pins_frame([pin(1, 0.0, 0.0)]), **options)


def test_public_view_names_missing_columns() -> None:
    frame = pins_frame([pin(1, 0.0, 0.0)]).drop(columns=["text_status"])
    with pytest.raises(ValueError, match=r"lacks the columns \['text_status'\]"):
        public_view(frame)
