"""Reduce members to quantiles: P5, P25, P50, P75, P95 and the mean over members.

The statistics are :func:`caravana.results.bands.summarise`'s. Every table is
long: one row per day and key, with columns ``p5 p25 p50 p75 p95 mean``. Members kept
in a :class:`~caravana.results.spool.Spool` are reduced a block of cells at a time. Rows where
every member is zero are left out (a reader takes a missing row as zero), as in a
single run's ``counts`` table. With ``weights`` (one per member: a forecast's posterior
particles) every statistic is weighted (:mod:`caravana.results.bands`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..results.bands import QUANTILE_COLUMNS, QUANTILES, STAT_COLUMNS, summarise
from ..results.spool import Spool


def dictionary(indices: np.ndarray, names: Sequence[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(list(names), pa.string()))


def day_columns(days: np.ndarray, start: dt.date) -> dict[str, pa.Array]:
    dates = np.array(start, dtype="datetime64[D]") + days.astype("timedelta64[D]")
    return {"day": pa.array(days.astype(np.int32)), "date": pa.array(dates)}


def stat_columns(stats: np.ndarray) -> dict[str, pa.Array]:
    """(6, rows) statistics as columns; NaN (no member has a value) becomes null."""
    return {name: pa.array(stats[i], mask=np.isnan(stats[i])) for i, name in enumerate(STAT_COLUMNS)}


def member_summary(values: np.ndarray | Spool, *, skip_nan: bool = False, peak: bool = False,
                   weights: np.ndarray | None = None, only_counted: bool = False) -> np.ndarray:
    """(members, ...) -> (6, ...) statistics of :func:`summarise` (weighted with ``weights``),
    then with ``peak`` the highest member (7, ...). A :class:`Spool` is reduced a block of
    cells at a time, so memory stays near one member's array whatever the number of members.
    ``only_counted`` (counts, never negative, with ``peak``): the statistics of a cell where
    every member is 0 are left 0 unsummarised, as they are (most cells of a run's counts)."""

    def stats(block: np.ndarray) -> np.ndarray:
        if not only_counted:
            found = summarise(block, skip_nan=skip_nan, weights=weights)
            return np.concatenate([found, block.max(axis=0)[None]]) if peak else found
        top = block.max(axis=0)
        counted = np.flatnonzero(top)
        found = np.zeros((len(STAT_COLUMNS) + 1, block.shape[1]))
        found[:-1, counted] = summarise(block[:, counted], skip_nan=skip_nan, weights=weights)
        found[-1] = top
        return found

    if isinstance(values, Spool):
        return values.reduce(stats)
    values = np.asarray(values)
    found = stats(values.reshape(len(values), -1))
    return found.reshape(len(found), *values.shape[1:])


def count_quantiles(counts: np.ndarray | Spool, start: dt.date, places: Sequence[str], statuses: Sequence[str],
                    weights: np.ndarray | None = None) -> pa.Table:
    """(members, days, places, statuses) counts -> long table day, date, place, status, p5..mean,
    for each cell where any member counts someone (weighted with ``weights``)."""
    summary = member_summary(counts, peak=True, weights=weights, only_counted=True)
    day, place, status = np.nonzero(summary[6])
    return pa.table(
        {
            **day_columns(day, start),
            "place": dictionary(place, places),
            "status": dictionary(status, statuses),
            **stat_columns(summary[:6, day, place, status]),
        }
    )


__all__ = ["QUANTILES", "QUANTILE_COLUMNS", "STAT_COLUMNS", "count_quantiles", "member_summary", "summarise"]
