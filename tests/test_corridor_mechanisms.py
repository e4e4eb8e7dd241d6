"""Caravans that grow from the people waiting on their way, merge, choose their border city,
split, spread out, and meet the border: conservation and the mechanisms' own rules."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from caravana import ScenarioError, Status, simulation
from caravana.behaviours.corridor.common import Waiting
from caravana.behaviours.corridor.forks import choice_probabilities
from caravana.scenario.corridor import Joiners, MergingSpec
from caravana.scenario.schema import Location

from .test_corridor import ROUTES, corridor_scenario, run


def _waiting_in_transit(sim) -> np.ndarray:
    pop = sim.population
    return (pop.status == Status.WAITING) & (pop.waiting_for == Waiting.TRANSIT)


def _on_route_or_arrived(sim) -> int:
    log = sim.behaviour("caravan_log")
    return int(log.size[:, sim.day - 1].sum() + log.arrived[:, sim.day - 1].sum())


def step_checking_conservation(sim) -> list[int]:
    """Step to the end; each day the people waiting in transit plus every caravan's members
    (on the route or arrived) must be everyone (no leaving, no checks, no spawning after day 0)."""
    totals = []
    while sim.day < sim.days:
        sim.step()
        totals.append(int(_waiting_in_transit(sim).sum()) + _on_route_or_arrived(sim))
        log = sim.behaviour("caravan_log")
        day = sim.day - 1
        # Members by where they came from add up to the members.
        assert (log.by_origin[:, day].sum(axis=1) == log.size[:, day]).all()
    return totals


# --------------------------------------------------------------------------- transit stock


def _hub(initial=300, rate=0.5, **caravan):
    return corridor_scenario(days=12, transit={"hubs": [{"place": "C", "initial": initial}], "in_transit": rate},
                             **caravan)


def test_people_waiting_at_a_place_join_a_caravan_passing_and_nobody_is_lost():
    sim = simulation(_hub(), seed=1)
    totals = step_checking_conservation(sim)
    assert totals == [800] * len(totals) and sim.population.n == 800
    pop = sim.population
    joined = pop.group >= 0
    from_stock = joined & (pop.first_group == -1)
    # The body passes C on day 1 (at dusk) and leaves it on day 2: two chances of 1 - exp(-0.5 * sqrt(0.5)).
    p = 1 - np.exp(-0.5 * np.sqrt(0.5))
    expected = 300 * (1 - (1 - p) ** 2)
    assert abs(from_stock.sum() - expected) < 4 * np.sqrt(300 * p * (1 - p)) + 5
    assert (pop.loc[_waiting_in_transit(sim)] == sim.network.index("C")).all()
    origins = sim.results().tables["caravan_origins"].to_pandas()
    last = origins[origins.day == origins.day.max()]
    assert set(last.from_place.dropna()) == {"C"}
    events = sim.results().tables["events"].to_pandas()
    assert events[events.event == "joined_caravan"]["count"].sum() == from_stock.sum()


def test_a_bigger_caravan_takes_in_more_of_the_people_waiting():
    small = run(_hub(initial=1000, rate=0.3, initial_size=50), seed=2)
    big = run(_hub(initial=1000, rate=0.3, initial_size=5000), seed=2)

    def taken(sim):
        pop = sim.population
        return int(((pop.group >= 0) & (pop.first_group == -1)).sum())

    assert taken(big) > 2 * taken(small) > 0


def test_leavers_who_stay_feed_the_stock_and_a_later_caravan_takes_them():
    sc = _hub(initial=0, rate=2.0, leave_rate=0.2, leavers_wait_share=1.0)
    first = sc.corridor.caravans[0]
    later = first.model_copy(update={"name": "later", "start_day": 4, "departure_day": 4, "leave_rate": 0.0})
    sc = sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"caravans": [first, later]})})
    sim = run(sc, seed=3)
    pop = sim.population
    assert not ((pop.status == Status.RETURNED) | (pop.status == Status.SETTLED)).any()
    # Former members of the first caravan travel on with the later one.
    assert ((pop.group == 1) & (pop.first_group == 0)).sum() > 50


def test_lone_travellers_resting_where_a_caravan_passes_may_join_it():
    sc = corridor_scenario(days=8, start_day=3, departure_day=3, transit={"lone_travellers": 1.0},
                           individuals=[{"origin": "A", "per_day": 100, "end": 3}])
    sim = run(sc, seed=9)
    pop = sim.population
    joined = (pop.group >= 0) & (pop.first_group == -1)
    assert joined.sum() > 20 and (pop.home[joined] == sim.network.index("A")).all()
    events = sim.results().tables["events"].to_pandas()
    assert events[events.event == "joined_caravan"]["count"].sum() == joined.sum()
    # Off, nobody does.
    off = run(corridor_scenario(days=8, start_day=3, departure_day=3, transit={"lone_travellers": 0.0},
                                individuals=[{"origin": "A", "per_day": 100, "end": 3}]), seed=9)
    assert ((off.population.group >= 0) & (off.population.first_group == -1)).sum() == 0


# --------------------------------------------------------------------------- merging


def _two_caravans(chance: float):
    sc = corridor_scenario(days=12, merging={"chance": chance})
    first = sc.corridor.caravans[0]
    second = first.model_copy(update={"name": "second", "origin": "E", "itinerary": ["F", "P"],
                                      "initial_size": 300, "departure_day": 3})
    return sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"caravans": [first, second]})})


def test_caravans_meeting_at_a_place_merge_and_keep_who_came_from_where():
    sim = simulation(_two_caravans(1.0), seed=4)
    totals = step_checking_conservation(sim)
    assert totals == [800] * len(totals)
    pop = sim.population
    assert (pop.group == 0).sum() == 800  # the bigger took in the whole smaller caravan at E
    assert (pop.first_group == 1).sum() == 300
    tables = sim.results().tables
    events = tables["events"].to_pandas()
    merged = events[events.event == "merged"]
    assert merged["count"].sum() == 300 and set(merged.cause) == {"second into test-caravan"}
    assert set(merged.place) == {"E"}
    origins = tables["caravan_origins"].to_pandas()
    day = int(merged.day.iloc[0]) + 1
    after = origins[(origins.day == day) & (origins.caravan == "test-caravan")].set_index("from_caravan")["members"]
    assert after.to_dict() == {"test-caravan": 500, "second": 300}


def test_a_caravan_merged_whole_takes_no_more_joiners_and_leaves_nobody_behind():
    sc = _two_caravans(1.0)
    first, second = sc.corridor.caravans
    second = second.model_copy(update={"joiners": [Joiners(place="E", per_day=50)]})
    sim = run(sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"caravans": [first, second]})}), seed=4)
    events = sim.results().tables["events"].to_pandas()
    merge_day = int(events[events.event == "merged"].day.min())
    joined = events[(events.event == "joined") & (events.cause == "second")]
    assert joined.day.max() <= merge_day and joined["count"].sum() > 0
    pop = sim.population
    assert (pop.group == 1).sum() == 0 and (pop.first_group == 1).sum() == joined["count"].sum() > 300


def test_an_assembly_that_never_agrees_keeps_the_caravans_apart():
    sim = run(_two_caravans(0.0), seed=4)
    pop = sim.population
    assert (pop.group == 1).sum() == 300 and (pop.first_group == pop.group).all()


# --------------------------------------------------------------------------- forks


FORK_PLACES = [("Q", "port_of_entry"), ("R", "port_of_entry")]
FORK_ROUTES = [*ROUTES, ("F", "Q", 40, "road"), ("F", "R", 400, "road")]


def _forks(n_caravans: int, destinations: dict, size: int = 5, **choice):
    sc = corridor_scenario(days=8, routes=FORK_ROUTES, initial_size=size, itinerary=["B", "C", "D", "E", "F"],
                           destinations=destinations, choice=choice)
    extra = [Location(name=n, type=t, country="MX", lat=20.0 + i, lon=-100.0) for i, (n, t) in enumerate(FORK_PLACES)]
    one = sc.corridor.caravans[0]
    caravans = [one.model_copy(update={"name": f"c{i}"}) for i in range(n_caravans)]
    return sc.model_copy(update={"locations": [*sc.locations, *extra],
                                 "corridor": sc.corridor.model_copy(update={"caravans": caravans})})


def _chosen(sim, n: int) -> list[str]:
    return [st.destination for st in sim.behaviour("caravans").states[:n]]


def test_destination_choices_follow_their_weights():
    weights = {"P": 0.5, "Q": 0.3, "R": 0.2}
    n = 400
    sim = run(_forks(n, weights, per_1000_km=0.0), seed=11)
    chosen = _chosen(sim, n)
    observed = np.array([chosen.count(d) for d in weights])
    expected = n * np.array(list(weights.values()))
    assert observed.sum() == n
    # Each share within 4 standard errors of its weight, and a chi-square test at 0.1 %.
    se = np.sqrt(expected * (1 - expected / n))
    assert (np.abs(observed - expected) < 4 * se).all(), observed
    assert stats.chisquare(observed, expected).pvalue > 0.001


def test_distance_weighs_on_the_choice_and_the_group_walks_the_chosen_road():
    n = 300
    sim = run(_forks(n, {"Q": 1.0, "R": 1.0}, per_1000_km=5.0), seed=12)
    chosen = _chosen(sim, n)
    p_near = choice_probabilities(np.ones(2), np.array([-5 * 0.04, -5 * 0.4]))[0]
    assert abs(chosen.count("Q") / n - p_near) < 4 * np.sqrt(p_near * (1 - p_near) / n)
    pop, net = sim.population, sim.network
    for c, d in enumerate(chosen[:30]):
        mine = pop.group == c
        if d == "Q":  # 40 km on: there already
            assert {net.names[p] for p in pop.loc[mine]} == {"Q"} and (pop.status[mine] == Status.ARRIVED).all()
        else:  # 400 km on: on the road to R
            assert {net.names[p] for p in pop.loc[mine]} <= {"F", "R"}


def test_part_of_a_caravan_splits_off_towards_another_city():
    sc = _forks(1, {"Q": 1.0, "R": 1.0}, size=1000, split_share=0.3)
    # They sleep at the fork together, but the group that split off does not merge back.
    sim = simulation(sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"merging": MergingSpec(chance=1.0)})}),
                     seed=13)
    totals = step_checking_conservation(sim)
    assert totals == [1000] * len(totals)
    caravans = sim.behaviour("caravans")
    parent, child = caravans.states[0], caravans.states[1]
    assert child.formed and {parent.destination, child.destination} == {"Q", "R"}
    pop = sim.population
    assert 0.25 < (pop.group == 1).mean() < 0.35 and (pop.first_group == 0).all()
    tables = sim.results().tables
    events = tables["events"].to_pandas()
    assert events[events.event == "split"]["count"].sum() == (pop.group == 1).sum()
    log = tables["caravans"].to_pandas()
    assert set(log.caravan) == {"c0", "c0 split 1"}  # the same names in every run
    assert set(log.groupby("caravan").destination.last()) == {"Q", "R"}


def test_a_run_folder_draws_the_roads_taken_at_forks_and_every_road_from_the_fork(tmp_path):
    from caravana.results.format import read_world
    from caravana.results.io import write_results

    sc = _forks(1, {"Q": 1.0, "R": 1.0}, size=1000, split_share=0.3)
    sim = run(sc, seed=13)
    chosen = {st.spec.name: st.destination for st in sim.behaviour("caravans").states}
    write_results(sim.results(), tmp_path / "run")
    world = read_world(tmp_path / "run")
    # Each group's road in the folder goes on past the fork (F) to the city its assembly chose.
    for name, dest in chosen.items():
        road = world["itineraries"][name]["places"]
        assert road[-1] == dest and "F" in road, (name, road)
        assert world["itineraries"][name]["km"] == sorted(world["itineraries"][name]["km"])
    # And the map knows the road from the fork to every destination, whichever one a run takes.
    fork = world["fork_roads"]["c0"]
    assert {d: r["places"][-2:] for d, r in fork.items()} == {"Q": ["F", "Q"], "R": ["F", "R"]}
    assert fork["R"]["km"][-1] - fork["R"]["km"][-2] == 400
    # The world the scenario compiled to (shared by clones) still ends at the fork.
    assert simulation(sc).world.road("c0")["places"][-1] == "F"


def test_riders_who_reach_the_fork_first_wait_there_for_the_assembly():
    sc = _forks(1, {"Q": 1.0}, size=2000, per_1000_km=0.0)
    riders = sc.corridor.caravans[0].model_copy(update={"ride_ahead": 0.3, "ride_ahead_stages": 3})
    sim = run(sc.model_copy(update={"corridor": sc.corridor.model_copy(update={"caravans": [riders]})}), seed=14)
    assert sim.behaviour("caravan_log").head[0, 0] > 80  # riders went ahead, some to the fork (F, 162 km)
    pop, net = sim.population, sim.network
    assert {net.names[p] for p in pop.loc[pop.status == Status.ARRIVED]} == {"Q"}
    assert (pop.status == Status.ARRIVED).sum() + (pop.status == Status.CROSSED).sum() == 2000


@pytest.mark.parametrize("to_q", [("D", "Q", 30, "road"), ("F", "Q", 40, "road")], ids=["leg-cut-off", "leg-in-tail"])
def test_retune_scales_the_pace_legs_as_an_extended_road_laid_them(to_q):
    """A choice at D (before the first fork, F) extends the road from D: the tail walks at D's pace
    and rests (Itinerary.extended). The leg from E then holds nowhere on it, whether the new road
    leaves E out or passes E again: a retune of that leg scales no stage, and no rest starts at E."""
    routes = [*FORK_ROUTES, to_q] if to_q[0] == "D" else FORK_ROUTES
    sc = corridor_scenario(days=8, routes=routes, initial_size=50, itinerary=["B", "C", "D", "E", "F"],
                           destinations={"Q": 1.0}, choose_at=["D"], pace=[{"from": "E", "km": 60.0, "rest_after_km": 100.0}])
    extra = [Location(name=n, type=t, country="MX", lat=20.0 + i, lon=-100.0) for i, (n, t) in enumerate(FORK_PLACES)]
    sim = simulation(sc.model_copy(update={"locations": [*sc.locations, *extra]}), seed=5)
    caravans = sim.behaviour("caravans")
    st = caravans.states[0]
    while st.destination is None:
        sim.step()
    names = [sim.network.names[p] for p in st.path.places]
    d = names.index("D")
    assert names[-1] == "Q" and ("E" in names) == (to_q[0] == "F") and "E" not in names[:d]
    assert (st.path.pace[d:] == st.path.pace[d]).all() and (st.path.pace_leg[d:] == 0).all()
    assert st.rest_legs == []
    before = st.path.pace.copy()
    spec = st.spec
    faster = spec.model_copy(update={"pace": [spec.pace[0].model_copy(update={"km": 2 * spec.pace[0].km})]})
    caravans.retune(sim, [faster])
    np.testing.assert_array_equal(st.path.pace, before)  # the leg from E holds on no stage of this road
    assert st.rest_legs == []
    while sim.day < sim.days:
        sim.step()
        assert sim.counts[sim.day - 1].sum() == sim.population.n


def test_a_fixed_itinerary_is_still_a_replay():
    sim = run(corridor_scenario(days=12), seed=1)
    assert sim.behaviour("caravans").forks is None
    assert sim.behaviour("caravans").states[0].destination is None


# --------------------------------------------------------------------------- spreading out


def test_a_bus_never_carries_more_than_its_seats():
    buses = {"buses": [{"place": "B", "to": "E", "day": 1, "end": 4, "seats": 120}]}
    sim = run(corridor_scenario(days=6, transport=buses, rest_after_km=40), seed=5)
    rides = sim.behaviour("caravans").bus_rides
    assert rides and all(riders <= seats for _, _, _, seats, riders in rides)
    day, c, place, seats, riders = rides[0]
    assert riders == seats  # 500 with the body: the buses leave full
    e = sim.network.index("E")
    assert sim.behaviour("caravans").arrivals[c, day, e] == riders  # nobody walks 82 km that day


def test_riders_go_several_stops_ahead_and_stragglers_fall_days_behind():
    sim = run(corridor_scenario(days=6, ride_ahead=0.2, ride_ahead_stages=3, fall_behind=0.2, straggler_km=10), seed=6)
    log = sim.behaviour("caravan_log")
    assert log.head[0, 0] - log.body[0, 0] > 80  # some rode 2-3 stops ahead on day 0
    assert log.body[0, 4] - log.tail[0, 4] > 100  # stragglers walking 10 km a day fell days behind
    spread = log.arrival_spread(0, sim.network.index("C"))
    assert spread is not None and spread[-1] - spread[0] >= 2
    arrivals = sim.results().tables["caravan_arrivals"].to_pandas()
    assert (arrivals.groupby("place")["arrived"].sum() <= 500).all()


# --------------------------------------------------------------------------- border cities


def test_a_port_never_admits_more_than_its_metering_and_crossings_add_up():
    border = {"irregular_rate": 0.1, "irregular_success": 0.5, "deported_share": 0.5}
    sim = run(corridor_scenario(days=20, papers={"ports": [{"place": "P", "per_day": 30}]}, border=border), seed=7)
    p = sim.network.index("P")
    admitted = sim.behaviour("papers").admitted[:, p]
    assert admitted.max() == 30 and (admitted <= 30).all()
    table = sim.behaviour("border").table
    across = table["across"][:, p].sum()
    assert across > 0 and table["apprehended"][:, p].sum() > 0
    crossed = int(sim.counts[-1][:, Status.CROSSED].sum())
    assert crossed == admitted.sum() + across
    assert table["deported"].sum() == int(sim.counts[-1][:, Status.DEPORTED].sum())


def test_people_waiting_at_the_border_settle_or_take_visas_and_shelters_open():
    border = {"settle_rate": 0.05, "visas": [{"place": "P", "per_day": 10, "take_share": 0.5, "start": 8}]}
    aid = {"openings": [{"place": "P", "beds": 200, "start": 9, "end": 12}]}
    closed = {"ports": [{"place": "P", "per_day": 0}]}
    sim = run(corridor_scenario(days=15, border=border, aid=aid, papers=closed), seed=8)
    table = sim.behaviour("border").table
    p = sim.network.index("P")
    assert table["visas"][:, p].max() == 10 and table["settled"][:, p].sum() > 0
    aid_b = sim.behaviour("aid")
    assert aid_b.sheltered[10, p] == min(aid_b.present[10, p], 200) and aid_b.sheltered[13, p] == 0


@pytest.mark.parametrize("section", ["transit", "merging", "border"])
def test_unknown_places_in_the_new_sections_are_errors(section):
    bad = {"transit": {"hubs": [{"place": "Nowhere"}]}, "merging": {}, "border": {"visas": [{"place": "Nowhere", "per_day": 1}]}}
    if section == "merging":
        with pytest.raises(ScenarioError):
            simulation(corridor_scenario(destinations={"Nowhere": 1.0}))
        return
    with pytest.raises(ScenarioError):
        simulation(corridor_scenario(**{section: bad[section]}))
