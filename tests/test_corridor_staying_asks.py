"""Staying means asking (``papers.asylum.claim_when_staying``, returns.py): a caravan member
who stops in the asylum offices' country asks for asylum there with that chance; elsewhere,
or with the chance 0, nobody does, and nobody is lost."""

from __future__ import annotations

import numpy as np

from caravana import Status
from caravana.behaviours.corridor.common import Waiting
from caravana.metrics import simulated_values
from caravana.observations import Observation, Observations

from .test_corridor import corridor_scenario, run

NO_DECISIONS = {"apply_rate": 0.0, "give_up_rate": 0.0, "min_wait_days": 1000}


def _rest_at(place: str, share: float, size: int = 2000, **extra):
    """A rest day at ``place`` sheds members worn out by the road (C is in Guatemala; E in Mexico,
    the country of the asylum office at D)."""
    return corridor_scenario(days=12, initial_size=size, stopovers={place: 1}, stay_behind_km=100.0,
                             transit={"in_transit": 0.0, "asylum_claim": 0.0},  # nobody rejoins
                             papers={"asylum": {**NO_DECISIONS, "claim_when_staying": share}}, **extra)


def _asking(pop) -> np.ndarray:
    return (pop.status == Status.WAITING) & (pop.waiting_for == Waiting.ASYLUM)


def test_every_member_who_stays_behind_in_mexico_asks_for_asylum_there_with_chance_one():
    sim = run(_rest_at("E", 1.0), seed=5)  # every person in exactly one status, every day
    pop = sim.population
    assert pop.n == 2000
    asked = _asking(pop)
    assert asked.sum() > 200 and not ((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.TRANSIT)).any()
    assert (pop.loc[asked] == sim.network.index("E")).all() and (pop.group[asked] == -1).all()
    events = sim.results().tables["events"].to_pandas()
    claims = events[(events.event == "asylum_claim") & (events.cause == "worn out by the road")]
    assert claims["count"].sum() == asked.sum()
    assert (pop.claim_day[asked] == claims.day.iloc[0]).all() and claims.day.nunique() == 1
    # ... and they are asylum requests as the reports count them.
    reports = Observations(rows=(Observation(date=sim.scenario.period.start + np.timedelta64(11, "D").item(),
                                             quantity="asylum_requests", value=1),))
    assert simulated_values(sim.results(), reports)[0] == asked.sum()


def test_a_share_asks_and_the_rest_wait_in_transit():
    pop = run(_rest_at("E", 0.23), seed=6).population
    asked = int(_asking(pop).sum())
    stayed = asked + int(((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.TRANSIT)).sum())
    assert stayed > 500
    assert abs(asked - 0.23 * stayed) < 4 * np.sqrt(stayed * 0.23 * 0.77)


def test_nobody_asks_outside_the_offices_country_nor_with_the_chance_zero():
    for scenario in (_rest_at("C", 1.0), _rest_at("E", 0.0)):  # C: Guatemala
        pop = run(scenario, seed=7).population
        assert not _asking(pop).any() and (pop.claim_day < 0).all()
        assert ((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.TRANSIT)).sum() > 200


def test_leavers_who_stay_in_mexico_ask_too():
    sc = corridor_scenario(days=12, initial_size=3000, leave_rate=0.05, return_share=0.0,
                           papers={"asylum": {**NO_DECISIONS, "claim_when_staying": 1.0}})
    sim = run(sc, seed=8)
    pop = sim.population
    mexico = np.array([sim.network.index(p) for p in ("D", "E", "F", "P")])
    settled = pop.status == Status.SETTLED
    assert settled.sum() > 50 and not np.isin(pop.loc[settled], mexico).any()  # who stays in Mexico asks
    asked = _asking(pop)
    assert asked.sum() > 50 and np.isin(pop.loc[asked], mexico).all()


def test_claims_lodged_away_from_an_office_are_decided_by_its_office_at_its_capacity():
    # Every member worn out at E or F (Mexico, no office) asks; D, Mexico's office, decides one claim a day.
    sc = corridor_scenario(days=14, initial_size=2000, stopovers={"E": 1, "F": 1}, stay_behind_km=100.0,
                           transit={"in_transit": 0.0, "asylum_claim": 0.0},
                           papers={"asylum": {**NO_DECISIONS, "claim_when_staying": 1.0, "min_wait_days": 0,
                                              "decisions_per_day": 1}})
    sim = run(sc, seed=9)
    events = sim.results().tables["events"].to_pandas()
    decided = events[events.event.isin(["asylum_granted", "asylum_refused"])]
    per_day = decided.groupby("day")["count"].sum()
    assert len(per_day) >= 3 and (per_day == 1).all()  # one office's capacity, not one per place
    assert set(decided.place) <= {"E", "F"}  # the person stays where they are (first come: E's first)
    assert _asking(sim.population).sum() > 200  # the rest still wait in its queue
