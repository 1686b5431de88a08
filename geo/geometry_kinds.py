"""What kind of geometry a layer holds: points, lines or polygons."""

from __future__ import annotations

from typing import Final

import geopandas as gpd

from rules.errors import N_, ValidationError
from rules.layer_meta import LayerKind

_KINDS: Final[dict[str, LayerKind]] = {
    "Point": "points",
    "LineString": "lines",
    "Polygon": "polygons",
}


def kind_of(frame: gpd.GeoDataFrame) -> LayerKind:
    """points / lines / polygons from the geometry types; mixed types are refused."""
    types = set(frame.geometry.geom_type.dropna().str.replace("Multi", "", regex=False))
    found = {_KINDS.get(t) for t in types}
    if len(found) != 1 or None in found:
        raise ValidationError(
            N_("A layer holds one kind of geometry; this one has {types}."),
            types=", ".join(sorted(types)) or "none",
        )
    (kind,) = (k for k in found if k is not None)
    return kind
