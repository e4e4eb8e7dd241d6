"""Writing a forecast: Parquet and CSV tables, a JSON summary and the plot, each file
written atomically (whole or not at all)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa

from ..ensemble.store import write_ensemble
from ..results.io import atomic_write_text, write_table
from .pipeline import ForecastRun

# file stem -> what it holds (also the order the files are written in)
FILES = {
    "places": "per ensemble, caravan and place ahead: arrival window, each particle's own peak head-count, "
              "arrivals and departures by the end, needs (P5..P95)",
    "daily": "per ensemble, series (caravan_size, centre_km, present, arrivals, departures: cumulative) and day: "
             "P5, P25, P50, P75, P95 over particles",
    "parameters": "per factor: prior range, prior and posterior P5/P50/P95",
    "particles": "per prior member and posterior particle: member it descends from, seed, weight, factor values",
    "held_back": "observations after the as-of date against each ensemble's P5-P95 interval",
    "reports": "every report the forecast was given (used: dated up to the as-of date; else held back), "
               "as the dashboard and the report draw them",
    "totals": "per ensemble, date (as-of, end), quantity (returned, deported, detained, settled, crossed, dead, "
              "asylum requests) and place (empty: everywhere): P5..P95 over particles",
}
# The posterior written as an ensemble folder (caravana.ensemble.store), beside them.
ENSEMBLE_FILES = {
    "members/": "each posterior particle's counts per place, status and day (hive-partitioned Parquet)",
    "quantiles": "posterior P5..P95 and mean of people per place, status and day",
    "outcomes": "per posterior particle: arrival days and totals by outcome (crossed, returned, detained...)",
    "outcome_quantiles": "their P5..P95 over the posterior particles",
    "arrays/needs": "posterior P5..P95 of needs per place and day",
    "arrays/caravans": "posterior P5..P95 of each caravan's size, head, centre and tail per day",
    "arrays/": "every other result the behaviours declare, combined over the posterior particles as declared",
    "ensemble.json": "the posterior as an ensemble (opened by caravana serve and caravana report)",
}


def particles_table(run: ForecastRun) -> pa.Table:
    a = run.assimilation
    n = len(a.member_seeds)
    # A posterior particle's member is one of the last pass's (iterated filtering: not the prior's).
    members = {"prior": (np.arange(n), a.member_seeds, a.factor_values, np.full(n, 1.0 / n)),
               "posterior": (a.posterior_members, a.descendant_seeds, a.posterior_values, a.particle_weights)}
    rows = []
    for ensemble, (which, seeds, values, weights) in members.items():
        for particle, member in enumerate(which):
            rows.append({
                "ensemble": ensemble, "particle": particle, "member": int(member),
                "member_seed": int(seeds[particle]), "weight": float(weights[particle]),
                **{f.name: float(values[particle, k]) for k, f in enumerate(a.factors)},
            })
    return pa.Table.from_pylist(rows)


def reports_table(run: ForecastRun) -> pa.Table:
    """The reports, one row each, with whether the filter used them (dated up to the as-of date)."""
    as_of = run.forecast.as_of
    return pa.Table.from_pylist([
        {"date": r.date, "quantity": str(r.quantity), "place": r.place, "caravan": r.caravan, "value": r.value,
         "low": r.low, "high": r.high, "source": r.source, "used": r.date <= as_of}
        for r in run.observations
    ], schema=pa.schema([("date", pa.date32()), ("quantity", pa.string()), ("place", pa.string()),
                         ("caravan", pa.string()), ("value", pa.float64()), ("low", pa.float64()),
                         ("high", pa.float64()), ("source", pa.string()), ("used", pa.bool_())]))


def write_forecast(run: ForecastRun, out_dir: Path, plot: bool = True, lang: str | None = None) -> list[Path]:
    """Write the posterior as an ensemble folder (``caravana.ensemble.store``), then every
    forecast table (Parquet and CSV), ``forecast.png`` and, last, ``forecast.json``;
    return the paths. A ``forecast.json`` on disk means the files beside it are one
    forecast's: it is removed first, and a file this forecast does not have (no reports
    after the as-of date, no plot) is removed rather than left from an earlier one."""
    out_dir = Path(out_dir)
    summary = out_dir / "forecast.json"
    summary.unlink(missing_ok=True)
    # The posterior particles as an ensemble folder (members/, quantiles, outcomes,
    # needs, caravans, world.json, ensemble.json): what `serve`, `report` and the
    # catalogue open.
    written: list[Path] = write_ensemble(run.ensemble, out_dir)
    tables = {
        "places": run.forecast.places,
        "daily": run.forecast.daily,
        "parameters": run.parameters,
        "particles": particles_table(run),
        "held_back": run.held_back,
        "reports": reports_table(run),
        "totals": run.totals,
    }
    for name, table in tables.items():
        if table.num_columns:
            written += write_table(table, out_dir, name)
        else:
            for stale in (out_dir / f"{name}.parquet", out_dir / f"{name}.csv"):
                stale.unlink(missing_ok=True)
    figure = out_dir / "forecast.png"
    if plot:
        from .plot import plot_forecast, save_figure

        save_figure(plot_forecast(run, lang=lang), figure)  # in lang (es, en)
        written.append(figure)
    else:
        figure.unlink(missing_ok=True)
    atomic_write_text(summary, json.dumps({**run.metadata, "files": {**FILES, **ENSEMBLE_FILES}}, indent=2, default=str) + "\n")
    written.append(summary)
    return written


__all__ = ["ENSEMBLE_FILES", "FILES", "particles_table", "reports_table", "write_forecast"]
