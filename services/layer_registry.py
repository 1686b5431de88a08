"""All layers a planner can see: the data pack's real ones and the stored ones."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry.base import BaseGeometry

from config.settings import data_pack_dir
from datapack.loading import builtin_layers, load_city
from formats.importers import read_layer
from geo.bulk import gc_paused
from geo.crs import to_storage
from rules.layer_meta import LayerMeta, importer_type
from store import Store

BuiltinLayers = Sequence[tuple[LayerMeta, gpd.GeoDataFrame]]


def city() -> BaseGeometry:
    """Dortmund's outline (EPSG:4326), which every layer is clipped to."""
    return load_city()


def read_builtin_layers(
    city: BaseGeometry, pack_dir: Path | None = None
) -> list[tuple[LayerMeta, gpd.GeoDataFrame]]:
    """The pack's real layers that were fetched, read through the same importers as
    uploads; a file not fetched gives no layer."""
    pack_dir = pack_dir or data_pack_dir()
    found = []
    for meta, dataset in builtin_layers():
        path = pack_dir / dataset.file
        if not path.is_file():
            continue
        with gc_paused():  # thousands of features, no cycles among them
            preview = read_layer(
                path.read_bytes(),
                filename=path.name,
                layer_type=importer_type(meta.layer_type),
                city=city,
            )
        found.append((replace(meta, feature_count=len(preview.frame)), preview.frame))
    return found


def all_layers(builtin: BuiltinLayers, store: Store) -> list[LayerMeta]:
    """Real layers first, then stored ones by name."""
    return [meta for meta, _frame in builtin] + store.list_layers()


def builtin_frame(builtin: BuiltinLayers, layer_id: str) -> gpd.GeoDataFrame:
    """The features of one of the pack's real layers; KeyError for another id."""
    for known, frame in builtin:
        if known.id == layer_id:
            return frame
    raise KeyError(layer_id)


def by_id(layers: Iterable[LayerMeta]) -> dict[str, LayerMeta]:
    """The layers keyed by their id."""
    return {meta.id: meta for meta in layers}


def layers_of_type(layers: Iterable[LayerMeta], layer_type: str) -> list[LayerMeta]:
    """The layers of `layer_type` ("lamps", "survey", ...), in their order."""
    return [meta for meta in layers if meta.layer_type == layer_type]


def layer_of_type(layers: Iterable[LayerMeta], layer_type: str) -> LayerMeta | None:
    """The first layer of `layer_type`, or None when there is none."""
    return next(iter(layers_of_type(layers, layer_type)), None)


_DIGEST_GRID_DEGREES = 1e-7  # about 1 cm: a copy read again still matches


def places_digest(frame: gpd.GeoDataFrame) -> str:
    """A fingerprint of where a layer's features lie, independent of their order and
    attributes: two files with the same places give the same digest (a copy uploaded
    under another name or kind of data is still recognised).

    >>> from shapely.geometry import Point
    >>> a = gpd.GeoDataFrame(geometry=[Point(7.5, 51.5), Point(7.6, 51.6)], crs=4326)
    >>> places_digest(a) == places_digest(a.iloc[::-1])
    True
    >>> places_digest(a.iloc[:0]) == places_digest(a.iloc[:1])
    False
    """
    geometries = to_storage(frame).geometry.to_numpy()
    snapped = shapely.normalize(shapely.set_precision(geometries, _DIGEST_GRID_DEGREES))
    digest = hashlib.sha256(str(len(snapped)).encode())
    for wkb in sorted(shapely.to_wkb(snapped, output_dimension=2)):
        digest.update(wkb)
    return digest.hexdigest()


def copies_of(digest: str, known: Iterable[tuple[LayerMeta, str]]) -> list[LayerMeta]:
    """The known layers (meta, places_digest) whose features lie where `digest`'s do."""
    return [meta for meta, other in known if other == digest]


def same_name(name: str, layers: Iterable[LayerMeta]) -> LayerMeta | None:
    """The first layer whose German or English name is `name` (case and spaces ignored)."""
    wanted = " ".join(name.split()).casefold()
    for meta in layers:
        if wanted in {" ".join(n.split()).casefold() for n in (meta.name_de, meta.name_en)}:
            return meta
    return None
