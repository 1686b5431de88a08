"""Candidate places for measures: groups of close notes and significant hotspots,
each with what the layers say there; and the notes near a place drawn by hand."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from geo.candidates import (
    MIN_PINS,
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
    pins: gpd.GeoDataFrame, areas: Mapping[str, BaseGeometry], *, min_pins: int = MIN_PINS
) -> list[Candidate]:
    """The significant hot areas of each quarter in `areas` (quarter id -> outline;
    Gi*, as on the planning map) that hold at least `min_pins` notes: a hotspot rests on
    as many notes as a group of close notes (geo.candidates.MIN_PINS)."""
    found: list[Candidate] = []
    for quarter_id, cells in hot_cells_by_quarter(pins, areas).items():
        if cells is not None:
            found += hotspot_places(pins, cells, quarter_id)
    return [c for c in found if len(c.pin_ids) >= min_pins]


def unanswered(
    candidates: Iterable[Candidate], answered: Collection[int], *, min_pins: int = MIN_PINS
) -> list[Candidate]:
    """The `candidates` that still hold at least `min_pins` notes no measure answers yet
    (`answered`: the ids of the notes linked to a measure). A candidate made into a
    measure is gone; one that gathered enough new notes since is offered again."""
    return [c for c in candidates if sum(p not in answered for p in c.pin_ids) >= min_pins]


def place_candidates(
    pins: gpd.GeoDataFrame,
    hotspots: Iterable[Candidate],
    layers: Mapping[str, gpd.GeoDataFrame | None],
    *,
    answered: Collection[int] = frozenset(),
    limit: int = SHOWN,
) -> list[PlaceCandidate]:
    """Groups of close notes and `hotspots` together, the most people first, at most
    `limit`, each with the facts of the `layers` ("lamps", "stops", "accidents") there.
    Candidates whose notes a measure already answers (`answered`, pin ids) are left out
    (see `unanswered`)."""
    found = sorted(
        unanswered([*candidate_places(pins), *hotspots], answered),
        key=lambda c: (-c.weight, c.pin_ids),
    )
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
