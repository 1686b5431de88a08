"""Any vector layer: GeoJSON, GeoPackage, zipped shapefile or CSV; attributes kept."""

from __future__ import annotations

from shapely.geometry.base import BaseGeometry

from formats.importers.base import ImportPreview
from formats.importers.locate import locate, place_rows, preview
from formats.importers.sources import read_source


def read_vector(
    data: bytes, *, filename: str, city: BaseGeometry, max_bytes: int, layer: str | None = None
) -> ImportPreview:
    """Read a planner's vector layer of any geometry type, attributes as they are.

    CSV attributes stay text; the columns that gave the location (lat/lon or
    WKT) are not repeated as attributes.
    """
    raw = read_source(data, filename=filename, max_bytes=max_bytes, layer=layer)
    located = locate(raw, filename=filename)
    placed = place_rows(raw, located, city=city, filename=filename, points_only=False)
    attributes = raw.table.drop(columns=list(located.used_columns))
    attributes = attributes.rename(columns=lambda c: f"{c}_attribute" if c == "geometry" else c)
    return preview(attributes.iloc[placed.kept], placed, layer_type="vector", located=located)
