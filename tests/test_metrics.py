"""Error measures on hand-made results with known answers, and Flee's ARD against the validation module."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pyarrow as pa
import pytest

from caravana import CaravanaError, Results, Status, load_scenario, run
from caravana.behaviours.flows import PlaceFlows
from caravana.flee import averaged_relative_difference as ard_from_flee
from caravana.flee import validate_results
from caravana.metrics import (
    NoiseModel,
    Scorer,
    averaged_relative_difference,
    count_error,
    day_error,
    log_likelihood,
    loss,
    observation_errors,
    simulated_value,
    simulated_values,
)
from caravana.observations import (
    Observation,
    Observations,
    Quantity,
    ScenarioContext,
    camp_observations,
)
from caravana.results.declared import ResultArray

START = dt.date(2020, 1, 1)
DAYS = 5
CONTEXT = ScenarioContext(
    start=START,
    days=DAYS,
    countries={"A": "X", "B": "X", "C": "Y"},
    routes={"walkers": {"A": 0.0, "B": 100.0, "C": 250.0}},
)


def hand_made_results() -> Results:
    """Three places A-B-C; a caravan whose centre reaches B on day 2 and C on day 4."""
    counts = np.zeros((DAYS, 3, len(Status)), dtype=np.int64)
    counts[:, 0, Status.RESTING] = [100, 60, 10, 0, 0]
    counts[:, 1, Status.RESTING] = [0, 30, 70, 20, 0]
    counts[:, 1, Status.TRAVELLING] = [0, 5, 5, 50, 0]
    counts[:, 1, Status.DETAINED] = [0, 3, 3, 3, 3]
    counts[:, 2, Status.ARRIVED] = [0, 0, 0, 10, 80]
    counts[:, 0, Status.RETURNED] = [0, 2, 12, 17, 17]
    counts[:, 1, Status.DEPORTED] = [0, 0, 0, 0, 3]
    counts[:, 2, Status.DEAD] = [0, 0, 0, 0, 0]
    caravans = pa.table(
        {
            "day": pa.array(range(DAYS), pa.int32()),
            "caravan": ["walkers"] * DAYS,
            "size": pa.array([100, 95, 85, 80, 77], pa.int64()),
            "centre_km": pa.array([0.0, 50.0, 100.0, 180.0, 250.0]),
        }
    )
    events = pa.table(
        {
            "day": pa.array([1, 2, 2], pa.int32()),
            "place": ["B", "B", "C"],
            "event": ["asylum_claim", "asylum_claim", "admitted_to_claim"],
            "cause": ["", "", ""],
            "count": pa.array([4, 6, 5], pa.int64()),
        }
    )
    # Cumulative arrivals (people who came to stay a night), as the declared array has them.
    arrivals = np.array([[0, 0, 0], [0, 35, 0], [0, 40, 0], [0, 60, 10], [0, 60, 80]], dtype=np.int64)
    return Results(
        scenario="hand", start=START, places=("A", "B", "C"), counts=counts,
        spawned=np.full(DAYS, 100), tables={"caravans": caravans, "events": events},
        arrays={"arrivals": ResultArray(PlaceFlows.declares[0], arrivals)},
    )


def obs(day: int, quantity: str, place=None, value=None, low=None, high=None, caravan=None) -> Observation:
    return Observation(date=START + dt.timedelta(days=day), quantity=quantity, place=place, value=value,
                       low=low, high=high, caravan=caravan)


def observations(*rows: Observation) -> Observations:
    return Observations(rows=rows, context=CONTEXT)


@pytest.mark.parametrize(
    "row, expected",
    [
        (obs(1, "present", "B", 1), 35),  # resting 30 + travelling 5; the 3 detained are not present
        (obs(1, "present", "X", 1), 95),  # A and B
        (obs(1, "present", None, 1), 95),
        (obs(3, "camp", "C", 1), 0),  # arrived is not resting
        (obs(2, "camp", "B", 1), 70),
        (obs(4, "detained", None, 1), 3),
        (obs(4, "returned", None, 1), 20),  # returned 17 + deported 3
        (obs(4, "returned", "Y", 1), 0),
        (obs(4, "deported", None, 1), 3),
        (obs(1, "asylum_requests", None, 1), 4),
        (obs(2, "asylum_requests", None, 1), 15),  # cumulative, both kinds of claim
        (obs(2, "asylum_requests", "B", 1), 10),
        (obs(3, "caravan_size", None, 1), 80),
        (obs(3, "arrivals", "B", 1), 60),  # cumulative, at the place
        (obs(4, "arrivals", "X", 1), 60),  # A and B
        (obs(4, "arrivals", None, 1), 140),
        (obs(0, "arrived", "A"), 0),
        (obs(0, "arrived", "B"), 2),  # the centre reaches B's km on day 2
        (obs(0, "departed", "B"), 3),  # and is beyond it on day 3
        (obs(0, "arrived", "C"), 4),
    ],
)
def test_simulated_counterparts(row, expected):
    assert simulated_value(hand_made_results(), row, CONTEXT) == expected


def test_never_reached_is_nan_and_counts_as_the_day_after_the_run():
    value = simulated_value(hand_made_results(), obs(0, "departed", "C"), CONTEXT)
    assert math.isnan(value)
    assert day_error(np.array([value, 2.0]), np.array([3.0, 3.0]), DAYS).tolist() == [2.0, -1.0]


def test_the_range_rule():
    # Inside [low, high]: no error; outside: relative distance to the nearer bound.
    assert count_error([100, 150, 200], 100, 200).tolist() == [0, 0, 0]
    assert count_error([50, 300], 100, 200).tolist() == [0.5, 0.5]
    assert count_error(80, 100, 100) == pytest.approx(0.2)
    assert count_error(3, 0, 0) == 3.0  # a bound of zero counts as one person


def test_error_table_and_loss_by_hand():
    results = hand_made_results()
    rows = observations(
        obs(2, "present", "B", 100, 60, 120),  # simulated 75: inside the range
        obs(2, "present", "A", 20),  # simulated 10: 50% below
        obs(3, "arrived", "B"),  # simulated day 2: one day early
        obs(1, "arrived", "C"),  # simulated day 4: three days late
    )
    table = observation_errors(results, rows).to_pydict()
    assert table["simulated"] == [75, 10, 2, 4]
    assert table["observed"] == [100, 20, 3, 1]
    assert table["error"] == [0.0, 0.5, -1.0, 3.0]
    assert table["score"] == [0.0, 0.5, 0.25, 0.75]
    assert table["unit"] == ["people", "people", "day", "day"]
    assert loss(results, rows) == pytest.approx((0 + 0.5 + 0.25 + 0.75) / 4)


def test_seed_averaged_scoring():
    rows = observations(obs(1, "present", "B", 10), obs(1, "arrived", "B"))
    scorer = Scorer(rows, START, DAYS)
    simulated = np.array([[5.0, 1.0], [20.0, np.nan]])  # second run never reaches B
    assert scorer.loss(simulated).tolist() == [pytest.approx((0.5 + 0) / 2), pytest.approx((1.0 + 4 * 0.25) / 2)]
    table = scorer.table(simulated).to_pydict()
    assert table["simulated"] == [12.5, 1.0] and table["reached"] == [1.0, 0.5]


def test_camp_rows_give_flee_ard_exactly():
    scenario = load_scenario("mali2012")
    results = run(scenario, seed=3, days=80)
    camps = camp_observations(scenario, days=80)
    expected = validate_results(results, scenario)["ard"]
    assert loss(results, camps) == pytest.approx(expected, rel=1e-12)
    assert ard_from_flee is averaged_relative_difference  # one home for the measure


def test_ard_by_hand():
    sim = np.array([[10.0, 0.0], [5.0, 5.0]])
    obs_ = np.array([[5.0, 5.0], [0.0, 0.0]])
    normal, rescaled = averaged_relative_difference(sim, obs_)
    assert normal == pytest.approx((10 / 10 + 10 / 1) / 2)
    assert rescaled == pytest.approx((10 / 10 + 0) / 2)


def test_log_likelihood_is_flat_inside_the_range_and_gaussian_on_days():
    noise = NoiseModel(count_sd=0.2, day_sd=1.0)
    rows = observations(obs(1, "present", "B", 100, 50, 200), obs(1, "arrived", "B"))
    scorer = Scorer(rows, START, DAYS)
    terms = scorer.log_likelihood_terms(np.array([[60.0, 1.0], [190.0, 3.0], [25.0, 2.0]]), noise)
    assert terms[0, 0] == pytest.approx(terms[1, 0])  # both inside [50, 200]
    width = math.log1p(200) - math.log1p(50)
    assert terms[0, 0] == pytest.approx(-math.log(width + 0.2 * math.sqrt(2 * math.pi)))
    outside = math.log1p(50) - math.log1p(25)
    assert terms[2, 0] == pytest.approx(terms[0, 0] - 0.5 * (outside / 0.2) ** 2)
    gauss0 = -math.log(math.sqrt(2 * math.pi))
    assert terms[:, 1].tolist() == pytest.approx([gauss0, gauss0 - 2.0, gauss0 - 0.5])
    total = log_likelihood(hand_made_results(), rows, noise)
    assert total == pytest.approx(scorer.log_likelihood_terms(simulated_values(hand_made_results(), rows), noise).sum())


def test_scoring_errors_are_clear():
    results = hand_made_results()
    with pytest.raises(CaravanaError, match="outside the run"):
        simulated_value(results, obs(9, "present", "A", 1), CONTEXT)
    with pytest.raises(CaravanaError, match="check the observations against the scenario"):
        simulated_value(results, obs(0, "arrived", "B"))
    with pytest.raises(CaravanaError, match="no place 'Q'"):
        simulated_value(results, obs(0, "present", "Q", 1), CONTEXT)
    no_events = Results(scenario="hand", start=START, places=results.places, counts=results.counts, spawned=results.spawned)
    with pytest.raises(CaravanaError, match="events table"):
        simulated_value(no_events, obs(0, "asylum_requests", None, 1), CONTEXT)
    with pytest.raises(CaravanaError, match="declared arrivals"):
        simulated_value(no_events, obs(0, "arrivals", "B", 1), CONTEXT)
    with pytest.raises(CaravanaError, match="no observations"):
        Scorer(observations(), START, DAYS)
    assert Quantity("camp") is Quantity.camp


def course_results(size, arrived, centre) -> Results:
    days = len(size)
    caravans = pa.table({"day": pa.array(range(days), pa.int32()), "caravan": ["walkers"] * days,
                         "size": pa.array(size, pa.int64()), "arrived": pa.array(arrived, pa.int64()),
                         "centre_km": pa.array(centre, pa.float64())})
    return Results(scenario="hand", start=START, places=("A",), counts=np.zeros((days, 1, len(Status)), dtype=np.int64),
                   spawned=np.zeros(days), tables={"caravans": caravans})


def test_a_caravan_ends_when_it_has_dwindled_or_arrived():
    from caravana.metrics import caravan_end_day, caravan_furthest_km

    # grows to 1,000, then dwindles below 10% of that on day 5; its centre got to 120 km on day 3
    dwindles = course_results([500, 1000, 600, 300, 120, 90, 50], [0] * 7, [0, 40, 80, 120, 110, 115, 118])
    assert caravan_end_day(dwindles) == 5
    assert caravan_furthest_km(dwindles) == 120
    assert caravan_furthest_km(dwindles, until_day=2) == 80
    # most reach the destination on day 3 (as many there as on the road)
    arrives = course_results([100, 100, 60, 40, 0], [0, 0, 40, 60, 100], [0, 50, 100, 150, 150])
    assert caravan_end_day(arrives) == 3
    # still walking at the end; never formed
    assert np.isnan(caravan_end_day(course_results([100, 90, 80], [0, 0, 0], [0, 10, 20])))
    never = course_results([0, 0], [0, 0], [np.nan, np.nan])
    assert np.isnan(caravan_end_day(never)) and caravan_furthest_km(never) == 0.0
