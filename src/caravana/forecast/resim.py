"""Resample-move by re-simulation (session 14): after a resampling, each copy may be replaced
by a new history, so that the posterior keeps diverse histories and not only the handful of
members the reports picked.

The filter's particles target, at a report date t, pi_t(theta, x) ~ p(theta) q_t(x | theta) W_t(x, theta):
theta the factors and the walks' learnt sds, x the whole run to t, q_t the law of one run as the
filter makes it (the model's own steps, and the moves' draws from their posteriors), W_t the
product of the run's weight increments up to t (the moves' marginal likelihoods and the reports'
likelihoods): the run's *path likelihood*. With one run per theta, W_t is an unbiased estimate of
p(y_1:t | theta) (the moves make the proposal, their marginals the weights), so pi_t's theta-marginal
is the posterior p(theta | y_1:t) (the pseudo-marginal argument, Andrieu and Roberts 2009).

The move is a Metropolis-Hastings step on (theta, x) that leaves pi_t invariant (Gilks and
Berzuini 2001, resample-move; Andrieu, Doucet and Holenstein 2010, particle marginal MH with one
particle): copy j proposes theta' from the Liu-West kernel, N(a log theta_j + (1 - a) m, h^2 V)
in log space (m, V the weighted mean and covariance before resampling, fixed during the move;
``LiuWest``), re-simulates a whole run x' ~ q_t(. | theta') from day 0 to t on a fresh seed,
and takes it with probability

    min(1, [W_t(x', theta') q(theta_j | theta')] / [W_t(x_j, theta_j) q(theta' | theta_j)])

(the runs' laws q_t cancel; the priors are log-uniform, flat in log space, so their ratio is
1 inside the ranges and a proposal outside one is refused without being run). Refused copies
keep their theta and run. The move replaces Liu-West's rejuvenation: that changes theta in
the middle of a run, after which W_t is no longer the path likelihood of one theta, and the
invariance above is lost.

An accepted copy's run shares nothing with the member it was copied from but the centre of
its proposal: it is a new *history* (``Resimulation.histories``), while its *lineage* stays
the member it was copied from (the filter's ``members``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CaravanaError
from .moves import LiuWest

# The key of the move's seeds and streams under a pass's seed (the first part of a three- or
# four-part spawn key: apart from the members' seeds, the filter's streams and the passes').
_RESIM_KEY = 8
# A ridge on the proposal's covariance, as a share of each column's log range squared: when the
# resampling kept one value of a column, V is singular and the kernel's density undefined.
_RIDGE = 1e-6


@dataclass(frozen=True)
class Resimulation:
    """``steps`` Metropolis-Hastings moves by re-simulation after each resampling the ESS rule
    asks for (0: none), each proposing from ``kernel`` (see the module doc)."""

    steps: int = 1
    kernel: LiuWest = field(default_factory=LiuWest)

    def __post_init__(self) -> None:
        steps = self.steps
        if steps < 0:
            raise CaravanaError(f"--resimulate must be 0 or more, got {steps}")

    def check_passes(self, passes: int) -> None:
        """Refuse iterated filtering's later passes: they start from the previous pass's
        perturbed cloud, not the log-uniform prior the move's ratio assumes, and the move
        would switch off IF2's own within-pass perturbation (Liu-West)."""
        if self.steps > 0 and passes > 1:
            raise CaravanaError("--resimulate: not with --passes above 1 (a later pass does not start from the prior)")


@dataclass(frozen=True)
class Proposal:
    """The Liu-West kernel as a Metropolis-Hastings proposal, on the ``moving`` columns, in log space."""

    mean: np.ndarray  # weighted mean of the moving columns' logs before resampling
    chol: np.ndarray  # Cholesky factor of h^2 V (ridged)
    shrink: float  # a
    moving: np.ndarray  # (columns,) bool
    low: np.ndarray  # (columns,) log bounds
    high: np.ndarray

    @classmethod
    def fit(cls, values: np.ndarray, weights: np.ndarray, moving: np.ndarray, low: np.ndarray, high: np.ndarray,
            kernel: LiuWest) -> Proposal:
        """From the weighted particles before resampling (``values``: particles x columns, positive)."""
        if not moving.any():
            return cls(np.zeros(0), np.zeros((0, 0)), kernel.shrink, moving, np.log(low), np.log(high))
        mean, cov = kernel.moments(values, weights, moving)
        width = (np.log(high) - np.log(low))[moving]
        cov = cov + np.diag(_RIDGE * np.maximum(width, 1e-12) ** 2)
        a = kernel.shrink
        return cls(mean, np.linalg.cholesky((1.0 - a * a) * cov), a, moving, np.log(low), np.log(high))

    def _log_q(self, to: np.ndarray, start: np.ndarray) -> np.ndarray:
        """log q(to | start) up to a constant (the same both ways), rows of moving-column logs."""
        z = np.linalg.solve(self.chol, (to - (self.shrink * start + (1 - self.shrink) * self.mean)).T)
        return -0.5 * np.sum(z * z, axis=0)

    def draw(self, current: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(proposed values, log q(current | proposed) - log q(proposed | current), inside the
        prior ranges) for each row of ``current``; the fixed columns are copied."""
        proposed = current.copy()
        if not self.moving.any():
            return proposed, np.zeros(len(current)), np.ones(len(current), dtype=bool)
        start = np.log(current[:, self.moving])
        noise = rng.standard_normal(start.shape) @ self.chol.T
        to = self.shrink * start + (1 - self.shrink) * self.mean + noise
        inside = np.all((to >= self.low[self.moving]) & (to <= self.high[self.moving]), axis=1)
        proposed[:, self.moving] = np.exp(to)
        return proposed, self._log_q(start, to) - self._log_q(to, start), inside


def accepted(current_ll: np.ndarray, proposed_ll: np.ndarray, log_q_ratio: np.ndarray, inside: np.ndarray,
             rng: np.random.Generator) -> np.ndarray:
    """Which proposals the Metropolis-Hastings ratio takes: log u < W'/W x q-ratio, with one
    uniform per copy (drawn for every copy, so the stream does not depend on which were run);
    a proposal outside the prior ranges or of path likelihood zero never."""
    u = rng.random(len(current_ll))
    with np.errstate(invalid="ignore"):
        log_alpha = np.where(inside & np.isfinite(proposed_ll), proposed_ll - current_ll + log_q_ratio, -np.inf)
    return np.log(u) < log_alpha


def step_stream(seed: int, generation: int, step: int) -> np.random.Generator:
    """The stream of one move (proposals, uniforms, the re-simulated runs' moves)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=(_RESIM_KEY, generation, step))))


def run_seed(seed: int, generation: int, step: int, j: int) -> int:
    """The seed of copy j's re-simulated run (fits a signed 64-bit integer, as member seeds do)."""
    state = np.random.SeedSequence(entropy=seed, spawn_key=(_RESIM_KEY, generation, step, j)).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))
