"""Replays of recorded caravans: records, policies with shared settings, the road, and
the leave-one-out choice (which never looks at the caravan it scores)."""

import datetime as dt

import numpy as np
import pytest

from caravana import load_scenario, simulation
from caravana.calibrate import ParamSpec
from caravana.calibrate.records import Course, candidates, leave_one_out, pooled_leave_one_out, replay, top_k
from caravana.errors import ScenarioError
from caravana.metrics import caravan_end_day, caravan_furthest_km
from caravana.scenario.records import (
    SharedHabits,
    read_policies,
    read_records,
    read_transit,
    record_scenario,
    recorded_furthest_km,
    road_km,
    transit_fragment,
)


@pytest.fixture(scope="module")
def base():
    return load_scenario("corridor")


@pytest.fixture(scope="module")
def records():
    return {r.name: r for r in read_records()}


def test_records_and_policies_read_and_every_policy_is_known(records):
    policies = read_policies()
    assert len([r for r in records.values() if 2019 <= r.start.year <= 2024 and r.scored]) >= 6
    assert {r.policy for r in records.values() if r.policy} <= set(policies)
    assert records["jan-2021"].duration_days == 4 and records["apr-2019"].duration_days is None


def test_a_bad_record_names_file_row_and_field(tmp_path):
    bad = tmp_path / "c.csv"
    bad.write_text("name,start,origin,initial_size\nx,2019-13-01,Tapachula,100\n")
    with pytest.raises(ScenarioError) as err:
        read_records(bad)
    assert "c.csv" in str(err.value) and "row 2" in str(err.value) and "start" in str(err.value)


def test_road_km_follows_the_2018_road_or_the_shortest_way(base):
    assert road_km(base, "Ciudad Hidalgo", "Tapachula") == 40
    assert road_km(base, "Tapachula", "Mapastepec") == 42 + 65  # Huixtla on the way
    assert road_km(base, "San Pedro Sula", "Corinto") == 75 + 45  # off the road: via Omoa


def test_replay_scenario_fills_shared_settings_and_dated_windows(records, base):
    habits = SharedHabits(detention=0.42, papers_rate=0.07, pace_km=33)
    oct21 = record_scenario(records["oct-2021"], habits, base=base)
    assert oct21.period.start == dt.date(2021, 10, 23)
    caravan = oct21.corridor.caravans[0]
    # on foot (mx-2021-containment): the shared walking pace
    assert caravan.origin == "Tapachula" and caravan.itinerary[0] == "Huixtla" and caravan.pace_km == habits.walk_pace_km
    guard, line = oct21.corridor.enforcement.checkpoints
    assert (guard.start, guard.end, guard.detention) == (0, 2, 0.42)
    assert line.start == (dt.date(2021, 11, 16) - dt.date(2021, 10, 23)).days
    assert oct21.corridor.papers.asylum.apply_rate == 0.07
    # the same policy for a caravan that set out after its dates: windows from day 0
    nov21 = record_scenario(records["nov-2021"], habits, base=base)
    assert nov21.corridor.enforcement.checkpoints[1].start == 0


def test_replays_have_that_years_stock_of_migrants_in_transit_and_it_joins(records, base):
    assert record_scenario(records["dec-2023"], SharedHabits(), base=base).corridor.transit is None  # no stock: as before
    rates = {r.year: r for r in read_transit() if r.place == "Tapachula"}
    assert set(rates) == set(range(2019, 2025))
    habits = SharedHabits(stock_days=10, in_transit=1.0)
    scenario = record_scenario(records["dec-2023"], habits, days=5, base=base)
    (hub,) = scenario.corridor.transit.hubs
    assert hub.place == "Tapachula" and hub.per_day == rates[2023].per_day
    assert hub.initial == round(10 * rates[2023].per_day) and scenario.corridor.transit.in_transit == 1.0
    sim = simulation(scenario, seed=1)
    sim.run()
    joined = sim.behaviour("transit").joined.sum()
    assert joined > 0.5 * hub.initial  # a caravan of 7,000 sets out from among them: most go with it
    assert transit_fragment(2018, habits) == {}  # no figure for that year: no stock


def test_an_unknown_shared_setting_in_a_policy_is_an_error(records, base):
    policies = {"p": {"papers": {"asylum": {"apply_rate": "$nonsense"}}}}
    record = records["jun-2022"].model_copy(update={"policy": "p"})
    with pytest.raises(ScenarioError, match=r"\$nonsense"):
        record_scenario(record, SharedHabits(), base=base, policies=policies)


def test_a_policy_caravan_section_that_is_not_a_mapping_is_an_error(records, base):
    policies = {"p": {"caravan": ["pace_km"]}}
    record = records["jun-2022"].model_copy(update={"policy": "p"})
    with pytest.raises(ScenarioError, match="'caravan' must be a mapping") as err:
        record_scenario(record, SharedHabits(), base=base, policies=policies)
    assert err.value.field == "caravan" and err.value.file is not None


def test_a_guatemalan_roadblock_stops_the_replay_there(records, base):
    record = records["jan-2021"]
    results = simulation(record_scenario(record, SharedHabits(detention=0.5, leave_rate_held=0.3), days=30, base=base),
                         seed=1).run()
    end = caravan_end_day(results)
    assert np.isfinite(end) and end < 30
    assert caravan_furthest_km(results) == pytest.approx(recorded_furthest_km(record, base), abs=1.0)  # held at Vado Hondo


def test_replay_error_is_zero_for_a_perfect_course_and_grows_with_the_miss(records, base):
    record = records["jan-2021"]
    habits = SharedHabits(detention=0.5, leave_rate_held=0.3)
    r = replay(record, habits, [1], days=30, base=base, policies=read_policies(), recorded_km=307.0)
    assert r.error >= 0
    far = replay(record, habits, [1], days=30, base=base, policies=read_policies(), recorded_km=3000.0)
    assert far.error > r.error


def test_candidates_stay_inside_their_priors():
    specs = [ParamSpec(path="pace_km", low=10, high=100, prior="loguniform"), ParamSpec(path="detention", low=0.1, high=0.2)]
    sets = candidates(specs, 32, seed=3)
    assert len(sets) == 32 and len({s.pace_km for s in sets}) == 32
    assert all(10 <= s.pace_km <= 100 and 0.1 <= s.detention <= 0.2 for s in sets)
    assert np.median([s.pace_km for s in sets]) < 55  # log-uniform: the median near sqrt(10*100)
    with pytest.raises(ValueError, match="not shared habits"):
        candidates([ParamSpec(path="corridor.x", low=0, high=1)], 4)


def test_leave_one_out_never_uses_the_left_out_caravan():
    # candidate 0 is perfect on caravan 0 but poor elsewhere; candidate 1 is best on the others
    errors = np.array([[0.0, 5.0, 5.0, 5.0], [4.0, 1.0, 1.0, 1.0], [9.0, 2.0, 2.0, 2.0]])
    assert leave_one_out(errors) == [1, 1, 1, 1]
    # candidate 1 now fails caravan 0 badly: left out, that failure cannot count against it,
    # but it does when caravan 0 is among the training caravans
    errors[1, 0] = 90.0
    assert leave_one_out(errors) == [1, 0, 0, 0]


def test_a_policy_that_keeps_caravans_on_foot_sets_their_pace(records, base):
    habits = SharedHabits(pace_km=70, walk_pace_km=9)
    assert record_scenario(records["nov-2021"], habits, base=base).corridor.caravans[0].pace_km == 9
    assert record_scenario(records["dec-2023"], habits, base=base).corridor.caravans[0].pace_km == 9
    assert record_scenario(records["jan-2019"], habits, base=base).corridor.caravans[0].pace_km == 70


def _course(seed: int = 0, candidates: int = 12, records: int = 6) -> Course:
    rng = np.random.default_rng(seed)
    km = rng.uniform(20, 2000, size=(candidates, records))
    end = rng.uniform(1, 40, size=(candidates, records))
    end[0, 0] = np.nan  # still going at the end of the run
    return Course(km, end, rng.uniform(20, 2000, size=records), [int(d) for d in rng.integers(1, 40, size=records)], 60)


def test_pooled_leave_one_out_never_reads_the_left_out_caravans_record():
    """Each caravan's prediction (k, km, end day) is the same whatever its own record says."""
    course = _course()
    first = pooled_leave_one_out(course)
    for i in range(course.km.shape[1]):
        km, days = course.recorded_km.copy(), list(course.recorded_days)
        km[i], days[i] = 1e5, None
        changed = pooled_leave_one_out(Course(course.km, course.end, km, days, course.days))
        assert changed[i] == first[i]
        assert any(changed[j] != first[j] for j in range(len(first)) if j != i)  # the others do read it


def test_pooled_prediction_is_the_median_of_the_best_sets_on_the_others():
    course = _course(1)
    errors = course.errors()
    (k, km, end), *_ = pooled_leave_one_out(course, ks=(3,))
    chosen = top_k(errors, range(1, errors.shape[1]), 3)
    assert k == 3 and km == pytest.approx(np.median(course.km[chosen, 0]))
    ends = np.where(np.isnan(course.end[chosen, 0]), 60, course.end[chosen, 0])
    assert end == pytest.approx(np.median(ends))
    assert set(chosen) == set(np.argsort(errors[:, 1:].mean(axis=1))[:3])
