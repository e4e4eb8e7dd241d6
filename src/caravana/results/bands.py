"""Bands: the statistics every result is drawn with, in one place.

A band is P5, P25, P50, P75, P95 and the mean of a value over an ensemble's members.
Quantiles use NumPy's default (linear interpolation between order statistics), so
with 20 members P5 lies between the lowest and second-lowest member. A single run is
an ensemble of one: every statistic of its band is the run's own value
(:func:`one_run`), so readers draw runs and ensembles with one code path.
"""

from __future__ import annotations

import warnings

import numpy as np

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
QUANTILE_COLUMNS = ("p5", "p25", "p50", "p75", "p95")
STAT_COLUMNS = (*QUANTILE_COLUMNS, "mean")


def summarise(values: np.ndarray, *, skip_nan: bool = False) -> np.ndarray:
    """(members, ...) -> (6, ...): the quantiles then the mean, over the first axis.
    ``skip_nan``: over the members with a value (NaN where none has one)."""
    values = np.asarray(values, dtype=np.float64)
    if not skip_nan:
        return np.concatenate([np.quantile(values, QUANTILES, axis=0), values.mean(axis=0)[None]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN slices: NaN is the answer
        return np.concatenate([np.nanquantile(values, QUANTILES, axis=0), np.nanmean(values, axis=0)[None]])


def one_run(values: np.ndarray) -> np.ndarray:
    """A single run's values as its band (6, ...): every statistic is the value itself
    (a read-only view, no copy)."""
    values = np.asarray(values, dtype=np.float64)
    return np.broadcast_to(values, (len(STAT_COLUMNS), *values.shape))
