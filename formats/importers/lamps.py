"""Street lamps: points with optional light-point height, power and status."""

from __future__ import annotations

from typing import Any, Final

from shapely.geometry.base import BaseGeometry

from formats.importers.base import ImportPreview
from formats.importers.columns import Field, numbers_in_range, optional_columns, texts, words
from formats.importers.locate import locate, place_rows, preview
from formats.importers.sources import read_source

_FIELDS: Final = {
    "lamp_id": Field(
        "lamp_id",
        (
            "lamp_id",
            "id",
            "leuchten_id",
            "leuchte_id",
            "leuchtennummer",
            "leuchten_nr",
            "lampennummer",
            "mastnummer",
            "nummer",
            "nr",
            "objectid",
            "fid",
        ),
    ),
    "height_m": Field(
        "height_m",
        ("height_m", "height", "hoehe_m", "hoehe", "lichtpunkthoehe_m", "lichtpunkthoehe", "lph"),
    ),
    "power_w": Field("power_w", ("power_w", "power", "leistung_w", "leistung", "watt", "wattage")),
    "status": Field("status", ("status", "zustand", "state")),
}
HEIGHT_RANGE_M: Final = (0.5, 50.0)
POWER_RANGE_W: Final = (1.0, 5000.0)
STATUS_WORDS: Final = {
    "ok": "ok",
    "okay": "ok",
    "in ordnung": "ok",
    "i.o.": "ok",
    "io": "ok",
    "intakt": "ok",
    "in betrieb": "ok",
    "defect": "defect",
    "defective": "defect",
    "broken": "defect",
    "defekt": "defect",
    "ausgefallen": "defect",
    "kaputt": "defect",
    "gestoert": "defect",
    "unknown": "unknown",
    "unbekannt": "unknown",
}
STATUS_ALLOWED: Final = ["ok", "defect", "unknown", "in Ordnung", "defekt", "ausgefallen"]


def read_lamps(
    data: bytes, *, filename: str, city: BaseGeometry, max_bytes: int, layer: str | None = None
) -> ImportPreview:
    """Read lamps into lamp_id, height_m, power_w, status, geometry.

    Every column but the location is optional: without an id the row number
    is the id, missing heights and powers are NaN, a missing status is
    "unknown". A geometry that is not a point is refused.
    """
    raw = read_source(data, filename=filename, max_bytes=max_bytes, layer=layer)
    located = locate(raw, filename=filename)
    placed = place_rows(raw, located, city=city, filename=filename, points_only=True)
    rows = raw.rows[placed.kept]
    table = raw.table.iloc[placed.kept]
    found = optional_columns(list(raw.table.columns), _FIELDS, filename=filename)
    used = set(located.used_columns)
    found = {key: column if column not in used else None for key, column in found.items()}
    result: dict[str, Any] = {}
    if found["lamp_id"] is None:
        result["lamp_id"] = [str(row) for row in rows]
    else:
        ids = texts(table[found["lamp_id"]])
        result["lamp_id"] = [text or str(row) for text, row in zip(ids, rows, strict=True)]
    for key, value_range in (("height_m", HEIGHT_RANGE_M), ("power_w", POWER_RANGE_W)):
        column = found[key]
        if column is None:
            result[key] = [float("nan")] * len(rows)
        else:
            low, high = value_range
            result[key] = numbers_in_range(
                table[column], rows, column=column, low=low, high=high, required=False
            )
    status_column = found["status"]
    result["status"] = (
        ["unknown"] * len(rows)
        if status_column is None
        else words(
            table[status_column],
            rows,
            column=status_column,
            vocabulary=STATUS_WORDS,
            allowed=STATUS_ALLOWED,
            default="unknown",
        )
    )
    return preview(result, placed, layer_type="lamps", located=located)
