"""Exports of exactly the filtered rows, with every source's attribution inside.

GeoJSON carries the sources in a top-level "metadata" member, GeoPackage in a
table "sources" beside the data layer, CSV as a zip with the data and SOURCES.txt.

GeoJSON and GeoPackage are for GIS: machine codes, the frame's own field names, ISO
times. Every CSV is for German Excel and written by `csv_bytes` alone: ";" between
cells, UTF-8 with a byte-order mark, decimal commas, rounded numbers, times as
"TT.MM.JJJJ HH:MM" in Europe/Berlin, the headings and coded values a `CsvLabels`
names, and no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

import geopandas as gpd
import pandas as pd

from geo.crs import to_storage

FORMATS = ("geojson", "gpkg", "csv")
MEDIA_TYPES = {
    "geojson": "application/geo+json",
    "gpkg": "application/geopackage+sqlite3",
    "csv": "application/zip",
}
SUFFIXES = {"geojson": ".geojson", "gpkg": ".gpkg", "csv": ".csv.zip"}


def _ready(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """EPSG:4326, timestamps as ISO text (every format keeps them the same way)."""
    data = to_storage(frame).copy()
    for column in data.columns:
        if pd.api.types.is_datetime64_any_dtype(data[column]):
            data[column] = data[column].map(lambda v: v.isoformat() if pd.notna(v) else None)
    return data


def to_geojson(
    frame: gpd.GeoDataFrame, *, sources: Sequence[str], about: Mapping[str, Any]
) -> bytes:
    collection = json.loads(_ready(frame).to_json(drop_id=True))
    collection["metadata"] = {"sources": list(sources), **about}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


def to_gpkg(
    frame: gpd.GeoDataFrame, *, layer: str, sources: Sequence[str], about: Mapping[str, Any]
) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "export.gpkg"
        _ready(frame).to_file(path, layer=layer, driver="GPKG")
        notes = pd.DataFrame(
            {"source": list(sources), "about": json.dumps(dict(about), ensure_ascii=False)}
        )
        gpd.GeoDataFrame(notes).to_file(path, layer="sources", driver="GPKG")
        return path.read_bytes()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _no_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading apostrophe."""
    result = table.copy()
    for column in result.columns:
        if result[column].dtype == object or pd.api.types.is_string_dtype(result[column]):
            result[column] = result[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_START) else v
            )
    return result


LOCAL_TIMEZONE: Final = "Europe/Berlin"
COORDINATE_DECIMALS: Final = 6
DEFAULT_DECIMALS: Final = 2
_COORDINATES: Final = ("lon", "lat")


@dataclass(frozen=True, slots=True)
class CsvLabels:
    """What a CSV calls its columns and coded values, and how many decimals a column's
    numbers keep (DEFAULT_DECIMALS unless named; lon/lat COORDINATE_DECIMALS).

    `values` maps a column to {code: label}; a missing value is looked up as None.
    Columns and codes not named stay as they are.
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Mapping[Any, str]] = field(default_factory=dict)
    decimals: Mapping[str, int] = field(default_factory=dict)


def _local_time(value: Any) -> Any:
    """A date or time as German local text; anything else as it is."""
    if isinstance(value, datetime | pd.Timestamp):
        stamp = pd.Timestamp(value)
        stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
        return stamp.tz_convert(LOCAL_TIMEZONE).strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return value


def _labelled(value: Any, codes: Mapping[Any, str]) -> Any:
    key = None if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    return codes.get(key, value)


def _german(table: pd.DataFrame, labels: CsvLabels) -> pd.DataFrame:
    result = pd.DataFrame(index=table.index)
    for column in table.columns:
        values = table[column]
        if column in labels.values:
            codes = labels.values[column]
            values = values.astype(object).map(lambda v, c=codes: _labelled(v, c))
        elif pd.api.types.is_bool_dtype(values):
            values = values.map({True: "ja", False: "nein"})
        elif pd.api.types.is_float_dtype(values):
            default = COORDINATE_DECIMALS if column in _COORDINATES else DEFAULT_DECIMALS
            values = values.round(labels.decimals.get(column, default))
        elif pd.api.types.is_datetime64_any_dtype(values) or values.dtype == object:
            values = values.astype(object).map(_local_time)
        result[column] = values
    return result


def csv_bytes(table: pd.DataFrame, labels: CsvLabels | None = None) -> bytes:
    """The one CSV writer of every export: `table` for German Excel (see the module
    docstring), headings and coded values as `labels` names them."""
    labels = labels or CsvLabels()
    german = _no_formulas(_german(table, labels)).rename(columns=dict(labels.columns))
    text = german.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def to_csv_zip(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    sources: Sequence[str],
    about: Mapping[str, Any],
    wkt: bool = False,
    labels: CsvLabels | None = None,
) -> bytes:
    """CSV (csv_bytes) with lon/lat (points) or WKT columns, zipped with SOURCES.txt;
    `wkt` keeps the WKT column even when every geometry is a point."""
    data = to_storage(frame)
    table = pd.DataFrame(data.drop(columns=data.geometry.name))
    if not wkt and (data.geom_type == "Point").all() and not data.empty:
        table["lon"] = data.geometry.x
        table["lat"] = data.geometry.y
    else:
        table["wkt"] = data.geometry.to_wkt()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.csv", csv_bytes(table, labels))
        notes = "\n".join([*sources, "", json.dumps(dict(about), ensure_ascii=False)])
        archive.writestr("SOURCES.txt", notes + "\n")
    return buffer.getvalue()


def export(
    frame: gpd.GeoDataFrame,
    fmt: str,
    *,
    name: str,
    sources: Sequence[str],
    about: Mapping[str, Any],
    csv_labels: CsvLabels | None = None,
) -> bytes:
    """`frame` as bytes of one of FORMATS; `csv_labels` only touch the CSV."""
    if fmt == "geojson":
        return to_geojson(frame, sources=sources, about=about)
    if fmt == "gpkg":
        return to_gpkg(frame, layer=name, sources=sources, about=about)
    if fmt == "csv":
        return to_csv_zip(frame, name=name, sources=sources, about=about, labels=csv_labels)
    raise ValueError(f"'fmt' should be one of {FORMATS}, got {fmt!r}")
