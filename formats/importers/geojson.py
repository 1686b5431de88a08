"""GeoJSON: parsed here, so every problem can name its feature."""

from __future__ import annotations

import json
import logging
from typing import Any, Final

import numpy as np
import pandas as pd
import shapely.geometry
from pyproj import CRS
from pyproj.exceptions import CRSError

from formats.importers.base import BAD_JSON, ImportFileError, RawTable
from geo.crs import STORAGE_CRS
from rules.errors import N_

_GEOMETRY_TYPES: Final = frozenset(
    {
        "Point",
        "MultiPoint",
        "LineString",
        "MultiLineString",
        "Polygon",
        "MultiPolygon",
        "GeometryCollection",
    }
)

_log = logging.getLogger(__name__)


def _load(data: bytes, filename: str) -> Any:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            N_("The file {filename} is not UTF-8 text, as GeoJSON must be."), filename=filename
        ) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        _log.info("JSON %s invalid: %s", filename, exc)
        raise ImportFileError(
            BAD_JSON, filename=filename, line=exc.lineno, column=exc.colno
        ) from exc
    except RecursionError as exc:  # nested too deeply to be a map layer
        raise ImportFileError(BAD_JSON, filename=filename, line=1, column=1) from exc


def _crs_name(document: dict[str, Any], filename: str) -> tuple[str, bool]:
    """The CRS the document names (GeoJSON 2008 `crs` member), or EPSG:4326 assumed."""
    member = document.get("crs")
    if member is None:
        return STORAGE_CRS, True  # RFC 7946: coordinates are WGS84 lon/lat
    properties = member.get("properties", {}) if isinstance(member, dict) else {}
    if not isinstance(properties, dict):
        properties = {}
    name = properties.get("name")
    if name is None and properties.get("code") is not None:
        name = f"EPSG:{properties['code']}"
    try:
        crs = CRS.from_user_input(str(name))
    except CRSError as exc:
        raise ImportFileError(
            N_("The coordinate system {crs} named in {filename} is not known."),
            filename=filename,
            crs=str(name),
        ) from exc
    authority = crs.to_authority()
    return (f"{authority[0]}:{authority[1]}" if authority else crs.to_string()), False


def _features(document: Any, filename: str) -> list[Any]:
    kind = document.get("type") if isinstance(document, dict) else type(document).__name__
    if kind == "FeatureCollection":
        features = document.get("features")
        if not isinstance(features, list):
            raise ImportFileError(
                N_("The file {filename} is not GeoJSON: its features are not a list."),
                filename=filename,
            )
        return features
    if kind == "Feature":
        return [document]
    if kind in _GEOMETRY_TYPES:
        return [{"type": "Feature", "geometry": document, "properties": {}}]
    raise ImportFileError(
        N_(
            "The file {filename} is not GeoJSON: expected a FeatureCollection, "
            "a Feature or a geometry, found {found}."
        ),
        filename=filename,
        found=str(kind),
    )


def read_geojson(data: bytes, *, filename: str) -> RawTable:
    """Read a GeoJSON file; features without geometry keep None (the layer refuses them)."""
    document = _load(data, filename)
    features = _features(document, filename)
    if not features:
        raise ImportFileError(N_("The file {filename} has no rows or features."), filename=filename)
    crs, assumed = _crs_name(document, filename)
    geometries = np.empty(len(features), dtype=object)
    properties: list[dict[str, Any]] = []
    for index, feature in enumerate(features):
        row = index + 1
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise ImportFileError(
                N_("Row {row} of {filename} is not a GeoJSON Feature."), filename=filename, row=row
            )
        raw_geometry = feature.get("geometry")
        if raw_geometry is not None:
            try:
                geometries[index] = shapely.geometry.shape(raw_geometry)
            except Exception as exc:  # shapely raises several types for malformed input
                raise ImportFileError(
                    N_("Row {row}: the geometry cannot be read ({detail})."),
                    row=row,
                    detail=str(exc) or type(exc).__name__,
                ) from exc
        props = feature.get("properties") or {}
        properties.append(props if isinstance(props, dict) else {})
    table = pd.DataFrame.from_records(properties, index=pd.RangeIndex(len(properties)))
    return RawTable(
        table=table,
        rows=np.arange(1, len(features) + 1, dtype=np.int64),
        geometry=geometries,
        crs=crs,
        crs_assumed=assumed,
        kind="vector",
    )
