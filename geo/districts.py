"""Dortmund's statistical districts: the validated pack and the rules that clean it.

Pure: takes frames that a loader has read (see datapack.loading) and returns
frames; reads no files.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.crs import STORAGE_CRS
from rules.errors import FETCH_COMMAND, N_, DataPackError
from rules.quarters import Quarter

_DISTRICT_COLUMNS = {"statistischer_bezirk_nr": "district_id", "statistischer_bezirk": "name"}

# Dortmund numbers its statistical districts by Stadtbezirk (first digit, and
# for the inner city the first two digits).
_INNER_CITY = {
    "0": "Innenstadt-West",
    "04": "Innenstadt-Nord",
    "05": "Innenstadt-Nord",
    "06": "Innenstadt-Nord",
    "07": "Innenstadt-Ost",
    "08": "Innenstadt-Ost",
    "09": "Innenstadt-Ost",
}
_BOROUGHS = {
    "1": "Eving",
    "2": "Scharnhorst",
    "3": "Brackel",
    "4": "Aplerbeck",
    "5": "Hörde",
    "6": "Hombruch",
    "7": "Lütgendortmund",
    "8": "Huckarde",
    "9": "Mengede",
}


@dataclass(frozen=True, slots=True)
class DistrictPack:
    """All statistical districts, validated, in EPSG:4326.

    `districts` has the columns district_id, name, borough, geometry and is
    indexed by district_id. `repairs` says what loading had to fix.
    """

    districts: gpd.GeoDataFrame
    quarters: tuple[Quarter, ...]
    repairs: tuple[str, ...] = field(default=())

    @property
    def district_ids(self) -> tuple[str, ...]:
        """The district numbers of the lab quarters, in the manifest's order."""
        return tuple(q.district_id for q in self.quarters)

    def geometry(self, district_id: str) -> BaseGeometry:
        geom: BaseGeometry = self.districts.geometry.loc[district_id]
        return geom

    def name(self, district_id: str) -> str:
        return str(self.districts.loc[district_id, "name"])

    def short_labels(self) -> dict[str, str]:
        """district_id -> how people call it: the lab quarters by their lab name."""
        labels = {
            str(d): str(n)
            for d, n in zip(self.districts["district_id"], self.districts["name"], strict=True)
        }
        labels.update({q.district_id: q.label for q in self.quarters})
        return labels


def borough_for(district_id: str) -> str:
    """The Stadtbezirk of a statistical district number ("320" -> "Brackel")."""
    if district_id.startswith("0"):
        return _INNER_CITY.get(district_id[:2], _INNER_CITY["0"])
    return _BOROUGHS.get(district_id[:1], "")


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """Keep only the polygon parts of a repaired geometry."""
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon | MultiPolygon)]
    polys: list[Polygon] = []
    for part in parts:
        polys.extend(part.geoms if isinstance(part, MultiPolygon) else [part])
    return MultiPolygon(polys) if polys else Polygon()


def validate_districts(
    raw: gpd.GeoDataFrame, quarters: Sequence[Quarter]
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Check and clean raw district features; return (districts, repairs).

    Raises DataPackError naming what is wrong. The input is not changed.
    """
    missing = [c for c in _DISTRICT_COLUMNS if c not in raw.columns]
    if missing:
        raise DataPackError(
            N_("The district data lacks the columns {columns}. Run: {command}"),
            columns=", ".join(missing),
            command=FETCH_COMMAND,
        )
    repairs: list[str] = []
    gdf = gpd.GeoDataFrame(
        raw[list(_DISTRICT_COLUMNS)].rename(columns=_DISTRICT_COLUMNS),
        geometry=raw.geometry.to_numpy(),
        crs=raw.crs,
    )
    if gdf.crs is None:
        # RFC 7946: GeoJSON without a crs member is WGS84.
        gdf = gdf.set_crs(STORAGE_CRS)
        repairs.append("no CRS given; assumed EPSG:4326 (GeoJSON default)")
    elif gdf.crs != STORAGE_CRS:
        repairs.append(f"reprojected from {gdf.crs.to_string()} to {STORAGE_CRS}")
        gdf = gdf.to_crs(STORAGE_CRS)
    gdf["district_id"] = gdf["district_id"].astype(str).str.strip().str.zfill(3)
    gdf["name"] = gdf["name"].astype(str).str.strip()
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        dropped = ", ".join(gdf.loc[empty, "district_id"])
        repairs.append(f"dropped districts without geometry: {dropped}")
        gdf = gdf.loc[~empty]
    invalid = ~gdf.geometry.is_valid
    if invalid.any():
        fixed = [_polygonal(make_valid(g)) for g in gdf.geometry[invalid]]
        gdf.loc[invalid, "geometry"] = gpd.GeoSeries(fixed, index=gdf.index[invalid], crs=gdf.crs)
        repairs.append(
            "repaired invalid outlines of districts " + ", ".join(gdf.loc[invalid, "district_id"])
        )
    if gdf["district_id"].duplicated().any():
        dupes = ", ".join(sorted(set(gdf.loc[gdf["district_id"].duplicated(), "district_id"])))
        raise DataPackError(
            N_("The district data has duplicate district numbers ({ids}). Run: {command}"),
            ids=dupes,
            command=FETCH_COMMAND,
        )
    absent = [q.district_id for q in quarters if q.district_id not in set(gdf["district_id"])]
    if absent:
        raise DataPackError(
            N_("The district data lacks the lab quarters {ids}. Run: {command}"),
            ids=", ".join(absent),
            command=FETCH_COMMAND,
        )
    gdf["borough"] = gdf["district_id"].map(borough_for)
    gdf = gdf[["district_id", "name", "borough", "geometry"]].sort_values("district_id")
    gdf.index = pd.Index(gdf["district_id"].to_numpy())
    return gdf, repairs
