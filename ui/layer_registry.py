"""The layer registry (services.layer_registry) behind the screens' caches."""

from __future__ import annotations

import geopandas as gpd
import streamlit as st
from shapely.geometry.base import BaseGeometry

from geo.crs import to_metric
from rules.layer_meta import LayerMeta
from services import layer_registry as registry
from store import Store
from ui import resources


@st.cache_resource(show_spinner=False)
def city() -> BaseGeometry:
    return registry.city()


@st.cache_resource(show_spinner=False)
def _builtin() -> list[tuple[LayerMeta, gpd.GeoDataFrame]]:
    return registry.read_builtin_layers(city())


@st.cache_resource(show_spinner=False, max_entries=32)
def _stored_frame(db_url: str, layer_id: str, version: str) -> gpd.GeoDataFrame:
    # `version` is part of the key: a layer removed and imported again reloads. One
    # frame shared by every session and run (st.cache_data would unpickle a copy of the
    # city's 12,000 lamps on every run): callers must not change it.
    del version
    return resources.store().layer_frame(layer_id)


def all_layers(store: Store) -> list[LayerMeta]:
    """Real layers first, then stored ones by name."""
    return registry.all_layers(_builtin(), store)


def layer_frame(meta: LayerMeta) -> gpd.GeoDataFrame:
    """The layer's features, shared: do not change the frame (copy it first)."""
    if meta.builtin:
        return registry.builtin_frame(_builtin(), meta.id)
    store = resources.store()
    return _stored_frame(resources.settings().db_url, meta.id, store.layers_version())


@st.cache_resource(show_spinner=False, max_entries=16)
def _metric_frame(db_url: str, layer_id: str, version: str, _meta: LayerMeta) -> gpd.GeoDataFrame:
    del db_url, layer_id, version  # the key; the frame comes from _meta
    return to_metric(layer_frame(_meta))


def metric_layer_frame(meta: LayerMeta) -> gpd.GeoDataFrame:
    """layer_frame in metres, shared likewise (the comparison and the candidate places
    measure in metres: 12,000 lamps reprojected once, not on every run)."""
    version = "builtin" if meta.builtin else resources.store().layers_version()
    return _metric_frame(resources.settings().db_url, meta.id, version, meta)


def frame_of_type(layers: list[LayerMeta], layer_type: str) -> gpd.GeoDataFrame | None:
    """The features of the first layer of `layer_type` in metres, or None when there is
    none."""
    meta = registry.layer_of_type(layers, layer_type)
    return metric_layer_frame(meta) if meta else None


@st.cache_resource(show_spinner=False, max_entries=64)
def _digest(db_url: str, layer_id: str, version: str, _meta: LayerMeta) -> str:
    del db_url, layer_id, version  # the key; the frame comes from _meta
    return registry.places_digest(layer_frame(_meta))


def known_digests(store: Store) -> list[tuple[LayerMeta, str]]:
    """Every layer with the fingerprint of its places (services.layer_registry.places_digest),
    each worked out once per process and data version."""
    version = store.layers_version()
    db_url = resources.settings().db_url
    return [
        (meta, _digest(db_url, meta.id, "builtin" if meta.builtin else version, meta))
        for meta in all_layers(store)
    ]
