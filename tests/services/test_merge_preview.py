"""Before a merge (services.merge_preview): the distance in metres, a concern when the
notes are far apart or name different concerns, a block when they cannot be merged."""

from __future__ import annotations

import doctest

import pytest

import services.merge_preview
from geo.crs import lonlat_to_metric
from services.merge_preview import (
    MAX_DISTANCE_M,
    MergeBlock,
    MergeConcern,
    distance_m,
    merge_preview,
    notes_nearby,
)
from tests.factories import BRACKEL_LAT, BRACKEL_LON, pin_at_metres

X0, Y0 = lonlat_to_metric(BRACKEL_LON, BRACKEL_LAT)


@pytest.mark.parametrize(
    ("east_m", "north_m", "expected_m"),
    [(0.0, 0.0, 0.0), (30.0, 40.0, 50.0), (-600.0, 800.0, 1000.0), (0.0, -150.0, 150.0)],
)
def test_the_distance_is_in_metres(east_m: float, north_m: float, expected_m: float) -> None:
    first = pin_at_metres(1, X0, Y0)
    second = pin_at_metres(2, X0 + east_m, Y0 + north_m)
    assert distance_m(first, second) == pytest.approx(expected_m, abs=0.01)
    assert distance_m(second, first) == pytest.approx(expected_m, abs=0.01)


@pytest.mark.parametrize(
    ("north_m", "category", "concerns"),
    [
        (20.0, "dark", ()),
        (MAX_DISTANCE_M - 1, "dark", ()),
        (MAX_DISTANCE_M + 1, "dark", (MergeConcern.FAR_APART,)),
        (20.0, "litter", (MergeConcern.OTHER_CATEGORY,)),
        (1000.0, "litter", (MergeConcern.FAR_APART, MergeConcern.OTHER_CATEGORY)),
    ],
)
def test_far_apart_or_another_category_is_a_concern(
    north_m: float, category: str, concerns: tuple[MergeConcern, ...]
) -> None:
    keep = pin_at_metres(1, X0, Y0, category="dark")
    duplicate = pin_at_metres(2, X0, Y0 + north_m, category=category)
    preview = merge_preview(keep, duplicate)
    assert preview.concerns == concerns
    assert preview.needs_confirmation == bool(concerns)
    assert preview.possible
    assert preview.distance_m == pytest.approx(north_m, abs=0.01)


def test_the_threshold_can_be_chosen() -> None:
    keep = pin_at_metres(1, X0, Y0)
    duplicate = pin_at_metres(2, X0 + 60.0, Y0)
    assert merge_preview(keep, duplicate, max_distance_m=50.0).concerns == (MergeConcern.FAR_APART,)
    assert merge_preview(keep, duplicate, max_distance_m=100.0).concerns == ()


@pytest.mark.parametrize("bad", [0.0, -5.0, float("nan")])
def test_a_threshold_that_is_no_distance_is_refused(bad: float) -> None:
    keep = pin_at_metres(1, X0, Y0)
    with pytest.raises(ValueError, match="'max_distance_m' should be a positive number"):
        merge_preview(keep, keep, max_distance_m=bad)


@pytest.mark.parametrize(
    ("keep_changes", "duplicate_id", "duplicate_changes", "blocks"),
    [
        ({}, 1, {}, (MergeBlock.SAME_NOTE,)),
        ({}, 2, {"quarter_id": "530"}, (MergeBlock.OTHER_QUARTER,)),
        ({"hidden": True}, 2, {}, (MergeBlock.KEEP_GONE,)),
        ({}, 2, {"hidden": True}, (MergeBlock.DUPLICATE_GONE,)),
        ({"hidden": True}, 1, {"hidden": True}, (MergeBlock.SAME_NOTE, MergeBlock.KEEP_GONE)),
    ],
)
def test_what_the_store_would_refuse_is_a_block(
    keep_changes: dict[str, object],
    duplicate_id: int,
    duplicate_changes: dict[str, object],
    blocks: tuple[MergeBlock, ...],
) -> None:
    keep = pin_at_metres(1, X0, Y0, **keep_changes)
    duplicate = pin_at_metres(duplicate_id, X0 + 10.0, Y0, **duplicate_changes)
    preview = merge_preview(keep, duplicate)
    assert preview.blocks == blocks
    assert not preview.possible


def test_notes_nearby_are_the_close_visible_ones_of_the_quarter_nearest_first() -> None:
    pin = pin_at_metres(1, X0, Y0)
    others = [
        pin,  # itself
        pin_at_metres(2, X0 + 120.0, Y0),
        pin_at_metres(3, X0, Y0 - 40.0),
        pin_at_metres(4, X0 + 151.0, Y0),  # just too far
        pin_at_metres(5, X0 + 10.0, Y0, hidden=True),  # hidden or merged already
        pin_at_metres(6, X0 + 10.0, Y0, quarter_id="530"),  # another quarter
        pin_at_metres(7, X0 - 89.0, Y0 + 119.0),  # 148.6 m: still near
    ]
    found = notes_nearby(pin, others)
    assert [other.id for other, _ in found] == [3, 2, 7]
    assert [metres for _, metres in found] == pytest.approx([40.0, 120.0, 148.6], abs=0.01)
    assert [other.id for other, _ in notes_nearby(pin, others, within_m=50.0)] == [3]
    assert notes_nearby(pin, []) == []


def test_the_docstring_example_holds() -> None:
    result = doctest.testmod(services.merge_preview)
    assert result.attempted > 0
    assert result.failed == 0
