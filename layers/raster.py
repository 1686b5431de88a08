"""Rasters (density, distance to the nearest lamp) as image overlays."""

from __future__ import annotations

from collections.abc import Sequence

import folium
import numpy as np

# Colour ramps as (position 0..1, (r, g, b)) stops.
HEAT: Sequence[tuple[float, tuple[int, int, int]]] = (
    (0.0, (255, 255, 204)),
    (0.35, (253, 174, 97)),
    (0.7, (240, 59, 32)),
    (1.0, (128, 0, 38)),
)
DARKNESS: Sequence[tuple[float, tuple[int, int, int]]] = (
    (0.0, (255, 237, 160)),
    (0.4, (120, 120, 160)),
    (1.0, (20, 20, 60)),
)


def colourise(
    values: np.ndarray,
    *,
    ramp: Sequence[tuple[float, tuple[int, int, int]]],
    vmin: float,
    vmax: float,
    nodata: float | None = None,
    transparent_below: float | None = None,
) -> np.ndarray:
    """RGBA uint8 image of `values`; nodata, NaN and values below the threshold are clear."""
    data = np.asarray(values, dtype="float64")
    span = vmax - vmin if vmax > vmin else 1.0
    # +inf (e.g. no working lamp at all) is as far as it gets: the end of the ramp.
    finite = np.nan_to_num(data, nan=vmin, posinf=vmax, neginf=vmin)
    scaled = np.clip((finite - vmin) / span, 0.0, 1.0)
    positions = [p for p, _rgb in ramp]
    rgba = np.zeros((*data.shape, 4), dtype="uint8")
    for channel in range(3):
        rgba[..., channel] = np.interp(scaled, positions, [rgb[channel] for _p, rgb in ramp])
    clear = np.isnan(data)
    if nodata is not None:
        clear |= data == nodata
    if transparent_below is not None:
        clear |= data < transparent_below
    rgba[..., 3] = np.where(clear, 0, 200)
    return rgba


def image_overlay(
    rgba: np.ndarray, *, bounds_lonlat: tuple[float, float, float, float], name: str
) -> folium.FeatureGroup:
    """An RGBA image over (south, west, north, east) as one feature group.

    The image is in the metric grid's rows and columns; at quarter scale the
    difference to Web Mercator is well under a cell.
    """
    south, west, north, east = bounds_lonlat
    group = folium.FeatureGroup(name=name)
    folium.raster_layers.ImageOverlay(
        image=rgba,
        bounds=[[south, west], [north, east]],
        opacity=1.0,
        interactive=False,
        cross_origin=False,
        zindex=2,
    ).add_to(group)
    return group
