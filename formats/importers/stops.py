"""Public-transport stops: a GTFS zip (stops.txt) or a vector file with stop_id/stop_name."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Final

import numpy as np
from shapely.geometry.base import BaseGeometry

from formats.importers.base import Dropped, ImportFileError, ImportPreview, RawTable
from formats.importers.columns import (
    Field,
    find_column,
    numbers,
    require_columns,
    required_texts,
    whole_numbers,
)
from formats.importers.locate import LAT, LON, Located, locate, place_rows, preview
from formats.importers.placing import points
from formats.importers.sources import read_source
from geo.crs import STORAGE_CRS
from rules.errors import N_
from rules.stop_names import readable_stop_name

STOP_ID: Final = Field("stop_id", ("stop_id",))
STOP_NAME: Final = Field("stop_name", ("stop_name", "name"))
STOP_LAT: Final = Field("stop_lat", ("stop_lat", *LAT.names), LAT.suffixes)
STOP_LON: Final = Field("stop_lon", ("stop_lon", *LON.names), LON.suffixes)
LOCATION_TYPE: Final = Field("location_type", ("location_type",))
# GTFS location types 3 (generic node) and 4 (boarding area) are not places to wait.
_NOT_STOPS: Final = (3, 4)
NOT_A_STOP: Final = N_("not a stop or station (GTFS location type 3 or 4)")


def _location_types(raw: RawTable, column: str | None) -> np.ndarray[Any, np.dtype[np.int64]]:
    if column is None:
        return np.zeros(len(raw.table), dtype=np.int64)
    series = raw.table[column].astype(object).where(raw.table[column].notna(), "")
    filled = series.map(lambda v: str(v).strip() or "0")
    return whole_numbers(filled, raw.rows, column=column, low=0, high=4)


def _without(raw: RawTable, keep: np.ndarray[Any, np.dtype[np.bool_]]) -> RawTable:
    return replace(
        raw,
        table=raw.table.loc[keep].reset_index(drop=True),
        rows=raw.rows[keep],
        geometry=None if raw.geometry is None else raw.geometry[keep],
    )


def read_stops(
    data: bytes, *, filename: str, city: BaseGeometry, max_bytes: int, layer: str | None = None
) -> ImportPreview:
    """Read stops: columns stop_id, name, geometry, and location_type when the file has it.

    GTFS rows of location type 3 or 4 are left out and listed; a stop_id may
    occur only once.
    """
    raw = read_source(data, filename=filename, max_bytes=max_bytes, layer=layer, gtfs=True)
    columns = list(raw.table.columns)
    fields = {"stop_id": STOP_ID, "name": STOP_NAME}
    if raw.geometry is None:
        fields = {**fields, "lat": STOP_LAT, "lon": STOP_LON}
    found = require_columns(columns, fields, filename=filename)
    type_column = find_column(columns, LOCATION_TYPE, filename=filename)
    kinds = _location_types(raw, type_column)
    not_stops = np.isin(kinds, _NOT_STOPS)
    extra = tuple(Dropped(row=int(r), reason=NOT_A_STOP) for r in raw.rows[not_stops])
    if not_stops.all():
        raise ImportFileError(N_("The file {filename} has no rows or features."), filename=filename)
    raw, kinds = _without(raw, ~not_stops), kinds[~not_stops]
    if raw.geometry is None:
        lat = numbers(raw.table[found["lat"]], raw.rows, column=found["lat"])
        lon = numbers(raw.table[found["lon"]], raw.rows, column=found["lon"])
        crs_assumed = raw.kind != "gtfs"
        located = Located(points(lon, lat), STORAGE_CRS, crs_assumed, (found["lat"], found["lon"]))
    else:
        located = locate(raw, filename=filename)
    placed = place_rows(raw, located, city=city, filename=filename, points_only=True)
    rows = raw.rows[placed.kept]
    table = raw.table.iloc[placed.kept]
    stop_ids = required_texts(table[found["stop_id"]], rows, column=found["stop_id"])
    seen: set[str] = set()
    for row, stop_id in zip(rows, stop_ids, strict=True):
        if stop_id in seen:
            raise ImportFileError(
                N_("Row {row}: {column} {value} occurs more than once."),
                row=int(row),
                column=found["stop_id"],
                value=stop_id,
            )
        seen.add(stop_id)
    result: dict[str, Any] = {
        "stop_id": stop_ids,
        # Timetable spellings ("DO-Barop S") as residents say them ("Barop (S-Bahn)").
        "name": [
            readable_stop_name(name)
            for name in required_texts(table[found["name"]], rows, column=found["name"])
        ],
    }
    if type_column is not None:
        result["location_type"] = kinds[placed.kept]
    return preview(result, placed, layer_type="stops", located=located, extra_dropped=extra)
