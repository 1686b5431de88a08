"""Gi*'s pseudo p-values: the observed z-scores against z-scores on maps of the same
number of points placed at random, each cell's chance its share of the area (see
geo.hotspots for why points are placed at random rather than counts shuffled)."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

# Random maps are simulated in batches of at most this many cell values (or points).
_BATCH_VALUES = 2_000_000
# Random maps place their points one by one up to this many points per cell, and are
# drawn as multinomial counts above (see random_maps).
_PLACE_EACH_UP_TO = 4


def window_factors(weights: sp.csr_array | sp.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """Each window's cell count W_i and its variance factor W_i (n - W_i) / (n - 1)."""
    n = weights.shape[0]
    cardinality = np.asarray(weights.sum(axis=1), dtype=np.float64).ravel()
    reach = cardinality * (n - cardinality) / max(n - 1, 1)
    return cardinality, reach


def random_maps(
    rng: np.random.Generator, chance: np.ndarray, points: int, maps: int, *, by_place: bool
) -> np.ndarray:
    """`maps` random maps (rows) of `points` points spread over the cells with `chance`:
    multinomial counts, as floats. `by_place` places each point (one random number per
    point), which is several times faster than numpy's multinomial (one binomial draw per
    cell) while there are not many more points than cells."""
    n = chance.size
    if not by_place:
        return _poisson_made_multinomial(rng, chance, points, maps).astype(np.float64)
    keep, other = _alias_table(chance)
    # One random number per point: its whole part picks a cell, its fraction whether the
    # point stays there or goes to the cell's alias (Walker's alias method).
    spot = rng.random((maps, points)) * n
    cells = np.minimum(spot.astype(np.int64), n - 1)
    cells = np.where(spot - cells < keep[cells], cells, other[cells])
    cells += np.arange(maps)[:, None] * n
    return np.bincount(cells.ravel(), minlength=maps * n).reshape(maps, n).astype(np.float64)


def _poisson_made_multinomial(
    rng: np.random.Generator, chance: np.ndarray, points: int, maps: int
) -> np.ndarray:
    """Multinomial counts of `points` points over the cells, drawn as independent Poisson
    counts with means points * chance (about twice as fast as numpy's multinomial) and
    then made exact: Poisson counts with total T are multinomial counts of T points, a
    map short of points gets the missing ones placed at random, and a map with too many
    loses that many of its points chosen at random (each point alike, so what is left
    is again points placed independently at random)."""
    n = chance.size
    counts = rng.poisson(points * chance, size=(maps, n))
    totals = counts.sum(axis=1)
    missing = np.maximum(points - totals, 0)
    if missing.any():
        cumulative = np.cumsum(chance)
        cells = np.searchsorted(cumulative, rng.random(int(missing.sum())) * cumulative[-1])
        rows = np.repeat(np.arange(maps), missing)
        counts += np.bincount(rows * n + np.minimum(cells, n - 1), minlength=maps * n).reshape(
            maps, n
        )
    for row in np.flatnonzero(totals > points):
        # Ranks of the points to drop, each point of the map alike; a rank falls in the
        # cell whose running count first exceeds it.
        ranks = rng.choice(int(totals[row]), int(totals[row]) - points, replace=False)
        cells = np.searchsorted(np.cumsum(counts[row]), ranks, side="right")
        counts[row] -= np.bincount(cells, minlength=n)
    return counts


def _inverse_sqrt(values: np.ndarray) -> np.ndarray:
    """1 / sqrt(v), and 0 where v is 0."""
    result = np.zeros_like(values, dtype=np.float64)
    positive = values > 0
    result[positive] = 1.0 / np.sqrt(values[positive])
    return result


def _alias_table(chance: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table of a discrete distribution (Vose's construction): cell i
    keeps a point with probability keep[i] and otherwise passes it to other[i]."""
    n = chance.size
    scaled = chance * n / chance.sum()
    keep = np.ones(n)
    other = np.arange(n)
    small = [i for i in range(n) if scaled[i] < 1.0]
    large = [i for i in range(n) if scaled[i] >= 1.0]
    while small and large:
        low, high = small.pop(), large.pop()
        keep[low], other[low] = scaled[low], high
        scaled[high] -= 1.0 - scaled[low]
        (small if scaled[high] < 1.0 else large).append(high)
    return keep, other


def simulated_p_values(
    z: np.ndarray,
    weights: sp.csr_array,
    shares: np.ndarray,
    *,
    points_used: int,
    permutations: int,
    seed: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Per-cell and map-wide two-sided pseudo p-values of the observed z-scores
    against Gi* on maps of `points_used` randomly placed points."""
    n = z.size
    rng = np.random.default_rng(seed)
    chance = shares / shares.sum() if shares.sum() > 0 else np.full(n, 1.0 / max(n, 1))
    cardinality, reach = window_factors(weights)
    mean = points_used / n
    expected = cardinality * mean
    valid = reach > 0
    at_least = np.zeros(n, dtype=np.int64)  # random z at this cell >= observed z
    at_most = np.zeros(n, dtype=np.int64)  # random z at this cell <= observed z
    highest = np.full(permutations, -np.inf)  # per random map: its largest z
    lowest = np.full(permutations, np.inf)  # per random map: its smallest z
    weights_t = weights.T.tocsr()
    per_reach = _inverse_sqrt(reach)
    by_place = points_used <= _PLACE_EACH_UP_TO * n
    batch = max(1, _BATCH_VALUES // max(points_used if by_place else n, 1))
    for start in range(0, permutations, batch):
        stop = min(start + batch, permutations)
        maps = random_maps(rng, chance, points_used, stop - start, by_place=by_place)
        variance = np.maximum((maps * maps).mean(axis=1) - mean * mean, 0.0)
        random_z = maps @ weights_t  # (maps, cells) window sums, made z-scores in place:
        random_z -= expected  # (sum - expected) / sqrt(variance * reach), 0 where either is 0
        random_z *= per_reach
        random_z *= _inverse_sqrt(variance)[:, None]
        at_least += (random_z >= z).sum(axis=0)
        at_most += (random_z <= z).sum(axis=0)
        if valid.any():
            highest[start:stop] = random_z[:, valid].max(axis=1)
            lowest[start:stop] = random_z[:, valid].min(axis=1)
    scale = permutations + 1
    p_sim = np.minimum(1.0, 2.0 * (np.minimum(at_least, at_most) + 1) / scale)
    highest.sort()
    lowest.sort()
    above = permutations - np.searchsorted(highest, z, side="left")  # maps whose max z >= z
    below = np.searchsorted(lowest, z, side="right")  # maps whose min z <= z
    p_map = np.minimum(1.0, 2.0 * (np.where(z > 0, above, below) + 1) / scale)
    p_map[~valid | (z == 0)] = 1.0
    return p_sim, p_map
