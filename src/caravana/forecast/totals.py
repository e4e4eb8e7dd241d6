"""What a report can state about the whole run or one place, forecast: people returned,
deported, detained, settled, crossed, dead, and asylum requests, each as
``caravana.metrics`` reads it from a run (the same definitions the reports are scored
with), at the as-of date and at the forecast's end, P5..P95 over particles."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from ..metrics import by_place
from ..observations import Quantity
from ..results.results import Results
from .summary import LABELS, quantiles

QUANTITIES = (Quantity.returned, Quantity.deported, Quantity.detained, Quantity.settled, Quantity.crossed,
              Quantity.dead, Quantity.asylum_requests)


def totals_table(ensembles: dict[str, list[Results]], as_of: dt.date, end: dt.date,
                 weights: dict[str, np.ndarray] | None = None) -> pa.Table:
    """One row per ensemble, date (as-of, end), quantity and place (None: everywhere),
    for the places some particle has any of it at the end; ``weights``: an ensemble's
    particle weights (absent: equal)."""
    names = ensembles[next(iter(ensembles))][0].places
    dates = (as_of, end)
    out = []
    for ensemble, results in ensembles.items():
        # (particles, dates, quantities, places), each read as a report of it at the place would be.
        values = np.stack([[[by_place(r, q, d) for q in QUANTITIES] for d in dates] for r in results])
        w = (weights or {}).get(ensemble)
        everywhere = quantiles(values.sum(axis=3), weights=w)  # (5, dates, quantities)
        at_places = quantiles(values, weights=w)  # (5, dates, quantities, places)
        somewhere = values[:, -1].max(axis=0) > 0  # (quantities, places): some particle has any at the end
        for i, date in enumerate(dates):
            for k, quantity in enumerate(QUANTITIES):
                rows: list[tuple[str | None, np.ndarray]] = [(None, everywhere[:, i, k])]
                rows += [(name, at_places[:, i, k, j]) for j, name in enumerate(names) if somewhere[k, j]]
                for place, q in rows:
                    out.append({"ensemble": ensemble, "date": date, "quantity": str(quantity), "place": place,
                                **{label: float(q[n]) for n, label in enumerate(LABELS)}})
    return pa.Table.from_pylist(out, schema=pa.schema([
        ("ensemble", pa.string()), ("date", pa.date32()), ("quantity", pa.string()), ("place", pa.string()),
        *((label, pa.float64()) for label in LABELS),
    ]))
