"""Survey answers as KoboToolbox or ODK export them: where, how safe, when."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
import pandas as pd
from shapely.geometry.base import BaseGeometry

from formats.importers.base import ImportFileError, ImportPreview, RawTable, Rows
from formats.importers.columns import (
    Field,
    find_column,
    optional_columns,
    parse_decimal,
    require_columns,
    texts,
    word_key,
    words,
)
from formats.importers.locate import (
    LATLON_OPTION,
    Located,
    latlon_columns,
    no_location,
    place_rows,
    points_from_columns,
    preview,
)
from formats.importers.placing import points
from formats.importers.sources import read_source
from geo.crs import STORAGE_CRS
from rules.errors import N_

GEOPOINT: Final = Field(
    N_("a geopoint (location, _geolocation, standort)"),
    ("location", "geolocation", "standort", "geopoint", "gps"),
)
GEOPOINT_OPTION: Final = N_("a geopoint column with “lat lon alt accuracy” (location, standort)")
_FIELDS: Final = {
    "rating": Field(
        N_("perceived safety (safety, sicherheit, rating, feel_safe)"),
        (
            "safety",
            "feel_safe",
            "safety_rating",
            "sicherheit",
            "sicherheitsgefuehl",
            "sicherheitsempfinden",
            "rating",
            "bewertung",
        ),
    ),
    "time_band": Field(
        N_("time of day (time_band, tageszeit, when)"),
        ("time_band", "timeband", "tageszeit", "when", "wann"),
    ),
}
ANSWERED_AT: Final = Field(
    "_submission_time", ("submission_time", "submissiondate", "submission_date")
)

RATING_WORDS: Final = {
    "sehr unsicher": 1,
    "eher unsicher": 2,
    "teils/teils": 3,
    "teils teils": 3,
    "teils / teils": 3,
    "eher sicher": 4,
    "sehr sicher": 5,
    "very unsafe": 1,
    "rather unsafe": 2,
    "neutral": 3,
    "rather safe": 4,
    "very safe": 5,
}
RATING_ALLOWED: Final = [
    "1",
    "2",
    "3",
    "4",
    "5",
    "sehr unsicher",
    "eher unsicher",
    "teils/teils",
    "eher sicher",
    "sehr sicher",
]
TIME_BAND_WORDS: Final = {
    "day": "day",
    "daytime": "day",
    "tagsueber": "day",
    "tags": "day",
    "am tag": "day",
    "evening": "evening",
    "abends": "evening",
    "am abend": "evening",
    "night": "night",
    "nachts": "night",
    "in der nacht": "night",
    "always": "always",
    "immer": "always",
    "jederzeit": "always",
}
TIME_BAND_ALLOWED: Final = [
    "day",
    "evening",
    "night",
    "always",
    "tagsüber",
    "abends",
    "nachts",
    "immer",
]
_GERMAN_DATES: Final = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y")
_GEOPOINT_SPLIT: Final = re.compile(r"\s+")


def _geopoint(text: str) -> tuple[float, float] | None:
    """(lat, lon) from "lat lon alt acc" (ODK/Kobo) or "[lat, lon]" (Kobo _geolocation)."""
    stripped = text.strip()
    if stripped.startswith("[") or ", " in stripped:
        parts = [p for p in stripped.strip("[]").split(",") if p.strip()]
    else:
        parts = _GEOPOINT_SPLIT.split(stripped)
    if len(parts) < 2:
        return None
    lat, lon = parse_decimal(parts[0]), parse_decimal(parts[1])
    return None if lat is None or lon is None else (lat, lon)


def _from_geopoints(raw: RawTable, column: str) -> Located:
    lat = np.full(len(raw.table), np.nan)
    lon = np.full(len(raw.table), np.nan)
    for i, text in enumerate(texts(raw.table[column])):
        if not text:
            raise ImportFileError(
                N_("Row {row}: {column} is empty."), row=int(raw.rows[i]), column=column
            )
        point = _geopoint(text)
        if point is None:
            raise ImportFileError(
                N_(
                    "Row {row}: the location “{value}” in {column} cannot be read; expected "
                    "latitude and longitude separated by spaces."
                ),
                row=int(raw.rows[i]),
                column=column,
                value=text,
            )
        lat[i], lon[i] = point
    return Located(points(lon, lat), STORAGE_CRS, True, (column,))


def _locate(raw: RawTable, *, filename: str) -> Located:
    if raw.geometry is not None and raw.crs is not None:
        return Located(raw.geometry, raw.crs, raw.crs_assumed, ())
    pair = latlon_columns(raw.table, filename=filename)
    if pair is not None:
        return Located(points_from_columns(raw, *pair), STORAGE_CRS, True, pair)
    column = find_column(list(raw.table.columns), GEOPOINT, filename=filename)
    if column is not None:
        return _from_geopoints(raw, column)
    raise no_location(raw.table, filename=filename, expected=[GEOPOINT_OPTION, LATLON_OPTION])


def _ratings(series: pd.Series, rows: Rows, *, column: str) -> list[int]:
    """1 very unsafe ... 5 very safe, as a number or a word of the German 5-point scale."""
    out: list[int] = []
    for i, text in enumerate(texts(series)):
        number = parse_decimal(text) if text else None
        if number is not None and number in (1, 2, 3, 4, 5):
            out.append(int(number))
            continue
        rating = RATING_WORDS.get(word_key(text)) if number is None else None
        if rating is None:
            if not text:
                raise ImportFileError(
                    N_("Row {row}: {column} is empty."), row=int(rows[i]), column=column
                )
            raise ImportFileError(
                N_("Row {row}: {column} is “{value}”; expected one of: {allowed}."),
                row=int(rows[i]),
                column=column,
                value=text,
                allowed=RATING_ALLOWED,
            )
        out.append(rating)
    return out


def _timestamp(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
        for pattern in _GERMAN_DATES:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    # KoboToolbox and ODK Central write submission times in UTC.
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _answered_at(series: pd.Series | None, rows: Rows, *, column: str | None) -> pd.Series:
    if series is None or column is None:
        return pd.Series(pd.NaT, index=pd.RangeIndex(len(rows)), dtype="datetime64[ns, UTC]")
    moments: list[datetime | None] = []
    for i, text in enumerate(texts(series)):
        moment = _timestamp(text) if text else None
        if text and moment is None:
            raise ImportFileError(
                N_("Row {row}: {column} is “{value}”; expected a date and time."),
                row=int(rows[i]),
                column=column,
                value=text,
            )
        moments.append(moment)
    stamps = [pd.NaT if moment is None else pd.Timestamp(moment) for moment in moments]
    return pd.Series(stamps, index=pd.RangeIndex(len(rows)), dtype="datetime64[ns, UTC]")


def read_survey(
    data: bytes, *, filename: str, city: BaseGeometry, max_bytes: int, layer: str | None = None
) -> ImportPreview:
    """Read survey answers into rating (1-5), time_band, answered_at (UTC or NaT), geometry.

    The location is a lat/lon pair (also "_location_latitude" style) or one
    geopoint column; naive submission times are taken as UTC.
    """
    raw = read_source(data, filename=filename, max_bytes=max_bytes, layer=layer)
    columns = list(raw.table.columns)
    found = require_columns(columns, _FIELDS, filename=filename)
    answered = optional_columns(columns, {"at": ANSWERED_AT}, filename=filename)["at"]
    located = _locate(raw, filename=filename)
    placed = place_rows(raw, located, city=city, filename=filename, points_only=True)
    rows = raw.rows[placed.kept]
    table = raw.table.iloc[placed.kept]
    result: dict[str, Any] = {
        "rating": np.asarray(
            _ratings(table[found["rating"]], rows, column=found["rating"]), dtype=np.int64
        ),
        "time_band": words(
            table[found["time_band"]],
            rows,
            column=found["time_band"],
            vocabulary=TIME_BAND_WORDS,
            allowed=TIME_BAND_ALLOWED,
        ),
        "answered_at": _answered_at(
            None if answered is None else table[answered], rows, column=answered
        ),
    }
    return preview(result, placed, layer_type="survey", located=located)
