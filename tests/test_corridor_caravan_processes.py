"""Caravan processes of session 10 (issue 12, 2021/2023's misses): joiners who come by date
(not by how long the caravan stays), blockades that hold a caravan for some nights only.
Each is off unless a scenario sets it; nobody is lost (``run`` checks every day that each
person spawned is in exactly one state)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest
from pydantic import ValidationError

from caravana import Status, simulation

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


def test_joiners_not_by_date_are_the_run_of_the_code_before_them():
    # The same scenario and seed at e1bdb42 (before by_date existed): 1,303 people, these counts.
    a = _joined(2, False)[1]
    assert a.population.n == 1303
    assert hashlib.sha256(a.counts.tobytes()).hexdigest()[:16] == "93baf12b94a3a646"


def test_joiners_by_date_waiting_for_a_body_moved_past_their_place_set_out_after_it():
    from caravana.forecast.moves import shift

    # At D (km 82): on day 0 the body is at B (km 40); a forecast's move carries it to E (km 122) that night.
    sim = simulation(corridor_scenario(days=12, pace_km=40, joiners=[{"place": "D", "per_day": 200, "end": 5,
                                                                      "by_date": True}]), seed=1)
    sim.step()
    st = sim.behaviour("caravans").states[0]
    assert st.waiting[0] > 0 and sim.population.n == 500
    shift(sim, 0, 122.0)
    while sim.day < sim.days:
        sim.step()
        assert sim.counts[sim.day - 1].sum() == sim.population.n == sim.spawned[sim.day - 1]
    assert st.waiting[0] == 0 and 850 < sim.population.n - 500 < 1150  # all five days' came


def test_joiners_by_date_before_their_caravan_forms_wait_for_it():
    sc = corridor_scenario(days=12, pace_km=40, start_day=3, departure_day=3,
                           joiners=[{"place": "B", "per_day": 200, "end": 5, "by_date": True}])
    sim = run(sc, seed=1)
    assert 850 < sim.population.n - 500 < 1150  # days 0-2's waited, days 3-4's joined as it passed


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
    _, body = _past_roadblock(1)
    assert body[2] == 122 and body[3] > 122  # held the night it came only
    with pytest.raises(ValidationError):  # (the night it comes always counts: 0 would be 1)
        _past_roadblock(0)


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


def _regularised(share: float = 0.5, leave_share: float = 0.8, seed: int = 2, **event):
    """A caravan of 4,000 resting two days at C (km 80, days 1-3), papers handed out at C."""
    reg = {"name": "papers at C", "places": ["C"], "share": share, "leave_share": leave_share, **event}
    sc = corridor_scenario(days=8, initial_size=4000, stopovers={"C": 2}, regularisations=[reg])
    return run(sc, seed=seed)


def test_papers_are_handed_out_at_once_where_the_caravan_stops_and_most_leave():
    sim = _regularised()
    pop = sim.population
    log = sim.behaviour("caravan_log")
    events = sim.results().tables["events"].to_pandas()
    issued = events[(events.event == "permit_issued") & (events.cause == "papers at C")]
    settled = events[(events.event == "settled") & (events.cause == "papers at C")]
    # Once, the morning after the first night at C (day 2), at C; those who left settle there.
    assert issued.day.unique().tolist() == [2] and len(issued) == 1
    c = sim.network.index("C")
    assert (issued.place == "C").all() or (issued.place == c).all()
    given = int(issued["count"].sum())
    assert 0 < given < 4000
    held = pop.permit == 1
    assert held.sum() == given
    left = int(settled["count"].sum())
    assert abs(left - 0.8 * given) < 4 * np.sqrt(given * 0.16) + 1
    assert (pop.status[held & (pop.status == Status.SETTLED)] == Status.SETTLED).sum() == left
    assert (pop.loc[pop.status == Status.SETTLED] == c).all()
    # The size steps down that day, and not before or after (no other leaving in this caravan).
    sizes = log.size[0] + log.arrived[0]
    assert (sizes[:2] == 4000).all() and sizes[2] == 4000 - left and (sizes[2:] == sizes[2]).all()


def test_the_share_given_papers_varies_around_its_mean_and_a_chance_spreads_the_day():
    given = []
    for seed in range(6):
        events = _regularised(share=0.3, seed=seed).results().tables["events"].to_pandas()
        given.append(events[events.event == "permit_issued"]["count"].sum() / 4000)
    assert 0.1 < np.mean(given) < 0.5 and np.std(given) > 0.05  # beta(1.2, 2.8): sd 0.2
    days = set()
    for seed in range(8):
        events = _regularised(seed=seed, chance=0.5).results().tables["events"].to_pandas()
        issued = events[events.event == "permit_issued"]
        assert len(issued) <= 1
        days |= set(issued.day)
    assert days <= {2, 3, 4} and len(days) > 1  # mornings after a night at C (days 1-3)


def test_a_regularisation_elsewhere_or_out_of_its_window_changes_nothing():
    base = run(corridor_scenario(days=8, initial_size=4000, stopovers={"C": 2}), seed=2)
    for event in ({"places": ["F"], "start": 0, "end": 3}, {"places": ["C"], "start": 6}):
        sim = _regularised(**event)
        assert (sim.counts == base.counts).all()
        assert "regularisations" in [b.name for b in sim.behaviours]
    assert "regularisations" not in [b.name for b in base.behaviours]


def test_a_pace_leg_can_set_its_own_rest_days():
    def rest_days(legs, seed=4):
        sc = corridor_scenario(days=12, pace_km=40, rest_after_km=40, pace=legs)
        body = run(sc, seed=seed).behaviour("caravan_log").body[0]
        moves = np.diff(np.concatenate(([0.0], body)))
        return body, moves
    body, moves = rest_days([])
    assert (moves[1:6] == 0).sum() >= 2  # rests after nearly every stage
    # From D (km 82) on, rests only after 10,000 km: no rest day past D.
    body, moves = rest_days([{"from": "D", "km": 40, "rest_after_km": 10000}])
    past = body[:-1] >= 82
    assert (moves[1:][past & (body[:-1] < 202)] > 0).all()
    # A leg that does not set it keeps the rest days as before: the same run.
    a = run(corridor_scenario(days=12, pace_km=40, rest_after_km=40, pace=[{"from": "D", "km": 40}]), seed=4)
    b = run(corridor_scenario(days=12, pace_km=40, rest_after_km=40, pace=[{"from": "D", "km": 40,
                                                                           "rest_after_km": 40}]), seed=4)
    assert (a.counts == b.counts).all()
    assert (a.behaviour("caravan_log").body == b.behaviour("caravan_log").body).all()


def test_a_group_split_off_past_a_leg_with_its_own_rest_days_keeps_them():
    from caravana.scenario.corridor import CaravanSpec

    spec = CaravanSpec.model_validate({
        "name": "c", "origin": "A", "itinerary": ["B", "C", "D", "E"], "initial_size": 10, "rest_after_km": 60,
        "pace": [{"from": "C", "km": 30, "rest_after_km": 190}],
        "splits": [{"name": "s", "at": "D", "share": 0.5, "itinerary": ["F"]}, {"name": "t", "at": "B", "share": 0.5,
                                                                              "itinerary": ["F"]}]})
    after, before = spec.split_groups()
    assert after.rest_after_km == 190 and before.rest_after_km == 60
    assert spec.rest_after_at("A") == 60 and spec.rest_after_at("C") == 190 and spec.rest_after_at("E") == 190
