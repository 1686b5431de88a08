"""The period filter, the common grid and the per-session view of the comparison."""

from __future__ import annotations

from datetime import UTC, date, datetime

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point, box

from geo.comparison import CELL_M, by_session, in_period, quarter_grids
from geo.crs import METRIC_CRS
from geo.grid import grid_cell_m
from geo.indicators import QuarterFacts, quarter_indicators

X0, Y0 = 392_000.0, 5_710_000.0


def _area(minx: float, width: float):
    square = box(X0 + minx, Y0, X0 + minx + width, Y0 + 800)
    return gpd.GeoSeries([square], crs=METRIC_CRS).to_crs("EPSG:4326").iloc[0]


def _pins(rows: list[tuple[str, float, datetime, int | None]]) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "quarter_id": [r[0] for r in rows],
            "category": ["dark"] * len(rows),
            "time_band": ["night"] * len(rows),
            "working_group": [None] * len(rows),
            "supports": pd.Series([0] * len(rows), dtype="int64"),
            "created_at": pd.Series([r[2] for r in rows], dtype="datetime64[us, UTC]"),
            "session_id": pd.Series([r[3] for r in rows], dtype="Int64"),
        },
        geometry=[Point(X0 + r[1], Y0 + 400) for r in rows],
        crs=METRIC_CRS,
    ).to_crs("EPSG:4326")


def test_the_period_takes_whole_days_in_berlin_time() -> None:
    pins = _pins(
        [
            ("a", 10, datetime(2026, 3, 31, 21, 59, tzinfo=UTC), None),  # 23:59 in Berlin
            ("a", 20, datetime(2026, 3, 31, 22, 0, tzinfo=UTC), None),  # 1 April, 00:00
            ("a", 30, datetime(2026, 4, 30, 21, 59, tzinfo=UTC), None),  # 30 April, 23:59
            ("a", 40, datetime(2026, 4, 30, 22, 0, tzinfo=UTC), None),  # 1 May
        ]
    )
    april = in_period(pins, date(2026, 4, 1), date(2026, 4, 30))
    assert april.geometry.x.round(6).tolist() == pins.geometry.x.iloc[1:3].round(6).tolist()
    assert len(in_period(pins, None, None)) == 4
    assert len(in_period(pins, date(2026, 4, 1), None)) == 3
    assert len(in_period(pins, None, date(2026, 3, 31))) == 1


def test_every_quarter_gets_the_same_cell_size_and_its_own_counts() -> None:
    quarters = [QuarterFacts("a", _area(0, 600)), QuarterFacts("b", _area(2000, 1500))]
    when = datetime(2026, 4, 1, tzinfo=UTC)
    pins = _pins([("a", 50, when, None), ("a", 60, when, None), ("b", 2100, when, None)])
    grids = quarter_grids(quarters, pins)
    assert {grid_cell_m(g) for g in grids.values()} == {CELL_M}
    assert int(grids["a"]["count"].sum()) == 2
    assert int(grids["b"]["count"].sum()) == 1
    assert len(grids["b"]) > len(grids["a"])


def test_indicators_per_session_show_change_between_labs() -> None:
    quarter = QuarterFacts("a", _area(0, 1000))
    when = datetime(2026, 4, 1, tzinfo=UTC)
    pins = _pins(
        [("a", 10 + i, when, 1) for i in range(6)]
        + [("a", 10 + i, when, 2) for i in range(2)]
        + [("a", 500, when, None), ("b", 500, when, 1)]
    )
    facts, session_pins = by_session(quarter, pins, [(1, "März"), (2, "Juni")])
    assert [f.quarter_id for f in facts] == ["a#1", "a#2"]
    table = quarter_indicators(facts, session_pins, min_count=1)
    counts = table.loc[table["key"] == "pins"].set_index("quarter_id")["value"].to_dict()
    assert counts == {"a#1": 6.0, "a#2": 2.0}
