"""The move by re-simulation (forecast/resim.py): its Metropolis-Hastings kernel leaves a known
posterior invariant; in the filter it gives new histories, the same forecast on 1 and 2 workers,
and loses nobody."""

from __future__ import annotations

import datetime as dt
from functools import partial

import numpy as np
import pytest
from scipy import stats

from caravana import load_scenario
from caravana.errors import CaravanaError
from caravana.forecast import assimilate, run_forecast
from caravana.forecast.moves import LiuWest
from caravana.forecast.parameters import default_factors
from caravana.forecast.resim import Proposal, Resimulation, accepted, run_seed
from caravana.forecast.weights import ancestors
from caravana.observations import read_observations
from caravana.scenario.load import BUILTIN_DIR
from tests.test_forecast import _same_table, _size_log_likelihood, _size_reports

OBSERVATIONS_2018 = BUILTIN_DIR / "corridor" / "observations_2018.csv"

# A tiny model with a computable posterior: u = log theta, log-uniform prior on [LOW, HIGH];
# a hidden x ~ N(u, 1) (the "run"), a report y ~ N(x, SD_Y). p(y | u) = N(y; u, sqrt(1 + SD_Y^2)),
# so u | y is that normal truncated to the prior's range; a run's path likelihood is N(y; x, SD_Y).
LOW, HIGH, Y, SD_Y = 0.2, 5.0, 0.9, 0.5


def _posterior_u() -> stats.rv_continuous:
    sd = np.sqrt(1 + SD_Y**2)
    a, b = (np.log(LOW) - Y) / sd, (np.log(HIGH) - Y) / sd
    return stats.truncnorm(a, b, loc=Y, scale=sd)


def _path_ll(x: np.ndarray) -> np.ndarray:
    return stats.norm.logpdf(Y, loc=x, scale=SD_Y)


def _moved(u: np.ndarray, x: np.ndarray, steps: int, rng: np.random.Generator, kernel: LiuWest, ratio: bool = True):
    """``steps`` moves by re-simulation of the toy model's particles (u, x), as the filter makes them."""
    n = len(u)
    theta = np.exp(u)[:, None]
    proposal = Proposal.fit(theta, np.full(n, 1 / n), np.array([True]), np.array([LOW]), np.array([HIGH]), kernel)
    ll, taken = _path_ll(x), 0
    for _ in range(steps):
        proposed, log_q_ratio, inside = proposal.draw(theta, rng)
        x_new = np.log(proposed[:, 0]) + rng.standard_normal(n)  # the run re-simulated from scratch
        ll_new = _path_ll(x_new)
        take = accepted(ll, ll_new, log_q_ratio if ratio else np.zeros(n), inside, rng)
        theta[take], x[take], ll[take] = proposed[take], x_new[take], ll_new[take]
        taken += int(take.sum())
    return np.log(theta[:, 0]), x, taken / (steps * n)


def _exact_draws(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(u, x) drawn from the toy's posterior: u from its truncated normal, x | u, y normal."""
    u = _posterior_u().rvs(size=n, random_state=rng)
    x = (u + Y / SD_Y**2) / (1 + 1 / SD_Y**2) + rng.standard_normal(n) * np.sqrt(1 / (1 + 1 / SD_Y**2))
    return u, x


@pytest.mark.parametrize("kernel", [LiuWest(), LiuWest(discount=0.6)], ids=["filter's kernel", "shrinking fast"])
def test_the_move_leaves_a_known_posterior_invariant(kernel):
    """Started from the exact posterior of (u, x), the moves keep it: u's distribution stays the
    truncated normal (Kolmogorov-Smirnov), and the hidden x's mean stays its mean given y."""
    rng = np.random.default_rng(11)
    u, x = _exact_draws(3000, rng)
    u, x, rate = _moved(u, x, 10, rng, kernel)
    assert 0.05 < rate < 0.95  # the test is of moves that happen
    assert stats.kstest(u, _posterior_u().cdf).pvalue > 1e-3
    expected_x = (_posterior_u().mean() + Y / SD_Y**2) / (1 + 1 / SD_Y**2)
    assert abs(x.mean() - expected_x) < 4 * np.sqrt(1.25 / len(x))


def test_without_the_proposals_reverse_density_the_posterior_is_not_kept():
    """The same moves without the kernel's ratio q(theta | theta') / q(theta' | theta): a kernel that
    shrinks toward the cloud's mean then narrows the posterior, and the check above sees it."""
    rng = np.random.default_rng(11)
    u, x = _exact_draws(3000, rng)
    u, _, _ = _moved(u, x, 10, rng, LiuWest(discount=0.6), ratio=False)
    assert stats.kstest(u, _posterior_u().cdf).pvalue < 1e-6
    assert u.std() < 0.9 * _posterior_u().std()


def test_a_proposal_outside_the_prior_or_of_zero_likelihood_is_never_taken():
    rng = np.random.default_rng(0)
    n = 1000
    take = accepted(np.zeros(n), np.full(n, 50.0), np.zeros(n), np.zeros(n, dtype=bool), rng)
    assert not take.any()
    take = accepted(np.zeros(n), np.full(n, -np.inf), np.zeros(n), np.ones(n, dtype=bool), rng)
    assert not take.any()
    assert accepted(np.zeros(n), np.full(n, 50.0), np.zeros(n), np.ones(n, dtype=bool), rng).all()
    with pytest.raises(CaravanaError, match="--resimulate"):
        Resimulation(-1)
    assert run_seed(1, 1, 0, 3) == run_seed(1, 1, 0, 3) != run_seed(1, 1, 0, 4)


@pytest.fixture(scope="module")
def corridor():
    return load_scenario("corridor")


def test_the_move_gives_the_posterior_new_histories_and_keeps_its_lineage(corridor):
    """Sharp size reports of a caravan leaving 3x as fast as the scenario's: without the move the
    posterior descends from a handful of the 20 members; with it, accepted copies carry new histories
    (more of them by weight than members), each still counted under the member it was copied from."""
    truth = 3.0
    reports, leave = _size_reports(corridor, truth, seed=999, days=[9, 11, 13, 15])
    run = partial(assimilate, corridor, reports, corridor.period.start + dt.timedelta(days=15), 2, _size_log_likelihood,
                  particles=20, seed=5, factors=[leave], rejuvenate=LiuWest())
    plain, moved = run(), run(resimulation=Resimulation(2))
    assert plain.resimulated == (0, 0) and np.array_equal(plain.posterior_histories, plain.posterior_members)
    runs, taken = moved.resimulated
    assert 0 < taken <= runs
    new = moved.posterior_histories >= 20  # histories numbered after the 20 members
    assert new.any()
    by_weight = {name: ancestors(getattr(moved, name), moved.particle_weights)["weighted"]
                 for name in ("posterior_histories", "posterior_members")}
    assert by_weight["posterior_histories"] > by_weight["posterior_members"]
    assert [s.accepted for s in moved.steps if s.resampled] and sum(s.accepted for s in moved.steps) == taken
    assert abs(np.log(np.median(moved.posterior_factors[:, 0]) / truth)) < 0.5


def test_the_move_gives_the_same_forecast_on_one_and_two_workers_and_loses_nobody(corridor):
    from caravana.ensemble import get_backend

    reports = read_observations(OBSERVATIONS_2018).check_against(corridor)
    run = partial(run_forecast, corridor, reports, dt.date(2018, 10, 21), 2, particles=6, seed=1,
                  factors=default_factors(corridor), resimulate=1)
    one = run()
    with get_backend("processes", workers=2) as backend:
        two = run(backend=backend)
    assert any(s["resampled"] for s in one.metadata["filter_steps"]) and one.metadata["resimulation"]["runs"] > 0
    _same_table(one.forecast.daily, two.forecast.daily)
    _same_table(one.parameters, two.parameters)
    assert one.metadata["filter_steps"] == two.metadata["filter_steps"]
    assert one.metadata["histories"] == two.metadata["histories"]
    assert one.metadata["resimulation"] == two.metadata["resimulation"]
    for results in one.assimilation.posterior:  # every person spawned in exactly one state each day
        np.testing.assert_array_equal(results.counts.sum(axis=(1, 2)), results.spawned)  # spawned so far
