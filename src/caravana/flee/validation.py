"""Flee's validation error: the averaged relative difference (ARD) against camp counts.

Flee's postprocessing (``plot_flee_output.plot_errors``) computes, per day, the sum
over camps of |simulated - observed| divided by max(total observed in camps, 1),
and averages it over days (:func:`averaged_relative_difference`; here, so that a Flee
run's summary does not import :mod:`caravana.metrics` and the observations' models, which
offers it with the other error measures). Here too: which counts Flee compares, and its report.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine.status import Status
from ..results.results import Results
from ..scenario.schema import Scenario
from ..scenario.series import interpolate_counts


def averaged_relative_difference(simulated: np.ndarray, observed: np.ndarray) -> tuple[float, float]:
    """(normal, rescaled) ARD of (days, camps) arrays, as Flee's postprocessing defines them.

    Per day, the sum over camps of |simulated - observed| divided by max(total observed
    in camps, 1), averaged over days. The rescaled variant first scales the simulated
    camp counts so that, each day, their total equals the observed total.
    """
    simulated = np.asarray(simulated, dtype=np.float64)
    observed = np.asarray(observed, dtype=np.float64)
    observed_total = observed.sum(axis=1)
    simulated_total = simulated.sum(axis=1)
    denominator = np.maximum(observed_total, 1.0)
    normal = np.abs(simulated - observed).sum(axis=1) / denominator
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(simulated_total > 0, observed_total / simulated_total, 0.0)
    rescaled = np.abs(simulated * scale[:, None] - observed).sum(axis=1) / denominator
    return float(normal.mean()), float(rescaled.mean())


@dataclass(frozen=True)
class CampComparison:
    camps: tuple[str, ...]
    simulated: np.ndarray  # (days, camps) people resting at each camp
    observed: np.ndarray  # (days, camps) Flee's interpolated observed counts


def compare_camps(results: Results, scenario: Scenario) -> CampComparison:
    """Simulated and observed daily counts for every place with observations.

    With ``camps_are_sinks``, people who settled at a camp count there, as in Flee
    (its deactivated agents stay in the camp's head-count).
    """
    camps = tuple(name for name in results.places if name in scenario.observations)
    days = results.days
    sinks = scenario.settings.spawning.camps_are_sinks

    def at(camp: str) -> np.ndarray:
        series = results.series(camp, Status.RESTING)
        return series + results.series(camp, Status.SETTLED) if sinks else series

    simulated = np.stack([at(c) for c in camps], axis=1) if camps else np.zeros((days, 0))
    observed = (
        np.stack([interpolate_counts(scenario.observations[c], days) for c in camps], axis=1)
        if camps
        else np.zeros((days, 0))
    )
    return CampComparison(camps=camps, simulated=simulated, observed=observed)


def validate_results(results: Results, scenario: Scenario) -> dict:
    """ARD (normal and rescaled) and per-camp mean relative error over the run."""
    comparison = compare_camps(results, scenario)
    normal, rescaled = averaged_relative_difference(comparison.simulated, comparison.observed)
    per_camp = {}
    for j, camp in enumerate(comparison.camps):
        obs = comparison.observed[:, j].astype(np.float64)
        sim = comparison.simulated[:, j].astype(np.float64)
        mask = obs > 0
        per_camp[camp] = {
            "final_simulated": int(sim[-1]),
            "final_observed": int(obs[-1]),
            "mean_relative_error": float(np.mean(np.abs(sim[mask] / obs[mask] - 1.0))) if mask.any() else float("nan"),
        }
    return {"ard": normal, "ard_rescaled": rescaled, "days": results.days, "camps": per_camp}
