"""The planner's pin filter."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from shapely.geometry import box

from geo.filters import NO_SEVERITY, PinFilter, date_span, filter_pins, within_areas
from geo.pins import pins_frame
from tests.factories import make_pin as pin

PINS = pins_frame(
    [
        pin(1),
        pin(2, quarter_id="710"),
        pin(3, category="traffic", severity=3),
        pin(4, time_band="day", severity=1),
        # 23:30 UTC on 30 Sep is already 1 Oct in Dortmund.
        pin(5, created_at=datetime(2026, 9, 30, 23, 30, tzinfo=UTC)),
        pin(6, created_at=datetime(2026, 9, 30, 21, 0, tzinfo=UTC)),
    ]
)
EVERYTHING = PinFilter(
    quarter_ids=("320", "710"),
    categories=("dark", "traffic"),
    time_bands=("night", "day"),
    severities=(1, 2, 3, NO_SEVERITY),
)


def ids(frame) -> list[int]:
    return sorted(frame["id"].tolist())


def test_everything_passes_the_full_filter() -> None:
    assert ids(filter_pins(PINS, EVERYTHING)) == [1, 2, 3, 4, 5, 6]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"quarter_ids": ("710",)}, [2]),
        ({"categories": ("traffic",)}, [3]),
        ({"time_bands": ("day",)}, [4]),
        ({"severities": (NO_SEVERITY,)}, [1, 2, 5, 6]),
        ({"severities": (3,)}, [3]),
        ({"date_from": date(2026, 10, 1)}, [1, 2, 3, 4, 5]),
        ({"date_to": date(2026, 9, 30)}, [6]),
        ({"categories": ()}, []),
    ],
)
def test_each_part_of_the_filter(changes: dict[str, Any], expected: list[int]) -> None:
    from dataclasses import replace

    assert ids(filter_pins(PINS, replace(EVERYTHING, **changes))) == expected


def test_filtering_does_not_change_the_input() -> None:
    before = PINS.copy()
    filter_pins(PINS, PinFilter(("710",), ("dark",), ("night",), (NO_SEVERITY,)))
    assert PINS.equals(before)


def test_date_span_uses_local_days() -> None:
    assert date_span(PINS) == (date(2026, 9, 30), date(2026, 10, 1))
    assert date_span(PINS.iloc[:0]) is None


def test_within_areas_keeps_what_touches_the_areas() -> None:
    import geopandas as gpd

    frame = pins_frame([pin(1, lon=7.55, lat=51.52), pin(2, lon=7.70, lat=51.60)])
    areas = gpd.GeoSeries([box(7.5, 51.5, 7.6, 51.55)], crs="EPSG:4326")
    assert ids(within_areas(frame, areas)) == [1]
    assert within_areas(frame, areas.iloc[:0]).empty


def test_describe_is_plain_data() -> None:
    described = EVERYTHING.describe()
    assert described["severities"] == [1, 2, 3, None]
    assert described["date_from"] is None
