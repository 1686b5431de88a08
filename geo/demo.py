"""Seeded demo data for the three lab quarters: pins, survey answers, street lamps.

Everything here is invented and labelled as demo data wherever it is shown.
The same seed always gives the same data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import METRIC_CRS, STORAGE_CRS, geometry_to_metric
from rules.pins import PinDraft
from rules.vocab import CATEGORIES, TIME_BANDS

DEMO_SEED = 2014  # the year of the citizens' survey the labs built on
DEMO_TEXTS = (
    "",
    "",
    "",
    "Abends kaum Licht auf dem Fußweg.",
    "Unterführung, man sieht nicht, wer entgegenkommt.",
    "Nachts trifft sich hier eine Gruppe, es ist laut.",
    "Autos fahren zu schnell, keine sichere Querung.",
    "Viel Müll und kaputte Bänke.",
    "Nach Ladenschluss menschenleer.",
)


@dataclass(frozen=True, slots=True)
class DemoPin:
    draft: PinDraft
    created_at: datetime


def _points_in(
    area_m: BaseGeometry,
    count: int,
    rng: np.random.Generator,
    *,
    centres: np.ndarray | None,
    spread_m: float,
) -> np.ndarray:
    """`count` points inside `area_m`: around `centres` when given, else uniform."""
    minx, miny, maxx, maxy = area_m.bounds
    found: list[np.ndarray] = []
    total = 0
    while total < count:
        n = (count - total) * 3
        if centres is None:
            xy = np.column_stack([rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)])
        else:
            picks = centres[rng.integers(0, len(centres), n)]
            xy = picks + rng.normal(0.0, spread_m, (n, 2))
        inside = shapely.contains_xy(area_m, xy[:, 0], xy[:, 1])
        found.append(xy[inside])
        total += int(inside.sum())
    return np.concatenate(found)[:count]


def _to_lonlat(xy: np.ndarray) -> gpd.GeoSeries:
    return gpd.GeoSeries(gpd.points_from_xy(xy[:, 0], xy[:, 1]), crs=METRIC_CRS).to_crs(STORAGE_CRS)


def demo_pins(
    areas: dict[str, BaseGeometry],
    *,
    per_quarter: int = 120,
    seed: int = DEMO_SEED,
    end: datetime | None = None,
) -> list[DemoPin]:
    """Pins clustered around a few places per quarter, over the last three months."""
    rng = np.random.default_rng(seed)
    end = end or datetime(2026, 11, 1, tzinfo=UTC)
    categories = list(CATEGORIES)
    weights = np.array([0.24, 0.14, 0.12, 0.12, 0.16, 0.08, 0.10, 0.04])
    bands = list(TIME_BANDS)
    pins: list[DemoPin] = []
    for quarter_id, area in sorted(areas.items()):
        area_m = geometry_to_metric(area)
        centres = _points_in(area_m, 4, rng, centres=None, spread_m=0)
        xy = _points_in(area_m, per_quarter, rng, centres=centres, spread_m=180.0)
        lonlat = _to_lonlat(xy)
        for i, point in enumerate(lonlat):
            category = str(rng.choice(categories, p=weights))
            band = "night" if category == "dark" and rng.random() < 0.7 else str(rng.choice(bands))
            severity = rng.choice([0, 1, 2, 3])
            draft = PinDraft(
                quarter_id=quarter_id,
                lon=float(point.x),
                lat=float(point.y),
                category=category,
                time_band=band,
                severity=None if severity == 0 else int(severity),
                text=str(rng.choice(DEMO_TEXTS)),
                token=f"demo-{seed}-{quarter_id}-{i}",
            )
            created = end - timedelta(minutes=int(rng.integers(0, 90 * 24 * 60)))
            pins.append(DemoPin(draft=draft, created_at=created))
    return pins


def demo_survey(
    areas: dict[str, BaseGeometry], *, per_quarter: int = 150, seed: int = DEMO_SEED
) -> gpd.GeoDataFrame:
    """Survey answers: rating 1 (very unsafe) .. 5 (very safe), time band, answer time."""
    rng = np.random.default_rng(seed + 1)
    frames = []
    for quarter_id, area in sorted(areas.items()):
        area_m = geometry_to_metric(area)
        xy = _points_in(area_m, per_quarter, rng, centres=None, spread_m=0)
        ratings = rng.choice([1, 2, 3, 4, 5], per_quarter, p=[0.1, 0.2, 0.3, 0.25, 0.15])
        frames.append(
            gpd.GeoDataFrame(
                {
                    "rating": ratings.astype("int64"),
                    "time_band": rng.choice(list(TIME_BANDS), per_quarter),
                    "answered_at": pd.Timestamp("2014-05-01", tz="UTC")
                    + pd.to_timedelta(rng.integers(0, 60, per_quarter), unit="D"),
                    "quarter_id": quarter_id,
                },
                geometry=_to_lonlat(xy).array,
                crs=STORAGE_CRS,
            )
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


def demo_lamps(
    areas: dict[str, BaseGeometry],
    *,
    spacing_m: float = 35.0,
    seed: int = DEMO_SEED,
    defect_share: float = 0.06,
    gap_share: float = 0.25,
) -> gpd.GeoDataFrame:
    """Lamps on a jittered grid with unlit stretches, some of them defect."""
    rng = np.random.default_rng(seed + 2)
    frames = []
    for quarter_id, area in sorted(areas.items()):
        area_m = geometry_to_metric(area)
        minx, miny, maxx, maxy = area_m.bounds
        xs, ys = np.meshgrid(np.arange(minx, maxx, spacing_m), np.arange(miny, maxy, spacing_m))
        xy = np.column_stack([xs.ravel(), ys.ravel()]) + rng.normal(0, spacing_m / 5, (xs.size, 2))
        # Unlit stretches: drop lamps near a few random centres (parks, paths, fields).
        gaps = _points_in(area_m, 6, rng, centres=None, spread_m=0)
        distance = np.min(np.linalg.norm(xy[:, None, :] - gaps[None, :, :], axis=2), axis=1)
        radius = np.sqrt(gap_share * area_m.area / (6 * np.pi))
        xy = xy[(distance > radius) & shapely.contains_xy(area_m, xy[:, 0], xy[:, 1])]
        count = len(xy)
        frames.append(
            gpd.GeoDataFrame(
                {
                    "lamp_id": [f"demo-{quarter_id}-{i}" for i in range(count)],
                    "height_m": rng.choice([4.5, 6.0, 8.0], count),
                    "power_w": rng.choice([18.0, 36.0, 54.0], count),
                    "status": np.where(rng.random(count) < defect_share, "defect", "ok"),
                },
                geometry=_to_lonlat(xy).array,
                crs=STORAGE_CRS,
            )
        )
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=STORAGE_CRS)


def quarter_areas(
    districts: gpd.GeoDataFrame, district_ids: Sequence[str]
) -> dict[str, BaseGeometry]:
    return {d: districts.geometry.loc[d] for d in district_ids}
