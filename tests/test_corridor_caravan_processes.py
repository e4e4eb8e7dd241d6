"""Caravan processes of session 10 (issue 12, 2021/2023's misses): joiners who come by date
(not by how long the caravan stays), blockades that hold a caravan for some nights only.
Each is off unless a scenario sets it; nobody is lost (``run`` checks every day that each
person spawned is in exactly one state)."""

from __future__ import annotations

import numpy as np

from caravana import Status

from .test_corridor import BRIDGE, corridor_scenario, run, status_total

# A blockade on the road E-F (km 122-162): no parallel route to walk around it.
ROADBLOCK = {"from": "E", "to": "F", "blockade": True, "start": 0, "breach_size": 5000}


def _joined(stay: int, by_date: bool, place: str = "B", seed: int = 1, **window) -> tuple[int, object]:
    """People who joined, with the main body staying ``stay`` extra days at B (km 40, day 0)."""
    joiners = {"place": place, "per_day": 200, "start": 0, "end": 5, "by_date": by_date, **window}
    sim = run(corridor_scenario(days=12, pace_km=40, stopovers={"B": stay} if stay else {}, joiners=[joiners]),
              seed=seed)
    return sim.population.n - 500, sim


def test_joiners_by_date_do_not_grow_a_caravan_that_stays_longer():
    # By presence: 200 a day for each day the body is at B (day 0 and the stay) within days 0-4.
    short, _ = _joined(0, False)
    long, _ = _joined(4, False)
    assert short < 400 and long > 800  # ~200 against ~1,000: slower is bigger
    # By date: 200 a day of days 0-4 whatever the stay (~1,000 each; Poisson sd ~32).
    for stay in (0, 2, 4):
        n, sim = _joined(stay, True)
        assert 850 < n < 1150
        assert (sim.population.group == 0).all()  # every joiner is with the caravan


def test_joiners_by_date_wait_for_a_body_not_there_yet_and_follow_one_gone():
    # At E (km 122; the body gets there on day 2 at 40 km a day): those who came on days 0-1
    # waited and join with day 2's; nobody is in the run before the body comes.
    n, sim = _joined(0, True, place="E")
    joined = sim.results().tables["events"].to_pandas()
    joined = joined[joined.event == "joined"]
    assert joined[joined.day < 2]["count"].sum() == 500  # the caravan's own start only
    assert 850 < n < 1150
    # Those who come after the body has passed set out after it and catch it up.
    n, sim = _joined(0, True, place="B", start=3, end=6)
    pop = sim.population
    assert 450 < n < 750 and (pop.first_group[500:] == 0).all()
    log = sim.behaviour("caravan_log")
    assert log.size[0, -1] + log.arrived[0, -1] == pop.n  # all caught up by the end


def test_joiners_not_by_date_are_the_same_run_as_before():
    a = _joined(2, False)[1]
    sc = corridor_scenario(days=12, pace_km=40, stopovers={"B": 2},
                           joiners=[{"place": "B", "per_day": 200, "start": 0, "end": 5}])
    b = run(sc, seed=1)
    assert (a.counts == b.counts).all() and a.population.n == b.population.n


def _past_roadblock(holds_nights, days: int = 12, **extra) -> tuple[object, np.ndarray]:
    block = {**ROADBLOCK, **({} if holds_nights == "unset" else {"holds_nights": holds_nights})}
    sim = run(corridor_scenario(days=days, initial_size=500, modes=["road", "foot"], pace_km=40,
                                enforcement={"checkpoints": [block]}, **extra))
    return sim, sim.behaviour("caravan_log").body[0]


def test_a_blockade_holds_a_small_caravan_for_good_unless_it_holds_for_some_nights():
    _, body = _past_roadblock("unset")
    assert body[2] == 122 and (body[2:] == 122).all()  # at E from day 2, for good
    sim, body = _past_roadblock(3)
    # Arrives day 2 (night 1), held nights 2 and 3 (days 3-4), on past it on day 5.
    assert (body[2:5] == 122).all() and body[5] > 122
    assert status_total(sim, Status.ARRIVED) + status_total(sim, Status.CROSSED) == 500  # at the end, all of them
    _, body = _past_roadblock(0)
    assert body[2] == 122 and body[3] > 122  # held the night it came only


def test_a_blockade_holding_longer_than_the_run_is_the_run_without_the_setting():
    a, _ = _past_roadblock("unset")
    b, _ = _past_roadblock(100)
    assert (a.counts == b.counts).all()
    assert (a.behaviour("caravan_log").body == b.behaviour("caravan_log").body).all()


def test_a_released_blockade_still_detains_and_a_river_detour_comes_first():
    sim, body = _past_roadblock(1, days=8, leave_rate_held=0.0)
    assert body[-1] > 122 and status_total(sim, Status.DETAINED) == 0
    # Past it as through an open check: its detention applies (0.5 x 50 / (50 + 500): ~23 of 500).
    block = {**ROADBLOCK, "holds_nights": 1, "detention": 0.5}
    sim = run(corridor_scenario(days=8, modes=["road", "foot"], enforcement={"checkpoints": [block]}))
    assert 5 < status_total(sim, Status.DETAINED) < 60
    # At the bridge C-D with a river beside it, the detour after the assembly comes first.
    sc = corridor_scenario(days=6, initial_size=300, assembly_days=1,
                           enforcement={"checkpoints": [{**BRIDGE, "holds_nights": 3}]})
    sim = run(sc)
    assert sim.behaviour("caravan_log").body[0, 2] == 82
    assert sim.network.mode[sim.behaviour("caravans").states[0].path.links[2]] == "river"
