"""Rows <-> GeoDataFrames, shared by the store backends: layer features as
(wkb, properties JSON), pins as Arrow columns (rules.pin_schema.FRAME_FIELDS)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import shapely
from pandas.api.types import pandas_dtype

from geo.bulk import gc_paused
from geo.crs import STORAGE_CRS, to_storage
from geo.pins import pins_frame_from_columns
from rules.pin_schema import DATETIME, FRAME_DTYPES, FRAME_FIELDS

# How each frame dtype is read. Times arrive as the stored ISO texts (store.timestamps)
# and become timestamps in Arrow, much faster than pandas parses them.
_ARROW_TYPES: dict[str, pa.DataType] = {
    "int64": pa.int64(),
    "Int64": pa.int64(),
    "object": pa.string(),
    DATETIME: pa.string(),
}
_PLACE: dict[str, pa.DataType] = {"lon": pa.float64(), "lat": pa.float64()}
# The Arrow columns of a pins frame's query (FRAME_FIELDS, in order).
PIN_TABLE_SCHEMA = pa.schema(
    [
        (name, _PLACE[name] if name in _PLACE else _ARROW_TYPES[FRAME_DTYPES[name]])
        for name in FRAME_FIELDS
    ]
)


def _plain(value: Any) -> Any:
    """A JSON-safe value: NaN/NaT/NA become null, timestamps ISO text, numpy scalars Python."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalar
        return _plain(value.item())
    return value


def frame_to_rows(frame: gpd.GeoDataFrame) -> tuple[dict[str, str], list[tuple[bytes, str]]]:
    """(column dtypes, [(wkb, properties JSON)]) of a frame in EPSG:4326."""
    data = to_storage(frame)
    columns = [c for c in data.columns if c != data.geometry.name]
    dtypes = {c: str(data[c].dtype) for c in columns}
    wkbs = shapely.to_wkb(data.geometry.to_numpy())
    records = data[columns].to_dict(orient="records")
    rows = [
        (bytes(wkb), json.dumps({k: _plain(v) for k, v in record.items()}, ensure_ascii=False))
        for wkb, record in zip(wkbs, records, strict=True)
    ]
    return dtypes, rows


def rows_to_frame(dtypes: dict[str, str], rows: Sequence[tuple[bytes, str]]) -> gpd.GeoDataFrame:
    """The inverse of frame_to_rows: same columns, same dtypes, EPSG:4326."""
    with gc_paused():  # a city's 12,000 lamps: dicts and geometries, none in a cycle
        return _rows_to_frame(dtypes, rows)


def _rows_to_frame(dtypes: dict[str, str], rows: Sequence[tuple[bytes, str]]) -> gpd.GeoDataFrame:
    records = [json.loads(props) for _wkb, props in rows]
    frame = pd.DataFrame.from_records(records, columns=list(dtypes))
    for column, dtype in dtypes.items():
        if dtype.startswith("datetime64"):
            parsed = pd.to_datetime(frame[column], utc="," in dtype, format="ISO8601")
            frame[column] = parsed.astype(pandas_dtype(dtype))
        elif dtype == "bool" and frame[column].isna().any():
            frame[column] = frame[column].astype("boolean")
        else:
            frame[column] = frame[column].astype(pandas_dtype(dtype))
    geometry = shapely.from_wkb([wkb for wkb, _props in rows])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=STORAGE_CRS)


def _texts(column: pa.ChunkedArray) -> np.ndarray:
    """A text column as Python strings (None for NULL), each distinct text made once:
    most text columns hold a few words (a category, a status), and a hundred thousand
    separate copies of them cost a third of the whole read."""
    encoded = column.combine_chunks().dictionary_encode()
    words = np.array([*encoded.dictionary.to_pylist(), None], dtype=object)
    codes = encoded.indices.fill_null(len(words) - 1).to_numpy()
    return words[codes]


def pin_table_to_frame(table: pa.Table) -> gpd.GeoDataFrame:
    """Pins read as Arrow columns (PIN_TABLE_SCHEMA) as geo.pins.pins_frame makes them
    from Pin objects: 100,000 pins in a few tens of milliseconds."""
    columns: dict[str, Any] = {}
    for name, dtype in FRAME_DTYPES.items():
        column = table.column(name)
        if dtype == DATETIME:
            columns[name] = column.cast(pa.timestamp("us", tz="UTC")).to_pandas()
        elif dtype == "object":
            columns[name] = _texts(column)
        else:  # integers; with NULLs pandas gives floats, which the nullable dtype takes back
            columns[name] = column.to_pandas()
    return pins_frame_from_columns(
        columns, lons=table.column("lon").to_numpy(), lats=table.column("lat").to_numpy()
    )
