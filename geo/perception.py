"""Perceived and recorded safety per zone, side by side and never merged.

What people feel (pins, survey answers) and what the police recorded (road
accidents) answer different questions. This module counts both per zone in
separate columns so a planner can lay them next to each other; it does not
weigh them into one score, and nothing here should.

Expected inputs (GeoDataFrames of points, any CRS; other columns are ignored):

- pins: `category` with the codes of rules.vocab.CATEGORIES ("dark" = too dark),
  as `geo.pins.pins_frame` returns them.
- survey answers: `rating`, 1 = very unsafe ... 5 = very safe (missing values
  are counted as answers but left out of the mean), and `time_band` with the
  codes of rules.vocab.TIME_BANDS (not used here).
- accidents: `light` in {"day", "dusk", "dark"}, `year`, `category`
  (1 = killed, 2 = seriously injured, 3 = slightly injured), `pedestrian` and
  `cyclist` (whether one was involved). Only `light` is used here.

Zones are polygons with a unique `zone_id` column (grid cells, districts), in
any CRS. Each point counts in at most one zone: the first, in the zones' row
order, that covers it (a point on a shared edge is not counted twice). Points
outside every zone are not counted.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.crs import metric_geometries

PERCEPTION_COLUMNS = (
    "pins",
    "pins_dark",
    "survey_answers",
    "survey_mean_rating",
    "accidents",
    "accidents_dark",
    "accidents_daylight",
    "accidents_dusk",
)
_REQUIRED = {"pins": "category", "survey": "rating", "accidents": "light"}


def perceived_vs_recorded(
    *,
    pins: gpd.GeoDataFrame,
    survey: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    zones: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """Counts of pins, survey answers and accidents per zone, indexed by zone_id.

    Columns PERCEPTION_COLUMNS: counts are int64; survey_mean_rating is the
    mean `rating` of the zone's answers, NaN where there are none. A missing
    survey or accident layer (None) gives 0 counts and NaN means, not an error.
    No zones give an empty frame with the same columns. No input is changed.
    """
    _check_inputs(pins=pins, survey=survey, accidents=accidents, zones=zones)
    index = pd.Index(zones["zone_id"].to_numpy(), name="zone_id")
    result = pd.DataFrame(
        {name: np.zeros(len(zones), dtype=np.int64) for name in PERCEPTION_COLUMNS},
        index=index,
    )
    result["survey_mean_rating"] = np.nan
    if len(zones) == 0:
        return result
    zones_m = shapely.STRtree(metric_geometries(zones))

    pin_zone = _zone_of(pins, zones_m)
    result["pins"] = _count(pin_zone, len(zones))
    result["pins_dark"] = _count(pin_zone, len(zones), _equals(pins["category"], "dark"))

    if survey is not None:
        survey_zone = _zone_of(survey, zones_m)
        result["survey_answers"] = _count(survey_zone, len(zones))
        rating = pd.to_numeric(survey["rating"], errors="coerce").to_numpy(dtype=float)
        rated = (survey_zone >= 0) & ~np.isnan(rating)
        totals = np.bincount(survey_zone[rated], weights=rating[rated], minlength=len(zones))
        answers = np.bincount(survey_zone[rated], minlength=len(zones))
        with np.errstate(invalid="ignore", divide="ignore"):
            result["survey_mean_rating"] = np.where(answers > 0, totals / answers, np.nan)

    if accidents is not None:
        accident_zone = _zone_of(accidents, zones_m)
        light = accidents["light"]
        result["accidents"] = _count(accident_zone, len(zones))
        result["accidents_dark"] = _count(accident_zone, len(zones), _equals(light, "dark"))
        result["accidents_daylight"] = _count(accident_zone, len(zones), _equals(light, "day"))
        result["accidents_dusk"] = _count(accident_zone, len(zones), _equals(light, "dusk"))
    return result


def _check_inputs(
    *,
    pins: gpd.GeoDataFrame,
    survey: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    zones: gpd.GeoDataFrame,
) -> None:
    if not isinstance(zones, gpd.GeoDataFrame):
        raise TypeError(f"'zones' should be a GeoDataFrame, got {type(zones)}")
    if "zone_id" not in zones.columns:
        raise ValueError("'zones' has no 'zone_id' column")
    if zones["zone_id"].duplicated().any():
        duplicates = sorted(map(str, zones.loc[zones["zone_id"].duplicated(), "zone_id"]))
        raise ValueError(f"'zones' has duplicate zone_id values: {', '.join(duplicates)}")
    for name, frame in (("pins", pins), ("survey", survey), ("accidents", accidents)):
        if frame is None and name != "pins":
            continue
        if not isinstance(frame, gpd.GeoDataFrame):
            raise TypeError(f"'{name}' should be a GeoDataFrame, got {type(frame)}")
        if _REQUIRED[name] not in frame.columns:
            raise ValueError(f"'{name}' has no '{_REQUIRED[name]}' column")


def _zone_of(points: gpd.GeoDataFrame, zones_m: shapely.STRtree) -> np.ndarray:
    """For each point, the position of the first zone covering it, or -1."""
    zone = np.full(len(points), -1, dtype=np.int64)
    if len(points) == 0:
        return zone
    points_m = metric_geometries(points)
    present = ~(shapely.is_missing(points_m) | shapely.is_empty(points_m))
    if not present.any():
        return zone
    point_pos, zone_pos = zones_m.query(points_m[present], predicate="covered_by")
    # query returns pairs for every zone covering a point; keep the first zone.
    order = np.lexsort((zone_pos, point_pos))
    point_pos, zone_pos = point_pos[order], zone_pos[order]
    first = np.r_[True, point_pos[1:] != point_pos[:-1]]
    zone[np.flatnonzero(present)[point_pos[first]]] = zone_pos[first]
    return zone


def _equals(values: pd.Series, code: str) -> np.ndarray:
    """Where `values` equal `code`; missing values never do."""
    return (values == code).fillna(False).to_numpy(dtype=bool)


def _count(zone: np.ndarray, zones: int, selected: np.ndarray | None = None) -> np.ndarray:
    keep = zone >= 0 if selected is None else (zone >= 0) & selected
    return np.bincount(zone[keep], minlength=zones).astype(np.int64)
