"""Pins: the value objects and the rules a new pin must meet."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from geo.crs import STORAGE_CRS, geometry_to_metric
from geo.errors import N_, OutsideQuarterError, ValidationError
from geo.limits import TEXT_TOO_LONG, check_length
from geo.vocab import CATEGORIES, SEVERITIES, TEXT_MAX_CHARS, TIME_BANDS

# District outlines are generalised (15-70 vertices); a tap a few metres
# outside the drawn line is still meant for the quarter.
EDGE_TOLERANCE_M = 15.0
# Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069).
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class PinDraft:
    """A pin as a participant submits it, before it is stored."""

    quarter_id: str
    lon: float
    lat: float
    category: str | None
    time_band: str | None
    severity: int | None = None
    text: str = ""
    token: str = ""
    session_id: int | None = None
    channel: str = "online"
    working_group: str | None = None
    # A random id of the browser session, for the rate limit and "me too";
    # never an IP address or a device identifier.
    participant: str = ""


@dataclass(frozen=True, slots=True)
class Pin:
    """A stored pin."""

    id: int
    quarter_id: str
    lon: float
    lat: float
    category: str
    time_band: str
    severity: int | None
    text: str
    created_at: datetime
    token: str
    session_id: int | None = None
    channel: str = "online"
    working_group: str | None = None
    text_status: str = "none"  # "none" (no text) | "pending" | "released"
    hidden: bool = False  # hidden by a moderator (with a reason in the audit log)
    supports: int = 0  # "me too" from other participants

    @property
    def public_text(self) -> str:
        """The text as everyone may read it: only after a moderator released it."""
        return self.text if self.text_status == "released" else ""


PIN_COLUMNS = (
    "id",
    "quarter_id",
    "category",
    "time_band",
    "severity",
    "text",
    "created_at",
    "session_id",
    "channel",
    "working_group",
    "text_status",
    "supports",
)


_DTYPES: Final[dict[str, str]] = {
    "id": "int64",
    "severity": "Int64",
    "session_id": "Int64",
    "supports": "int64",
}


def pins_frame(pins: Iterable[Pin]) -> gpd.GeoDataFrame:
    """Pins as a GeoDataFrame in EPSG:4326 (columns PIN_COLUMNS + geometry).

    No pins give an empty frame with the same columns.
    """
    rows = list(pins)
    return pins_frame_from_columns(
        {name: [getattr(p, name) for p in rows] for name in PIN_COLUMNS},
        lons=[p.lon for p in rows],
        lats=[p.lat for p in rows],
    )


def pins_frame_from_columns(
    columns: Mapping[str, Sequence[Any]], *, lons: Sequence[float], lats: Sequence[float]
) -> gpd.GeoDataFrame:
    """The frame of pins_frame from its columns (PIN_COLUMNS; created_at as datetimes or
    ISO texts) and places: the one definition of its columns and dtypes, used for Pin
    objects and for rows read straight from the store."""
    frame = pd.DataFrame(
        {
            name: (
                pd.to_datetime(pd.Series(columns[name], dtype="object"), utc=True, format="ISO8601")
                if name == "created_at"
                else pd.Series(columns[name], dtype=_DTYPES.get(name, "object"))
            )
            for name in PIN_COLUMNS
        }
    )
    # Arrays first: shapely makes 100,000 points from arrays in milliseconds, from tuples not.
    geometry = gpd.points_from_xy(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)


def new_token() -> str:
    """A fresh client submission token: one per form, reused on every retry."""
    return uuid.uuid4().hex


def clean_text(text: str) -> str:
    """Normalise free text: NFC, trimmed, without control characters (newlines and
    tabs stay) and without bidi overrides that could make a note read differently.

    Emoji sequences and markup are kept as typed; markup is escaped wherever shown.
    """
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    normalised = unicodedata.normalize("NFC", unified)
    kept = "".join(
        ch
        for ch in normalised
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and ch not in _BIDI_CONTROLS)
    )
    return kept.strip()


def check_inside(lon: float, lat: float, quarter: BaseGeometry, quarter_name: str) -> None:
    """Raise OutsideQuarterError unless the point lies in (or at the edge of) the quarter."""
    point = Point(lon, lat)
    if quarter.covers(point):
        return
    distance_m = geometry_to_metric(quarter).distance(geometry_to_metric(point))
    if distance_m > EDGE_TOLERANCE_M:
        raise OutsideQuarterError(
            N_(
                "This place lies outside {quarter}. Please tap inside the outlined "
                "area, or choose another quarter."
            ),
            quarter=quarter_name,
        )


def validate_draft(draft: PinDraft, quarter: BaseGeometry, quarter_name: str) -> PinDraft:
    """Check a draft against every rule and return it cleaned.

    Raises ValidationError (or OutsideQuarterError) with a message that names
    what is missing or wrong. The input is not changed.
    """
    missing = []
    if draft.category is None:
        missing.append(N_("category"))
    if draft.time_band is None:
        missing.append(N_("when it feels unsafe"))
    if missing:
        raise ValidationError(N_("Please choose: {fields}."), fields=missing)
    if draft.category not in CATEGORIES:
        raise ValidationError(N_("Unknown category: {value}."), value=draft.category)
    if draft.time_band not in TIME_BANDS:
        raise ValidationError(N_("Unknown time of day: {value}."), value=draft.time_band)
    if draft.severity is not None and (
        isinstance(draft.severity, bool) or draft.severity not in SEVERITIES
    ):
        raise ValidationError(N_("Severity must be 1, 2 or 3."))
    if not draft.token:
        raise ValidationError(N_("The form has expired. Please tap the map again."))
    text = clean_text(draft.text)
    check_length(text, TEXT_MAX_CHARS, TEXT_TOO_LONG)
    check_inside(draft.lon, draft.lat, quarter, quarter_name)
    return replace(draft, text=text)
