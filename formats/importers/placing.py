"""Geometries: from columns, checked against their CRS, repaired, reprojected, clipped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from formats.importers.base import (
    OUTSIDE_CITY,
    Dropped,
    ImportFileError,
    Rows,
)
from geo.crs import STORAGE_CRS, geometry_to_metric, geometry_to_storage
from geo.pins import EDGE_TOLERANCE_M
from rules.errors import N_

Geometries = npt.NDArray[np.object_]

_MULTI: Final = {0: shapely.multipoints, 1: shapely.multilinestrings, 2: shapely.multipolygons}


@dataclass(frozen=True, slots=True)
class Placed:
    """Rows that lie in the city: positions into the input, their EPSG:4326 geometry."""

    kept: npt.NDArray[np.intp]
    geometry: Geometries
    dropped: tuple[Dropped, ...]
    repaired: tuple[int, ...]
    clipped: tuple[int, ...]
    flattened: bool = False  # the file had heights (Z), which the map leaves out


# --- geometry from columns ---------------------------------------------------------


def points(lon: npt.NDArray[np.float64], lat: npt.NDArray[np.float64]) -> Geometries:
    return np.asarray(shapely.points(lon, lat), dtype=object)


def from_wkt(values: list[str], rows: Rows, *, column: str) -> Geometries:
    """Parse WKT text; an empty cell gives None (refused later as 'no geometry')."""
    out = np.empty(len(values), dtype=object)
    for i, text in enumerate(values):
        if not text:
            continue
        try:
            out[i] = shapely.from_wkt(text, on_invalid="raise")
        except shapely.errors.ShapelyError as exc:
            raise ImportFileError(
                N_("Row {row}: the geometry cannot be read ({detail})."),
                row=int(rows[i]),
                detail=f"{column}: {exc}",
            ) from exc
    return out


# --- checks ---------------------------------------------------------------------------


def _crs(crs: str, filename: str) -> CRS:
    try:
        return CRS.from_user_input(crs)
    except CRSError as exc:
        raise ImportFileError(
            N_("The coordinate system {crs} named in {filename} is not known."),
            filename=filename,
            crs=crs,
        ) from exc


def _check_present(geometry: Geometries, rows: Rows) -> None:
    missing = np.array([g is None for g in geometry]) | shapely.is_empty(geometry)
    if missing.any():
        row = int(rows[np.flatnonzero(missing)[0]])
        raise ImportFileError(N_("Row {row} has no geometry."), row=row)
    coords = shapely.get_coordinates(geometry, include_z=False)
    if not np.isfinite(coords).all():
        counts = shapely.get_num_coordinates(geometry)
        owner = np.repeat(np.arange(len(geometry)), counts)
        i = int(owner[np.flatnonzero(~np.isfinite(coords).all(axis=1))[0]])
        raise ImportFileError(
            N_("Row {row} has coordinates that are not numbers."), row=int(rows[i])
        )


def _check_plausible(geometry: Geometries, rows: Rows, crs: CRS, crs_name: str) -> None:
    """Refuse coordinates that cannot be in the CRS the file claims."""
    bounds = shapely.bounds(geometry)
    degrees = (np.abs(bounds[:, [0, 2]]) <= 180).all(axis=1) & (
        np.abs(bounds[:, [1, 3]]) <= 90
    ).all(axis=1)
    if crs.is_geographic and not degrees.all():
        i = int(np.flatnonzero(~degrees)[0])
        raise ImportFileError(
            N_(
                "Row {row}: the coordinates {x}, {y} are not degrees, but the file says "
                "{crs}. They look like metres, for example EPSG:25832 (UTM zone 32N); "
                "save the file with its real coordinate system."
            ),
            row=int(rows[i]),
            x=round(float(bounds[i, 0]), 6),
            y=round(float(bounds[i, 1]), 6),
            crs=crs_name,
        )
    if crs.is_projected and degrees.any():
        i = int(np.flatnonzero(degrees)[0])
        raise ImportFileError(
            N_(
                "Row {row}: the coordinates {x}, {y} look like degrees, but the file says "
                "{crs}, which counts in metres; save the file with its real coordinate system."
            ),
            row=int(rows[i]),
            x=round(float(bounds[i, 0]), 6),
            y=round(float(bounds[i, 1]), 6),
            crs=crs_name,
        )


def _same_dimension(geom: BaseGeometry, dimension: int) -> BaseGeometry | None:
    """The parts of `geom` of the given dimension, as one geometry (None if none)."""
    parts = [
        single
        for part in shapely.get_parts(geom)
        for single in shapely.get_parts(part)
        if shapely.get_dimensions(single) == dimension and not single.is_empty
    ]
    if not parts:
        return None
    if len(parts) == 1:
        only: BaseGeometry = parts[0]
        return only
    combined: BaseGeometry = _MULTI[dimension](parts)
    return combined


def _repair(geometry: Geometries, rows: Rows) -> tuple[Geometries, tuple[int, ...]]:
    """make_valid every invalid geometry if the result keeps its dimension.

    A self-crossing polygon becomes a multipolygon; a polygon that collapses
    to a line cannot be repaired and is refused.
    """
    invalid = np.flatnonzero(~shapely.is_valid(geometry))
    if not len(invalid):
        return geometry, ()
    out = geometry.copy()
    for i in invalid:
        original = geometry[i]
        fixed = _same_dimension(shapely.make_valid(original), shapely.get_dimensions(original))
        if fixed is None:
            raise ImportFileError(
                N_("Row {row}: the geometry is invalid and cannot be repaired ({detail})."),
                row=int(rows[i]),
                detail=shapely.is_valid_reason(original),
            )
        out[i] = fixed
    return out, tuple(int(rows[i]) for i in invalid)


def _only_points(geometry: Geometries, rows: Rows) -> Geometries:
    out = geometry.copy()
    for i, geom in enumerate(geometry):
        if isinstance(geom, Point):
            continue
        if isinstance(geom, MultiPoint) and len(geom.geoms) == 1:
            out[i] = geom.geoms[0]
            continue
        raise ImportFileError(
            N_("Row {row} is a {geometry_type}; this layer takes only points."),
            row=int(rows[i]),
            geometry_type=geom.geom_type,
        )
    return out


# --- clip to the city ---------------------------------------------------------------------


def _swapped_would_fit(geometry: Geometries, zone: BaseGeometry) -> int:
    swapped = shapely.transform(geometry, lambda coords: coords[:, ::-1])
    return int(shapely.covers(zone, swapped).sum())


def _clip(
    geometry: Geometries, rows: Rows, city: BaseGeometry, *, filename: str, geographic: bool
) -> tuple[npt.NDArray[np.intp], Geometries, tuple[Dropped, ...], tuple[int, ...]]:
    zone = geometry_to_storage(geometry_to_metric(city).buffer(EDGE_TOLERANCE_M))
    shapely.prepare(zone)
    inside = shapely.covers(zone, geometry)
    out = geometry.copy()
    clipped: list[int] = []
    crossing = np.flatnonzero(~inside & (shapely.get_dimensions(geometry) > 0))
    crossing = crossing[shapely.intersects(zone, geometry[crossing])]
    for i in crossing:
        part = _same_dimension(
            shapely.intersection(geometry[i], city), shapely.get_dimensions(geometry[i])
        )
        if part is not None:
            out[i] = part
            inside[i] = True
            clipped.append(int(rows[i]))
    if not inside.any():
        if geographic and (fits := _swapped_would_fit(geometry, zone)):
            raise ImportFileError(
                N_(
                    "No row of {filename} lies in Dortmund, but {count} would with latitude "
                    "and longitude swapped. Check the order of the coordinates."
                ),
                filename=filename,
                count=fits,
            )
        raise ImportFileError(
            N_("No row of {filename} lies in Dortmund (rows outside: {count})."),
            filename=filename,
            count=len(geometry),
        )
    dropped = tuple(Dropped(row=int(r), reason=OUTSIDE_CITY) for r in rows[~inside])
    kept = np.flatnonzero(inside)
    return kept, out[kept], dropped, tuple(clipped)


def place(
    geometry: Geometries,
    rows: Rows,
    *,
    crs: str,
    city: BaseGeometry,
    filename: str,
    points_only: bool = False,
) -> Placed:
    """Check, repair, reproject to EPSG:4326 and clip geometries to `city`.

    Raises ImportFileError naming the first row without geometry, with
    coordinates that cannot be in `crs`, with an unrepairable geometry or
    (with `points_only`) with a geometry that is not a point, and when no row
    lies in the city. Rows outside the city are dropped; lines and polygons
    that cross its boundary are cut. The input array is not changed.
    """
    source = _crs(crs, filename)
    _check_present(geometry, rows)
    flattened = bool(shapely.has_z(geometry).any())
    geometry = np.asarray(shapely.force_2d(geometry), dtype=object)
    _check_plausible(geometry, rows, source, crs)
    geometry, repaired = _repair(geometry, rows)
    if points_only:
        geometry = _only_points(geometry, rows)
    stored = np.asarray(
        gpd.GeoSeries(geometry, crs=source).to_crs(STORAGE_CRS).to_numpy(), dtype=object
    )
    kept, kept_geometry, dropped, clipped = _clip(
        stored, rows, city, filename=filename, geographic=source.is_geographic
    )
    return Placed(
        kept=kept,
        geometry=kept_geometry,
        dropped=dropped,
        repaired=repaired,
        clipped=clipped,
        flattened=flattened,
    )
