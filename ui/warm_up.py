"""What one app process prepares before its first visitor (serve.py calls it)."""

from __future__ import annotations

import streamlit as st

from rules.errors import DataPackError, StoreError
from services.comparison import prepare_quarters
from ui import resources
from ui.layer_registry import all_layers, layer_frame, metric_layer_frame


@st.cache_resource(show_spinner=False)
def warm_up() -> int:
    """Fill the process's shared caches: the data pack, the store, every layer in degrees
    and in metres, the lab quarters' analysis grids and hot cells. The first person to
    open the comparison or the plan of measures then waits only for what changed since.
    A missing data pack or database is left for the pages to explain. Returns the layers
    read."""
    try:
        pack = resources.loaded_pack()
        store = resources.opened_store()
    except (DataPackError, StoreError):
        return 0
    prepare_quarters(pack, store)
    resources.landmarks()  # the places a participant can pick without the map
    layers = all_layers(store)
    for meta in layers:
        layer_frame(meta)
        metric_layer_frame(meta)
    return len(layers)
