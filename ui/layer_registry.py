"""All layers a planner can see: the data pack's real ones and the stored ones."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from config.settings import data_pack_dir
from datapack.loading import builtin_layers, load_city
from formats.importers import read_layer
from rules.layer_meta import LayerMeta, importer_type
from store import Store
from ui import resources


@st.cache_resource(show_spinner=False)
def city() -> BaseGeometry:
    return load_city()


@st.cache_resource(show_spinner=False)
def _builtin() -> list[tuple[LayerMeta, gpd.GeoDataFrame]]:
    """The pack's real layers, read through the same importers as uploads."""
    found = []
    for meta, dataset in builtin_layers():
        path = data_pack_dir() / dataset.file
        if not path.is_file():
            continue
        preview = read_layer(
            path.read_bytes(),
            filename=path.name,
            layer_type=importer_type(meta.layer_type),  # type: ignore[arg-type]
            city=city(),
        )
        found.append((replace(meta, feature_count=len(preview.frame)), preview.frame))
    return found


@st.cache_data(show_spinner=False, max_entries=32)
def _stored_frame(db_url: str, layer_id: str, version: str) -> gpd.GeoDataFrame:
    # `version` is part of the key: a layer removed and imported again reloads.
    del version
    return resources.store().layer_frame(layer_id)


def all_layers(store: Store) -> list[LayerMeta]:
    """Real layers first, then stored ones by name."""
    return [meta for meta, _frame in _builtin()] + store.list_layers()


def layer_frame(meta: LayerMeta) -> gpd.GeoDataFrame:
    if meta.builtin:
        for known, frame in _builtin():
            if known.id == meta.id:
                return frame
        raise KeyError(meta.id)
    store = resources.store()
    return _stored_frame(resources.settings().db_url, meta.id, store.data_version())
