"""Pins: the value objects and the rules a new pin must meet."""

from __future__ import annotations

import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

import geopandas as gpd
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


def pins_frame(pins: Iterable[Pin]) -> gpd.GeoDataFrame:
    """Pins as a GeoDataFrame in EPSG:4326 (columns PIN_COLUMNS + geometry).

    No pins give an empty frame with the same columns.
    """
    rows = list(pins)
    frame = pd.DataFrame(
        {
            "id": pd.Series([p.id for p in rows], dtype="int64"),
            "quarter_id": pd.Series([p.quarter_id for p in rows], dtype="object"),
            "category": pd.Series([p.category for p in rows], dtype="object"),
            "time_band": pd.Series([p.time_band for p in rows], dtype="object"),
            "severity": pd.Series([p.severity for p in rows], dtype="Int64"),
            "text": pd.Series([p.text for p in rows], dtype="object"),
            "created_at": pd.to_datetime(pd.Series([p.created_at for p in rows]), utc=True),
            "session_id": pd.Series([p.session_id for p in rows], dtype="Int64"),
            "channel": pd.Series([p.channel for p in rows], dtype="object"),
            "working_group": pd.Series([p.working_group for p in rows], dtype="object"),
            "text_status": pd.Series([p.text_status for p in rows], dtype="object"),
            "supports": pd.Series([p.supports for p in rows], dtype="int64"),
        }
    )
    geometry = gpd.points_from_xy([p.lon for p in rows], [p.lat for p in rows])
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
