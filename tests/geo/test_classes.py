"""Shared colour classes: the same count gets the same colour on every map."""

from __future__ import annotations

import numpy as np
import pytest

from geo.classes import classify, shared_breaks
from rules.errors import ValidationError


def test_breaks_come_from_all_maps_together() -> None:
    quiet = np.array([0, 0, 1, 1, 2])
    busy = np.array([0, 5, 9, 20, 40])
    breaks = shared_breaks([quiet, busy], classes=5)
    assert breaks[0] == 0 and breaks[-1] == 40
    assert np.all(np.diff(breaks) > 0)
    # Each map alone would get other breaks; together they share one scale.
    assert not np.array_equal(breaks, shared_breaks([quiet], classes=5))
    assert not np.array_equal(breaks, shared_breaks([busy], classes=5))


def test_the_same_count_is_the_same_class_on_every_map() -> None:
    maps = [np.array([0, 1, 3, 7]), np.array([3, 7, 12, 0]), np.array([12, 1, 0, 30])]
    breaks = shared_breaks(maps, classes=4)
    classes = [classify(m, breaks) for m in maps]
    seen: dict[int, set[int]] = {}
    for values, cls in zip(maps, classes, strict=True):
        for value, c in zip(values.tolist(), cls.tolist(), strict=True):
            seen.setdefault(value, set()).add(c)
    assert all(len(c) == 1 for c in seen.values()), seen
    assert seen[0] == {0}  # no notes: always class 0
    assert max(max(c) for c in seen.values()) == len(breaks) - 1
    # Larger counts never get a lower class.
    ordered = sorted(seen)
    assert [next(iter(seen[v])) for v in ordered] == sorted(next(iter(seen[v])) for v in ordered)


def test_no_notes_anywhere_is_one_class() -> None:
    breaks = shared_breaks([np.zeros(4), np.zeros(2)])
    assert breaks.tolist() == [0.0]
    assert classify(np.zeros(3), breaks).tolist() == [0, 0, 0]


def test_too_few_classes_are_refused() -> None:
    with pytest.raises(ValidationError):
        shared_breaks([np.ones(3)], classes=1)
