"""Iterated filtering (IF2: Ionides, Nguyen, Atchadé, Stoev and King 2015, PNAS 112:719):
passes of the filter over the reports up to the as-of date, each starting its members
from the parameters the previous pass ended with, perturbed a little less each pass.

Pass 1 draws its members from the user's prior; pass m > 1 draws member i's factors
(and the walks' learnt sds) from the previous pass's end cloud (its particles resampled
by their weights at the as-of date), each jittered in log space by a normal of sd
``jitter x cooling^(m-1)`` times the log width of the factor's prior range, clipped to
the range; the Liu-West kernel within pass m is cooled by the same ``cooling^(m-1)``.
Every pass starts fresh states from day 0 on its own seed (``pass_seed``); the last
pass is the forecast. IF2 targets the maximum likelihood, not the posterior: the last
pass's cloud concentrates where the reports are likeliest, so its intervals may be too
narrow (docs/forecast.md, *Iterated filtering*).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CaravanaError
from .moves import LiuWest

# The key of pass seeds under the forecast's seed (a two-part spawn key: apart from the
# members' seeds and the filter's streams, whose keys have one part).
_PASS_KEY = 7


@dataclass(frozen=True)
class Passes:
    """How many passes, and how their perturbations cool (see the module doc).

    ``cooling``: 0.5, the perturbation halves every pass: with the few passes a forecast
    can pay for (3-5), IF2's usual slow schedules (x0.95 a pass over 50-100 passes, Ionides
    et al. 2015) would leave the last pass as jittered as the first; halving reaches an
    eighth by pass 4. ``jitter``: pass 2's start jitter is 0.1 of a factor's log range
    (0.2 x 0.5): enough to move off the handful of members pass 1 kept, small enough to
    keep what the reports taught it (est, not tuned)."""

    count: int = 1
    cooling: float = 0.5
    jitter: float = 0.2

    def __post_init__(self) -> None:
        passes, cooling = self.count, self.cooling
        if passes < 1:
            raise CaravanaError(f"--passes must be at least 1, got {passes}")
        if not 0 < cooling <= 1:
            raise CaravanaError(f"--cooling must be more than 0 and at most 1, got {cooling}")

    def scale(self, m: int) -> float:
        """Pass m's (1-based) perturbation relative to pass 1's."""
        return self.cooling ** (m - 1)

    def liu_west(self, kernel: LiuWest | None, m: int) -> LiuWest | None:
        """The Liu-West kernel of pass m: pass 1's (the filter's own), then cooled."""
        return kernel if kernel is None or m == 1 else kernel.cooled(self.scale(m))


@dataclass
class PassRecord:
    """One pass before the last: how the filter ended it."""

    steps: list = field(default_factory=list)  # its FilterSteps
    ancestors: float = 0.0  # members its particles descend from at the as-of date, by weight
    log_likelihood: float = 0.0  # the filter's estimate of log p(reports up to the as-of date)


def pass_seed(seed: int, m: int) -> int:
    """Pass m's seed: the forecast's own for pass 1 (one pass is the forecast as it was),
    then one derived from it and m (``_PASS_KEY``)."""
    if m == 1:
        return seed
    state = np.random.SeedSequence(entropy=seed, spawn_key=(_PASS_KEY, m)).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))  # fits a signed 64-bit integer, as member seeds do


def jitter(values: np.ndarray, low: np.ndarray, high: np.ndarray, sd: float, rng: np.random.Generator) -> np.ndarray:
    """``values`` (particles, columns) moved in log space by N(0, (sd x log(high/low))^2),
    clipped to [low, high]; a column with high == low is left as it is."""
    width = np.log(high) - np.log(low)
    moved = np.log(values) + rng.standard_normal(values.shape) * (sd * width)
    return np.exp(np.clip(moved, np.log(low), np.log(high)))
