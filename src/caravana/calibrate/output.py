"""A calibration on disk, every file written atomically:

- ``fitted.json``: fitted values (as overrides: ``{path: value}``), their spread over
  the best trials, the prior bounds, the scenario's own values, the loss of each
  evaluated parameter set on the fitted and held-back observations, and the settings;
- ``trials.parquet`` / ``.csv``: one row per trial: its values, loss (mean over seeds),
  its sd, and whether the values made a valid scenario;
- ``errors.parquet`` / ``.csv``: one row per evaluated parameter set and observation:
  part (fitted / held back), simulated (mean over the evaluation seeds), observed,
  low, high, error, score.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from ..results.io import atomic_write_text, write_table
from .search import CalibrationResult


def trials_table(result: CalibrationResult) -> pa.Table:
    columns: dict[str, list] = {"trial": [t.number for t in result.trials]}
    for spec in result.params:
        columns[spec.path] = [float(t.values[spec.path]) for t in result.trials]
    columns["loss"] = [t.loss for t in result.trials]  # what the search minimised
    columns["fit_loss"] = [t.fit_loss for t in result.trials]
    columns["penalty"] = [t.penalty for t in result.trials]
    columns["loss_sd"] = [float(t.losses.std(ddof=1)) if len(t.losses) > 1 else 0.0 for t in result.trials]
    columns["seeds"] = [len(t.losses) for t in result.trials]
    columns["confirmed"] = [t.confirmed for t in result.trials]
    columns["valid"] = [not t.error for t in result.trials]
    columns["error"] = [t.error for t in result.trials]
    return pa.table(columns)


def errors_table(result: CalibrationResult) -> pa.Table:
    tables = [e.table.add_column(0, "params", pa.array([e.name] * e.table.num_rows)) for e in result.evaluations]
    return pa.concat_tables(tables)


def summary(result: CalibrationResult) -> dict:
    return {
        "scenario": result.scenario,
        "fitted": result.fitted,
        "spread": result.spread,
        "bounds": {
            s.path: {"low": s.low, "high": s.high, "log": s.is_log, "integer": s.integer} for s in result.params
        },
        "evaluations": {
            e.name: {"values": e.values, "loss": e.loss, "loss_sd": e.loss_sd} for e in result.evaluations
        },
        "best_trial": {"number": result.best.number, "fit_loss": result.best.fit_loss, "penalty": result.best.penalty},
        "settings": result.settings,
    }


def write_calibration(result: CalibrationResult, out_dir: Path) -> list[Path]:
    """Write the calibration's files into ``out_dir``; return their paths."""
    out_dir = Path(out_dir)
    written = []
    for name, table in (("trials", trials_table(result)), ("errors", errors_table(result))):
        written += write_table(table, out_dir, name)
    fitted = out_dir / "fitted.json"
    atomic_write_text(fitted, json.dumps(summary(result), indent=2, default=str) + "\n")
    return written + [fitted]
