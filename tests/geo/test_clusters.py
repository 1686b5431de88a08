"""DBSCAN with SciPy alone gives scikit-learn's labels."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.cluster import DBSCAN

from geo.clusters import dbscan_labels


@pytest.mark.parametrize("seed", range(12))
def test_the_labels_are_scikit_learns(seed: int) -> None:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 2_000, (6, 2))
    xy = np.concatenate(
        [c + rng.normal(0, 35, (int(rng.integers(2, 40)), 2)) for c in centres]
        + [rng.uniform(0, 2_000, (30, 2))]  # scattered single notes (noise)
    )
    rng.shuffle(xy)
    expected = DBSCAN(eps=40.0, min_samples=3).fit_predict(xy)
    assert (dbscan_labels(xy, eps=40.0, min_samples=3) == expected).all()


def test_no_points_and_no_core_points_are_noise() -> None:
    assert dbscan_labels(np.empty((0, 2)), eps=40.0, min_samples=3).tolist() == []
    far = np.array([[0.0, 0.0], [500.0, 0.0], [1000.0, 0.0]])
    assert dbscan_labels(far, eps=40.0, min_samples=3).tolist() == [-1, -1, -1]


def test_a_border_point_joins_the_first_cluster_it_touches() -> None:
    # Two groups of four, 14 m apart; the point between them reaches one of each group
    # (7 m) but has too few neighbours to be a core point itself.
    right = [[20.0, 0.0], [17.0, 0.0], [20.0, 3.0], [17.0, 3.0]]
    left = [[0.0, 0.0], [3.0, 0.0], [0.0, 3.0], [3.0, 3.0]]
    xy = np.array([*right, [10.0, 0.0], *left])
    labels = dbscan_labels(xy, eps=7.5, min_samples=4)
    assert labels.tolist() == DBSCAN(eps=7.5, min_samples=4).fit_predict(xy).tolist()
    assert labels.tolist() == [0, 0, 0, 0, 0, 1, 1, 1, 1]  # the middle one: first cluster
