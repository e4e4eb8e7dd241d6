"""Early rejection in the move by re-simulation (forecast/early.py): the bounds are upper bounds of
every kind of weight increment, and a run refused early gets the decision it would get run to t."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import partial

import numpy as np
import pytest

from caravana import load_scenario
from caravana.forecast import early, moves, run_forecast
from caravana.forecast.parameters import default_factors
from caravana.forecast.sources import Tempered
from caravana.metrics import NoiseModel, log_likelihood
from caravana.observations import read_observations
from tests.test_forecast_resim import OBSERVATIONS_2018, _move_and_rows, _runs_and_reports


@pytest.fixture(scope="module")
def corridor():
    return load_scenario("corridor")


def test_the_moves_marginal_likelihoods_never_exceed_their_bounds():
    """Each move's weigh_and_draw over many sizes, spreads, stops and ranges: at most the bound."""
    rng = np.random.default_rng(5)
    noise = NoiseModel(count_sd=0.5, day_sd=1.0)
    size, position, leave = moves.SizeMove(noise), moves.PositionMove(noise), moves.LeaveMove(noise)
    first = next(r for r in read_observations(OBSERVATIONS_2018) if r.quantity.value == "caravan_size")
    worst = -np.inf
    for _ in range(300):
        low = float(rng.integers(0, 8000))
        high = low + float(rng.choice([0.0, rng.integers(0, 3000)]))
        row = first.model_copy(update={"value": low, "low": low, "high": high})
        tau = float(rng.uniform(0.005, 1.5))
        bound = early.move_bound(moves.move_sizes, size, [row])
        score, _ = size.weigh_and_draw(int(rng.integers(0, 10000)), low, high, int(rng.integers(1, 9)), 0.5,
                                       float(rng.uniform(0.01, 0.3)))
        worst = max(worst, score - bound)
        # An exact hit of the range with a narrow walk comes nearest the bound.
        score, _ = size.weigh_and_draw(int((low + high) / 2), low, high, 1, 0.5, 0.001)
        worst = max(worst, score - bound)
        km = np.sort(np.concatenate([[0.0], rng.uniform(-100, 100, 6)]))
        counts = rng.uniform(0, 9000, len(km))
        score, _ = position.weigh_and_draw(km, 0.0, counts, low, high, tau * 40, 0.5)
        worst = max(worst, score - early.move_bound(moves.move_positions, position, [row]))
        score, _ = position.weigh_and_draw_day(km, 0.0, float(rng.uniform(-50, 50)), 40.0, tau * 40, 0.5)
        worst = max(worst, score - early.move_bound(moves.move_days, position, [row]))
        score, _ = leave.weigh_and_draw(int(rng.integers(0, 3000)), int(rng.integers(0, 5000)), low, high, tau, 0.5)
        worst = max(worst, score - early.move_bound(moves.move_returns, leave, [row]))
    assert worst <= 1e-12 < early.SLACK  # up to rounding (the last bits of a sum), which early.SLACK covers
    assert worst > -0.01  # the bound is reached (a report's density inside its range): not vacuous
    assert early.grid_mass(size.points) <= 1.0


@pytest.mark.parametrize("name", ["sizes", "positions", "days", "returns"])
def test_runs_moved_and_scored_never_exceed_the_bounds(corridor, name):
    """On corridor runs: each move's increments and the scored reports' log-likelihood, at most their bounds."""
    from caravana.forecast.shards import LocalRuns

    recipes, reports, _ = _runs_and_reports(corridor)
    fn, rows, kwargs, day = _move_and_rows(corridor, reports, name)
    runs = LocalRuns([r.build() for r in recipes], lambda _days: None)
    runs.step(day)
    moved, _ = runs.apply(fn, rows, since={}, rng=np.random.default_rng(1), sd=np.linspace(0.05, 0.2, 5), **kwargs)
    assert np.all(moved <= early.move_bound(fn, kwargs["move"], rows))
    scored = replace(reports, rows=tuple(r for r in reports if r.date <= corridor.period.start + dt.timedelta(days=day)))
    scorer = partial(log_likelihood, noise=NoiseModel(count_sd=0.5))
    assert np.all(runs.score(scored, scorer, True) <= early.scored_bound(scorer, scored))
    tempered = Tempered(scorer, {id(r): 2 for r in scored.rows})
    assert np.all(runs.score(scored, tempered, True) <= early.scored_bound(tempered, scored) + 1e-12)


def test_an_unknown_likelihood_has_no_bound_and_a_run_is_hopeless_only_below_its_threshold():
    reports = read_observations(OBSERVATIONS_2018)
    assert early.scored_bound(lambda results, observations: 0.0, reports) == np.inf
    assert early.scored_bound(lambda results, observations: 0.0, replace(reports, rows=())) == 0.0
    log_u = np.log(np.array([0.5, 0.5, 0.5, 0.5]))
    # Taken iff log u < run_ll + later - current + ratio: hopeless iff that bound is below log u.
    out = early.hopeless(np.array([-1.0, -0.5, -np.inf, 0.0]), 0.0, np.zeros(4), np.zeros(4), log_u)
    assert out.tolist() == [True, False, True, False]
    assert not early.hopeless(np.array([-50.0]), np.inf, np.zeros(1), np.zeros(1), log_u[:1]).any()
    point = next(r for r in reports if r.is_count).model_copy(update={"value": 10.0, "low": None, "high": None})
    assert early.count_bound(NoiseModel(count_sd=0.0), point) == np.inf == early.day_bound(NoiseModel(day_sd=0.0))
    assert early.count_bound(NoiseModel(count_sd=0.5), point) == pytest.approx(-np.log(0.5 * np.sqrt(2 * np.pi)))


def test_runs_refused_early_get_the_decisions_they_get_run_to_the_end(corridor, monkeypatch):
    """The same forecast with early rejection as without it (every run stepped to the copies' day):
    the same proposals taken, the same runs kept; only fewer days stepped."""
    import caravana.forecast.filter as filter_module

    reports = read_observations(OBSERVATIONS_2018).check_against(corridor)
    run = partial(run_forecast, corridor, reports, dt.date(2018, 10, 21), 2, particles=8, seed=1,
                  factors=default_factors(corridor), resimulate=2)
    totals: list[int] = []
    stopping = run(progress=lambda _done, total: totals.append(total))
    monkeypatch.setattr(filter_module, "hopeless", lambda run_ll, *_: np.zeros(len(run_ll), dtype=bool))
    full: list[int] = []
    running = run(progress=lambda _done, total: full.append(total))
    meta = stopping.metadata["resimulation"]
    assert meta["stopped_early"] > 0 and running.metadata["resimulation"]["stopped_early"] == 0
    assert meta["accepted"] > 0 and {**meta, "stopped_early": 0, "stopped_early_days_saved": 0} == running.metadata["resimulation"]
    assert stopping.metadata["filter_steps"] == running.metadata["filter_steps"]
    np.testing.assert_equal(stopping.forecast.daily.to_pydict(), running.forecast.daily.to_pydict())
    np.testing.assert_equal(stopping.parameters.to_pydict(), running.parameters.to_pydict())
    assert full[-1] - totals[-1] == meta["stopped_early_days_saved"] > 0  # the particle-days not stepped
