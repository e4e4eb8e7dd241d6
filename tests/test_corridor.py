"""The corridor system: caravans, enforcement, papers, transport, aid, and the 2018 scenario."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from caravana import ScenarioError, Simulation, Status, load_scenario, simulation
from caravana.behaviours.corridor.aid import needs_for, read_standards
from caravana.behaviours.corridor.common import Permit, detention_odds, first_come
from caravana.cli import app
from caravana.scenario.corridor import CorridorSpec
from caravana.scenario.schema import Location, Period, Route, Scenario

ROOT = Path(__file__).resolve().parent.parent

# A straight corridor: origin, two towns, a border river with a bridge beside it,
# Mexican towns, a US port. km from the origin: A 0, B 40, C 80, D 82 (bridge) ...
PLACES = [
    ("A", "origin", "HN", ""), ("B", "town", "HN", ""), ("C", "border_crossing", "GT", ""),
    ("D", "border_crossing", "MX", "comar;migration_station"), ("E", "town", "MX", ""),
    ("F", "town", "MX", ""), ("P", "port_of_entry", "MX", ""), ("US", "us_port", "US", ""),
]
ROUTES = [
    ("A", "B", 40, "road"), ("B", "C", 40, "road"), ("C", "D", 2, "foot"), ("C", "D", 1.5, "river"),
    ("D", "E", 40, "road"), ("E", "F", 40, "road"), ("F", "P", 40, "road"), ("P", "US", 1, "foot"),
]
ITINERARY = ["B", "C", "D", "E", "F", "P"]


SECTIONS = ("enforcement", "papers", "transport", "aid", "individuals", "transit", "merging", "border", "offers",
            "regularisations")


def corridor_scenario(days: int = 20, routes=ROUTES, **caravan) -> Scenario:
    """One caravan on the straight corridor; ``caravan`` overrides its settings, and the
    keys of SECTIONS set those sections."""
    sections = {k: caravan.pop(k) for k in SECTIONS if k in caravan}
    spec = {
        "name": "test-caravan", "origin": "A", "itinerary": ITINERARY, "initial_size": 500,
        "pace_km": 40, "stage_slack": 0.5, "fall_behind": 0.0, "ride_ahead": 0.0,
        "leave_rate": 0.0, "leave_rate_held": 0.0, "rest_after_km": 1e9,
    }
    spec.update(caravan)
    return Scenario(
        name="corridor-test",
        period=Period(start=dt.date(2018, 10, 12), days=days),
        locations=[Location(name=n, type=t, country=c, offices=o, lat=14.0 + i * 0.3, lon=-88.0 - i * 0.3)
                   for i, (n, t, c, o) in enumerate(PLACES)],
        routes=[Route(**{"from": a, "to": b, "km": km, "mode": mode}) for a, b, km, mode in routes],
        corridor=CorridorSpec.model_validate({"caravans": [spec], **sections}),
    )


def run(scenario: Scenario, seed: int = 0) -> Simulation:
    sim = simulation(scenario, seed=seed)
    while sim.day < sim.days:
        sim.step()
        day = sim.day - 1
        # Every spawned person is in exactly one status, every day.
        assert sim.counts[day].sum() == sim.population.n == sim.spawned[day]
        pop = sim.population
        travelling = pop.status == Status.TRAVELLING
        assert (pop.link[travelling] >= 0).all() and (pop.link[~travelling] == -1).all()
    return sim


def status_total(sim: Simulation, status: Status, day: int = -1) -> int:
    return int(sim.counts[day][:, status].sum())


# --------------------------------------------------------------------------- caravans


def test_caravan_of_n_is_conserved_and_walks_stop_by_stop():
    sim = run(corridor_scenario(days=12))
    pop = sim.population
    assert pop.n == 500 and (pop.group == 0).all()
    log = sim.behaviour("caravan_log")
    assert (log.size[0] + log.arrived[0] == 500).all()
    # Pace 40 km: B on day 0, C on day 1; with no straggler or rider the column has no length.
    body = log.body[0]
    assert body[0] == 40 and body[1] == 80
    assert np.nanmax(log.length[0][log.size[0] > 0]) == 0.0
    assert status_total(sim, Status.CROSSED) + status_total(sim, Status.ARRIVED) == 500
    table = log.to_table(sim.scenario.period.start, sim.day)
    assert table.num_rows == 12 and table.column("centre_km").to_pylist()[:2] == [40.0, 80.0]


def test_rest_days_hold_the_body_and_stragglers_catch_up():
    sim = run(corridor_scenario(days=12, rest_after_km=60, fall_behind=0.2))
    log = sim.behaviour("caravan_log")
    moves = np.diff(log.body[0][:8])
    assert (moves == 0).any() and (moves > 0).any()  # some rest days, some travel days
    spread = log.length[0][:8]
    assert spread.max() > 0  # someone fell behind...
    rest = np.flatnonzero(moves == 0)[0] + 1
    assert spread[rest] <= spread[rest - 1]  # ...and gained on a rest day
    assert (log.tail[0] <= log.centre[0]).all() and (log.centre[0] <= log.head[0]).all()


def test_riders_wait_at_the_next_stop_and_joiners_grow_the_group():
    sim = run(corridor_scenario(days=3, ride_ahead=0.3, joiners=[{"place": "B", "per_day": 100}]))
    log = sim.behaviour("caravan_log")
    assert log.head[0, 0] == 80 and log.body[0, 0] == 40  # riders ahead at C on day 0
    assert log.tail[0, 1] == log.body[0, 1] == 80  # the body reached them on day 1; nobody behind
    # The body reaches B on day 0 and leaves it on day 1: two days of ~100 joiners.
    assert 150 < sim.population.n - 500 < 250
    joined = sim.population.home != sim.network.index("A")
    assert joined.sum() == sim.population.n - 500 and (sim.population.group[joined] == 0).all()


def test_followers_set_out_behind_the_body_and_catch_it_up():
    # The body is at B (km 40) on day 0, at C (80) on day 1, then walks on to P (202);
    # followers set out from B on days 2-3, behind it, and catch it up walking longer
    # days, like stragglers: all reach P.
    follow = {"place": "B", "per_day": 50, "start": 2, "end": 4, "follow": True}
    sim = run(corridor_scenario(days=10, pace_km=40, stage_slack=1.0, joiners=[follow]))
    pop = sim.population
    followers = np.flatnonzero(pop.home == sim.network.index("B"))
    assert 60 < len(followers) < 140  # two days of ~50
    assert (pop.group[followers] == 0).all() and (pop.first_group[followers] == 0).all()
    log = sim.behaviour("caravan_log")
    # They start at B, behind the body: counted apart until they reach it, not in its column
    # (size, tail, centre), and with it once they have.
    assert (log.body[0, 2:4] > 80).all() and (log.tail[0, 2:4] > 40).all()
    assert (log.following[0, 2:4] > 0).all() and (log.following[0, :2] == 0).all()
    assert log.size[0, 1] == 500 and (log.size[0, 2:4] == 500).all()
    assert log.following[0, 6] == 0 and log.size[0, 6] + log.arrived[0, 6] == len(pop.group)
    assert (pop.following == 0).all()
    assert np.isin(pop.status, [Status.ARRIVED, Status.CROSSED]).all()  # all reached the border: nobody left behind
    # Without follow, nobody joins at B once the body has passed it.
    sim = run(corridor_scenario(days=10, pace_km=40, stage_slack=1.0, joiners=[{**follow, "follow": False}]))
    assert sim.population.n == 500


def test_a_forecasts_size_and_resize_count_the_column_not_followers_behind():
    follow = {"place": "B", "per_day": 50, "start": 2, "end": 4, "follow": True}
    sim = simulation(corridor_scenario(days=10, pace_km=40, stage_slack=1.0, joiners=[follow]), seed=0)
    for _ in range(3):
        sim.step()
    caravans, log, pop = sim.behaviour("caravans"), sim.behaviour("caravan_log"), sim.population
    behind = np.flatnonzero(pop.following == 1)
    assert len(behind) == log.following[0, 2] > 0
    assert caravans.size(sim, 0) == log.size[0, 2] == 500
    # Shrinking to 400 takes leavers from the column only; growing adds to it.
    assert caravans.resize(sim, 0, 400, np.random.default_rng(0), "test") == -100
    assert caravans.size(sim, 0) == 400 and (pop.following[behind] == 1).all()
    assert np.isin(pop.status[behind], [Status.RESTING, Status.TRAVELLING]).all()  # none of them left
    assert caravans.resize(sim, 0, 450, np.random.default_rng(0), "test") == 50 and caravans.size(sim, 0) == 450


def test_people_queued_at_a_blockade_give_up_waiting_at_their_own_rate():
    def gave_up(rate):
        bridge = {**BRIDGE, "end": 6, "queue_share": 0.5}
        sim = run(corridor_scenario(days=6, initial_size=2000, assembly_days=1, leave_rate_queued=rate,
                                    return_share=1.0, enforcement={"checkpoints": [bridge]}))
        return status_total(sim, Status.RETURNED)

    assert gave_up(None) == 0  # the default: they wait until the blockade lifts
    assert gave_up(0.0) == 0
    # Half the 2,000 held at the bridge queue on day 1; the body goes on by the river, and
    # the queue waits days 2-5 at 0.5 a day: nearly all of them go home.
    assert 800 < gave_up(0.5) < 1000
    assert 200 < gave_up(0.1) < 450


def test_composition_and_nationality_are_drawn_from_the_shares():
    sim = run(corridor_scenario(days=1, initial_size=20_000, nationality={"HN": 0.7, "GT": 0.3},
                                composition={"men": 0.5, "women": 0.2, "children": 0.3}))
    pop = sim.population
    assert abs(np.mean(pop.person == 2) - 0.3) < 0.02
    codes = sim.behaviour("caravans").nationalities
    assert abs(np.mean(pop.nationality == codes.index("GT")) - 0.3) < 0.02


# --------------------------------------------------------------------------- enforcement

BRIDGE = {"from": "C", "to": "D", "mode": "foot", "blockade": True, "start": 0, "end": 30}


def test_a_big_group_breaches_a_blockade_that_stops_a_small_one():
    def beyond_bridge(size: int) -> int:
        sc = corridor_scenario(days=6, initial_size=size, modes=["road", "foot"],
                               enforcement={"checkpoints": [{**BRIDGE, "breach_size": 1000}]})
        sim = run(sc)
        return int((sim.population.ckm > 80).sum())

    assert beyond_bridge(200) == 0  # held at the bridge: no parallel route allowed
    assert beyond_bridge(2000) == 2000


def test_held_group_takes_the_river_after_its_assembly_and_regroups():
    sc = corridor_scenario(days=8, initial_size=300, assembly_days=1,
                           enforcement={"checkpoints": [{**BRIDGE, "admit_per_day": 10, "queue_share": 0.1}]})
    sim = run(sc)
    log = sim.behaviour("caravan_log")
    assert log.body[0, 1] == 80  # day 1 at the bridge, held
    assert log.body[0, 2] == 82  # day 2 across by the river to D, and stops there to regroup
    river = sim.behaviour("caravans").states[0].path.links[2]
    assert sim.network.mode[river] == "river"
    # The queue at the bridge is let through 10 a day to ask for asylum, and held.
    claims = sim.population.claim_day
    assert 0 < (claims >= 0).sum() <= 10 * 8
    assert np.bincount(claims[claims >= 0]).max() <= 10


def test_detention_odds_fall_with_group_size():
    assert detention_odds(0.5, 1, 50) == 0.5
    assert detention_odds(0.5, 51, 50) == 0.25
    assert detention_odds(0.5, 5000, 50) < 0.01

    def detained_share(size: int) -> float:
        sc = corridor_scenario(days=3, initial_size=size,
                               enforcement={"checkpoints": [{"from": "A", "to": "B", "detention": 0.6}]})
        sim = run(sc)
        return (status_total(sim, Status.DETAINED) + status_total(sim, Status.DEPORTED)) / size

    assert detained_share(3000) < 0.05 < 0.3 < detained_share(5)


def test_the_detained_are_held_in_the_station_then_deported():
    sc = corridor_scenario(days=8, initial_size=20, enforcement={
        "checkpoints": [{"from": "A", "to": "B", "detention": 1.0}], "safety_size": 1e9, "deport_after_days": 3})
    sim = run(sc)
    station = sim.network.index("D")  # the only migration station
    detained = sim.counts[:, :, Status.DETAINED].sum(axis=1)
    deported = sim.counts[:, :, Status.DEPORTED].sum(axis=1)
    assert detained[0] == 20 and sim.counts[0, station, Status.DETAINED] == 20
    assert deported[2] == 0 and deported[3] == 20


# --------------------------------------------------------------------------- papers


def test_first_come_first_served_takes_the_longest_waiting():
    rng = np.random.default_rng(0)
    idx = np.arange(10)
    waited = np.array([0, 5, 1, 5, 2, 9, 0, 3, 3, 7])
    for _ in range(5):
        served = set(first_come(idx, waited, 3, rng).tolist())
        assert len(served) == 3 and {5, 9} < served <= {1, 3, 5, 9}  # 9 and 7 days, then one of the 5s
    assert len(first_come(idx, waited, 0, rng)) == 0 and len(first_come(idx, waited, 99, rng)) == 10


def test_a_metered_port_serves_its_capacity_a_day():
    sc = corridor_scenario(days=14, initial_size=300, pace_km=300, stage_slack=0.0,
                           papers={"ports": [{"place": "P", "per_day": 25}]})
    sim = run(sc)
    crossed = sim.counts[:, :, Status.CROSSED].sum(axis=1)
    arrived_day = int(np.flatnonzero(sim.counts[:, :, Status.ARRIVED].sum(axis=1))[0])
    daily = np.diff(crossed)[arrived_day:arrived_day + 8]
    assert (daily == 25).all()
    assert sim.counts[-1, sim.network.index("US"), Status.CROSSED] == crossed[-1]


def test_a_permit_office_issues_its_capacity_a_day_and_permits_pass_checkpoints():
    sc = corridor_scenario(days=12, initial_size=200, stopovers={"D": 4},
                           papers={"permits": {"offices": ["D"], "apply_rate": 1.0, "per_day": 30, "give_up_days": 3}},
                           enforcement={"checkpoints": [{"from": "D", "to": "E", "detention": 1.0}], "safety_size": 1e9})
    sim = run(sc)
    issued = sim.behaviour("papers").permits_issued
    first = int(np.flatnonzero(issued)[0])
    assert issued[first:first + 4].tolist() == [30, 30, 30, 30] and issued.sum() == 120
    pop = sim.population
    held = pop.permit == Permit.HELD
    assert (pop.status[held] != Status.DETAINED).all() and (pop.ckm[held] > 82).all()
    assert (pop.status[~held] == Status.DETAINED).sum() == 80  # gave up waiting, caught without one


def test_remain_in_mexico_sends_people_back_to_wait():
    sc = corridor_scenario(days=14, initial_size=50, pace_km=300, stage_slack=0.0, papers={
        "ports": [{"place": "P", "per_day": 50}], "remain_in_mexico": {"start": 0, "wait_days": 4}})
    sim = run(sc)
    waiting = sim.counts[:, sim.network.index("P"), Status.WAITING]
    crossed = sim.counts[:, :, Status.CROSSED].sum(axis=1)
    first = int(np.flatnonzero(waiting)[0])
    assert waiting[first] == 50 and crossed[first] == 0
    assert crossed[first + 4] == 50


def test_asylum_applications_at_offices_and_decisions_per_day():
    sc = corridor_scenario(days=30, initial_size=1000, stopovers={"D": 2}, papers={"asylum": {
        "apply_rate": 0.5, "decisions_per_day": 7, "min_wait_days": 2, "grant_rate": {"HN": 1.0}}})
    sim = run(sc)
    papers = sim.behaviour("papers")
    assert papers.applied.sum() > 300
    decided = papers.granted + papers.refused
    busy = decided[decided > 0]
    assert (busy[:-1] == 7).all() and papers.refused.sum() == 0
    assert status_total(sim, Status.SETTLED) == papers.granted.sum()


# --------------------------------------------------------------------------- transport


DEADLY = {"occupancy": 10, "accidents_per_million_km": 5e4, "fatality": 0.5}


def _deaths(walk_km: float, truck: dict, train: dict | None = None, **caravan) -> int:
    modes = {"walk": {}, "truck": truck, "bus": {}, "train": train or {}}
    sc = corridor_scenario(days=10, initial_size=3000, pace_km=40,
                           transport={"walk_km": walk_km, "modes": modes}, **caravan)
    return status_total(run(sc), Status.DEAD)


def test_deaths_happen_only_on_hazardous_modes():
    # Walking the whole way (stages within walk_km): nobody dies, however deadly trucks are.
    assert _deaths(50, truck=DEADLY) == 0
    # Riding part of each stage on deadly trucks: accidents kill several at once.
    assert _deaths(10, truck=DEADLY) > 0
    # Riding on safe trucks: nobody.
    assert _deaths(10, truck={"occupancy": 10}) == 0


def test_rail_links_are_ridden_on_freight_trains():
    rail = [r if r[:2] != ("E", "F") else ("E", "F", 40, "rail") for r in ROUTES]
    sc = corridor_scenario(days=10, routes=rail, initial_size=100, modes=["road", "foot", "river", "rail"])
    sim = run(sc)
    ridden = sim.behaviour("transport").ridden_km
    assert ridden["train"].sum() == pytest.approx(100 * 40)
    # Road stages A-B 40, B-C 40, C-E 42, F-P 40 km: 30 walked a day, the rest on trucks.
    assert ridden["truck"].sum() == pytest.approx(100 * (10 + 10 + 12 + 10))
    assert sum(km.sum() for km in ridden.values()) == pytest.approx(100 * 202)
    # Deadly trains, safe walking: deaths only on the rail stage.
    assert _deaths(50, truck=DEADLY, train=DEADLY, routes=rail, modes=["road", "foot", "river", "rail"]) > 0


def test_offered_buses_carry_their_seats_ahead():
    sc = corridor_scenario(days=3, initial_size=300, transport={"buses": [{"place": "B", "to": "F", "day": 1, "seats": 120}]})
    sim = run(sc)
    pop = sim.population
    assert sim.behaviour("caravan_log").body[0, 1] == sim.behaviour("caravans").km_of(0, "F", sim.network)
    assert (pop.ckm >= 161.5).sum() >= 120


# --------------------------------------------------------------------------- aid


def test_needs_scale_with_head_counts_and_standards_can_be_overridden():
    standards = read_standards()
    one = needs_for(np.array([1.0]), standards)
    thousand = needs_for(np.array([1000.0]), standards)
    assert thousand["water_l"][0] == 1000 * one["water_l"][0] == 1000 * standards["water_total_min"]
    assert thousand["food_kcal"][0] == 1000 * standards["food_energy_min"]
    assert thousand["toilets"][0] == np.ceil(1000 / standards["toilet_ratio_initial"])

    sc = corridor_scenario(days=3, initial_size=400, aid={"standards": {"water_total_min": 20}, "shelters": {"B": 100}})
    sim = run(sc)
    aid = sim.behaviour("aid")
    b = sim.network.index("B")
    assert aid.present[0, b] == 400 and aid.sheltered[0, b] == 100 and aid.plaza[0, b] == 300
    assert aid.needs()["water_l"][0, b] == 400 * 20


# --------------------------------------------------------------------------- scenario input


@pytest.mark.parametrize(
    "change, field",
    [
        ({"itinerary": ["B", "D"]}, "corridor.caravans[0].itinerary[1]"),  # no route B-D
        ({"itinerary": ["B", "Nowhere"]}, "corridor.caravans[0].itinerary[1]"),
        ({"joiners": [{"place": "US", "per_day": 1}]}, "corridor.caravans[0].joiners[0]"),
    ],
)
def test_bad_names_are_one_scenario_error(change, field):
    with pytest.raises(ScenarioError) as err:
        simulation(corridor_scenario(**change))
    assert err.value.field == field


def test_unknown_corridor_keys_are_refused():
    with pytest.raises(ValueError, match="extra"):
        CorridorSpec.model_validate({"caravans": [], "speling": 1})
    with pytest.raises(ValueError):
        corridor_scenario(composition={"men": 0.5, "women": 0.5, "children": 0.5})


# --------------------------------------------------------------------------- the built-in 2018 scenario


def test_corridor_run_is_reproducible_and_conserves_people():
    sc = _shortened(load_scenario("corridor"), 25)
    a, b, c = (run(sc, seed=s) for s in (4, 4, 5))
    assert np.array_equal(a.counts, b.counts)
    assert np.array_equal(a.behaviour("caravan_log").centre, b.behaviour("caravan_log").centre, equal_nan=True)
    assert not np.array_equal(a.counts, c.counts)


def test_cli_runs_the_corridor_scenario(tmp_path):
    result = CliRunner().invoke(app, ["run", "corridor", "--days", "20", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "counts.parquet").exists()


def _validation_module():
    spec = importlib.util.spec_from_file_location("corridor_2018", ROOT / "benchmarks" / "corridor_2018.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    sys.path.insert(0, str(ROOT / "benchmarks"))  # it imports its sibling known_2018, as a script does
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return module


def test_validation_scores_every_observation_with_the_metrics_tolerances():
    """The benchmark's targets are the rows of observations_2018.csv; a day passes within 1
    day, a count within 25 % of its reported range (errors from caravana.metrics)."""
    from caravana.observations import read_observations

    v = _validation_module()
    scenario = load_scenario("corridor")
    obs = read_observations(v.OBSERVATIONS).check_against(scenario)
    start = scenario.period.start
    days = (obs.last_date - start).days + 1
    rows = obs.rows
    observed = np.array([(r.date - start).days if not r.is_count else (r.bounds[0] + r.bounds[1]) / 2 for r in rows])
    verdicts = v.verdicts(obs, observed[None, :], start, days)
    assert len(verdicts) == len(rows) and all(r["pass"] for r in verdicts)
    off = np.array([d + (1.5 if not r.is_count else 0) for d, r in zip(observed, rows)])
    low = np.array([r.bounds[0] * 0.7 if r.is_count else d for d, r in zip(observed, rows)])
    assert not any(r["pass"] for r, o in zip(v.verdicts(obs, off[None, :], start, days), rows) if not o.is_count)
    assert not any(r["pass"] for r, o in zip(v.verdicts(obs, low[None, :], start, days), rows) if o.is_count and o.bounds[0] > 0)
    near = np.array([d + (1.0 if not r.is_count else 0) for d, r in zip(observed, rows)])
    assert all(r["pass"] for r in v.verdicts(obs, near[None, :], start, days))


@pytest.mark.parametrize("variant", ["2021.yml", "2022.yml", "2023.yml"])
def test_the_2021_2022_and_2023_variants_load_and_run(variant):
    scenario = load_scenario(ROOT / "src" / "caravana" / "scenario" / "builtin" / "corridor" / variant)
    sim = run(_shortened(scenario, 30))
    assert sim.behaviour("caravan_log").size[0].max() > 1000


def _shortened(scenario: Scenario, days: int) -> Scenario:
    return scenario.model_copy(update={"period": scenario.period.model_copy(update={"days": days})})


def test_event_log_accounts_for_everyone_who_joined_or_reached_a_final_status():
    sim = run(load_scenario("corridor"), seed=3)
    events = sim.results().tables["events"].to_pandas()
    total = events.groupby("event")["count"].sum()
    assert total["joined"] == sim.population.n
    # Final statuses are entered once and never left, so their events add up to their counts.
    assert total.get("died", 0) == status_total(sim, Status.DEAD)
    assert total.get("crossed", 0) == status_total(sim, Status.CROSSED)
    assert total["returned"] == status_total(sim, Status.RETURNED)
    assert total.get("settled", 0) + total.get("asylum_granted", 0) == status_total(sim, Status.SETTLED)
    assert total.get("deported", 0) + total.get("asylum_refused", 0) == status_total(sim, Status.DEPORTED)
    detentions = events[events.event == "detained"]
    assert set(detentions.cause) <= {cp.name for cp in sim.scenario.corridor.enforcement.checkpoints}
    assert (events["count"] > 0).all() and events.day.is_monotonic_increasing


def test_lone_travellers_move_by_flee_rules_and_leave_caravan_members_to_their_caravan():
    sc = corridor_scenario(days=30, individuals=[{"origin": "A", "per_day": 20, "end": 10}])
    sim = run(sc, seed=2)
    pop = sim.population
    alone = pop.group[: pop.n] < 0
    assert 150 < alone.sum() < 250  # Poisson(20) on 10 days
    # Caravan members stay on their itinerary; lone travellers spread over the network.
    itinerary = {sim.network.index(p) for p in ["A", *ITINERARY]}
    assert set(pop.loc[: pop.n][~alone]) <= itinerary | {sim.network.index("US")}
    assert len(set(pop.loc[: pop.n][alone])) > 2
    assert (pop.ckm[: pop.n][alone] == 0).all()
    # The port of entry is their camp: whoever rests there has arrived.
    port = sim.network.index("P")
    assert not ((pop.status[: pop.n] == Status.RESTING) & alone & (pop.loc[: pop.n] == port)).any()


def test_lone_travellers_are_screened_alone_at_checkpoints():
    check = {"checkpoints": [{"from": "B", "to": "C", "detention": 0.5}]}
    sc = corridor_scenario(days=30, initial_size=1, individuals=[{"origin": "A", "per_day": 40, "end": 5}],
                           enforcement=check)
    sim = run(sc, seed=4)
    events = sim.results().tables["events"].to_pandas()
    detained = events[events.event == "detained"]["count"].sum()
    assert detained > 10
    assert set(sim.network.names[p] for p in sim.population.loc[sim.population.status == Status.DETAINED]) <= {"D"}


def test_a_caravan_splits_into_two_groups_that_each_go_their_own_way():
    routes = [*ROUTES, ("E", "G", 40, "road"), ("G", "P", 40, "road")]
    places_g = ("G", "town", "MX", "")
    split = {"name": "gulf", "at": "E", "share": 0.4, "itinerary": ["G", "P"]}
    sc = corridor_scenario(days=20, routes=routes, splits=[split])
    sc = sc.model_copy(update={"locations": [*sc.locations, Location(name=places_g[0], type=places_g[1],
                                                                      country=places_g[2], lat=16.0, lon=-91.0)]})
    sim = run(sc, seed=5)
    pop, net = sim.population, sim.network
    n = pop.n
    assert n == 500 and set(np.unique(pop.group[:n])) == {0, 1}
    gulf = pop.group[:n] == 1
    assert 0.3 < gulf.mean() < 0.5
    # Only the new group went through G; everyone who reached the end is at the port or beyond.
    log = sim.results().tables["caravans"].to_pandas()
    assert set(log.caravan) == {"test-caravan", "gulf"}
    assert "G" in set(log[log.caravan == "gulf"].centre_place.dropna())
    assert "G" not in set(log[log.caravan == "test-caravan"].centre_place.dropna())
    events = sim.results().tables["events"].to_pandas()
    assert events[events.event == "split"]["count"].sum() == gulf.sum()
    assert set(net.names[p] for p in pop.loc[:n][pop.status[:n] == Status.ARRIVED]) <= {"P"}


def test_a_split_off_the_way_is_a_scenario_error():
    with pytest.raises(ScenarioError) as err:
        simulation(corridor_scenario(splits=[{"name": "x", "at": "US", "share": 0.5, "itinerary": ["P"]}]))
    assert err.value.field == "corridor.caravans[0].splits[0].at"


def test_lone_travellers_are_screened_only_on_the_day_they_arrive(monkeypatch):
    from caravana.behaviours.corridor.enforcement import Enforcement

    screened: list[tuple[int, np.ndarray]] = []
    detain = Enforcement.detain

    def recording(self, sim, idx, link, group_size):
        screened.append((sim.day, idx[sim.population.group[idx] < 0].copy()))
        return detain(self, sim, idx, link, group_size)

    monkeypatch.setattr(Enforcement, "detain", recording)
    # The caravan forms on day 3: people spawned mid-run by another behaviour.
    sc = corridor_scenario(days=15, initial_size=50, start_day=3, departure_day=3,
                           individuals=[{"origin": "A", "per_day": 40, "end": 2}],
                           enforcement={"checkpoints": [{"from": "A", "to": "B", "detention": 0.01}]})
    # B holds those who reach it (a camp to Flee's rules), so most stay there.
    sc = sc.model_copy(update={"locations": [
        loc.model_copy(update={"type": "camp"}) if loc.name == "B" else loc for loc in sc.locations]})
    run(sc, seed=1)
    by_person: dict[int, list[int]] = {}
    for day, idx in screened:
        for person in idx:
            by_person.setdefault(int(person), []).append(day)
    assert by_person  # lone travellers were screened
    # Nobody resting at B is screened again the next day (only a new arrival is screened).
    assert all(b - a > 1 for days in by_person.values() for a, b in zip(days, days[1:]))
