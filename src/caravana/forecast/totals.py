"""What a report can state about the whole run or one place, forecast: people returned,
deported, detained, settled, crossed, dead, and asylum requests, each as
``caravana.metrics`` reads it from a run (the same definitions the reports are scored
with), at the as-of date and at the forecast's end, P5..P95 over particles."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa

from ..metrics import simulated_values
from ..observations import Observation, Observations, Quantity
from ..results.results import Results
from .summary import LABELS, quantiles

QUANTITIES = (Quantity.returned, Quantity.deported, Quantity.detained, Quantity.settled, Quantity.crossed,
              Quantity.dead, Quantity.asylum_requests)


def totals_table(ensembles: dict[str, list[Results]], as_of: dt.date, end: dt.date) -> pa.Table:
    """One row per ensemble, date (as-of, end), quantity and place (None: everywhere),
    for the places some particle has any of it at the end."""
    names = ensembles[next(iter(ensembles))][0].places
    rows = [Observation(date=d, quantity=q, place=p, value=0.0)
            for d in (as_of, end) for q in QUANTITIES for p in (None, *names)]
    asked = Observations(rows=tuple(rows))
    out = []
    for ensemble, results in ensembles.items():
        values = np.stack([simulated_values(r, asked) for r in results])  # (particles, rows)
        q = quantiles(values)
        ends = {(r.quantity, r.place): values[:, i].max() for i, r in enumerate(rows) if r.date == end}
        for i, r in enumerate(rows):
            if r.place is not None and ends[(r.quantity, r.place)] == 0:
                continue
            out.append({"ensemble": ensemble, "date": r.date, "quantity": str(r.quantity), "place": r.place,
                        **{label: float(q[k, i]) for k, label in enumerate(LABELS)}})
    return pa.Table.from_pylist(out, schema=pa.schema([
        ("ensemble", pa.string()), ("date", pa.date32()), ("quantity", pa.string()), ("place", pa.string()),
        *((label, pa.float64()) for label in LABELS),
    ]))
