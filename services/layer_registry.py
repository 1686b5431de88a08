"""All layers a planner can see: the data pack's real ones and the stored ones."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
from shapely.geometry.base import BaseGeometry

from config.settings import data_pack_dir
from datapack.loading import builtin_layers, load_city
from formats.importers import read_layer
from geo.bulk import gc_paused
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
