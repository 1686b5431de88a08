"""DBSCAN on points in metres, with SciPy alone.

The same labels as scikit-learn's DBSCAN (tests/geo/test_clusters.py compares them), for
the candidate places; scikit-learn itself took 0.8 s to import, which the first person
to open the plan of measures waited for.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree


def dbscan_labels(xy: np.ndarray, *, eps: float, min_samples: int) -> np.ndarray:
    """A cluster number per point (0, 1, … in the order of each cluster's first core
    point), -1 for noise. A core point has at least `min_samples` points (itself
    included) within `eps`; core points within `eps` of each other share a cluster; any
    other point within `eps` of a core point joins the lowest-numbered such cluster."""
    n = len(xy)
    labels = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return labels
    tree = cKDTree(xy)
    counts = np.asarray(tree.query_ball_point(xy, r=eps, return_length=True))
    core = counts >= min_samples
    if not core.any():
        return labels
    pairs = tree.query_pairs(r=eps, output_type="ndarray")
    linked = pairs[core[pairs[:, 0]] & core[pairs[:, 1]]]
    graph = sp.coo_array((np.ones(len(linked)), (linked[:, 0], linked[:, 1])), shape=(n, n)).tocsr()
    _, component = connected_components(graph, directed=False)
    # Number the clusters by their first core point, as scikit-learn's scan does.
    core_at = np.flatnonzero(core)
    order = {c: i for i, c in enumerate(dict.fromkeys(component[core_at].tolist()))}
    labels[core_at] = [order[c] for c in component[core_at].tolist()]
    # Border points: the lowest-numbered cluster among their core neighbours.
    ends = np.concatenate([pairs, pairs[:, ::-1]])  # (point, neighbour) both ways
    border = ends[~core[ends[:, 0]] & core[ends[:, 1]]]
    best = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(best, border[:, 0], labels[border[:, 1]])
    reached = best < np.iinfo(np.int64).max
    labels[reached] = best[reached]
    return labels
