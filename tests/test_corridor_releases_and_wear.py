"""Asylum seekers released from a station over days, caravans that shed people worn out by
the road at their rest stops, and dated offers (buses home): the distributions they follow,
and nobody lost."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from caravana import ScenarioError, Status, simulation
from caravana.behaviours.corridor.common import Waiting

from .test_corridor import BRIDGE, corridor_scenario, run
from .test_corridor_mechanisms import step_checking_conservation

# --------------------------------------------------------------------------- releases


def _held_days(release_days: int, release_rate: float, seed: int = 4):
    """Days each person let through the bridge to ask for asylum was held, from the
    population at the end (nobody gives up or is decided on: they all wait after release)."""
    sc = corridor_scenario(
        days=45, initial_size=1500, modes=["road", "foot"],
        enforcement={"checkpoints": [{**BRIDGE, "end": 5, "admit_per_day": 150, "queue_share": 1.0}],
                     "claim_release_days": release_days, "claim_release_rate": release_rate},
        papers={"asylum": {"apply_rate": 0.0, "give_up_rate": 0.0, "min_wait_days": 1000}},
    )
    sim = run(sc, seed=seed)
    pop = sim.population
    claimed = pop.claim_day >= 0
    assert claimed.sum() > 300
    # Every claimant is held or released to wait on the claim: none deported, none lost.
    released = claimed & (pop.status == Status.WAITING) & (pop.waiting_for == Waiting.ASYLUM)
    assert (released | (claimed & (pop.status == Status.DETAINED))).sum() == claimed.sum()
    release_day = (sim.days - 1) - pop.days_in_status[released].astype(np.int64)  # the clock restarts on release
    return release_day - pop.claim_day[released], int((claimed & ~released).sum())


def test_releases_are_spread_over_days_as_a_shifted_geometric_distribution():
    rate, least = 0.3, 2
    held, still_held = _held_days(least, rate)
    assert held.min() == least and still_held == 0  # (0.7 ** 40: nobody left in the station)
    extra = held - least
    # Observed against expected counts of 0, 1, ..., 7 and 8+ extra days (fixed seed).
    k = np.arange(8)
    expected = np.append(rate * (1 - rate) ** k, (1 - rate) ** 8) * len(extra)
    observed = np.append(np.bincount(extra, minlength=8)[:8], (extra >= 8).sum())
    assert stats.chisquare(observed, expected).pvalue > 0.001
    # The mean, within four standard errors of the sample's size.
    sd = np.sqrt(1 - rate) / rate
    assert abs(extra.mean() - (1 - rate) / rate) < 4 * sd / np.sqrt(len(extra))


def test_a_release_rate_of_one_releases_everyone_on_the_same_day():
    held, still_held = _held_days(3, 1.0)
    assert (held == 3).all() and still_held == 0


# --------------------------------------------------------------------------- worn out by the road


def _rest_at_c(stay_behind_km: float | None, size: int = 2000, **extra):
    # Pace 40 km, 30 km a day on foot: the body reaches C (a stopover) on day 1 having walked
    # 60 km, rests there on day 2, and walks on on day 3.
    return corridor_scenario(days=10, initial_size=size, stopovers={"C": 1}, stay_behind_km=stay_behind_km,
                             transit={"in_transit": 0.0}, **extra)


def test_members_worn_out_stay_at_the_rest_stop_and_nobody_is_lost():
    sim = simulation(_rest_at_c(100.0), seed=5)
    totals = step_checking_conservation(sim)
    assert totals == [2000] * len(totals) and sim.population.n == 2000
    pop = sim.population
    stayed = (pop.status == Status.WAITING) & (pop.waiting_for == Waiting.TRANSIT)
    p = 1 - np.exp(-60 / 100)
    assert abs(stayed.sum() - 2000 * p) < 4 * np.sqrt(2000 * p * (1 - p))
    assert (pop.loc[stayed] == sim.network.index("C")).all()
    assert (pop.group[stayed] == -1).all() and (pop.first_group[stayed] == 0).all()
    events = sim.results().tables["events"].to_pandas()
    worn = events[events.cause == "worn out by the road"]
    assert worn["count"].sum() == stayed.sum() and set(worn.day) == {3}  # the morning after the rest day


def test_the_longer_the_walk_before_a_rest_the_more_stay_and_off_nobody_does():
    def stayed(sim) -> int:
        pop = sim.population
        return int(((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.TRANSIT)).sum())

    # A stopover at E (four days on the road) sheds more than one at C (two days).
    at_c = run(_rest_at_c(200.0), seed=6)
    at_e = run(corridor_scenario(days=10, initial_size=2000, stopovers={"E": 1}, stay_behind_km=200.0,
                                 transit={"in_transit": 0.0}), seed=6)
    assert stayed(at_e) > stayed(at_c) > 0
    assert stayed(run(_rest_at_c(None), seed=6)) == 0


def test_a_later_caravan_takes_in_those_who_stayed_behind():
    sc = _rest_at_c(50.0, size=1000)
    sc = sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"transit": sc.corridor.transit.model_copy(
        update={"in_transit": 2.0})})})
    first = sc.corridor.caravans[0]
    later = first.model_copy(update={"name": "later", "start_day": 5, "departure_day": 5, "stay_behind_km": None,
                                     "stopovers": {}})
    sc = sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"caravans": [first, later]})})
    pop = run(sc, seed=7).population
    assert ((pop.group == 1) & (pop.first_group == 0)).sum() > 100


# --------------------------------------------------------------------------- offers


def test_members_take_an_offer_in_its_country_and_window_at_its_daily_uptake():
    offer = {"name": "buses home", "country": "GT", "start": 0, "end": 30, "uptake": 0.1}
    sc = corridor_scenario(days=10, initial_size=3000, stopovers={"C": 3}, offers=[offer])
    sim = run(sc, seed=8)
    pop = sim.population
    took = pop.status == Status.RETURNED
    assert (pop.loc[took] == sim.network.index("C")).all()  # C is the only place in Guatemala
    body = sim.behaviour("caravan_log").body[0]
    mornings = int((body[:-1] == 80).sum())  # mornings the caravan woke up at C (80 km)
    assert mornings == 4
    p = 1 - 0.9 ** mornings
    assert abs(took.sum() - 3000 * p) < 4 * np.sqrt(3000 * p * (1 - p))
    events = sim.results().tables["events"].to_pandas()
    assert events[events.cause == "buses home"]["count"].sum() == took.sum()
    # Everyone else is still with the caravan (on the road or arrived): nobody lost.
    assert (took | (pop.group == 0)).all()


def test_an_offer_to_stay_at_places_is_taken_there_and_only_on_its_days():
    offer = {"name": "stay here", "places": ["E"], "start": 0, "end": 4, "uptake": 0.5, "outcome": "settled"}
    sim = run(corridor_scenario(days=10, initial_size=2000, stopovers={"E": 3}, offers=[offer]), seed=9)
    pop = sim.population
    stayed = pop.status == Status.SETTLED
    assert stayed.sum() > 0 and (pop.loc[stayed] == sim.network.index("E")).all()
    events = sim.results().tables["events"].to_pandas()
    assert set(events[events.cause == "stay here"].day) <= {0, 1, 2, 3}


@pytest.mark.parametrize("offer, message", [
    ({"country": "XX", "uptake": 0.1}, "country 'XX'"),
    ({"places": ["Nowhere"], "uptake": 0.1}, "unknown location 'Nowhere'"),
    ({"country": "GT", "places": ["C"], "uptake": 0.1}, "either country or places"),
])
def test_an_offer_needs_one_known_country_or_known_places(offer, message):
    with pytest.raises((ScenarioError, ValueError), match=message):
        simulation(corridor_scenario(offers=[offer]), seed=0)
