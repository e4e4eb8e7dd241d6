"""Did the forecast's intervals hold? Observations after the as-of date (never used
by the filter) against each ensemble's P5-P95 interval of their simulated value.

- a reported day (arrived, departed): a hit when the reported day lies in the
  interval of the simulated day (a particle that never gets there counts as getting
  there the day after the forecast ends, as in ``caravana.metrics``);
- a count: a hit when the interval overlaps the reported range [low, high] (the
  value itself when no range is given): reports disagree, and the interval only has
  to meet one of them.

Hits alone reward wide intervals, so each row also has the interval's width and its
interval score (Gneiting and Raftery 2007, for a central 90% interval): width plus
20 x the distance from the interval to the report (0 for a hit); lower is better.
Both are in days for a reported day, and relative to the reported value for a count.

A day hit whose P95 is "not there by the end" is *open-ended* (column ``open_ended``,
counted as ``open_hits``): it comes from the window's cut-off, not from a band that
closes before the end, so it says less than a hit inside the window.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from ..metrics import simulated_values
from ..observations import Observations
from ..results.results import Results
from .summary import quantiles

ALPHA = 0.1  # the intervals are P5-P95: central 90%


def open_ended(row: dict, days: int) -> bool:
    """A held-back day hit whose P95 is "not there by the forecast's end": day ``days``
    of a run of ``days`` days (a particle that never gets there counts as getting there
    the day after the end)."""
    return row["unit"] == "day" and bool(row["hit"]) and row["p95"] >= days


def check_held_back(ensembles: dict[str, list[Results]], held_back: Observations, end: dt.date,
                    weights: dict[str, np.ndarray] | None = None) -> pa.Table:
    """One row per ensemble and held-back observation dated up to ``end``; ``weights``: an
    ensemble's particle weights (absent: equal), for its weighted quantiles."""
    rows = [r for r in held_back if r.date <= end]
    if not rows:
        return pa.table({})
    observations = Observations(rows=tuple(rows), file=held_back.file, context=held_back.context)
    out = []
    for ensemble, results in ensembles.items():
        start, days = results[0].start, results[0].days
        simulated = np.stack([simulated_values(r, observations) for r in results])  # (particles, observations)
        simulated = np.where(np.isnan(simulated), float(days), simulated)  # never: the day after the end
        q5, q50, q95 = quantiles(simulated, weights=(weights or {}).get(ensemble))[[0, 2, 4]]
        for i, obs in enumerate(rows):
            if obs.is_count:
                low, high = obs.bounds
                observed, scale = obs.value, max(obs.value, 1.0)
            else:
                observed = low = high = float((obs.date - start).days)
                scale = 1.0
            miss = max(low - q95[i], q5[i] - high, 0.0)  # from the interval to the nearest reported value
            out.append({
                "ensemble": ensemble, "row": obs.row, "date": obs.date, "place": obs.place,
                "quantity": str(obs.quantity), "unit": "people" if obs.is_count else "day",
                "observed": observed, "low": low, "high": high,
                "p5": float(q5[i]), "p50": float(q50[i]), "p95": float(q95[i]), "hit": bool(miss == 0.0),
                "width": float(q95[i] - q5[i]) / scale,
                "interval_score": float(q95[i] - q5[i] + 2 / ALPHA * miss) / scale,
            })
            out[-1]["open_ended"] = open_ended(out[-1], days)
    return pa.Table.from_pylist(out)


def summary_by_ensemble(table: pa.Table) -> dict[str, dict]:
    """Per ensemble: hits out of reports (``open_hits`` of them open-ended), and mean
    width and interval score of the day rows (days) and of the count rows (relative to
    the reported value)."""
    out: dict[str, dict] = {}
    for r in table.to_pylist() if table.num_rows else []:
        e = out.setdefault(r["ensemble"], {"hits": 0, "open_hits": 0, "reports": 0, "day": [], "count": []})
        e["hits"] += r["hit"]
        e["open_hits"] += r["open_ended"]
        e["reports"] += 1
        e["day" if r["unit"] == "day" else "count"].append((r["width"], r["interval_score"]))
    for e in out.values():
        for kind in ("day", "count"):
            pairs = np.array(e.pop(kind)).reshape(-1, 2)
            e[f"{kind}_reports"] = len(pairs)
            e[f"{kind}_width"] = float(pairs[:, 0].mean()) if len(pairs) else None
            e[f"{kind}_interval_score"] = float(pairs[:, 1].mean()) if len(pairs) else None
    return out
