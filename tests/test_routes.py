"""Route weighting against hand-computed cases (Flee's moving.calculateLinkWeight)."""

from __future__ import annotations

import numpy as np
import pytest

from caravana import Simulation, simulation
from caravana.behaviours.flee_kernels import capacity_multiplier
from caravana.behaviours.flee_movement import capacity_multipliers
from caravana.behaviours.routes import build_route_table, cumulative_choice_weights, routes_open

from .helpers import scenario


def route_probabilities(sim: Simulation, origin: str) -> dict[tuple[str, ...], float]:
    """Probability of each route from ``origin`` as the movement module computes it today."""
    movement = sim.behaviour("movement")
    table = movement.table
    present = np.zeros(sim.network.n_places)
    cum = cumulative_choice_weights(table, movement.route_weights(sim, present), routes_open(table, sim.links.open))
    u = sim.network.index(origin)
    a, b = table.origin_ptr[u], table.origin_ptr[u + 1]
    probs = np.diff(np.concatenate(([0.0], cum[a:b])))
    names = sim.network.names
    out = {}
    for r, p in zip(range(a, b), probs):
        links = table.edges[table.edge_ptr[r] : table.edge_ptr[r + 1]]
        out[tuple(names[sim.network.dst[e]] for e in links)] = float(p)
    return out


def test_distance_and_camp_weighting_awareness_1():
    # From A: B is a town 100 km away, C a camp 50 km away. Flee weight = score / (softening + km).
    sc = scenario(
        [("A", "conflict_zone", 1000, None), ("B", "town", 0, None), ("C", "camp", 0, None)],
        [("A", "B", 100), ("A", "C", 50)],
        movement={"camp_weight": 2.0, "softening": 10.0},
    )
    sim = simulation(sc, seed=0)
    w_b = 1.0 / (10 + 100)
    w_c = 2.0 / (10 + 50)
    probs = route_probabilities(sim, "A")
    assert probs[("B",)] == pytest.approx(w_b / (w_b + w_c))
    assert probs[("C",)] == pytest.approx(w_c / (w_b + w_c))


def test_awareness_2_uses_whole_route_distance_power_and_conflict_weight():
    # A - B (40 km) - D (60 km, conflict zone); A - C (30 km).
    movement = {"awareness_level": 2, "softening": 5.0, "distance_power": 0.5, "conflict_weight": 0.25,
                "foreign_weight": 3.0}
    sc = scenario(
        [("A", "town", 0, None), ("B", "town", 0, None), ("C", "town", 0, None), ("D", "conflict_zone", 100, None)],
        [("A", "B", 40), ("B", "D", 60), ("A", "C", 30)],
        movement=movement,
        country={"C": "Other"},
    )
    sim = simulation(sc, seed=0)
    # Day 0: D is in conflict since day -1 with no decay -> score 0.25**1. C is foreign -> 3.
    expected = {
        ("B",): 1.0 / (5 + 40) ** 0.5,
        ("B", "D"): 0.25 / (5 + 100) ** 0.5,
        ("C",): 3.0 / (5 + 30) ** 0.5,
    }
    total = sum(expected.values())
    probs = route_probabilities(sim, "A")
    assert set(probs) == set(expected)
    for route, w in expected.items():
        assert probs[route] == pytest.approx(w / total)


def test_weight_power_and_softening_constant():
    movement = {"weight_power": 2.0, "weight_softening": 1.0, "softening": 0.0}
    sc = scenario(
        [("A", "town", 0, None), ("B", "town", 0, None), ("C", "town", 0, None)],
        [("A", "B", 10), ("A", "C", 20)],
        movement=movement,
    )
    sim = simulation(sc, seed=0)
    w_b = ((1.0 + 1.0) / 10) ** 2
    w_c = ((1.0 + 1.0) / 20) ** 2
    assert route_probabilities(sim, "A")[("B",)] == pytest.approx(w_b / (w_b + w_c))


def test_closed_route_gets_no_weight_and_zero_weights_fall_back_to_uniform():
    sc = scenario(
        [("A", "town", 0, None), ("B", "camp", 0, 10), ("C", "camp", 0, 10), ("D", "town", 0, None)],
        [("A", "B", 10), ("A", "C", 20), ("A", "D", 30)],
    )
    sim = simulation(sc, seed=0)
    movement = sim.behaviour("movement")
    table = movement.table
    # B and C full (capacity multiplier 0), D's link closed: usable routes all weigh 0 -> uniform over B, C.
    present = np.array([0, 10, 10, 0])
    usable = np.ones(table.n_routes, bool)
    to_d = [r for r in range(table.n_routes) if sim.network.names[table.end[r]] == "D" and table.origin[r] == 0]
    usable[to_d] = False
    cum = cumulative_choice_weights(table, movement.route_weights(sim, present), usable)
    a, b = table.origin_ptr[0], table.origin_ptr[1]
    probs = np.diff(np.concatenate(([0.0], cum[a:b])))
    ends = [sim.network.names[table.end[r]] for r in range(a, b)]
    assert dict(zip(ends, probs)) == pytest.approx({"B": 0.5, "C": 0.5, "D": 0.0})


@pytest.mark.parametrize(
    "present, expected",
    [(0, 1.0), (90, 1.0), (95, 0.5), (99, 0.1), (100, 0.0), (150, 0.0)],
)
def test_capacity_multiplier_matches_flee(present, expected):
    assert capacity_multiplier(float(present), 100.0, 0.9) == pytest.approx(expected)
    assert capacity_multipliers(np.array([present], float), np.array([100.0]), 0.9)[0] == pytest.approx(expected)


def test_capacity_multiplier_unlimited_place():
    assert capacity_multiplier(1e9, -1.0, 0.9) == 1.0
    assert capacity_multipliers(np.array([1e9]), np.array([-1.0]), 0.9)[0] == 1.0


def test_route_table_awareness_1_is_one_route_per_link_and_markers_are_skipped():
    sc = scenario(
        [("A", "town", 0, None), ("M", "marker", 0, None), ("B", "town", 0, None)],
        [("A", "M", 10), ("M", "B", 10)],
    )
    sim = simulation(sc, seed=0)
    table = build_route_table(sim.network, sim.places.marker, awareness=1)
    names = sim.network.names
    routes = {
        (names[table.origin[r]], names[table.end[r]]): table.km[r] for r in range(table.n_routes)
    }
    # Through the marker A reaches B (20 km) in one weighted hop; the marker is never an end.
    assert routes[("A", "B")] == 20.0
    assert all(end != "M" for _, end in routes)


def numpy_cumulative(table, weights, usable):
    """The NumPy form cumulative_choice_weights had until session 7, the reference its compiled
    loop must equal to the bit: sums by bincount, one cumsum over all routes, less each
    origin's running value before its first route."""
    w = np.where(usable, weights, 0.0)
    n_places = len(table.origin_ptr) - 1
    sums = np.bincount(table.origin, weights=w, minlength=n_places)
    n_usable = np.bincount(table.origin, weights=usable.astype(np.float64), minlength=n_places)
    with np.errstate(invalid="ignore", divide="ignore"):
        normalised = np.where(sums[table.origin] > 0, w / sums[table.origin],
                              np.where(usable, 1.0 / np.maximum(n_usable[table.origin], 1.0), 0.0))
    running = np.cumsum(normalised)
    segment_start = table.origin_ptr[table.origin]
    return running - np.where(segment_start > 0, running[np.maximum(segment_start - 1, 0)], 0.0)


def numpy_capacity(present, capacity, buffer):
    """The NumPy form of capacity_multipliers until session 7 (reference, as above)."""
    limited = capacity >= 1.0
    safe_cap = np.where(limited, capacity, 1.0)
    ramp = 1.0 - (present - buffer * safe_cap) / (safe_cap * (1.0 - buffer))
    out = np.where(present <= buffer * safe_cap, 1.0, np.where(present >= safe_cap, 0.0, ramp))
    return np.where(limited, out, 1.0)


@pytest.mark.parametrize("name", ["mali2012", "burundi2015"])
def test_compiled_daily_weights_equal_their_numpy_form_to_the_bit(name):
    """Route choice draws against these numbers: a last-bit difference would change a draw's
    outcome only rarely, so the guard tests alone would not catch it. Checked on every day of
    a Flee run (camps filling, conflicts changing), with some routes closed, an origin whose
    usable routes all weigh 0, and people around every camp's capacity."""
    import caravana

    sim = simulation(caravana.load_scenario(name), seed=1, days=120)
    movement = sim.behaviour("movement")
    table, capacity = movement.table, sim.places.capacity
    rng = np.random.default_rng(0)
    checked = 0
    while sim.day < sim.days:
        sim.step()
        present = movement.present.copy()
        weights = movement.route_weights(sim, present)
        for usable in (movement._usable, rng.random(table.n_routes) < 0.7):
            zeroed = weights.copy()
            zeroed[table.origin_ptr[1]:table.origin_ptr[2]] = 0.0
            for w in (weights, zeroed):
                assert np.array_equal(cumulative_choice_weights(table, w, usable), numpy_cumulative(table, w, usable))
                checked += 1
        near = np.where(capacity >= 1, capacity * rng.uniform(0.85, 1.05, len(capacity)), 0).astype(np.int64)
        for p in (present, near):
            assert np.array_equal(capacity_multipliers(p, capacity, 0.9), numpy_capacity(p, capacity, 0.9))
    assert checked == 4 * 120
    ramp = numpy_capacity(near, capacity, 0.9)
    assert ((ramp > 0) & (ramp < 1)).any()  # the linear part was met
