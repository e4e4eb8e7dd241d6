"""Writing Flee's ``out.csv`` so Flee's own postprocessing can read caravana's runs."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from ..results.io import atomic_write_text
from ..results.results import Results
from ..scenario.schema import Scenario
from ..scenario.series import interpolate_counts
from .validation import compare_camps


def _flee_debt_and_raw(scenario: Scenario, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Flee's refugee_debt and raw UNHCR total per day; both follow from the input series alone."""
    totals = interpolate_counts(scenario.spawning.totals, days)
    daily = np.diff(totals, prepend=0)
    debt_by_day = np.zeros(days, dtype=np.int64)
    debt = 0
    for t in range(days):
        new = 0 if (t == 0 and scenario.settings.spawning.insert_day0) else int(daily[t]) - debt
        debt = -new if new < 0 else 0
        debt_by_day[t] = debt
    return debt_by_day, np.cumsum(daily)


def flee_out_csv(results: Results, scenario: Scenario) -> str:
    comparison = compare_camps(results, scenario)
    days = results.days
    debt, raw = _flee_debt_and_raw(scenario, days)
    header = ["Day", "Date"]
    for camp in comparison.camps:
        header += [f"{camp} sim", f"{camp} data", f"{camp} error"]
    header += [
        "Total error",
        "refugees in camps (UNHCR)",
        "total refugees (simulation)",
        "raw UNHCR refugee count",
        "refugees in camps (simulation)",
        "refugee_debt",
    ]
    out = io.StringIO()
    out.write(",".join(header) + "\n")
    for t, date in enumerate(results.dates):
        sim = comparison.simulated[t].astype(np.float64)
        obs = comparison.observed[t].astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(obs < 1e-5, 0.0, np.round(np.abs(sim / obs - 1.0), 4))
        cells = [str(t), date.isoformat()]
        for j in range(len(comparison.camps)):
            cells += [str(int(sim[j])), str(int(obs[j])), str(float(rel[j]))]
        total_error = float(np.abs(sim - obs).sum()) / raw[t] if raw[t] > 0 else 0.0
        cells += [
            str(float(total_error)),
            str(int(obs.sum())),
            str(int(results.spawned[t])),
            str(int(raw[t])),
            str(int(sim.sum())),
            str(int(debt[t])),
        ]
        out.write(",".join(cells) + "\n")
    return out.getvalue()


def write_flee_out_csv(results: Results, scenario: Scenario, path: Path) -> Path:
    atomic_write_text(path, flee_out_csv(results, scenario))
    return path
