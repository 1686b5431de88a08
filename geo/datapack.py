"""The district data pack: manifest of official sources, fetch, and validated loading.

Run ``python -m geo.datapack fetch`` to download the official files, or set
``SQ_DATA_MIRROR`` to a folder holding them to copy them from there (offline).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely import make_valid
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from geo.crs import STORAGE_CRS
from geo.errors import N_, DataPackError
from geo.layer import LayerMeta

PROJECT_DIR = Path(__file__).resolve().parents[1]
MANIFEST_PATH = PROJECT_DIR / "data" / "districts" / "manifest.json"
DEFAULT_PACK_DIR = PROJECT_DIR / "data" / "districts" / "cache"
FETCH_COMMAND = "python -m geo.datapack fetch"
MIRROR_ENV = "SQ_DATA_MIRROR"
PACK_DIR_ENV = "SQ_DATA_DIR"
STAMP_FILE = "pack.json"

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
class Dataset:
    id: str
    file: str
    title: str
    publisher: str
    source_page: str
    download_url: str | None
    format: str
    licence: str
    licence_url: str | None
    attribution: str
    data_date: str | None
    required: bool
    columns: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quarter:
    """A lab quarter: a friendly label for one statistical district."""

    id: str
    label: str
    district_id: str


@dataclass(frozen=True, slots=True)
class Manifest:
    quarters: tuple[Quarter, ...]
    datasets: tuple[Dataset, ...]

    def dataset(self, dataset_id: str) -> Dataset:
        for dataset in self.datasets:
            if dataset.id == dataset_id:
                return dataset
        raise KeyError(dataset_id)


@dataclass(frozen=True, slots=True)
class DistrictPack:
    """All statistical districts, validated, in EPSG:4326.

    `districts` has the columns district_id, name, borough, geometry and is
    indexed by district_id. `repairs` says what loading had to fix.
    """

    districts: gpd.GeoDataFrame
    quarters: tuple[Quarter, ...]
    repairs: tuple[str, ...] = field(default=())

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


def load_manifest(path: Path = MANIFEST_PATH) -> Manifest:
    raw = json.loads(path.read_text(encoding="utf-8"))
    quarters = tuple(
        Quarter(id=q["id"], label=q["label"], district_id=q["district"]) for q in raw["quarters"]
    )
    datasets = tuple(
        Dataset(**{**d, "columns": tuple(d.get("columns", ()))}) for d in raw["datasets"]
    )
    return Manifest(quarters=quarters, datasets=datasets)


def default_pack_dir() -> Path:
    return Path(os.environ.get(PACK_DIR_ENV, DEFAULT_PACK_DIR))


# --- fetch -----------------------------------------------------------------


def fetch(manifest: Manifest, dest: Path, *, mirror: Path | None = None) -> list[str]:
    """Bring every dataset of the manifest into `dest`; return one line per dataset.

    With `mirror`, files are copied from that folder (offline); otherwise each
    dataset with a direct download URL is downloaded. A required dataset that
    cannot be had raises DataPackError; optional ones are reported and skipped.
    """
    from geo._download import download

    dest.mkdir(parents=True, exist_ok=True)
    report: list[str] = []
    hashes: dict[str, str] = {}
    for dataset in manifest.datasets:
        target = dest / dataset.file
        if mirror is not None:
            source = mirror / dataset.file
            if source.is_file():
                shutil.copyfile(source, target)
                report.append(f"{dataset.id}: copied from mirror")
            else:
                report.append(f"{dataset.id}: not in mirror {mirror}")
        elif dataset.download_url:
            try:
                download(dataset.download_url, target)
                report.append(f"{dataset.id}: downloaded")
            except OSError as exc:
                report.append(f"{dataset.id}: download failed ({exc})")
        else:
            report.append(
                f"{dataset.id}: no direct download; import it from {dataset.source_page} "
                f"or give a mirror folder in {MIRROR_ENV}"
            )
        if target.is_file():
            hashes[dataset.file] = hashlib.sha256(target.read_bytes()).hexdigest()
        elif dataset.required:
            raise DataPackError(
                N_("The district data could not be fetched ({detail}). Run: {command}"),
                detail=report[-1],
                command=FETCH_COMMAND,
            )
    stamp = {
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mirror": str(mirror) if mirror else None,
        "sha256": hashes,
    }
    (dest / STAMP_FILE).write_text(json.dumps(stamp, indent=2), encoding="utf-8")
    return report


# --- validation ----------------------------------------------------------------


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


# --- loading -------------------------------------------------------------------


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
    pack_dir = pack_dir or default_pack_dir()
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
    pack_dir = pack_dir or default_pack_dir()
    path = pack_dir / manifest.dataset("city_boundary").file
    if path.is_file():
        outline = gpd.read_file(path).to_crs(STORAGE_CRS)
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
    pack_dir = pack_dir or default_pack_dir()
    frames = []
    stops_path = pack_dir / manifest.dataset("stops").file
    if stops_path.is_file():
        stops = gpd.read_file(stops_path).to_crs(STORAGE_CRS)
        frames.append(
            gpd.GeoDataFrame(
                {"name": stops["stop_name"].astype(str), "kind": "stop"},
                geometry=stops.geometry,
                crs=STORAGE_CRS,
            )
        )
    schools_path = pack_dir / manifest.dataset("schools").file
    if schools_path.is_file():
        schools = gpd.read_file(schools_path).to_crs(STORAGE_CRS)
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


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m geo.datapack", description=__doc__)
    parser.add_argument("command", choices=["fetch", "check"])
    parser.add_argument(
        "--dest", type=Path, default=None, help="pack folder (default: data/districts/cache)"
    )
    parser.add_argument(
        "--mirror", type=Path, default=None, help=f"mirror folder (default: ${MIRROR_ENV})"
    )
    args = parser.parse_args(argv)
    dest = args.dest or default_pack_dir()
    manifest = load_manifest()
    try:
        if args.command == "fetch":
            mirror = args.mirror or (
                Path(os.environ[MIRROR_ENV]) if os.environ.get(MIRROR_ENV) else None
            )
            for line in fetch(manifest, dest, mirror=mirror):
                print(f"datapack: {line}")
        pack = load_districts(dest, manifest)
    except DataPackError as exc:
        print(f"datapack: {exc}", file=sys.stderr)
        return 1
    for repair in pack.repairs:
        print(f"datapack: repaired: {repair}")
    print(f"datapack: {len(pack.districts)} statistical districts ready in {dest}")
    return 0


if __name__ == "__main__":
    sys.exit(_main())
