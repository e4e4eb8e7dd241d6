"""Break-ups (``behaviours/corridor/breakup.py``): a section of a caravan leaves at once.
The days they happen on, the shares that leave, nobody lost, and a scenario without them
unchanged."""

from __future__ import annotations

import numpy as np
from scipy import stats

from caravana import Status
from caravana.behaviours.corridor.breakup import CAUSE, CONCENTRATION

from .test_corridor import corridor_scenario, run


def _sizes(rate: float, share: float = 0.4, seed: int = 3, days: int = 12, size: int = 4000):
    """The caravan's column each day (the caravan log), and the run. No other leaving; the
    itinerary (202 km at 10 km a day) is long enough that nobody arrives within 20 days."""
    sc = corridor_scenario(days=days, initial_size=size, pace_km=10, break_up_rate=rate, break_up_share=share)
    sim = run(sc, seed=seed)  # (checks every day that each person is in exactly one status)
    return sim.behaviour("caravan_log").size[0].copy(), sim


def test_without_break_ups_the_behaviour_is_not_there_and_nobody_leaves():
    sizes, sim = _sizes(0.0)
    assert "break_ups" not in [b.name for b in sim.behaviours]
    assert (sizes == 4000).all()


def test_a_break_up_day_takes_a_beta_share_of_the_column_and_settles_it_where_it_is():
    share = 0.4
    sizes, sim = _sizes(1.0, share, days=12)
    # Every day after the departure (day 0) is a break-up day: size(d) / size(d - 1) is the day's share kept.
    kept = sizes[1:] / sizes[:-1]
    assert (kept < 1).all() and sizes[-1] > 0
    # The shares lost are beta(4 x 0.4, 4 x 0.6) (binomial noise is small at these sizes; seeds fixed):
    # pooled over seeds, their mean within four standard errors, and a KS test on the draws.
    lost = np.concatenate([1 - kept] + [1 - (s[1:] / s[:-1]) for s in (_sizes(1.0, share, seed=k)[0]
                                                                         for k in range(4, 10))])
    lost = lost[np.isfinite(lost)]
    a, b = CONCENTRATION * share, CONCENTRATION * (1 - share)
    sd = np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
    assert abs(lost.mean() - share) < 4 * sd / np.sqrt(len(lost))
    assert stats.kstest(lost, stats.beta(a, b).cdf).pvalue > 0.001
    # Those who left are SETTLED where they were, logged with the cause; nobody lost.
    pop = sim.population
    settled = pop.status == Status.SETTLED
    assert settled.sum() == 4000 - sizes[-1]
    events = sim.results().tables["events"].to_pandas()
    broke = events[(events.event == "settled") & (events.cause == CAUSE)]
    assert broke["count"].sum() == settled.sum()
    assert set(pop.loc[settled]) <= set(sim.behaviour("caravans").states[0].path.places)


def test_break_ups_come_on_a_share_of_days_given_by_the_rate():
    rate = 0.25
    days = np.concatenate([np.diff(_sizes(rate, seed=s, days=18, size=20000)[0]) < 0 for s in range(8)])
    n = len(days)  # (the days after the departure; binomial test on how many lost anyone)
    assert stats.binomtest(int(days.sum()), n, rate).pvalue > 0.001
    assert 0.1 < days.mean() < 0.4


def test_the_same_seed_gives_the_same_break_ups():
    a, _ = _sizes(0.3, seed=11)
    b, _ = _sizes(0.3, seed=11)
    c, _ = _sizes(0.3, seed=12)
    assert (a == b).all() and not (a == c).all()
