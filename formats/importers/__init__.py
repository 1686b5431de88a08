"""Importers for planner layers: read a file, validate it, clip it to the city.

`read_layer` is the one entry point. It takes the uploaded bytes and returns
an ImportPreview in EPSG:4326, or raises ImportFileError (a ValidationError)
whose msgid and params say what is wrong and in which row; nothing is
returned partially. Rows outside the city are not an error: they are left
out and listed in `ImportPreview.dropped`.

Formats: GeoJSON, GeoPackage, zipped shapefile, CSV (lat/lon or WKT), a zip
holding one of these; for stops also a GTFS zip, for accidents the
Unfallatlas CSV.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from formats.importers.accidents import read_accidents
from formats.importers.base import (
    DEFAULT_MAX_BYTES,
    OUTSIDE_CITY,
    Dropped,
    ImportFileError,
    ImportPreview,
)
from formats.importers.lamps import read_lamps
from formats.importers.stops import NOT_A_STOP, read_stops
from formats.importers.survey import read_survey
from formats.importers.vector import read_vector
from rules.layer_meta import IMPORTER_TYPES, ImporterType

__all__ = [
    "DEFAULT_MAX_BYTES",
    "NOT_A_STOP",
    "OUTSIDE_CITY",
    "Dropped",
    "ImportFileError",
    "ImportPreview",
    "read_layer",
]

_Reader = Callable[..., ImportPreview]
_READERS: Final[dict[ImporterType, _Reader]] = {
    "vector": read_vector,
    "stops": read_stops,
    "accidents": read_accidents,
    "survey": read_survey,
    "lamps": read_lamps,
}


def read_layer(
    data: bytes,
    *,
    filename: str,
    layer_type: ImporterType,
    city: BaseGeometry,
    max_bytes: int = DEFAULT_MAX_BYTES,
    layer: str | None = None,
) -> ImportPreview:
    """Read an uploaded file as a layer of `layer_type`, clipped to `city`.

    `city` is the city outline in EPSG:4326. `max_bytes` limits the upload
    (checked before parsing; a zip may unpack to at most ten times that, and
    never more than 200 MB). `layer` names the GeoPackage layer when the file
    has several. Raises ImportFileError for any bad input; ValueError for a
    wrong argument.
    """
    if layer_type not in _READERS:
        raise ValueError(f"'layer_type' should be one of {IMPORTER_TYPES}, got {layer_type!r}")
    if not isinstance(city, Polygon | MultiPolygon) or city.is_empty:
        raise ValueError(f"'city' should be a non-empty (Multi)Polygon, got {city.geom_type}")
    if max_bytes <= 0:
        raise ValueError(f"'max_bytes' should be positive, got {max_bytes}")
    return _READERS[layer_type](
        bytes(data), filename=filename, city=city, max_bytes=max_bytes, layer=layer
    )
