"""Loading the fetched data pack: districts validated, the city outline, landmarks,
and the pack's datasets that are planner layers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Final

import geopandas as gpd
import pandas as pd
from shapely import make_valid
from shapely.geometry.base import BaseGeometry

from config.settings import PROJECT_DIR, data_pack_dir
from datapack.manifest import Dataset, Manifest, parse_manifest
from geo.crs import STORAGE_CRS, to_storage
from geo.districts import DistrictPack, validate_districts
from rules.errors import FETCH_COMMAND, N_, DataPackError
from rules.layer_meta import LayerMeta
from rules.stop_names import readable_stop_name

MANIFEST_PATH: Final = PROJECT_DIR / "data" / "districts" / "manifest.json"


def load_manifest(path: Path = MANIFEST_PATH) -> Manifest:
    return parse_manifest(json.loads(path.read_text(encoding="utf-8")))


def _read(path: Path) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataPackError(
            N_("The district data is missing ({detail}). Run: {command}"),
            detail=path.name,
            command=FETCH_COMMAND,
        )
    try:
        return gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for broken files
        raise DataPackError(
            N_("The district data is broken ({detail}). Run: {command}"),
            detail=f"{path.name}: {exc}",
            command=FETCH_COMMAND,
        ) from exc


def load_districts(pack_dir: Path | None = None, manifest: Manifest | None = None) -> DistrictPack:
    """Read and validate all statistical districts from the fetched pack."""
    manifest = manifest or load_manifest()
    pack_dir = pack_dir or data_pack_dir()
    raw = _read(pack_dir / manifest.dataset("districts").file)
    districts, repairs = validate_districts(raw, manifest.quarters)
    return DistrictPack(districts=districts, quarters=manifest.quarters, repairs=tuple(repairs))


# Datasets of the pack that are planner layers: dataset id -> (layer type, German, English name).
_BUILTIN_LAYERS = {
    "accidents": (
        "accidents",
        "Unfälle mit Personenschaden (Unfallatlas)",
        "Injury accidents (accident atlas)",
    ),
    "stops": ("stops", "Haltestellen (VRR)", "Public-transport stops (VRR)"),
    "schools": ("schools", "Schulen und Kitas (OSM)", "Schools and childcare (OSM)"),
}


def builtin_layers(manifest: Manifest | None = None) -> list[tuple[LayerMeta, Dataset]]:
    """The pack's real datasets that the planner can lay over the pins."""
    manifest = manifest or load_manifest()
    found = []
    for dataset_id, (layer_type, name_de, name_en) in _BUILTIN_LAYERS.items():
        dataset = manifest.dataset(dataset_id)
        meta = LayerMeta(
            id=f"pack-{dataset_id}",
            name_de=name_de,
            name_en=name_en,
            layer_type=layer_type,
            kind="points",
            source=dataset.source_page,
            licence=dataset.licence,
            attribution=dataset.attribution,
            data_date=dataset.data_date,
            demo=False,
            builtin=True,
        )
        found.append((meta, dataset))
    return found


def load_city(pack_dir: Path | None = None, manifest: Manifest | None = None) -> BaseGeometry:
    """Dortmund's outline (EPSG:4326): the OSM boundary, or the districts' union without it."""
    manifest = manifest or load_manifest()
    pack_dir = pack_dir or data_pack_dir()
    path = pack_dir / manifest.dataset("city_boundary").file
    if path.is_file():
        outline = to_storage(gpd.read_file(path))
        polygons = outline[outline.geom_type.isin(["Polygon", "MultiPolygon"])]
        if not polygons.empty:
            return make_valid(polygons.union_all())
    districts = load_districts(pack_dir, manifest).districts
    return make_valid(districts.union_all())


def load_landmarks(
    pack_dir: Path | None = None, manifest: Manifest | None = None
) -> gpd.GeoDataFrame:
    """Stops and schools as landmarks: columns name, kind, geometry (EPSG:4326).

    Landmarks are optional; a missing file gives fewer landmarks, not an error.
    """
    manifest = manifest or load_manifest()
    pack_dir = pack_dir or data_pack_dir()
    frames = []
    stops_path = pack_dir / manifest.dataset("stops").file
    if stops_path.is_file():
        stops = to_storage(gpd.read_file(stops_path))
        frames.append(
            gpd.GeoDataFrame(
                {"name": stops["stop_name"].astype(str).map(readable_stop_name), "kind": "stop"},
                geometry=stops.geometry,
                crs=STORAGE_CRS,
            )
        )
    schools_path = pack_dir / manifest.dataset("schools").file
    if schools_path.is_file():
        schools = to_storage(gpd.read_file(schools_path))
        schools = schools[schools["name"].fillna("").str.strip() != ""]
        frames.append(
            gpd.GeoDataFrame(
                {"name": schools["name"].astype(str), "kind": schools["type"].astype(str)},
                geometry=schools.geometry.representative_point(),
                crs=STORAGE_CRS,
            )
        )
    if not frames:
        return gpd.GeoDataFrame({"name": [], "kind": []}, geometry=[], crs=STORAGE_CRS)
    merged = pd.concat(frames, ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=STORAGE_CRS)
