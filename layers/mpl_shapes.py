"""Shapely geometries onto Matplotlib axes as single collections.

GeoPandas' `.plot()` asks the canvas to draw the whole figure each time it is called
(`draw_idle`); with the Agg backend that renders the figure once per call, and a
figure with a few layers was drawn several times before it was saved. A collection
per layer draws once, when the figure is saved.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection, PolyCollection
from shapely.geometry.base import BaseGeometry


def _parts(geoms: Iterable[BaseGeometry]) -> np.ndarray:
    """The single polygons of polygons and multipolygons; everything else dropped."""
    parts = shapely.get_parts(np.asarray(list(geoms), dtype=object))
    return parts[shapely.get_type_id(parts) == 3]  # Polygon


def _split(rings: np.ndarray) -> list[np.ndarray]:
    """Rings as vertex arrays, in one vectorised pass."""
    if rings.size == 0:
        return []
    coords = shapely.get_coordinates(rings)
    ends = np.cumsum(shapely.get_num_coordinates(rings))[:-1]
    return np.split(coords, ends)


def add_polygons(ax: Axes, geoms: Iterable[BaseGeometry], **style: Any) -> PolyCollection:
    """Filled polygons (their outer rings) as one collection; `style` as PolyCollection's."""
    collection = PolyCollection(_split(shapely.get_exterior_ring(_parts(geoms))), **style)
    ax.add_collection(collection)
    ax.autoscale_view()
    return collection


def add_outlines(ax: Axes, geoms: Iterable[BaseGeometry], **style: Any) -> LineCollection:
    """The boundary lines of polygons (outer and inner rings) as one collection."""
    parts = _parts(geoms)
    rings = [shapely.get_exterior_ring(parts)]
    for polygon in parts:
        rings.append(np.asarray(list(polygon.interiors), dtype=object))
    collection = LineCollection(_split(np.concatenate(rings)), **style)
    ax.add_collection(collection)
    ax.autoscale_view()
    return collection
