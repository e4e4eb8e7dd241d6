"""Key outcomes of each member, and their distribution over members.

Two kinds of outcome, one row per member and key in a long table:

- ``arrival_day``: the first day a caravan's centre (or, without caravans, anyone)
  was at a place; ``value`` null when it never got there within the run.
- ``final_count``: people in each status (arrived, crossed, detained, dead...) at
  the end of the run, summed over places.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from ..results.bands import weighted_quantiles
from .members import MemberOutput
from .reduce import QUANTILE_COLUMNS, QUANTILES, stat_columns, summarise

KEY_COLUMNS = ("outcome", "caravan", "place", "status")
# (outcome, caravan, place, status): an arrival names a place (and perhaps a caravan), a final count a status
Key = tuple[str, str | None, str | None, str | None]


def outcome_row(out: MemberOutput) -> tuple[list[Key], np.ndarray]:
    """One member's outcome keys (outcome, caravan, place, status) and values; NaN where
    an arrival never happened."""
    keys: list[Key] = [("arrival_day", a.caravan, a.place, None) for a in out.arrivals]
    keys += [("final_count", None, None, s) for s in out.results.statuses]
    arrivals = [np.nan if a.day is None else a.day for a in out.arrivals]
    finals = out.results.counts[-1].sum(axis=0)
    return keys, np.concatenate([np.asarray(arrivals, dtype=np.float64), finals.astype(np.float64)])


def check_keys(keys: list[Key], first: list[Key]) -> None:
    if keys != first:
        raise ValueError("members report different outcome keys; they must run the same scenario")


def outcome_matrix(outputs: Sequence[MemberOutput]) -> tuple[list[Key], np.ndarray]:
    """The outcome keys and a (members, keys) matrix of values (:func:`outcome_row`)."""
    keys: list[Key] | None = None
    rows = []
    for out in outputs:
        member_keys, row = outcome_row(out)
        if keys is None:
            keys = member_keys
        check_keys(member_keys, keys)
        rows.append(row)
    return keys or [], np.vstack(rows)


def outcomes_table(keys: list[Key], values: np.ndarray, seeds: Sequence[int]) -> pa.Table:
    """Long table: member, seed, outcome, caravan, place, status, value (null: never)."""
    members, n_keys = values.shape
    member = np.repeat(np.arange(members, dtype=np.int32), n_keys)
    columns = {
        "member": pa.array(member),
        "seed": pa.array(np.asarray(seeds, dtype=np.int64)[member]),
        **_key_columns(keys, members),
        "value": pa.array(values.ravel(), mask=np.isnan(values.ravel())),
    }
    return pa.table(columns)


def outcome_quantiles(keys: list[Key], values: np.ndarray, weights: np.ndarray | None = None) -> pa.Table:
    """Per outcome key: ``reached`` (share of members where it happened: 1 for counts),
    P5..P95 with never-happened taken as later than any day (null when the quantile
    falls among those), and the mean over the members where it happened; with ``weights``
    (one per member, summing to 1) each of them weighted (:mod:`caravana.results.bands`)."""
    reached = ~np.isnan(values)
    never_last = np.where(reached, values, np.inf)
    if weights is None:
        with np.errstate(invalid="ignore", divide="ignore"):  # inf - inf between two "never"s: NaN, also null
            quantiles = np.quantile(never_last, QUANTILES, axis=0)
            mean = np.nansum(values, axis=0) / reached.sum(axis=0)
        share = reached.mean(axis=0)
    else:
        stats = summarise(values, skip_nan=True, weights=weights)  # the mean over the members where it happened
        quantiles, mean, share = weighted_quantiles(never_last, weights), stats[-1], weights @ reached
    stats = np.concatenate([np.where(np.isinf(quantiles), np.nan, quantiles), mean[None]])
    return pa.table({**_key_columns(keys, 1), "reached": pa.array(share), **stat_columns(stats)})


def _key_columns(keys: list[Key], repeat: int) -> dict[str, pa.Array]:
    """The key columns, the keys repeated ``repeat`` times (taken in Arrow: no Python list
    of members x keys strings)."""
    again = pa.array(np.tile(np.arange(len(keys)), repeat))
    return {name: pa.array([k[i] for k in keys], pa.string()).take(again) for i, name in enumerate(KEY_COLUMNS)}


__all__ = ["KEY_COLUMNS", "QUANTILE_COLUMNS", "check_keys", "outcome_matrix", "outcome_row", "outcome_quantiles", "outcomes_table"]
