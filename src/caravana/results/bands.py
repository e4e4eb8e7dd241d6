"""Bands: the statistics every result is drawn with, in one place.

A band is P5, P25, P50, P75, P95 and the mean of a value over an ensemble's members.
Quantiles use NumPy's default (linear interpolation between order statistics), so
with 20 members P5 lies between the lowest and second-lowest member. A single run is
an ensemble of one: every statistic of its band is the run's own value
(:func:`one_run`), so readers draw runs and ensembles with one code path.

A weighted ensemble (a forecast's posterior: each particle carries its weight) has
weighted bands: each quantile is the smallest value whose members' weight up to it
reaches the level (the inverse of the weighted empirical distribution, NumPy's
``inverted_cdf`` with weights: a value some member had), the mean is the weighted
mean. Without weights nothing changes (linear interpolation, as above).
"""

from __future__ import annotations

import warnings

import numpy as np

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_COLUMNS = ("p5", "p25", "p50", "p75", "p95")
STAT_COLUMNS = (*QUANTILE_COLUMNS, "mean")


def summarise(values: np.ndarray, *, skip_nan: bool = False, weights: np.ndarray | None = None) -> np.ndarray:
    """(members, ...) -> (6, ...): the quantiles then the mean, over the first axis.
    ``skip_nan``: over the members with a value (NaN where none has one). ``weights``
    (one per member, not negative): the weighted quantiles and mean (module doc); a
    cell whose members with a value all weigh 0 is NaN."""
    values = np.asarray(values, dtype=np.float64)
    if weights is not None:
        w = np.broadcast_to(_per_member(weights, values), values.shape)
        if skip_nan:  # a missing value weighs nothing and sorts last, where no quantile reaches it
            w = np.where(np.isnan(values), 0.0, w)
            values = np.where(np.isnan(values), np.inf, values)
        total = w.sum(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(w > 0, w * values, 0.0).sum(axis=0) / total
        return np.concatenate([weighted_quantiles(values, w), np.where(total > 0, mean, np.nan)[None]])
    if not skip_nan:
        return np.concatenate([np.quantile(values, QUANTILES, axis=0), values.mean(axis=0)[None]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: NaN is the answer
        return np.concatenate([np.nanquantile(values, QUANTILES, axis=0), np.nanmean(values, axis=0)[None]])


def member_median(values: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
    """The median over members (axis 0): NumPy's, or with ``weights`` the weighted P50."""
    return np.median(values, axis=0) if weights is None else weighted_quantiles(values, weights)[2]


def member_share(happened: np.ndarray, weights: np.ndarray | None = None) -> int:
    """How many of the members a (members,) mask holds, as a count of members: the
    members themselves, or with ``weights`` (summing to 1) their weight's share of the
    members, rounded ("in k of n simulated futures"). A weighted share above none is
    never said as none, nor one below all as all: the bands beside it still show it."""
    happened = np.asarray(happened, dtype=bool)
    if weights is None:
        return int(happened.sum())
    n, share, rest = len(happened), float(weights @ happened), float(weights @ ~happened)
    k = int(round(n * share))
    if share > 0:
        k = max(k, 1)
    if rest > 0:
        k = min(k, n - 1)
    return k


def weighted_quantiles(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(members, ...) values, and weights per member (members,) or per value (the same
    shape) -> (5, ...) weighted quantiles over the first axis (module doc): what
    ``np.quantile(values, QUANTILES, axis=0, method="inverted_cdf", weights=...)`` gives,
    whose weighted path loops over the cells in Python; here every cell at once. A cell
    whose members all weigh 0 is NaN (NumPy refuses it), and so is a cell holding a NaN, as
    NumPy's quantiles are (``skip_nan`` callers drop NaN before)."""
    values = np.asarray(values, dtype=np.float64)
    w = np.broadcast_to(_per_member(weights, values), values.shape)
    order = np.argsort(values, axis=0)  # as NumPy's weighted quantile sorts
    ordered = np.take_along_axis(values, order, axis=0)
    cdf = np.take_along_axis(w, order, axis=0).cumsum(axis=0, dtype=np.float64)
    total = cdf[-1].copy()
    with np.errstate(invalid="ignore", divide="ignore"):
        cdf /= total
    out = np.empty((len(QUANTILES), *values.shape[1:]))
    for i, q in enumerate(QUANTILES):
        # the first member (in value order) whose cumulative weight reaches q
        first = np.minimum((cdf < q).sum(axis=0), len(values) - 1)
        out[i] = np.take_along_axis(ordered, first[None], axis=0)[0]
    out[:, ~(total > 0) | np.isnan(values).any(axis=0)] = np.nan
    return out


def _per_member(weights: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Weights as given per value, or one per member shaped to broadcast over a member's cells."""
    weights = np.asarray(weights, dtype=np.float64)
    if weights.shape == values.shape:
        return weights
    if weights.shape != (len(values),):
        raise ValueError(f"{weights.shape[0] if weights.ndim else 0} weights for {len(values)} members")
    return weights.reshape((-1,) + (1,) * (values.ndim - 1))


def one_run(values: np.ndarray) -> np.ndarray:
    """A single run's values as its band (6, ...): every statistic is the value itself
    (a read-only view, no copy)."""
    values = np.asarray(values, dtype=np.float64)
    return np.broadcast_to(values, (len(STAT_COLUMNS), *values.shape))
