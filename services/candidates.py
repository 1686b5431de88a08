"""Candidate places for measures: groups of close notes and significant hotspots,
each with what the layers say there; and the notes near a place drawn by hand."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.candidates import (
    RADIUS_M,
    Candidate,
    PlaceFacts,
    candidate_places,
    hotspot_places,
    places_facts,
)
from geo.crs import to_metric
from geo.nearby import within_m
from services.comparison import hot_cells_by_quarter

SHOWN: Final = 20  # candidates offered at most, the heaviest first
FACT_LAYERS: Final = ("lamps", "stops", "accidents")


@dataclass(frozen=True, slots=True)
class PlaceCandidate:
    candidate: Candidate
    facts: PlaceFacts

    @property
    def place(self) -> BaseGeometry:
        """Where a measure made from it lies: a hotspot's area, else the group's centre."""
        area = self.candidate.area
        return area if area is not None else self.candidate.centre


def hotspot_candidates(
    pins: gpd.GeoDataFrame, areas: Mapping[str, BaseGeometry]
) -> list[Candidate]:
    """The significant hot areas of each quarter in `areas` (quarter id -> outline;
    Gi*, as on the planning map)."""
    found: list[Candidate] = []
    for quarter_id, cells in hot_cells_by_quarter(pins, areas).items():
        if cells is not None:
            found += hotspot_places(pins, cells, quarter_id)
    return found


def place_candidates(
    pins: gpd.GeoDataFrame,
    hotspots: Iterable[Candidate],
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    limit: int = SHOWN,
) -> list[PlaceCandidate]:
    """Groups of close notes and `hotspots` together, the most people first, at most
    `limit`, each with the facts of the `layers` ("lamps", "stops", "accidents") there."""
    found = sorted([*candidate_places(pins), *hotspots], key=lambda c: (-c.weight, c.pin_ids))
    # In metres once, not once per candidate.
    metric = {kind: None if frame is None else to_metric(frame) for kind, frame in layers.items()}
    shown = found[:limit]
    facts = places_facts(
        [candidate.centre for candidate in shown],
        lamps=metric.get("lamps"),
        stops=metric.get("stops"),
        accidents=metric.get("accidents"),
    )
    return [PlaceCandidate(c, f) for c, f in zip(shown, facts, strict=True)]


def quarter_pin_ids(pins: gpd.GeoDataFrame, quarter_id: str) -> list[int]:
    """The ids of the quarter's notes, in the frame's order."""
    return [int(i) for i in pins.loc[pins["quarter_id"].to_numpy() == quarter_id, "id"]]


def pins_at_place(
    pins: gpd.GeoDataFrame, quarter_id: str, place: BaseGeometry, *, radius_m: float = RADIUS_M
) -> list[int]:
    """The ids of the quarter's notes inside an area `place`, or within `radius_m` of a
    point `place` (EPSG:4326), in the frame's order."""
    mine = pins.loc[pins["quarter_id"].to_numpy() == quarter_id]
    if place.geom_type == "Point":
        inside = within_m(mine, lon=place.x, lat=place.y, radius_m=radius_m, nearest_first=False)
    else:
        inside = mine.loc[shapely.covers(place.buffer(0), mine.geometry.to_numpy())]
    return [int(i) for i in inside["id"]]
