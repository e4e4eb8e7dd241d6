"""Writing Flee's ``out.csv`` so Flee's own postprocessing can read caravana's runs."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np

from ..behaviours.spawning import displaced_series, spawn_schedule
from ..results.io import atomic_write_text
from ..results.results import Results
from ..scenario.schema import Scenario
from .validation import compare_camps


def flee_out_csv(results: Results, scenario: Scenario) -> str:
    comparison = compare_camps(results, scenario)
    days = results.days
    _, debt = spawn_schedule(scenario, days)
    raw = displaced_series(scenario, days)
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
    # Every day's figures at once (element by element, as the rows are written)
    sims = comparison.simulated.astype(np.float64)
    observed = comparison.observed.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rels = np.where(observed < 1e-5, 0.0, np.round(np.abs(sims / observed - 1.0), 4))
    gaps = np.abs(sims - observed).sum(axis=1)
    for t, date in enumerate(results.dates):
        sim, obs, rel = sims[t], observed[t], rels[t]
        cells = [str(t), date.isoformat()]
        for j in range(len(comparison.camps)):
            cells += [str(int(sim[j])), str(int(obs[j])), str(float(rel[j]))]
        total_error = float(gaps[t]) / raw[t] if raw[t] > 0 else 0.0
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
