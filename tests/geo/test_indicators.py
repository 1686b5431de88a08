"""Indicators per quarter on hand-built quarters whose answers are known."""

from __future__ import annotations

from datetime import UTC, datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from geo.crs import METRIC_CRS
from geo.indicators import (
    INDICATOR_COLUMNS,
    MIN_COUNT,
    QuarterFacts,
    area_km2,
    quarter_indicators,
    summary_facts,
)
from rules.errors import ValidationError

# Three squares near Dortmund in the metric CRS: 1 km², 2 km² and 1 km².
X0, Y0 = 392_000.0, 5_710_000.0
SQUARES = {
    "a": box(X0, Y0, X0 + 1000, Y0 + 1000),
    "b": box(X0 + 2000, Y0, X0 + 4000, Y0 + 1000),
    "c": box(X0 + 5000, Y0, X0 + 6000, Y0 + 1000),
}


def _area(quarter: str):
    return gpd.GeoSeries([SQUARES[quarter]], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]


def _pins(
    spec: list[tuple[str, str, str, str | None, int, tuple[float, float]]],
) -> gpd.GeoDataFrame:
    """(quarter, category, time band, working group, supports, metric x/y offset)."""
    rows = []
    for quarter, category, band, group, supports, (dx, dy) in spec:
        minx, miny, _, _ = SQUARES[quarter].bounds
        rows.append((quarter, category, band, group, supports, Point(minx + dx, miny + dy)))
    frame = gpd.GeoDataFrame(
        {
            "quarter_id": [r[0] for r in rows],
            "category": [r[1] for r in rows],
            "time_band": [r[2] for r in rows],
            "working_group": [r[3] for r in rows],
            "supports": pd.Series([r[4] for r in rows], dtype="int64"),
            "created_at": pd.Series([datetime(2026, 5, 1, tzinfo=UTC)] * len(rows)),
            "session_id": pd.Series([None] * len(rows), dtype="Int64"),
        },
        geometry=[r[5] for r in rows],
        crs=METRIC_CRS,
    )
    return frame.to_crs("EPSG:4326")


@pytest.fixture
def world() -> tuple[list[QuarterFacts], gpd.GeoDataFrame]:
    spec = []
    # a: 30 pins, 12 dark (at night), 18 traffic (by day); 6 in public spaces; 2 supports each on 5.
    for i in range(30):
        category, band = ("dark", "night") if i < 12 else ("traffic", "day")
        group = "public_spaces" if i < 6 else None
        spec.append(("a", category, band, group, 2 if i < 5 else 0, (100.0 + i * 20, 500.0)))
    # b: 10 pins only (below the minimum count), all dark.
    spec += [("b", "dark", "night", None, 0, (100.0 + i * 50, 300.0)) for i in range(10)]
    # c: 25 pins, 5 dark.
    spec += [
        ("c", "dark" if i < 5 else "litter", "evening", None, 0, (100.0 + i * 30, 700.0))
        for i in range(25)
    ]
    quarters = [
        QuarterFacts("a", _area("a"), residents=1500, significant_hotspots=2),
        QuarterFacts("b", _area("b"), residents=None, significant_hotspots=None),
        QuarterFacts("c", _area("c"), residents=5000, significant_hotspots=0),
    ]
    return quarters, _pins(spec)


def _value(table: pd.DataFrame, quarter: str, key: str, column: str = "value"):
    (found,) = table.loc[(table["quarter_id"] == quarter) & (table["key"] == key), column]
    return found


def test_area_in_square_kilometres() -> None:
    assert area_km2(_area("a")) == pytest.approx(1.0, rel=1e-4)
    assert area_km2(_area("b")) == pytest.approx(2.0, rel=1e-4)


def test_counts_densities_and_shares(world) -> None:
    quarters, pins = world
    table = quarter_indicators(quarters, pins)
    assert list(table.columns) == list(INDICATOR_COLUMNS)
    assert table["quarter_id"].unique().tolist() == ["a", "b", "c"]
    assert _value(table, "a", "pins") == 30
    assert _value(table, "a", "supports") == 10
    assert _value(table, "a", "pins_per_km2") == pytest.approx(30.0, rel=1e-4)
    assert _value(table, "b", "pins_per_km2") == pytest.approx(5.0, rel=1e-4)
    assert _value(table, "a", "pins_per_1000") == pytest.approx(20.0)
    assert np.isnan(_value(table, "b", "pins_per_1000"))  # no population figure
    assert _value(table, "c", "pins_per_1000") == pytest.approx(5.0)
    assert _value(table, "a", "dark") == pytest.approx(0.4)
    assert _value(table, "a", "dark", "count") == 12
    assert _value(table, "a", "dark", "base") == 30
    assert _value(table, "a", "night") == pytest.approx(0.4)
    assert _value(table, "a", "public_spaces") == pytest.approx(0.2)
    assert _value(table, "a", "none") == pytest.approx(0.8)  # no working group
    assert _value(table, "c", "litter") == pytest.approx(0.8)
    assert _value(table, "a", "significant") == 2
    # Shares of one group add up to one.
    shares = table.loc[(table["quarter_id"] == "a") & (table["group"] == "category"), "value"]
    assert shares.sum() == pytest.approx(1.0)


def test_figures_below_the_minimum_count_are_marked(world) -> None:
    quarters, pins = world
    table = quarter_indicators(quarters, pins)
    b = table.loc[(table["quarter_id"] == "b") & (table["group"] != "size")]
    assert not b["enough"].any()
    a = table.loc[(table["quarter_id"] == "a") & (table["group"] != "size")]
    assert a["enough"].all()
    # Exactly at the minimum it is enough; one below it is not.
    table_at = quarter_indicators(quarters, pins, min_count=10)
    assert _value(table_at, "b", "dark", "enough")
    table_above = quarter_indicators(quarters, pins, min_count=11)
    assert not _value(table_above, "b", "dark", "enough")
    assert MIN_COUNT == 20
    with pytest.raises(ValidationError):
        quarter_indicators(quarters, pins, min_count=0)


def test_pins_without_a_working_lamp_nearby(world) -> None:
    quarters, pins = world
    minx, miny, _, _ = SQUARES["a"].bounds
    # A working lamp by the first five pins of a, a defect one by the next five.
    lamps = gpd.GeoDataFrame(
        {"status": ["ok"] * 5 + ["defect"] * 5},
        geometry=[Point(minx + 100 + i * 20, miny + 505) for i in range(10)],
        crs=METRIC_CRS,
    ).to_crs("EPSG:4326")
    table = quarter_indicators(quarters, pins, lamps=lamps)
    # Pins 0-5 have a working lamp within 30 m (pin 5 is 20.6 m from the fifth lamp).
    assert _value(table, "a", "pins_dark", "count") == 24
    assert _value(table, "a", "pins_dark") == pytest.approx(24 / 30)
    assert _value(table, "b", "pins_dark") == pytest.approx(1.0)


def test_recorded_accidents_per_square_kilometre(world) -> None:
    quarters, pins = world
    minx, miny, _, _ = SQUARES["b"].bounds
    lights = ["dark"] * 6 + ["day"] * 16 + ["dusk"] * 2
    accidents = gpd.GeoDataFrame(
        {"light": lights},
        geometry=[Point(minx + 50 + i * 40, miny + 50) for i in range(len(lights))],
        crs=METRIC_CRS,
    ).to_crs("EPSG:4326")
    table = quarter_indicators(quarters, pins, accidents=accidents)
    assert _value(table, "b", "accidents_per_km2") == pytest.approx(12.0, rel=1e-4)
    assert _value(table, "b", "accidents_dark_per_km2") == pytest.approx(3.0, rel=1e-4)
    assert _value(table, "b", "accidents_daylight_per_km2") == pytest.approx(8.0, rel=1e-4)
    assert _value(table, "b", "accidents_dark_share") == pytest.approx(0.25)
    assert _value(table, "b", "accidents_per_km2", "enough")  # 24 accidents
    assert _value(table, "a", "accidents_per_km2") == 0
    assert not _value(table, "a", "accidents_per_km2", "enough")


def test_the_summary_words_only_figures_with_enough_notes(world) -> None:
    quarters, pins = world
    table = quarter_indicators(quarters, pins)
    facts = summary_facts(table)
    assert facts, "a and c differ clearly"
    assert all(q != "b" for fact in facts for q, _share in fact.shares)
    first = facts[0]
    # The largest difference: every note of c is about the evening, none of a's.
    assert (first.group, first.key) == ("time_band", "evening")
    assert first.shares == (("c", pytest.approx(1.0)), ("a", pytest.approx(0.0)))
    assert [(f.group, f.key) for f in facts[1:]] == [
        ("category", "litter"),
        ("category", "traffic"),
    ]
    # With only one quarter above the minimum there is nothing to compare.
    assert summary_facts(quarter_indicators(quarters, pins, min_count=26)) == []


def test_no_pins_gives_empty_shares_not_errors() -> None:
    quarters = [QuarterFacts("a", _area("a"))]
    empty = _pins([])
    table = quarter_indicators(quarters, empty)
    assert _value(table, "a", "pins") == 0
    assert np.isnan(_value(table, "a", "dark"))
    assert not _value(table, "a", "dark", "enough")


def test_measures_by_status_per_quarter(world) -> None:
    quarters, pins = world
    measures = [("a", "decided"), ("a", "decided"), ("a", "done"), ("c", "proposed")]
    table = quarter_indicators(quarters, pins, measures=measures)
    mine = table.loc[(table["quarter_id"] == "a") & (table["group"] == "measures")]
    assert dict(zip(mine["key"], mine["count"], strict=True)) == {
        "proposed": 0,
        "discussed": 0,
        "decided": 2,
        "in_progress": 0,
        "done": 1,
        "rejected": 0,
    }
    assert _value(table, "c", "proposed") == 1 and _value(table, "b", "proposed") == 0
    assert "measures" not in set(quarter_indicators(quarters, pins)["group"])
