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
particle): copy j proposes theta' from the Liu-West kernel, N(a u_j + (1 - a) m, h^2 V), in the
prior box's unbounded coordinates u = logit((log theta - log low) / (log high - log low)) (m, V
the weighted mean and covariance of u before resampling, fixed during the move; ``LiuWest``),
re-simulates a whole run x' ~ q_t(. | theta') from day 0 to t on a fresh seed, and takes it with
probability

    min(1, [W_t(x', theta') p(u') q(u_j | u')] / [W_t(x_j, theta_j) p(u_j) q(u' | u_j)])

(the runs' laws q_t cancel; the priors are log-uniform, flat in log theta, so in u their density
is p(u) ~ s (1 - s), s = sigmoid(u), the Jacobian). Every proposal lies inside the prior box
(session 15: in log space a third to a half of them fell outside a range and were refused unrun).
Refused copies keep their theta and run. The move replaces Liu-West's rejuvenation: that changes
theta in the middle of a run, after which W_t is no longer the path likelihood of one theta, and
the invariance above is lost.

How many sweeps (session 16, s16sweep and s16sweep2; scored once, merged): fixed, given the weighted cloud
before resampling, before any sweep runs (``Resimulation.plan``). A pilot draws m = N/10 ancestors
(at least one) from that weighted cloud on a stream of its own (``PILOT_STEP``), makes one proposal
from each, re-simulates it and judges it by the same ratio against that ancestor's own path
likelihood, then is discarded; the stage makes the fewest sweeps, at most ``steps``, after which a
copy has a new run with probability 1 - (1 - a)^k >= ``renew`` (session 15's goal, half the copies
renewed), a = (taken + 1/2) / (m + 1). So the count depends on: the weighted cloud before resampling
(its columns, weights and path likelihoods, which also fix the proposal's m and V), the pilot's own
stream, the report dates, N, ``steps``, ``renew`` and ``pilot``; not on the resampling's draw, nor on
the resampled copies the sweeps move, nor on the sweeps' acceptances. Given the weighted cloud each
stage's kernel is then a fixed number of pi_t-invariant MH sweeps (session 15 stopped on the sweeps'
own acceptances: a stopping time of the chains, biased by O(1/N)). The kernel's dependence on the
cloud as a whole remains, as for m and V: the adaptive SMC samplers' setting (Jasra, Stephens, Doucet
and Tsagaris 2011; Beskos, Jasra, Kantas and Thiery 2016; Chopin and Papaspiliopoulos 2020, ch. 17),
whose error vanishes as N grows, not exactly zero at a given N. (Aimed instead at half the copies
with distinct histories, fewer sweeps, the move failed its keep rule in session 16: docs/history/forecast.md.)

An accepted copy's run shares nothing with the member it was copied from: it is a new *history*
(``Resimulation.histories``), while its *lineage* stays the member it was copied from (the
filter's ``members``): the resampling's ancestor, on which its proposal's centre still depends.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from ..errors import CaravanaError
from .moves import LiuWest, weighted_moments

# The key of the move's seeds and streams under a pass's seed (the first part of a three- or
# four-part spawn key: apart from the members' seeds, the filter's streams and the passes').
_RESIM_KEY = 8
# A ridge on the proposal's covariance in u (a box's middle 90 % spans u from -2.9 to 2.9): when the
# resampling kept one value of a column, V is singular and the kernel's density undefined.
_RIDGE = 1e-6
# The move's goal: half the copies with a new run, as many as the effective sample size the
# resampling rule lets the weights fall to (N/2, Doucet and Johansen 2009) (est).
RENEW = 0.5
# The pilot that estimates a stage's acceptance: a tenth of the copies, at least one (est: 20 of 200
# runs, a tenth of a sweep's cost).
PILOT = 0.1
# The sweep index of the pilot's stream and seeds (the sweeps count from 0, at most ``steps``).
PILOT_STEP = 1 << 16
# The last part of a re-simulated run's own stream's spawn key (``run_stream``; ``run_seed`` has four parts).
_OWN = 1
# A value's place in its prior box is kept this far from 0 and 1, so that its logit is finite (|u| <= 20.7:
# beyond, the stored value loses u and the move is not exactly reversible, on prior mass ~e^-20; left).
_EDGE = 1e-9


@dataclass(frozen=True)
class Resimulation:
    """Metropolis-Hastings sweeps by re-simulation after each resampling the ESS rule asks for, as
    many as ``plan`` fixes before they run (at most ``steps``; 0: no move), each proposing from
    ``kernel`` (see the module doc); ``renew``: the share of the copies the move aims to give a
    new run; ``pilot``: the number of trial proposals (from ancestors drawn from the
    weighted cloud before resampling, discarded) that estimate the acceptance, as a share of the copies."""

    steps: int = 1
    kernel: LiuWest = field(default_factory=LiuWest)
    renew: float = RENEW
    pilot: float = PILOT

    def __post_init__(self) -> None:
        steps = self.steps
        if steps < 0:
            raise CaravanaError(f"--resimulate must be 0 or more, got {steps}")

    def pilot_size(self, copies: int) -> int:
        """How many trial proposals the pilot makes: a fixed share of the copies (at least one)."""
        return min(copies, max(1, round(self.pilot * copies)))

    def plan(self, copies: int, pilot: Callable[[int], int]) -> int:
        """The number of sweeps of a stage, fixed before they run: the fewest, at most ``steps``,
        after which a copy has a new run with probability ``renew``, at the acceptance ``pilot(m)``
        (how many of m trial proposals from ancestors drawn from the weighted cloud its ratio would
        take) estimates (Jeffreys: (taken + 1/2) / (m + 1))."""
        if self.steps == 0:
            return 0
        m = self.pilot_size(copies)
        rate = (pilot(m) + 0.5) / (m + 1)
        for k in range(1, self.steps + 1):
            if 1.0 - (1.0 - rate) ** k >= self.renew:  # a copy renewed by one of k sweeps
                return k
        return self.steps

    def check_passes(self, passes: int) -> None:
        """Refuse iterated filtering's later passes: they start from the previous pass's
        perturbed cloud, not the log-uniform prior the move's ratio assumes, and the move
        would switch off IF2's own within-pass perturbation (Liu-West)."""
        if self.steps > 0 and passes > 1:
            raise CaravanaError("--resimulate: not with --passes above 1 (a later pass does not start from the prior)")


@dataclass(frozen=True)
class Proposal:
    """The Liu-West kernel as a Metropolis-Hastings proposal, on the ``moving`` columns, in the
    prior box's unbounded coordinates u = logit((log v - log low) / (log high - log low))."""

    mean: np.ndarray  # weighted mean of the moving columns' u before resampling
    chol: np.ndarray  # Cholesky factor of h^2 V (ridged)
    shrink: float  # a
    moving: np.ndarray  # (columns,) bool
    low: np.ndarray  # (columns,) log bounds
    high: np.ndarray

    @classmethod
    def fit(cls, values: np.ndarray, weights: np.ndarray, moving: np.ndarray, low: np.ndarray, high: np.ndarray,
            kernel: LiuWest) -> Proposal:
        """From the weighted particles before resampling (``values``: particles x columns, positive)."""
        blank = cls(np.zeros(0), np.zeros((0, 0)), kernel.shrink, moving, np.log(low), np.log(high))
        if not moving.any():
            return blank
        u = blank.unbounded(values)
        # log(exp(u)) rounds u as the forecasts merged in session 15 did: u itself moves the mean by
        # an ulp, and that changes the forecast's digest (checked, s15mendL). Drop the round trip when
        # the forecasts may change.
        mean, cov = weighted_moments(np.log(np.exp(u)), weights)
        cov = cov + _RIDGE * np.eye(len(mean))
        a = kernel.shrink
        return cls(mean, np.linalg.cholesky((1.0 - a * a) * cov), a, moving, blank.low, blank.high)

    def unbounded(self, values: np.ndarray) -> np.ndarray:
        """u of the moving columns of ``values`` (rows)."""
        low, high = self.low[self.moving], self.high[self.moving]
        place = (np.log(values[:, self.moving]) - low) / np.where(high > low, high - low, 1.0)
        return _logit(np.clip(place, _EDGE, 1 - _EDGE))

    def log_prior(self, u: np.ndarray) -> np.ndarray:
        """The log-uniform prior's log density in u, up to a constant: log s (1 - s) over the columns."""
        return np.sum(-np.logaddexp(0.0, -u) - np.logaddexp(0.0, u), axis=1)

    def _log_q(self, to: np.ndarray, start: np.ndarray) -> np.ndarray:
        """log q(to | start) up to a constant (the same both ways), rows of u."""
        z = np.linalg.solve(self.chol, (to - (self.shrink * start + (1 - self.shrink) * self.mean)).T)
        return -0.5 * np.sum(z * z, axis=0)

    def draw(self, current: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(proposed values, the ratio's log p(u') q(u | u') - log p(u) q(u' | u), inside the prior
        ranges: always) for each row of ``current``; the fixed columns are copied."""
        proposed = current.copy()
        inside = np.ones(len(current), dtype=bool)
        if not self.moving.any():
            return proposed, np.zeros(len(current)), inside
        start = self.unbounded(current)
        noise = rng.standard_normal(start.shape) @ self.chol.T
        to = self.shrink * start + (1 - self.shrink) * self.mean + noise
        low, high = self.low[self.moving], self.high[self.moving]
        proposed[:, self.moving] = np.exp(low + (high - low) / (1.0 + np.exp(-to)))
        log_ratio = self._log_q(start, to) - self._log_q(to, start) + self.log_prior(to) - self.log_prior(start)
        return proposed, log_ratio, inside


def _logit(p: np.ndarray | float) -> np.ndarray:
    return np.log(p) - np.log1p(-np.asarray(p))


def accepted(current_ll: np.ndarray, proposed_ll: np.ndarray, log_ratio: np.ndarray, inside: np.ndarray,
             log_u: np.ndarray) -> np.ndarray:
    """Which proposals the Metropolis-Hastings ratio takes: ``log_u`` < log W'/W + ``log_ratio`` (the
    proposal's and the prior's terms, ``Proposal.draw``), ``log_u`` the log of each copy's uniform,
    drawn before its run (``run_stream``: so that a run can be refused early, ``early``); a proposal
    outside the prior ranges or of path likelihood zero never."""
    with np.errstate(invalid="ignore"):
        log_alpha = np.where(inside & np.isfinite(proposed_ll), proposed_ll - current_ll + log_ratio, -np.inf)
    return log_u < log_alpha


def step_stream(seed: int, generation: int, step: int) -> np.random.Generator:
    """The stream of one sweep's proposals (``PILOT_STEP``: the pilot's, and its choice of ancestors)."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=(_RESIM_KEY, generation, step))))


def run_seed(seed: int, generation: int, step: int, j: int) -> int:
    """The seed of copy j's re-simulated run (fits a signed 64-bit integer, as member seeds do)."""
    state = np.random.SeedSequence(entropy=seed, spawn_key=(_RESIM_KEY, generation, step, j)).generate_state(1, np.uint64)
    return int(state[0] >> np.uint64(1))


def run_stream(seed: int, generation: int, step: int, j: int) -> np.random.Generator:
    """The stream of copy j's re-simulated run (session 18): its Metropolis-Hastings uniform first, then
    its moves' draws. A run of its own, so that stopping one run early (``early``) changes no other
    run's draws, and worker blocks move their runs at once (``shards``); until session 18 the sweep's
    runs shared its stream, the uniforms drawn after every run."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy=seed, spawn_key=(_RESIM_KEY, generation,
                                                                                                 step, j, _OWN))))
