"""What a moderator should know before merging two notes: how far apart they are and
whether they say the same thing.

Merging folds a duplicate into another note for good (its supports carry over, it
leaves the map). Two notes about the same place and concern are rarely far apart: a
place is set with a finger on a phone map and shown snapped to a 25 m grid, so the
same street corner lands within a few tens of metres; a street block in the three lab
quarters is about 100 to 150 m long. Farther than `MAX_DISTANCE_M`, or of another
category, the two are probably two places or two concerns, and the page asks twice.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from geo.crs import lonlat_to_metric
from rules.pins import Pin

MAX_DISTANCE_M: Final = 150.0


class MergeConcern(StrEnum):
    """Why a merge needs a second look."""

    FAR_APART = "far_apart"  # farther apart than the threshold
    OTHER_CATEGORY = "other_category"  # the notes name different concerns


class MergeBlock(StrEnum):
    """Why two notes cannot be merged at all (the store refuses these too)."""

    SAME_NOTE = "same_note"
    OTHER_QUARTER = "other_quarter"
    KEEP_GONE = "keep_gone"  # hidden or merged already
    DUPLICATE_GONE = "duplicate_gone"


@dataclass(frozen=True, slots=True)
class MergePreview:
    """Two notes side by side: `distance_m` in metres (EPSG:25832), what speaks against
    merging them (`concerns`, a second confirmation overrides them) and what forbids it
    (`blocks`)."""

    keep: Pin
    duplicate: Pin
    distance_m: float
    max_distance_m: float
    concerns: tuple[MergeConcern, ...]
    blocks: tuple[MergeBlock, ...]

    @property
    def needs_confirmation(self) -> bool:
        return bool(self.concerns)

    @property
    def possible(self) -> bool:
        return not self.blocks


def distance_m(first: Pin, second: Pin) -> float:
    """The distance between two notes' exact places in metres (EPSG:25832, never degrees)."""
    x1, y1 = lonlat_to_metric(first.lon, first.lat)
    x2, y2 = lonlat_to_metric(second.lon, second.lat)
    return math.hypot(x2 - x1, y2 - y1)


def merge_preview(
    keep: Pin, duplicate: Pin, *, max_distance_m: float = MAX_DISTANCE_M
) -> MergePreview:
    """Compare the note to keep with its supposed duplicate.

    >>> from datetime import datetime
    >>> a = Pin(1, "320", 7.55, 51.52, "dark", "night", None, "", datetime(2026, 1, 1), "t1")
    >>> preview = merge_preview(a, a)
    >>> preview.distance_m, preview.concerns, preview.blocks
    (0.0, (), (<MergeBlock.SAME_NOTE: 'same_note'>,))
    """
    if not max_distance_m > 0:
        message = f"'max_distance_m' should be a positive number of metres, got {max_distance_m!r}"
        raise ValueError(message)
    distance = distance_m(keep, duplicate)
    concerns: list[MergeConcern] = []
    if distance > max_distance_m:
        concerns.append(MergeConcern.FAR_APART)
    if keep.category != duplicate.category:
        concerns.append(MergeConcern.OTHER_CATEGORY)
    blocks: list[MergeBlock] = []
    if keep.id == duplicate.id:
        blocks.append(MergeBlock.SAME_NOTE)
    if keep.quarter_id != duplicate.quarter_id:
        blocks.append(MergeBlock.OTHER_QUARTER)
    if keep.hidden:
        blocks.append(MergeBlock.KEEP_GONE)
    if duplicate.hidden and duplicate.id != keep.id:
        blocks.append(MergeBlock.DUPLICATE_GONE)
    return MergePreview(
        keep=keep,
        duplicate=duplicate,
        distance_m=distance,
        max_distance_m=max_distance_m,
        concerns=tuple(concerns),
        blocks=tuple(blocks),
    )


def notes_nearby(
    pin: Pin, others: Sequence[Pin], *, within_m: float = MAX_DISTANCE_M
) -> list[tuple[Pin, float]]:
    """The notes of `others` in `pin`'s quarter within `within_m` metres of it (itself and
    hidden ones left out), nearest first, each with its distance in metres: the likely
    duplicates a moderator may want to merge it with. Empty when none is near.

    >>> notes_nearby(Pin(1, "320", 7.55, 51.52, "dark", "night", None, "", None, "t"), [])
    []
    """
    found = [
        (other, distance_m(pin, other))
        for other in others
        if other.id != pin.id and other.quarter_id == pin.quarter_id and not other.hidden
    ]
    return sorted(
        ((other, metres) for other, metres in found if metres <= within_m),
        key=lambda pair: (pair[1], pair[0].id),
    )
