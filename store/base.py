"""The store interface every backend implements."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

import geopandas as gpd

from geo.layer import LayerMeta
from geo.pins import Pin, PinDraft


class PinStore(Protocol):
    """Where pins and planner layers live. Every write is one transaction;
    tokens make pin writes idempotent."""

    def add_pin(self, draft: PinDraft) -> Pin:
        """Store a validated draft once; a repeated token returns the pin stored first.

        Raises StoreUnavailableError when the database cannot be written now.
        """
        ...

    def add_pins(
        self, drafts: Sequence[PinDraft], *, created_at: Sequence[datetime] | None = None
    ) -> int:
        """Store many drafts in one transaction; returns how many were new."""
        ...

    def pins_in_quarter(self, quarter_id: str) -> list[Pin]:
        """All pins of one quarter, oldest first."""
        ...

    def pins_in_quarters(self, quarter_ids: Sequence[str]) -> list[Pin]:
        """All pins of several quarters, oldest first."""
        ...

    def count_pins(self, quarter_id: str | None = None) -> int:
        """Number of pins, of one quarter or of all."""
        ...

    def add_layer(self, meta: LayerMeta, frame: gpd.GeoDataFrame) -> LayerMeta:
        """Store a layer and all its features, or nothing."""
        ...

    def list_layers(self) -> list[LayerMeta]:
        """The stored layers' records, by German name."""
        ...

    def layer_frame(self, layer_id: str) -> gpd.GeoDataFrame:
        """A stored layer's features in EPSG:4326; KeyError if there is no such layer."""
        ...

    def remove_layer(self, layer_id: str) -> None:
        """Remove a layer and its features; a missing id is no error."""
        ...
