"""Property tests: invariants of the engine on random worlds, checked after every day.

Random connected graphs (3-12 places; towns, camps and conflict zones, at least one
conflict zone with residents), random distances, capacities, closures, awareness
and movement/spawning settings. After each ``Simulation.step``:

(a) conservation: the day's counts add up to the population, every person has one
    valid status, the counts match the population, and people are neither lost nor
    invented (spawned so far = what the count series asked for);
(b) people on a link are consistent with it; people not on a link have none;
(c) nobody steps onto a link that is closed that day, and anyone on a closed link
    is turning back;
(d) a run is a pure function of scenario and seed.

Also: the route table enumerates exactly the simple paths up to the awareness level.
"""

from __future__ import annotations

import datetime as dt
import itertools

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from caravana import Simulation, Status, simulation
from caravana.behaviours.routes import build_route_table
from caravana.engine.network import Network
from caravana.engine.status import N_STATUS
from caravana.scenario.checks import check_scenario
from caravana.scenario.schema import (
    Closure,
    CountPoint,
    Location,
    MovementSettings,
    Period,
    Route,
    Scenario,
    Settings,
    Spawning,
    SpawnSettings,
)
from caravana.scenario.series import interpolate_counts

FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
VALID_STATUS = np.array([int(s) for s in Status])
TRAVELLING = int(Status.TRAVELLING)


# --------------------------------------------------------------------------- random worlds


@st.composite
def graphs(draw, min_places: int = 3, max_places: int = 12):
    """A connected simple graph: (number of places, [(a, b, km)]), no self-loops or parallel links."""
    n = draw(st.integers(min_places, max_places))
    pairs = {(draw(st.integers(0, i - 1)), i) for i in range(1, n)}  # a random spanning tree
    for a, b in draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=n)):
        if a != b:
            pairs.add((min(a, b), max(a, b)))
    ordered = draw(st.permutations(sorted(pairs)))  # link order matters to Flee; vary it
    kms = st.floats(5.0, 500.0, allow_nan=False, allow_infinity=False)
    edges = []
    for a, b in ordered:
        if draw(st.booleans()):
            a, b = b, a
        edges.append((a, b, draw(kms)))
    return n, edges


@st.composite
def scenarios(draw):
    n, edges = draw(graphs())
    names = [f"P{i}" for i in range(n)]
    n_countries = draw(st.integers(1, 3))
    country = [f"C{draw(st.integers(0, n_countries - 1))}" for _ in range(n)]
    kinds = [draw(st.sampled_from(["town", "camp", "conflict_zone"])) for _ in range(n)]
    source = draw(st.integers(0, n - 1))
    kinds[source] = "conflict_zone"
    population = [draw(st.integers(0, 200_000)) for _ in range(n)]
    population[source] = draw(st.integers(1, 200_000))
    days = draw(st.integers(2, 30))
    people = draw(st.integers(50, 1500))
    take_from_population = draw(st.booleans())
    if take_from_population:
        # Enough residents that nobody's count goes negative: that case is a known bug,
        # see test_taking_spawns_from_residents_never_leaves_a_negative_population.
        population = [max(p, people) if p > 0 else 0 for p in population]
    capacity = [draw(st.none() | st.integers(1, 400)) if k == "camp" else None for k in kinds]
    locations = [
        Location(name=names[i], type=kinds[i], country=country[i], population=population[i], capacity=capacity[i])
        for i in range(n)
    ]
    routes = [Route(**{"from": names[a], "to": names[b], "km": km}) for a, b, km in edges]

    camps = [names[i] for i in range(n) if kinds[i] == "camp"]
    camp_counts = {}
    for c in camps:
        if draw(st.booleans()):
            first = draw(st.integers(0, 60))
            camp_counts[c] = [CountPoint(day=0, count=first), CountPoint(day=days, count=first + draw(st.integers(0, 500)))]

    day = st.integers(0, days + 2)
    used_countries = sorted(set(country))
    closures = []
    for kind in draw(st.lists(st.sampled_from(["country", "location", "link", "camp"]), max_size=5)):
        if kind == "country":
            name1, name2 = draw(st.sampled_from(used_countries)), draw(st.sampled_from(used_countries))
        elif kind == "link":
            a, b, _ = draw(st.sampled_from(edges))
            name1, name2 = names[a], names[b]
        else:
            name1, name2 = draw(st.sampled_from(names)), ""
        closures.append(Closure(kind=kind, name1=name1, name2=name2, start=draw(day), end=draw(day)))

    unit = st.floats(0.0, 1.0)
    movement = MovementSettings(
        awareness_level=draw(st.integers(0, 3)),
        max_move_speed=draw(st.floats(10.0, 400.0)),
        max_walk_speed=draw(st.floats(5.0, 60.0)),
        default_movechance=draw(unit),
        conflict_movechance=draw(st.just(1.0) | unit),
        camp_movechance=draw(unit),
        capacity_buffer=draw(st.floats(0.5, 0.95)),
        avoid_short_stints=draw(st.booleans()),
        start_on_foot=draw(st.booleans()),
        softening=draw(st.floats(0.0, 20.0)),
        camp_weight=draw(st.floats(0.0, 3.0)),
        foreign_weight=draw(st.floats(0.0, 3.0)),
        conflict_weight=draw(st.floats(0.0, 1.0)),
        distance_power=draw(st.floats(0.0, 2.0)),
        weight_power=draw(st.floats(0.5, 2.0)),
        home_country=draw(st.none() | st.sampled_from(used_countries)),
    )
    spawning = SpawnSettings(
        insert_day0=draw(st.booleans()),
        sum_from_camps=draw(st.booleans()) if camp_counts else False,
        conflict_spawn_decay=draw(st.none() | st.lists(st.floats(0.1, 1.0), min_size=1, max_size=4)),
        conflict_spawn_decay_interval=draw(st.integers(1, 10)),
        take_from_population=take_from_population,
    )
    return Scenario(
        name="random",
        period=Period(start=dt.date(2020, 1, 1), days=days),
        locations=locations,
        routes=routes,
        closures=closures,
        spawning=Spawning(
            totals=[CountPoint(day=0, count=0), CountPoint(day=days, count=people)],
            camp_counts=camp_counts,
        ),
        settings=Settings(movement=movement, spawning=spawning),
    )


# --------------------------------------------------------------------------- checks


def expected_cumulative_spawns(sim: Simulation) -> np.ndarray:
    """People the count series asks to spawn by the end of each day (after the day-0 pre-fill)."""
    scenario, days = sim.scenario, sim.days
    if scenario.settings.spawning.sum_from_camps:
        series = sum(
            (interpolate_counts(p, days) for p in scenario.spawning.camp_counts.values()),
            start=np.zeros(days, dtype=np.int64),
        )
    else:
        series = interpolate_counts(scenario.spawning.totals, days)
    return series - series[0] if scenario.settings.spawning.insert_day0 else series


def check_day(sim: Simulation, day: int, link_before: np.ndarray, prefill: int, expected: np.ndarray) -> None:
    pop, net = sim.population, sim.network
    n = pop.n
    loc, link, dist, status, bounce = pop.loc, pop.link, pop.dist, pop.status, pop.bounce
    counts = sim.counts[day]

    # (a) conservation
    assert counts.sum() == n
    assert sim.spawned[day] == n
    assert np.isin(status, VALID_STATUS).all(), np.unique(status)
    assert np.bincount(status.astype(np.int64), minlength=N_STATUS).sum() == n
    assert ((loc >= 0) & (loc < net.n_places)).all()
    recount = np.zeros((net.n_places, N_STATUS), dtype=np.int64)
    np.add.at(recount, (loc, status.astype(np.int64)), 1)
    assert np.array_equal(recount, counts)
    assert n >= len(link_before)  # nobody removed
    spawning = sim.behaviour("spawning")
    assert n - prefill + spawning.unplaced == expected[day]

    # (b) people on links
    on_link = status == TRAVELLING
    assert (link[~on_link] == -1).all()
    assert (dist[~on_link] == 0).all()
    e = link[on_link]
    assert (e >= 0).all() and (e < net.n_links).all()
    assert np.array_equal(loc[on_link], net.src[e])
    assert (dist[on_link] >= 0).all()
    assert (dist[on_link] <= net.km[e]).all(), (dist[on_link] - net.km[e]).max()

    # (c) closed links: nobody steps onto one; anyone on one is turning back
    before = np.full(n, -1, dtype=np.int64)
    before[: len(link_before)] = link_before
    entered = (link >= 0) & (link != before)
    open_now = sim.links.open
    assert (open_now[link[entered]] | bounce[entered]).all()
    assert bounce[on_link][~open_now[e]].all()
    assert not bounce[~on_link].any()


def run_checked(scenario: Scenario, seed: int) -> Simulation:
    sim = simulation(scenario, seed=seed)
    prefill = sim.population.n
    expected = expected_cumulative_spawns(sim)
    while sim.day < sim.days:
        link_before = sim.population.link.copy()
        day = sim.day
        sim.step()
        check_day(sim, day, link_before, prefill, expected)
    return sim


# --------------------------------------------------------------------------- properties


def test_generated_scenarios_are_valid_and_varied():
    """The generator makes scenarios that pass the loader's checks, and uses its whole range."""
    seen_kinds, seen_awareness, seen_closures = set(), set(), set()

    @FAST
    @given(scenarios())
    def collect(scenario):
        check_scenario(scenario)
        net = Network.from_scenario(scenario)
        assert 3 <= net.n_places <= 12
        # connected: a walk from place 0 reaches everyone
        seen, frontier = {0}, [0]
        while frontier:
            u = frontier.pop()
            for v in net.dst[net.indptr[u] : net.indptr[u + 1]]:
                if int(v) not in seen:
                    seen.add(int(v))
                    frontier.append(int(v))
        assert len(seen) == net.n_places
        assert any(loc.type == "conflict_zone" and loc.population > 0 for loc in scenario.locations)
        seen_kinds.update(loc.type for loc in scenario.locations)
        seen_awareness.add(scenario.settings.movement.awareness_level)
        seen_closures.update(c.kind for c in scenario.closures)

    collect()
    assert seen_kinds == {"town", "camp", "conflict_zone"}
    assert len(seen_awareness) >= 3
    assert len(seen_closures) >= 3


@FAST
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_after_every_step(scenario, seed):
    sim = run_checked(scenario, seed)
    assert sim.day == scenario.period.days


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_same_seed_same_run(scenario, seed):
    first = run_checked(scenario, seed)
    second = simulation(scenario, seed=seed)
    second.run()
    assert np.array_equal(first.counts, second.counts)
    assert np.array_equal(first.spawned, second.spawned)
    assert first.population.n == second.population.n
    assert first.population.fields == second.population.fields
    for name in first.population.fields:
        assert np.array_equal(first.population.field(name), second.population.field(name)), name
    # A different seed usually differs; not asserted (small worlds can coincide).
    simulation(scenario, seed=seed + 1).run()


def test_different_seeds_differ_on_a_busy_world():
    """Sanity for the determinism test: the seed does reach the random draws."""
    scenario = Scenario(
        name="busy",
        period=Period(start=dt.date(2020, 1, 1), days=10),
        locations=[
            Location(name="A", type="conflict_zone", population=1000),
            Location(name="B", type="town"),
            Location(name="C", type="camp"),
            Location(name="D", type="camp"),
        ],
        routes=[Route(**{"from": a, "to": b, "km": km}) for a, b, km in [("A", "B", 50), ("B", "C", 60), ("B", "D", 70)]],
        spawning=Spawning(totals=[CountPoint(day=0, count=0), CountPoint(day=10, count=2000)]),
    )
    a = simulation(scenario, seed=1).run().counts
    b = simulation(scenario, seed=2).run().counts
    assert not np.array_equal(a, b)


def test_distance_on_a_link_never_exceeds_its_length():
    km = 10.62198992355826  # float32(km) > km: caught dist stored as float32
    scenario = Scenario(
        name="exact",
        period=Period(start=dt.date(2020, 1, 1), days=2),
        locations=[Location(name="A", type="conflict_zone", population=1), Location(name="B", type="town")],
        routes=[Route(**{"from": "A", "to": "B", "km": km})],
        spawning=Spawning(totals=[CountPoint(day=0, count=1)]),
        settings=Settings(
            movement=MovementSettings(max_move_speed=km), spawning=SpawnSettings(insert_day0=False)
        ),
    )
    sim = simulation(scenario, seed=0)
    sim.step()
    pop = sim.population
    assert pop.n == 1 and pop.status[0] == TRAVELLING  # reached the end exactly: arrives tomorrow
    assert float(pop.dist[0]) <= sim.network.km[pop.link[0]]


def test_taking_spawns_from_residents_never_leaves_a_negative_population():
    scenario = Scenario(
        name="few residents",
        period=Period(start=dt.date(2020, 1, 1), days=6),
        locations=[
            Location(name="A", type="conflict_zone", population=3),
            Location(name="B", type="conflict_zone", population=50),
            Location(name="C", type="town"),
        ],
        routes=[Route(**{"from": a, "to": "C", "km": 50}) for a in ("A", "B")],
        spawning=Spawning(totals=[CountPoint(day=0, count=0), CountPoint(day=6, count=60)]),
        settings=Settings(spawning=SpawnSettings(take_from_population=True)),
    )
    for seed in range(20):
        sim = simulation(scenario, seed=seed)
        while sim.day < sim.days:
            sim.step()
            assert (sim.places.population >= 0).all(), (seed, sim.day, sim.places.population)


# --------------------------------------------------------------------------- route tables


def simple_paths(net: Network, max_links: int) -> set[tuple[int, ...]]:
    """Every path of 1..max_links directed links that never revisits a place (brute force)."""
    out: set[tuple[int, ...]] = set()

    def extend(path: tuple[int, ...], visited: tuple[int, ...]) -> None:
        out.add(path)
        if len(path) == max_links:
            return
        here = int(net.dst[path[-1]])
        for nxt in range(net.indptr[here], net.indptr[here + 1]):
            if int(net.dst[nxt]) not in visited:
                extend(path + (nxt,), visited + (int(net.dst[nxt]),))

    for link in range(net.n_links):
        extend((link,), (int(net.src[link]), int(net.dst[link])))
    return out


def world(n: int, edges) -> Network:
    scenario = Scenario(
        name="graph",
        period=Period(start=dt.date(2020, 1, 1), days=1),
        locations=[Location(name=f"P{i}", type="town") for i in range(n)],
        routes=[Route(**{"from": f"P{a}", "to": f"P{b}", "km": km}) for a, b, km in edges],
    )
    return Network.from_scenario(scenario)


def table_paths(net: Network, table) -> list[tuple[int, ...]]:
    """The routes of a table as link tuples, after checking each is a walk from its origin to its end."""
    assert len(table.origin_ptr) == net.n_places + 1
    assert table.origin_ptr[0] == 0 and table.origin_ptr[-1] == table.n_routes
    for u in range(net.n_places):
        assert (table.origin[table.origin_ptr[u] : table.origin_ptr[u + 1]] == u).all()
    paths = []
    for r in range(table.n_routes):
        edges = tuple(int(e) for e in table.edges[table.edge_ptr[r] : table.edge_ptr[r + 1]])
        assert len(edges) == table.n_edges[r] >= 1
        assert net.src[edges[0]] == table.origin[r]
        assert net.dst[edges[-1]] == table.end[r]
        for a, b in itertools.pairwise(edges):
            assert net.dst[a] == net.src[b]
        assert np.isclose(table.km[r], net.km[list(edges)].sum())
        paths.append(edges)
    return paths


@FAST
@given(graph=graphs(), awareness=st.sampled_from([0, 1]))
def test_awareness_1_has_one_route_per_directed_link(graph, awareness):
    net = world(*graph)
    table = build_route_table(net, np.zeros(net.n_places, dtype=bool), awareness)
    paths = table_paths(net, table)
    assert table.n_routes == net.n_links
    assert sorted(paths) == [(link,) for link in range(net.n_links)]


@FAST
@given(graph=graphs(), awareness=st.sampled_from([2, 3]))
def test_awareness_2_and_3_routes_are_the_simple_paths(graph, awareness):
    net = world(*graph)
    table = build_route_table(net, np.zeros(net.n_places, dtype=bool), awareness)
    paths = table_paths(net, table)
    for r, edges in enumerate(paths):
        places = [int(net.src[edges[0]])] + [int(net.dst[e]) for e in edges]
        assert len(set(places)) == len(places), f"route {r} visits a place twice: {places}"
        assert len(edges) <= awareness
    assert len(set(paths)) == len(paths), "a route is listed twice"
    assert set(paths) == simple_paths(net, awareness)
