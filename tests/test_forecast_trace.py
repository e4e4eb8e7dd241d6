"""The filter's trace (``filter.Trace``, read by ``benchmarks/forecast_autopsy.py``): each
report's own log-likelihood per particle, which add up to the date's weights, and a
forecast traced is the same forecast."""

from __future__ import annotations

import datetime as dt
from functools import partial

import numpy as np
import pytest

from caravana import load_scenario
from caravana.forecast import run_forecast
from caravana.forecast.parameters import default_factors
from caravana.forecast.weights import normalise
from caravana.observations import read_observations
from caravana.scenario.load import BUILTIN_DIR

OBSERVATIONS_2018 = BUILTIN_DIR / "corridor" / "observations_2018.csv"


class Recorder:
    """A ``filter.Trace`` keeping what it is told."""

    def __init__(self) -> None:
        self.starts: dict = {}  # date -> (log-weights, members) before its reports
        self.reports: list = []  # (date, kind, row, increment)

    def before(self, date, log_w, members):
        self.starts[date] = (log_w, members)

    def report(self, date, kind, row, increment):
        self.reports.append((date, kind, row, np.array(increment)))


@pytest.fixture(scope="module")
def traced():
    corridor = load_scenario("corridor")
    reports = read_observations(OBSERVATIONS_2018).check_against(corridor)
    # Oct 21: size, returns, position and day moves and scored rows, and a resampling by then
    run = partial(run_forecast, corridor, reports, dt.date(2018, 10, 21), 2, particles=6, seed=1,
                  factors=default_factors(corridor))
    recorder = Recorder()
    return run(), run(trace=recorder), recorder


def test_a_traced_forecast_is_the_same_forecast(traced):
    plain, with_trace, _ = traced
    assert plain.metadata["filter_steps"] == with_trace.metadata["filter_steps"]
    assert plain.metadata["filter"] == with_trace.metadata["filter"]
    np.testing.assert_array_equal(plain.assimilation.weights_at_as_of, with_trace.assimilation.weights_at_as_of)
    for a, b in ((plain.forecast.daily, with_trace.forecast.daily), (plain.totals, with_trace.totals)):
        np.testing.assert_equal(a.to_pydict(), b.to_pydict())  # NaN equal to NaN (an empty quantile)


def test_every_report_used_is_traced_once_with_each_kind_of_move(traced):
    plain, _, recorder = traced
    assert len(recorder.reports) == plain.metadata["observations_used"]
    assert len({id(row) for _, _, row, _ in recorder.reports}) == len(recorder.reports)
    assert {kind for _, kind, _, _ in recorder.reports} == {"scored", "position move", "day move", "size move",
                                                             "returns move"}


def test_the_reports_of_a_date_add_up_to_its_weights(traced):
    plain, _, recorder = traced
    dates = sorted(recorder.starts)
    for date, after in zip(dates, dates[1:]):
        log_w, members = recorder.starts[date]
        total = log_w + sum(inc for d, _, _, inc in recorder.reports if d == date)
        step = next(s for s in plain.metadata["filter_steps"] if s["date"] == date.isoformat())
        if step["resampled"]:  # the next date starts from equal weights
            assert not recorder.starts[after][0].any()
        else:  # the next date starts from these weights, and the same members
            np.testing.assert_allclose(normalise(recorder.starts[after][0]), normalise(total), rtol=1e-9, atol=1e-12)
            np.testing.assert_array_equal(recorder.starts[after][1], members)
    last = dates[-1]
    total = recorder.starts[last][0] + sum(inc for d, _, _, inc in recorder.reports if d == last)
    np.testing.assert_allclose(plain.assimilation.weights_at_as_of, normalise(total), rtol=1e-9, atol=1e-12)


def test_reports_that_move_nothing_are_scored_after_the_dates_moves_on_the_state_kept():
    """The scoring order within a date (session 9): the moves first, then the date's other reports on
    the state each particle keeps, its record re-written. On Oct 21 the 2018 corridor's body sleeps in
    Tapachula (every member, fixed stages); a crowd reported at Huixtla, 42 km on, moves each body there,
    and the arrivals reported at Huixtla the same day are then read on that state: every particle meets
    them. Read before the moves (or on the record as the day was stepped) nobody had arrived there."""
    from caravana.forecast.filter import assimilate
    from caravana.forecast.moves import PositionMove
    from caravana.metrics import NoiseModel, log_likelihood
    from caravana.observations import Observation, Observations

    corridor = load_scenario("corridor")
    day = dt.date(2018, 10, 21)
    rows = tuple(Observation(date=day, place="Huixtla", quantity=q, value=1000.0, low=1000.0, high=20000.0)
                 for q in ("present", "arrivals"))
    reports = Observations(rows=rows).check_against(corridor)
    noise = NoiseModel(count_sd=0.5, day_sd=1.0)
    recorder = Recorder()
    run = assimilate(corridor, reports, day, 1, partial(log_likelihood, noise=noise), particles=4, seed=1,
                     position=PositionMove(noise, km_sd_per_day=60.0, km_sd_high=None), light_scoring=True,
                     trace=recorder)
    kinds = {kind: inc for _, kind, _, inc in recorder.reports}
    assert set(kinds) == {"position move", "scored"}
    assert run.shifted[0] == 4  # every body moved on to Huixtla
    inside = noise.count_log_density(np.log1p(5000.0), np.log1p(1000.0), np.log1p(20000.0))
    assert kinds["scored"] == pytest.approx(np.full(4, inside))  # read on the moved state: inside the range
    huixtla = run.posterior[0].places.index("Huixtla")
    for results in run.posterior:
        assert results.arrays["arrivals"].values[9, huixtla] >= 1000
