"""Colour classes shared by several maps, so that small multiples read on one scale."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from rules.errors import N_, ValidationError


def shared_breaks(values: Sequence[np.ndarray], *, classes: int = 5) -> np.ndarray:
    """Upper bounds of the classes for all `values` together (counts per cell of
    several maps): class 0 is exactly 0 ("none"), the others split the pooled non-zero
    values at their quantiles. Increasing; the last bound is the largest value.
    Every map classified with these bounds uses the same colours for the same counts."""
    if classes < 2:
        raise ValidationError(N_("'classes' should be at least 2, got {value}."), value=classes)
    pooled = np.concatenate([np.zeros(0), *(np.asarray(v, dtype=float).ravel() for v in values)])
    positive = pooled[pooled > 0]
    if positive.size == 0:
        return np.array([0.0])
    levels = np.quantile(positive, np.linspace(0, 1, classes)[1:], method="higher")
    return np.concatenate([[0.0], np.unique(levels)])


def classify(values: np.ndarray, breaks: np.ndarray) -> np.ndarray:
    """The class of each value: the first break it does not exceed (0 for 0)."""
    classes = np.searchsorted(breaks, np.asarray(values, dtype=float), side="left")
    return np.minimum(classes, len(breaks) - 1)
