"""Indicators per quarter for the steering circle: side by side, each with its count.

One long table, a row per (quarter, indicator): the value, the count it rests on
(`count`), the number a share or density is taken of (`base`), and whether that
base reaches the minimum count (`enough`). Figures below it are shown greyed and
marked as resting on too few notes; the summary never words them. There is no
combined safety score on purpose: felt and recorded safety stay apart.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import geometry_to_metric, to_storage
from geo.lighting import dark_points
from rules.errors import N_, ValidationError
from rules.labs import WORKING_GROUPS
from rules.measures import STATUSES as MEASURE_STATUSES
from rules.vocab import CATEGORIES, TIME_BANDS

MIN_COUNT: Final = 20  # below this many notes a share or density is not compared
INDICATOR_COLUMNS: Final = ("quarter_id", "group", "key", "value", "count", "base", "enough")
NO_GROUP: Final = "none"  # pins without a working group

# Light codes of the accident layer (formats.importers.accidents).
_DARK, _DAYLIGHT = "dark", "day"


@dataclass(frozen=True, slots=True)
class QuarterFacts:
    """What is known of one quarter besides its pins."""

    quarter_id: str
    area: BaseGeometry  # EPSG:4326
    residents: int | None = None
    significant_hotspots: int | None = None  # None: not computed (too few notes)


def quarter_indicators(
    quarters: list[QuarterFacts],
    pins: gpd.GeoDataFrame,
    *,
    lamps: gpd.GeoDataFrame | None = None,
    accidents: gpd.GeoDataFrame | None = None,
    measures: Sequence[tuple[str, str]] | None = None,
    min_count: int = MIN_COUNT,
) -> pd.DataFrame:
    """The indicator table (INDICATOR_COLUMNS) of `quarters`, in their order.

    `pins` is a pins_frame; a pin belongs to the quarter named by its quarter_id.
    `lamps` (with a status column) gives the share of pins without a working lamp
    within 30 m; `accidents` (with a light column) the recorded accidents per km²
    inside each quarter; `measures` ((quarter id, status) pairs) how many measures
    stand where. Missing layers leave their rows out. No input is changed.
    """
    if min_count < 1:
        raise ValidationError(N_("'min_count' should be at least 1, got {value}."), value=min_count)
    dark = _dark(pins, lamps)
    rows: list[tuple[object, ...]] = []
    for facts in quarters:
        mine = pins["quarter_id"].to_numpy() == facts.quarter_id
        rows.extend(
            _rows_of(
                facts,
                pins.loc[mine],
                None if dark is None else dark[mine],
                accidents,
                min_count,
            )
        )
        if measures is not None:
            statuses = [status for quarter, status in measures if quarter == facts.quarter_id]
            rows.extend(
                (facts.quarter_id, "measures", status, float(n), n, n, True)
                for status in MEASURE_STATUSES
                for n in [statuses.count(status)]
            )
    table = pd.DataFrame.from_records(rows, columns=list(INDICATOR_COLUMNS))
    table["value"] = table["value"].astype(float)
    table["count"] = table["count"].astype("int64")
    table["base"] = table["base"].astype("int64")
    table["enough"] = table["enough"].astype(bool)
    return table


def area_km2(area: BaseGeometry) -> float:
    """The area in km², measured in the metric CRS."""
    return float(geometry_to_metric(area).area) / 1e6


def _rows_of(
    facts: QuarterFacts,
    pins: gpd.GeoDataFrame,
    dark: np.ndarray | None,
    accidents: gpd.GeoDataFrame | None,
    min_count: int,
) -> list[tuple[object, ...]]:
    qid = facts.quarter_id
    km2 = area_km2(facts.area)
    n = len(pins)
    enough = n >= min_count
    supports = int(pins["supports"].sum()) if n else 0
    rows: list[tuple[object, ...]] = [
        (qid, "size", "area_km2", km2, 0, 0, True),
        (qid, "size", "residents", _number(facts.residents), facts.residents or 0, 0, True),
        (qid, "notes", "pins", float(n), n, n, enough),
        (qid, "notes", "supports", float(supports), supports, n, enough),
        (qid, "density", "pins_per_km2", n / km2 if km2 else math.nan, n, n, enough),
        (qid, "density", "pins_per_1000", _per_1000(n, facts.residents), n, n, enough),
    ]
    for group, column, keys in (
        ("category", "category", CATEGORIES),
        ("time_band", "time_band", TIME_BANDS),
        ("working_group", "working_group", [*WORKING_GROUPS, NO_GROUP]),
    ):
        values = pins[column].fillna(NO_GROUP).to_numpy() if n else np.array([], dtype=object)
        for key in keys:
            count = int((values == key).sum())
            rows.append((qid, group, key, _share(count, n), count, n, enough))
    if dark is not None:
        count = int(dark.sum())
        rows.append((qid, "light", "pins_dark", _share(count, n), count, n, enough))
    hot = facts.significant_hotspots
    rows.append(
        (qid, "hotspots", "significant", _number(hot), hot or 0, n, enough and hot is not None)
    )
    if accidents is not None:
        rows.extend(_accident_rows(qid, facts.area, km2, accidents, min_count))
    return rows


def _accident_rows(
    qid: str, area: BaseGeometry, km2: float, accidents: gpd.GeoDataFrame, min_count: int
) -> list[tuple[object, ...]]:
    inside = _inside(accidents, area)
    light = accidents.loc[inside, "light"].astype(str).to_numpy()
    total = int(inside.sum())
    enough = total >= min_count
    rows: list[tuple[object, ...]] = []
    for key, selected in (
        ("accidents_per_km2", np.ones(len(light), dtype=bool)),
        ("accidents_dark_per_km2", light == _DARK),
        ("accidents_daylight_per_km2", light == _DAYLIGHT),
    ):
        count = int(selected.sum())
        rows.append((qid, "recorded", key, count / km2 if km2 else math.nan, count, total, enough))
    dark = int((light == _DARK).sum())
    rows.append((qid, "recorded", "accidents_dark_share", _share(dark, total), dark, total, enough))
    return rows


def _inside(points: gpd.GeoDataFrame, area: BaseGeometry) -> np.ndarray:
    data = to_storage(points)
    return np.asarray(shapely.covers(area, data.geometry.to_numpy()), dtype=bool)


def _dark(pins: gpd.GeoDataFrame, lamps: gpd.GeoDataFrame | None) -> np.ndarray | None:
    if lamps is None:
        return None
    if len(pins) == 0:
        return np.zeros(0, dtype=bool)
    return dark_points(pins, lamps).to_numpy()


def _share(count: int, base: int) -> float:
    return count / base if base else math.nan


def _per_1000(count: int, residents: int | None) -> float:
    return count / residents * 1000 if residents else math.nan


def _number(value: int | None) -> float:
    return math.nan if value is None else float(value)


@dataclass(frozen=True, slots=True)
class ShareFact:
    """One sentence of the summary: the share of notes with `key` in each quarter."""

    group: str  # "category" or "time_band"
    key: str
    shares: tuple[tuple[str, float], ...]  # (quarter_id, share 0..1), largest first


def summary_facts(table: pd.DataFrame, *, most: int = 3) -> list[ShareFact]:
    """The `most` clearest differences between quarters, from figures with enough notes
    only: per category and time band, the share in each quarter, largest spread first.
    Needs two or more quarters with enough notes; otherwise there is nothing to compare."""
    shares = table.loc[table["group"].isin(["category", "time_band"]) & table["enough"]]
    facts: list[tuple[float, ShareFact]] = []
    for (group, key), rows in shares.groupby(["group", "key"], sort=False):
        if len(rows) < 2 or rows["count"].sum() == 0:
            continue
        ordered = rows.sort_values("value", ascending=False, kind="stable")
        pairs = tuple(
            (str(q), float(v)) for q, v in zip(ordered["quarter_id"], ordered["value"], strict=True)
        )
        spread = pairs[0][1] - pairs[-1][1]
        facts.append((spread, ShareFact(group=str(group), key=str(key), shares=pairs)))
    facts.sort(key=lambda item: -item[0])
    return [fact for spread, fact in facts[:most] if spread > 0]
