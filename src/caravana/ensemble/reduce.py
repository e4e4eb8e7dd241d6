"""Reduce members to quantiles: P5, P25, P50, P75, P95 and the mean over members.

The statistics are :func:`caravana.results.bands.summarise`'s. Every table is
long: one row per day and key, with columns ``p5 p25 p50 p75 p95 mean``. Members kept
in a :class:`~caravana.results.spool.Spool` are reduced a block of cells at a time. Rows where
every member is zero are left out (a reader takes a missing row as zero), as in a
single run's ``counts`` table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..results.bands import QUANTILE_COLUMNS, QUANTILES, STAT_COLUMNS, summarise
from ..results.spool import Spool

POSITION_QUANTITIES = ("head_km", "centre_km", "tail_km")  # caravan positions along the itinerary


def dictionary(indices: np.ndarray, names: Sequence[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(indices.astype(np.int32)), pa.array(list(names), pa.string()))


def day_columns(days: np.ndarray, start: dt.date) -> dict[str, pa.Array]:
    dates = np.array(start, dtype="datetime64[D]") + days.astype("timedelta64[D]")
    return {"day": pa.array(days.astype(np.int32)), "date": pa.array(dates)}


def stat_columns(stats: np.ndarray) -> dict[str, pa.Array]:
    """(6, rows) statistics as columns; NaN (no member has a value) becomes null."""
    return {name: pa.array(stats[i], mask=np.isnan(stats[i])) for i, name in enumerate(STAT_COLUMNS)}


def member_summary(values: np.ndarray | Spool, *, skip_nan: bool = False, peak: bool = False) -> np.ndarray:
    """(members, ...) -> (6, ...) statistics of :func:`summarise`, then with ``peak`` the
    highest member (7, ...). A :class:`Spool` is reduced a block of cells at a time, so
    memory stays near one member's array whatever the number of members."""

    def stats(block: np.ndarray) -> np.ndarray:
        found = summarise(block, skip_nan=skip_nan)
        return np.concatenate([found, block.max(axis=0)[None]]) if peak else found

    if isinstance(values, Spool):
        return values.reduce(stats)
    values = np.asarray(values)
    found = stats(values.reshape(len(values), -1))
    return found.reshape(len(found), *values.shape[1:])


def count_quantiles(counts: np.ndarray | Spool, start: dt.date, places: Sequence[str], statuses: Sequence[str]) -> pa.Table:
    """(members, days, places, statuses) counts -> long table day, date, place, status, p5..mean,
    for each cell where any member counts someone."""
    summary = member_summary(counts, peak=True)
    day, place, status = np.nonzero(summary[6])
    return pa.table(
        {
            **day_columns(day, start),
            "place": dictionary(place, places),
            "status": dictionary(status, statuses),
            **stat_columns(summary[:6, day, place, status]),
        }
    )


def needs_quantiles(needs: np.ndarray | Spool, start: dt.date, places: Sequence[str], quantities: Sequence[str]) -> pa.Table:
    """(members, days, places, quantities) needs -> long table day, date, place, quantity,
    p5..mean, for each place and day where any member had anyone staying."""
    summary = member_summary(needs, peak=True)  # (7, days, places, quantities)
    day, place = np.nonzero(summary[6].max(axis=2) > 0)
    n_q = len(quantities)
    return pa.table(
        {
            **day_columns(np.repeat(day, n_q), start),
            "place": dictionary(np.repeat(place, n_q), places),
            "quantity": dictionary(np.tile(np.arange(n_q), len(day)), quantities),
            **stat_columns(summary[:6, day, place, :].reshape(6, -1)),
        }
    )


def caravan_quantiles(
    caravans: np.ndarray | Spool,
    start: dt.date,
    names: Sequence[str],
    quantities: Sequence[str],
    paths: dict | None = None,
    lat: np.ndarray | None = None,
    lon: np.ndarray | None = None,
    place_names: Sequence[str] = (),
) -> pa.Table:
    """(members, caravans, days, quantities) -> long table day, date, caravan, quantity,
    p5..mean over the members where the caravan exists that day (NaN-free).

    With the caravans' itineraries (``paths``: name -> Itinerary, plus the places' ``lat``,
    ``lon`` and names), each position quantile of the head, centre and tail also gets
    its map point (``p5_lat``, ``p5_lon``... ``p95_lon``) and ``p50_place``, the last
    place at or before the median position: a band along the route to draw."""
    _, k, days, n_q = caravans.shape
    stats = member_summary(caravans, skip_nan=True).reshape(6, -1)  # rows: caravan, day, quantity
    caravan = np.repeat(np.arange(k), days * n_q)
    day = np.tile(np.repeat(np.arange(days), n_q), k)
    quantity = np.tile(np.arange(n_q), k * days)
    columns = {
        **day_columns(day, start),
        "caravan": dictionary(caravan, names),
        "quantity": dictionary(quantity, quantities),
        **stat_columns(stats),
    }
    if paths is not None:
        columns.update(_positions(stats, caravan, quantity, names, quantities, paths, lat, lon, place_names))
    return pa.table(columns)


def _positions(stats, caravan, quantity, names, quantities, paths, lat, lon, place_names) -> dict[str, pa.Array]:
    rows = len(caravan)
    is_position = np.isin(np.asarray(quantities, dtype=object)[quantity], POSITION_QUANTITIES)
    columns: dict[str, pa.Array] = {}
    p50_place = np.full(rows, None, dtype=object)
    for i, q in enumerate(QUANTILE_COLUMNS):
        y, x = np.full(rows, np.nan), np.full(rows, np.nan)
        for c, name in enumerate(names):
            path = paths[name]
            rows_c = np.flatnonzero((caravan == c) & is_position & ~np.isnan(stats[i]))
            km = stats[i, rows_c].astype(np.float32)
            y[rows_c], x[rows_c] = path.position(km, lat, lon)
            if q == "p50":
                p50_place[rows_c] = [place_names[p] for p in path.places[path.segment(km)]]
        columns[f"{q}_lat"] = pa.array(y, mask=np.isnan(y))
        columns[f"{q}_lon"] = pa.array(x, mask=np.isnan(x))
    columns["p50_place"] = pa.array(p50_place, pa.string())
    return columns


__all__ = ["POSITION_QUANTITIES", "QUANTILES", "QUANTILE_COLUMNS", "STAT_COLUMNS", "caravan_quantiles",
           "count_quantiles", "member_summary", "needs_quantiles", "summarise"]
