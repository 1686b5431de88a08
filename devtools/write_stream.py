"""A stream of writes that reports each one once it is confirmed, for the SIGKILL test.

    python -m devtools.write_stream URL START

Writes pins one by one (tokens s<START+i>) and, every 25 pins, a layer of 20,000 lamps
in one transaction. Prints "pin TOKEN ID" after each confirmed pin, "layer-start ID"
before each layer and "layer ID COUNT" once it is confirmed. Runs until killed.
"""

from __future__ import annotations

import random
import sys
from dataclasses import replace

import geopandas as gpd
import numpy as np

from devtools.load import draft
from rules.layer_meta import LayerMeta
from rules.roles import Actor, Role
from store import open_store

# A server-side job, like the retention run: no account (store.base.SYSTEM_PREFIX).
PLANNER = Actor(name="system:write-stream", role=Role.PLANNER)
LAYER_FEATURES = 20_000


def lamps(rng: np.random.Generator) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "lamp_id": [f"L{i}" for i in range(LAYER_FEATURES)],
            "watt": rng.integers(10, 80, LAYER_FEATURES),
        },
        geometry=gpd.points_from_xy(
            rng.uniform(7.54, 7.57, LAYER_FEATURES), rng.uniform(51.51, 51.53, LAYER_FEATURES)
        ),
        crs="EPSG:4326",
    )


def meta(layer_id: str) -> LayerMeta:
    return LayerMeta(
        id=layer_id,
        name_de=f"Laternen {layer_id}",
        name_en=f"Lamps {layer_id}",
        layer_type="lamps",
        kind="points",
        source="test",
        licence="CC0",
        attribution="test",
        data_date=None,
        demo=True,
    )


def main(url: str, start: int) -> None:
    store = open_store(url)
    rng = random.Random(start)
    numbers = np.random.default_rng(start)
    number = start
    while True:
        one = replace(draft(0, number, rng), token=f"s{number}", participant="")
        pin = store.add_pin(one)
        print(f"pin {pin.token} {pin.id}", flush=True)
        number += 1
        if number % 25 == 0:
            layer_id = f"lamps-{number}"
            print(f"layer-start {layer_id}", flush=True)
            added = store.add_layer(meta(layer_id), lamps(numbers), actor=PLANNER)
            print(f"layer {layer_id} {added.feature_count}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
