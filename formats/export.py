"""Exports of exactly the filtered rows, with every source's attribution inside.

GeoJSON carries the sources in a top-level "metadata" member, GeoPackage in a
table "sources" beside the data layer, CSV as a zip with the data and SOURCES.txt.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

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


def csv_bytes(table: pd.DataFrame) -> bytes:
    """A plain table as CSV (UTF-8), no cell a spreadsheet would run as a formula."""
    return _no_formulas(table).to_csv(index=False).encode("utf-8")


def to_csv_zip(
    frame: gpd.GeoDataFrame,
    *,
    name: str,
    sources: Sequence[str],
    about: Mapping[str, Any],
    wkt: bool = False,
) -> bytes:
    """CSV with lon/lat (points) or WKT columns, zipped with SOURCES.txt; `wkt` keeps
    the WKT column even when every geometry is a point."""
    data = _ready(frame)
    table = pd.DataFrame(data.drop(columns=data.geometry.name))
    if not wkt and (data.geom_type == "Point").all() and not data.empty:
        table["lon"] = data.geometry.x
        table["lat"] = data.geometry.y
    else:
        table["wkt"] = data.geometry.to_wkt()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.csv", _no_formulas(table).to_csv(index=False))
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
) -> bytes:
    """`frame` as bytes of one of FORMATS."""
    if fmt == "geojson":
        return to_geojson(frame, sources=sources, about=about)
    if fmt == "gpkg":
        return to_gpkg(frame, layer=name, sources=sources, about=about)
    if fmt == "csv":
        return to_csv_zip(frame, name=name, sources=sources, about=about)
    raise ValueError(f"'fmt' should be one of {FORMATS}, got {fmt!r}")
