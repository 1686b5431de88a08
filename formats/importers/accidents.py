"""Road accidents from the Unfallatlas: its CSV, or any vector file with its columns."""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from shapely.geometry.base import BaseGeometry

from formats.importers.base import ImportPreview, RawTable
from formats.importers.columns import (
    Field,
    find_column,
    numbers,
    optional_columns,
    require_columns,
    required_texts,
    whole_numbers,
)
from formats.importers.locate import Located, no_location, place_rows, preview
from formats.importers.placing import points
from formats.importers.sources import read_source
from geo.crs import METRIC_CRS, STORAGE_CRS
from rules.errors import N_

# Names as the atlas writes them (upper case until 2020, "IstRad" style later);
# matching ignores case.
_REQUIRED: Final = {
    "object_id": Field("OBJECTID", ("objectid", "objectid_1", "uidentstlae", "fid")),
    "year": Field("UJAHR", ("ujahr",)),
    "month": Field("UMONAT", ("umonat",)),
    "hour": Field("USTUNDE", ("ustunde",)),
    "weekday": Field("UWOCHENTAG", ("uwochentag",)),
    "category": Field("UKATEGORIE", ("ukategorie",)),
    "light": Field("ULICHTVERH", ("ulichtverh",)),
    "pedestrian": Field("ISTFUSS", ("istfuss",)),
    "cyclist": Field("ISTRAD", ("istrad",)),
}
# Read only to check them: codes out of range mean a broken or misread file.
_CHECKED: Final = {
    "kind": Field("UART", ("uart",)),
    "accident_type": Field("UTYP1", ("utyp1",)),
}
# column key -> (low, high) of its codes
_RANGES: Final[dict[str, tuple[int, int]]] = {
    "year": (1990, 2100),
    "month": (1, 12),
    "hour": (0, 23),
    "weekday": (1, 7),  # 1 Sunday ... 7 Saturday
    "category": (1, 3),  # 1 killed, 2 seriously injured, 3 slightly injured
    "light": (0, 2),
    "pedestrian": (0, 1),
    "cyclist": (0, 1),
    "kind": (0, 9),
    "accident_type": (1, 7),
}
LIGHT: Final = {0: "day", 1: "dusk", 2: "dark"}

_WGS84 = (Field("XGCSWGS84", ("xgcswgs84",)), Field("YGCSWGS84", ("ygcswgs84",)))
_LINREF = (Field("LINREFX", ("linrefx",)), Field("LINREFY", ("linrefy",)))
_LOCATION_OPTIONS: Final = [
    N_("XGCSWGS84 and YGCSWGS84 (WGS84, decimal comma)"),
    N_("LINREFX and LINREFY (EPSG:25832)"),
]


def _locate(raw: RawTable, *, filename: str) -> Located:
    if raw.geometry is not None and raw.crs is not None:
        return Located(raw.geometry, raw.crs, raw.crs_assumed, ())
    columns = list(raw.table.columns)
    for (x_field, y_field), crs in ((_WGS84, STORAGE_CRS), (_LINREF, METRIC_CRS)):
        x = find_column(columns, x_field, filename=filename)
        y = find_column(columns, y_field, filename=filename)
        if x is not None and y is not None:
            xs = numbers(raw.table[x], raw.rows, column=x)
            ys = numbers(raw.table[y], raw.rows, column=y)
            return Located(points(xs, ys), crs, False, (x, y))
    raise no_location(raw.table, filename=filename, expected=_LOCATION_OPTIONS)


def read_accidents(
    data: bytes, *, filename: str, city: BaseGeometry, max_bytes: int, layer: str | None = None
) -> ImportPreview:
    """Read accidents into object_id, year, month, hour, weekday, category, light,
    pedestrian, cyclist, geometry.

    Codes are checked for the rows inside the city (a national CSV holds
    rows from all of Germany; those outside are dropped unread). UART and
    UTYP1 are checked when present but not carried.
    """
    raw = read_source(data, filename=filename, max_bytes=max_bytes, layer=layer)
    columns = list(raw.table.columns)
    found = require_columns(columns, _REQUIRED, filename=filename)
    checked = {k: v for k, v in optional_columns(columns, _CHECKED, filename=filename).items() if v}
    located = _locate(raw, filename=filename)
    placed = place_rows(raw, located, city=city, filename=filename, points_only=True)
    rows = raw.rows[placed.kept]
    table = raw.table.iloc[placed.kept]
    codes = {
        key: whole_numbers(table[column], rows, column=column, low=low, high=high)
        for key, column in {**found, **checked}.items()
        if key != "object_id"
        for low, high in [_RANGES[key]]
    }
    result: dict[str, Any] = {
        "object_id": required_texts(table[found["object_id"]], rows, column=found["object_id"]),
        "year": codes["year"],
        "month": codes["month"],
        "hour": codes["hour"],
        "weekday": codes["weekday"],
        "category": codes["category"],
        "light": np.array([LIGHT[int(code)] for code in codes["light"]], dtype=object),
        "pedestrian": codes["pedestrian"].astype(bool),
        "cyclist": codes["cyclist"].astype(bool),
    }
    return preview(result, placed, layer_type="accidents", located=located)
