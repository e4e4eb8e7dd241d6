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
    # Every day's figures at once, then as Python numbers (``tolist``): the cells are the
    # same ``str(int(x))`` and ``str(float(x))`` as element by element, at two thirds of the cost.
    sims = comparison.simulated.astype(np.float64)
    observed = comparison.observed.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        rels = np.where(observed < 1e-5, 0.0, np.round(np.abs(sims / observed - 1.0), 4))
    gaps = np.abs(sims - observed).sum(axis=1).tolist()
    # (whole counts held as floats: their sums are exact, whatever the order of addition)
    sim_cells = sims.astype(np.int64).tolist()
    obs_cells = observed.astype(np.int64).tolist()
    obs_totals, sim_totals = observed.sum(axis=1).tolist(), sims.sum(axis=1).tolist()
    raws, spawned, debts = np.asarray(raw).tolist(), np.asarray(results.spawned).tolist(), np.asarray(debt).tolist()
    for t, (date, sim, obs, rel) in enumerate(zip(results.dates, sim_cells, obs_cells, rels.tolist())):
        cells = [str(t), date.isoformat()]
        for s, o, r in zip(sim, obs, rel):
            cells += [str(s), str(o), str(r)]
        total_error = gaps[t] / raws[t] if raws[t] > 0 else 0.0
        cells += [
            str(float(total_error)),
            str(int(obs_totals[t])),
            str(int(spawned[t])),
            str(int(raws[t])),
            str(int(sim_totals[t])),
            str(int(debts[t])),
        ]
        out.write(",".join(cells) + "\n")
    return out.getvalue()


def write_flee_out_csv(results: Results, scenario: Scenario, path: Path) -> Path:
    atomic_write_text(path, flee_out_csv(results, scenario))
    return path
