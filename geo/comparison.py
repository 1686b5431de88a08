"""Comparing quarters: the notes of a period, the same grid in each quarter, and the
per-session view that shows change from one lab to the next."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Final

import geopandas as gpd
import numpy as np

from geo.grid import count_in_cells, square_grid
from geo.indicators import QuarterFacts
from rules.local_time import start_of_day

CELL_M: Final = 100.0  # one cell size for every quarter: the small multiples' common grid


def in_period(pins: gpd.GeoDataFrame, start: date | None, end: date | None) -> gpd.GeoDataFrame:
    """The pins made on the days from `start` to `end` (both included, Berlin time);
    None leaves that side open."""
    keep = np.ones(len(pins), dtype=bool)
    created = pins["created_at"]
    if start is not None:
        keep &= (created >= start_of_day(start)).to_numpy()
    if end is not None:
        keep &= (created < start_of_day(end + timedelta(days=1))).to_numpy()
    return pins.loc[keep]


def quarter_grids(
    quarters: Sequence[QuarterFacts], pins: gpd.GeoDataFrame, *, cell_m: float = CELL_M
) -> dict[str, gpd.GeoDataFrame]:
    """For each quarter, its cells of `cell_m` metres (metric CRS) with a "count" of its
    pins: the same cell size everywhere, so the maps compare like with like."""
    grids = {}
    for facts in quarters:
        grid = square_grid(facts.area, cell_m=cell_m)
        mine = pins.loc[pins["quarter_id"].to_numpy() == facts.quarter_id]
        grids[facts.quarter_id] = grid.assign(count=count_in_cells(grid, mine))
    return grids


def by_session(
    quarter: QuarterFacts, pins: gpd.GeoDataFrame, sessions: Sequence[tuple[int, str]]
) -> tuple[list[QuarterFacts], gpd.GeoDataFrame]:
    """The quarter once per lab session, as pseudo-quarters "<quarter>#<session id>"
    holding that session's pins: feed them to quarter_indicators to see the indicators
    per session side by side. `sessions` are (id, label) pairs, oldest first."""
    facts = [
        QuarterFacts(
            quarter_id=f"{quarter.quarter_id}#{sid}", area=quarter.area, residents=quarter.residents
        )
        for sid, _label in sessions
    ]
    mine = pins.loc[pins["quarter_id"].to_numpy() == quarter.quarter_id]
    session = mine["session_id"].astype("Int64")
    ids = {sid for sid, _label in sessions}
    kept = mine.loc[session.isin(ids).fillna(False).to_numpy(dtype=bool)].copy()
    kept["quarter_id"] = [f"{quarter.quarter_id}#{int(s)}" for s in kept["session_id"]]
    return facts, kept
