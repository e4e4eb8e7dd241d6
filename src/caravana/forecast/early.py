"""Upper bounds of a run's weight increments, for the early rejection of the move by re-simulation
(``resim``, session 18; Solonen, Ollinaho, Laine, Haario, Tamminen and Järvinen 2012, "Efficient MCMC
for climate model parameter estimation: parallel adaptive chains and early rejection", Bayesian
Analysis 7(3); delayed acceptance, Christen and Fox 2005).

The move takes a re-simulated run when log u < log W_t(x') - log W_t(x_j) + log ratio, W_t the product of
its weight increments over the report dates up to t and u drawn before the run. If every increment of
a date has an upper bound that does not depend on the run, a run whose increments so far plus the
bounds of the later dates already fall below the threshold can only be refused: it is refused there,
the same decision as run to t, without stepping further. The bounds (``metrics.NoiseModel``; counts as
log1p):

- a scored row (``metrics.log_likelihood``): a count of range [lo, hi] has log density at most
  -log(hi - lo + sd sqrt(2 pi)) (inside its range), a reported day at most -log(day_sd sqrt(2 pi));
  a row tempered by 1/k (``sources.Tempered``) 1/k of that; another likelihood has no known bound (inf:
  no early rejection);
- ``move_positions``, ``move_days`` and ``move_returns`` weigh a run by an average of the report's
  density over stops or shares sent home whose prior weights sum to one: at most the density's sup
  (with the move's own noise, widened for k rows of one source);
- ``move_sizes`` by a Riemann sum of the walk's prior times the density on a grid x = mu + tau z: at
  most the sup times sum phi(z_i) dz over the grid, the same for every tau (just under 1 for 801 points).

Measured before it was built: ``benchmarks/results/forecast_speed-2026-11-28-session18-s18early-bound.txt``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import partial

import numpy as np

from ..metrics import NoiseModel, log_likelihood
from ..observations import Observation, Observations
from .moves import move_days, move_positions, move_returns, move_sizes
from .sources import Tempered

# A run is refused early only when its bound falls below the threshold by more than this (log units):
# the bound and the full sum add the same terms in another order, which may differ in the last bits.
SLACK = 1e-6


def count_bound(noise: NoiseModel, row: Observation) -> float:
    """The highest log density of a count report (inside its range); inf when it has none (no count,
    or a point report with no noise: its density is unbounded)."""
    low, high = row.bounds
    if low is None or high is None:
        return math.inf
    with np.errstate(divide="ignore", invalid="ignore"):  # the density's own formula, inside the range
        return _finite_or_inf(noise.count_log_density(math.log1p(low), math.log1p(low), math.log1p(high)))


def day_bound(noise: NoiseModel) -> float:
    """The highest log density of a reported day (on the day); inf with no day noise."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _finite_or_inf(noise.day_log_density(np.float64(0.0)))


def _finite_or_inf(value) -> float:
    value = float(value)
    return value if math.isfinite(value) else math.inf


def grid_mass(points: int) -> float:
    """sum phi(z_i) dz over ``SizeMove``'s grid of ``points`` z in [-6, 6] (its cut at x >= 0 only drops terms)."""
    z = np.linspace(-6.0, 6.0, points)
    return float(np.sum(np.exp(-0.5 * z * z)) / math.sqrt(2 * math.pi) * 12.0 / (points - 1))


def move_bound(fn, move, rows: Sequence[Observation]) -> float:
    """The highest log marginal likelihood the move ``fn`` (with ``move``'s noise) can give a run for ``rows``."""
    if not rows:
        return 0.0
    noise = move.noise
    if fn is move_days:
        return len(rows) * day_bound(noise)
    counts = sum(count_bound(noise, row) for row in rows)
    if fn is move_sizes:
        return counts + len(rows) * math.log(grid_mass(move.points))  # (the mass is just under 1)
    if fn in (move_positions, move_returns):
        return counts
    return math.inf


def scored_bound(scorer, observations: Observations) -> float:
    """The highest ``scorer(results, observations)`` over runs; inf when the scorer is not one whose
    bound is known (``metrics.log_likelihood`` with its noise, possibly tempered)."""
    if not observations.rows:
        return 0.0
    if isinstance(scorer, Tempered):
        groups: dict[int, list[Observation]] = {}
        for row in observations.rows:
            groups.setdefault(scorer.k_of.get(id(row), 1), []).append(row)
        return sum(scored_bound(scorer.log_likelihood, replace(observations, rows=tuple(rows))) / k for k, rows in groups.items())
    if scorer is log_likelihood:
        noise = NoiseModel()
    elif isinstance(scorer, partial) and scorer.func is log_likelihood and not scorer.args and set(scorer.keywords) <= {"noise"}:
        noise = scorer.keywords.get("noise") or NoiseModel()
    else:
        return math.inf
    return sum(count_bound(noise, row) if row.is_count else day_bound(noise) for row in observations.rows)


def hopeless(run_ll: np.ndarray, later: float, current_ll: np.ndarray, log_ratio: np.ndarray,
             log_u: np.ndarray) -> np.ndarray:
    """Which runs the ratio must refuse whatever their later increments (at most ``later`` in all):
    log u >= run_ll + later - current_ll + log_ratio (+ ``SLACK``); a run of path likelihood zero too."""
    with np.errstate(invalid="ignore"):
        best = run_ll + later - current_ll + log_ratio
        return (run_ll == -np.inf) | (log_u >= best + SLACK)
