"""What a worker does for calibration: run one scenario with one seed and return the
simulated value of each observation (one float each, not the whole results)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..metrics import simulated_values
from ..model import simulation
from ..observations import Observations
from ..scenario.schema import Scenario


@dataclass(frozen=True)
class SimulationTask:
    scenario: Scenario  # with the trial's parameter values already set
    seed: int
    days: int
    observations: Observations


def simulate_observations(task: SimulationTask) -> np.ndarray:
    """Top-level (picklable) so any backend can run it."""
    results = simulation(task.scenario, seed=task.seed, days=task.days).run()
    return simulated_values(results, task.observations)
