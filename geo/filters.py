"""The planner's filters over pins, as one value and one pure function."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import geopandas as gpd

from rules.local_time import BERLIN

NO_SEVERITY = 0  # stands for "no answer" in a severity filter


@dataclass(frozen=True, slots=True)
class PinFilter:
    """Which pins to show; an empty tuple means "none of these", not "all"."""

    quarter_ids: tuple[str, ...]
    categories: tuple[str, ...]
    time_bands: tuple[str, ...]
    severities: tuple[int, ...]  # 1..3, and NO_SEVERITY for pins without one
    date_from: date | None = None
    date_to: date | None = None  # inclusive

    def describe(self) -> dict[str, object]:
        """The filter as plain values, for an export's metadata."""
        return {
            "quarters": list(self.quarter_ids),
            "categories": list(self.categories),
            "time_bands": list(self.time_bands),
            "severities": [s or None for s in self.severities],
            "date_from": self.date_from.isoformat() if self.date_from else None,
            "date_to": self.date_to.isoformat() if self.date_to else None,
        }


def filter_pins(pins: gpd.GeoDataFrame, pin_filter: PinFilter) -> gpd.GeoDataFrame:
    """The rows of `pins` (a pins_frame) that pass every part of the filter."""
    keep = (
        pins["quarter_id"].isin(pin_filter.quarter_ids)
        & pins["category"].isin(pin_filter.categories)
        & pins["time_band"].isin(pin_filter.time_bands)
        & pins["severity"].fillna(NO_SEVERITY).isin(pin_filter.severities)
    )
    day = pins["created_at"].dt.tz_convert(BERLIN).dt.date
    if pin_filter.date_from is not None:
        keep &= day >= pin_filter.date_from
    if pin_filter.date_to is not None:
        keep &= day <= pin_filter.date_to
    result: gpd.GeoDataFrame = pins.loc[keep.to_numpy()]
    return result


def within_areas(frame: gpd.GeoDataFrame, areas: gpd.GeoSeries) -> gpd.GeoDataFrame:
    """Features of `frame` that intersect any of `areas` (same CRS)."""
    if frame.empty or areas.empty:
        return frame.iloc[:0]
    hits = frame.sindex.query(areas.to_numpy(), predicate="intersects")[1]
    result: gpd.GeoDataFrame = frame.iloc[sorted(set(hits.tolist()))]
    return result


def date_span(pins: gpd.GeoDataFrame) -> tuple[date, date] | None:
    """First and last day with a pin (Berlin time), or None without pins."""
    if pins.empty:
        return None
    days = pins["created_at"].dt.tz_convert(BERLIN).dt.date
    first, last = days.min(), days.max()
    return (first, last) if isinstance(first, date) and isinstance(last, date) else None
