"""Candidate places for measures: pins of one category that lie close together.

DBSCAN in metres (EPSG:25832), per category: a pin with at least `min_pins - 1`
others of its category within `radius_m` starts or grows a group; pins that reach
no group stay on their own and make no candidate. Each candidate names its pins,
their supports, what they are about and when, and its centre.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.clusters import dbscan_labels
from geo.crs import metric_to_lonlat, to_metric, to_storage
from geo.lighting import nearest_lamp
from rules.errors import N_, ValidationError

RADIUS_M: Final = 40.0
MIN_PINS: Final = 3


@dataclass(frozen=True, slots=True)
class Candidate:
    quarter_id: str
    category: str  # the group's category; for a hotspot the most frequent one in it
    centre: Point  # EPSG:4326, the mean of its pins' places
    pin_ids: tuple[int, ...]
    supports: int
    time_bands: tuple[tuple[str, int], ...]  # most frequent first
    area: BaseGeometry | None = None  # a hotspot's cells (EPSG:4326); None for a group

    @property
    def weight(self) -> int:
        """Pins plus their supports: how many people marked this place."""
        return len(self.pin_ids) + self.supports


def candidate_places(
    pins: gpd.GeoDataFrame, *, radius_m: float = RADIUS_M, min_pins: int = MIN_PINS
) -> list[Candidate]:
    """Groups of close pins per quarter and category, the heaviest (most people) first.

    `pins` is a pins_frame (columns id, quarter_id, category, time_band, supports).
    """
    if not (radius_m > 0 and np.isfinite(radius_m)):
        raise ValidationError(N_("The distance must be more than 0 metres."))
    if min_pins < 2:
        raise ValidationError(N_("A group needs at least {n} notes."), n=2)
    if len(pins) == 0:
        return []
    metric = to_metric(pins)
    columns = _Columns(
        xy=np.column_stack([metric.geometry.x.to_numpy(), metric.geometry.y.to_numpy()]),
        ids=metric["id"].to_numpy(dtype=np.int64),
        supports=metric["supports"].to_numpy(dtype=np.int64),
        time_bands=metric["time_band"].astype(str).to_numpy(dtype=object),
    )
    found: list[Candidate] = []
    keys = metric[["quarter_id", "category"]].astype(str)
    for (quarter_id, category), rows in keys.groupby(["quarter_id", "category"], sort=True):
        at = metric.index.get_indexer(rows.index)
        if len(at) < min_pins:
            continue
        labels = dbscan_labels(columns.xy[at], eps=radius_m, min_samples=min_pins)
        for label in sorted(set(labels) - {-1}):
            members = at[labels == label]
            found.append(_candidate(columns, members, str(quarter_id), str(category)))
    return sorted(found, key=lambda c: (-c.weight, c.pin_ids))


@dataclass(frozen=True, slots=True)
class _Columns:
    """The pins' columns a candidate is made of, as arrays (rows of a frame taken per
    candidate cost more than the clustering)."""

    xy: np.ndarray  # metres
    ids: np.ndarray
    supports: np.ndarray
    time_bands: np.ndarray


def _candidate(columns: _Columns, members: np.ndarray, quarter: str, category: str) -> Candidate:
    x, y = columns.xy[members].mean(axis=0)
    lon, lat = metric_to_lonlat(float(x), float(y))
    bands = Counter(columns.time_bands[members].tolist())
    return Candidate(
        quarter_id=quarter,
        category=category,
        centre=Point(lon, lat),
        pin_ids=tuple(sorted(int(i) for i in columns.ids[members])),
        supports=int(columns.supports[members].sum()),
        time_bands=tuple(sorted(bands.items(), key=lambda kv: (-kv[1], kv[0]))),
    )


@dataclass(frozen=True, slots=True)
class PlaceFacts:
    """What the planner's layers say about a place; None where a layer is missing."""

    lamp_m: float | None  # distance to the nearest lamp (any status)
    lamp_status: str | None
    stop_name: str | None
    stop_m: float | None
    accidents: int | None  # recorded within `radius_m`
    accidents_dark: int | None


def place_facts(
    place: Point,
    *,
    lamps: gpd.GeoDataFrame | None,
    stops: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    radius_m: float = 100.0,
) -> PlaceFacts:
    """The nearest lamp and its status, the nearest stop, and the recorded accidents
    within `radius_m` of `place` (EPSG:4326)."""
    return places_facts([place], lamps=lamps, stops=stops, accidents=accidents, radius_m=radius_m)[
        0
    ]


def places_facts(
    places: Sequence[Point],
    *,
    lamps: gpd.GeoDataFrame | None,
    stops: gpd.GeoDataFrame | None,
    accidents: gpd.GeoDataFrame | None,
    radius_m: float = 100.0,
) -> list[PlaceFacts]:
    """place_facts of each of `places`, each layer searched for all places at once."""
    n = len(places)
    if n == 0:
        return []
    lamp_m: list[float | None] = [None] * n
    lamp_status: list[str | None] = [None] * n
    if lamps is not None and len(lamps):
        nearest = nearest_lamp(gpd.GeoDataFrame(geometry=list(places), crs="EPSG:4326"), lamps)
        lamp_m = [float(d) for d in nearest["distance_m"]]
        lamp_status = [str(s) for s in nearest["lamp_status"]]
    centres = to_metric(gpd.GeoDataFrame(geometry=list(places), crs="EPSG:4326"))
    stop_m: list[float | None] = [None] * n
    stop_name: list[str | None] = [None] * n
    if stops is not None and len(stops):
        distance = _distances_m(centres, stops)  # places x stops
        at = np.argmin(np.where(np.isnan(distance), np.inf, distance), axis=1)
        names = stops["name"] if "name" in stops.columns else pd.Series([""] * len(stops))
        stop_m = [float(distance[i, a]) for i, a in enumerate(at)]
        stop_name = [str(names.iloc[a]) or None for a in at]
    counts: list[int | None] = [None] * n
    dark: list[int | None] = [None] * n
    if accidents is not None:
        near = _distances_m(centres, accidents) <= radius_m  # NaN (no place) is never near
        in_dark = accidents["light"].astype(str).to_numpy() == "dark" if len(accidents) else []
        counts = [int(row.sum()) for row in near]
        dark = [int((row & in_dark).sum()) for row in near]
    return [
        PlaceFacts(lamp_m[i], lamp_status[i], stop_name[i], stop_m[i], counts[i], dark[i])
        for i in range(n)
    ]


def _distances_m(centres: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> np.ndarray:
    """Metres (METRIC_CRS) from each of `centres` (rows) to each feature of `layer`
    (columns); NaN where a feature has no geometry."""
    features = to_metric(layer).geometry.to_numpy()
    spots = centres.geometry.to_numpy()
    return np.asarray(shapely.distance(spots[:, None], features[None, :]), dtype=float).reshape(
        len(spots), len(features)
    )


def hotspot_places(
    pins: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, quarter_id: str
) -> list[Candidate]:
    """Significant hot cells (geo.hotspots, label "hot") joined where they touch: each
    joined area is a candidate holding the quarter's pins inside it."""
    hot = cells.loc[cells["label"] == "hot"]
    if len(hot) == 0:
        return []
    merged = shapely.unary_union(to_storage(hot).geometry.to_numpy())
    parts = list(getattr(merged, "geoms", [merged]))
    mine = pins.loc[pins["quarter_id"].to_numpy() == quarter_id]
    mine = to_storage(mine)
    found = []
    for part in parts:
        inside = mine.loc[shapely.covers(part, mine.geometry.to_numpy())]
        if len(inside) == 0:
            continue
        categories = Counter(inside["category"].astype(str))
        bands = Counter(inside["time_band"].astype(str))
        found.append(
            Candidate(
                quarter_id=quarter_id,
                category=sorted(categories.items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
                centre=part.centroid,
                pin_ids=tuple(sorted(int(i) for i in inside["id"])),
                supports=int(inside["supports"].sum()),
                time_bands=tuple(sorted(bands.items(), key=lambda kv: (-kv[1], kv[0]))),
                area=part,
            )
        )
    return sorted(found, key=lambda c: (-c.weight, c.pin_ids))
