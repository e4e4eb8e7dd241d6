"""The corridor's compiled passes of session 5 against the NumPy code they replaced, on
random populations (statuses, groups and waits mixed as in a run)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from caravana.behaviours.corridor.common import RESTING, Waiting
from caravana.behaviours.corridor.groups import Scratch
from caravana.behaviours.corridor.transit import _at_places, _keep_ungrouped, _may_join
from caravana.engine.status import N_STATUS, Status


def _people(seed: int, n: int = 5000):
    rng = np.random.default_rng(seed)
    status = rng.integers(0, N_STATUS, n).astype(np.int8)
    status[rng.random(n) < 0.3] = RESTING  # runs of the common states
    group = rng.integers(-1, 4, n).astype(np.int32)
    waiting_for = rng.integers(0, max(Waiting) + 1, n).astype(np.int8)
    return rng, status, group, waiting_for


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("lone", [0.0, 0.2])
def test_who_may_join_a_caravan_is_the_numpy_selection(seed, lone):
    rng, status, group, waiting_for = _people(seed)
    rate = np.zeros(max(Waiting) + 1)
    rate[Waiting.TRANSIT], rate[Waiting.PERMIT] = 0.3, rng.choice([0.0, 0.1])
    # Transit.step's selection before session 5: four temporaries, then the rate of each.
    waiting = np.flatnonzero((status == Status.WAITING) | ((status == RESTING) & (group < 0)))
    waiting = waiting[np.where(status[waiting] == RESTING, lone, rate[waiting_for[waiting]]) > 0]
    room = np.full(len(status), -1, dtype=np.int64)
    loc = rng.integers(0, 7, len(status)).astype(np.int32)
    everywhere = np.ones(7, dtype=bool)
    found = room[: _may_join(status, group, waiting_for, loc, everywhere, rate, lone, room)]
    assert len(waiting) > 0
    np.testing.assert_array_equal(found, waiting)
    # since session 6, only those at places a caravan passed today (a mask over places); without
    # lone travellers, the waiting are found eight statuses at a time (any length, runs or not)
    passed = rng.random(7) < 0.4
    status[1000:1400] = Status.WAITING  # a run
    status[2000:3000] = Status.DEAD  # a stretch with nobody waiting
    for n in (len(status), len(status) - 3, 13, 0):
        s, g, w, at = status[:n], group[:n], waiting_for[:n], loc[:n]
        want = np.flatnonzero((s == Status.WAITING) | ((s == RESTING) & (g < 0)))
        want = want[np.where(s[want] == RESTING, lone, rate[w[want]]) > 0]
        found = room[: _may_join(s, g, w, at, passed, rate, lone, room)]
        np.testing.assert_array_equal(found, want[passed[at[want]]])


def test_nobody_rests_outside_a_caravan_without_lone_travellers(monkeypatch):
    """Transit looks at the resting for lone travellers only when the scenario has some
    (``corridor.individuals``): otherwise nobody rests outside a caravan (leavers and the
    worn out wait in transit), checked at every transit step of a run with all mechanisms."""
    import caravana
    from caravana.behaviours.corridor.transit import Transit

    scenario = caravana.load_scenario("corridor")
    assert not scenario.corridor.individuals and scenario.corridor.transit.lone_travellers > 0
    looked = []
    real = Transit.step

    def checked(self, sim):
        pop = sim.population
        looked.append(int(((pop.status == RESTING) & (pop.group < 0)).sum()))
        real(self, sim)

    monkeypatch.setattr(Transit, "step", checked)
    caravana.run(scenario, seed=3)
    assert len(looked) == scenario.period.days and not any(looked)


@pytest.mark.parametrize("seed", range(3))
def test_people_in_a_status_are_numpys_flatnonzero(seed):
    from caravana.behaviours.corridor.groups import Scratch
    from caravana.behaviours.corridor.states import with_status

    _, status, _, _ = _people(seed)
    scratch = Scratch()
    for people in (5000, 100, 4000):  # the buffer kept, grown when needed
        for value in (Status.WAITING, Status.ARRIVED, Status.RESTING):
            want = np.flatnonzero(status[:people] == value)
            np.testing.assert_array_equal(with_status(status[:people], value, scratch), want)
            np.testing.assert_array_equal(with_status(status[:people], value), want)


@pytest.mark.parametrize(("source", "factor", "seed", "at_least"), [
    ("corridor", 3, 2, 80), ("corridor", 1, 5, 80),
    (str(Path(__file__).parent / "data" / "corridor_mechanisms_frozen" / "scenario.yml"), 1, 1, 0)])
def test_main_body_sizes_kept_by_caravans_and_transit_are_a_fresh_count(monkeypatch, source, factor, seed, at_least):
    """Transit and merging read the main bodies' sizes the caravans counted as they stepped
    (transit adds its joiners to them): every time they are given, they equal a fresh count
    over everyone (runs with transit, merging and followers; and with forks, where the
    caravans count nothing)."""
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    from corridor_scale import scaled

    import caravana
    from caravana.behaviours.corridor.caravan import Caravans
    from caravana.behaviours.corridor.groups import with_body

    kept_given = []
    real = Caravans.body_sizes

    def checked(self, sim):
        kept = self._kept_sizes
        kept_given.append(kept is not None and kept[0] == sim.day)
        sizes = real(self, sim)
        np.testing.assert_array_equal(sizes, with_body(sim.population, [st.body for st in self.states]))
        return sizes

    monkeypatch.setattr(Caravans, "body_sizes", checked)
    caravana.run(scaled(caravana.load_scenario(source), factor), seed=seed)
    assert len(kept_given) and sum(kept_given) >= at_least  # given most days, to transit and merging


@pytest.mark.parametrize("seed", range(3))
def test_transits_candidates_and_who_is_left_are_numpys(seed):
    rng, status, group, _ = _people(seed)
    waiting = np.sort(rng.choice(len(status), 2000, replace=False))
    where = rng.integers(0, 9, len(waiting)).astype(np.int32)
    passed = rng.random(9) < 0.4
    np.testing.assert_array_equal(_at_places(waiting, where, passed), waiting[passed[where]])
    want = group[waiting] < 0
    want_waiting, want_where = waiting[want], where[want]
    k = _keep_ungrouped(waiting, where, group)
    np.testing.assert_array_equal(waiting[:k], want_waiting)
    np.testing.assert_array_equal(where[:k], want_where)


@pytest.mark.parametrize("seed", range(4))
def test_people_in_a_rare_status_found_eight_at_a_time_are_numpys(seed):
    """A rare status (fewer than one person in eight) is looked for eight statuses at a time:
    runs, lone people, the last few people (lengths that are not multiples of eight)."""
    from caravana.behaviours.corridor.states import with_status

    rng = np.random.default_rng(seed)
    for n in (0, 7, 8, 13, 1000, 4099):
        status = np.zeros(n, dtype=np.int8)
        status[rng.integers(0, n, n // 20) if n else []] = Status.WAITING  # lone people
        start = int(rng.integers(0, max(n - 30, 1)))
        status[start:start + 30] = Status.ARRIVED  # a run
        if n:
            status[-1] = Status.DETAINED  # the last one
        for value in (Status.WAITING, Status.ARRIVED, Status.DETAINED, Status.DEAD):
            np.testing.assert_array_equal(with_status(status, value, Scratch()), np.flatnonzero(status == value))


@pytest.mark.parametrize(("source", "factor", "seed", "permits"), [
    ("corridor", 3, 2, False), ("corridor", 1, 5, True),
    (str(Path(__file__).parent / "data" / "corridor_mechanisms_frozen" / "scenario.yml"), 1, 1, False)])
def test_rosters_kept_from_the_morning_are_a_fresh_pass(monkeypatch, source, factor, seed, permits):
    """The caravans' members, asked again after returns (papers put some back on the move
    meanwhile: permits; returns takes some out), are what a fresh pass over everyone finds,
    every time (runs with transit, merging, permits, blockades; and with splits and forks)."""
    import caravana
    from caravana.behaviours.corridor.caravan import Caravans
    from caravana.behaviours.corridor.groups import members_by_group

    scenario = _scaled_with_permits(monkeypatch, source, factor, permits)

    reused = []
    real = Caravans.all_members

    def checked(self, sim, scratch=False):
        kept = self._roster_kept is not None and self._roster_kept[0] == sim.day and scratch
        lists = real(self, sim, scratch)
        pop = sim.population
        fresh = members_by_group(pop.group, pop.status, len(self.states))
        assert len(lists) == len(fresh)
        for got, want in zip(lists, fresh):
            np.testing.assert_array_equal(got, want)
        reused.append(kept and any(len(m) for m in lists))
        return lists

    monkeypatch.setattr(Caravans, "all_members", checked)
    sim = caravana.simulation(scenario, seed=seed)
    sim.run()
    assert sum(reused) >= 20  # kept lists given on most days
    if permits:
        assert sim.behaviour("papers").permits_issued.sum() > 100


@pytest.mark.parametrize(("source", "factor", "seed", "permits"), [
    ("corridor", 3, 2, False), ("corridor", 1, 5, True),
    (str(Path(__file__).parent / "data" / "corridor_mechanisms_frozen" / "scenario.yml"), 1, 1, False)])
def test_head_counts_kept_by_the_corridor_are_a_fresh_count(monkeypatch, source, factor, seed, permits):
    """The corridor's behaviours keep the head-counts by place and status as they change people
    (session 6): after every step of every day they equal a fresh count over everyone, and no
    pass over everyone is made for them after the first day, nor for the day's arrivals and
    departures on days when few changed (runs with transit, merging, permits, blockades, lone
    travellers; splits, forks)."""
    import caravana
    from caravana.engine.counting import NightFlows, count_by_place_and_status

    scenario = _scaled_with_permits(monkeypatch, source, factor, permits)
    passes = []
    real_count = NightFlows.count

    def counted(self, population, tally, recount):
        passes.append(recount)
        real_count(self, population, tally, recount)

    monkeypatch.setattr(NightFlows, "count", counted)
    sim = caravana.simulation(scenario, seed=seed)
    checked = []
    for behaviour in sim.behaviours:
        def step(sim, real=behaviour.step, keeps=behaviour.keeps_counts):
            real(sim)
            if keeps and sim.day > 0:
                fresh = np.zeros_like(sim.counts[0])
                pop = sim.population
                count_by_place_and_status(pop.loc, pop.status, fresh)
                np.testing.assert_array_equal(sim.place_status_counts(), fresh)
                checked.append(passes.count(True))
        behaviour.step = step  # this instance only
    sim.run()
    assert all(b.keeps_counts for b in sim.behaviours)
    assert len(checked) >= 10 * sim.days and max(checked) <= 1  # one full count, on the first day
    assert passes.count(True) <= 1 and len(passes) < sim.days  # (the flows: some days from lists alone)


@pytest.mark.parametrize("seed", range(3))
def test_members_resting_with_the_body_are_numpys_selection(seed):
    from caravana.behaviours.corridor.returns import on_the_move_at, resting_with_body

    rng, status, group, _ = _people(seed)
    ckm = rng.choice(np.array([0.0, 12.5, 40.0], dtype=np.float32), len(status))
    loc = rng.integers(0, 5, len(status)).astype(np.int32)
    m = np.sort(rng.choice(len(status), 3000, replace=False))
    for body, p in ((np.float32(12.5), 0.3), (40.0, 1.0), (7.0, 0.5), (12.5, 0.0)):
        # returns' _stay_behind before session 6, and its draws before session 11
        ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
        found = m[(status[m] == Status.RESTING) & (group[m] >= 0) & (ckm[m] == body)]
        want = found[numpys.random(len(found)) < p]
        np.testing.assert_array_equal(resting_with_body(m, status, group, ckm, body, ours, p), want)
        assert ours.random() == numpys.random()  # the stream goes on where NumPy's does
    assert len(resting_with_body(m[:0], status, group, ckm, 12.5, np.random.default_rng(), 0.5)) == 0
    at = np.array([True, False, True, False, False])
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    found = m[(group[m] >= 0) & ((status[m] == Status.RESTING) | (status[m] == Status.TRAVELLING)) & at[loc[m]]]
    want = found[numpys.random(len(found)) < 0.4]  # returns' _take_offer before session 11
    np.testing.assert_array_equal(on_the_move_at(m, status, group, loc, at, ours, 0.4), want)
    assert len(want) and ours.random() == numpys.random()


@pytest.mark.parametrize(("source", "factor", "seed", "permits"), [
    ("corridor", 3, 2, False), ("corridor", 1, 5, True),
    (str(Path(__file__).parent / "data" / "corridor_mechanisms_frozen" / "scenario.yml"), 1, 1, False)])
def test_people_kept_by_state_are_a_fresh_pass(monkeypatch, source, factor, seed, permits):
    """The waiting, arrived and detained that papers, enforcement and returns ask for, kept from
    day to day as ``set_status`` puts people into each state (``states.StatusIndex``), are what a
    full pass over everyone finds, every time; and a full pass is made only when a state is first
    asked about (runs with transit, merging, permits, blockades, asylum claims; splits and forks)."""
    import caravana
    from caravana.behaviours.corridor import states

    scenario = _scaled_with_permits(monkeypatch, source, factor, permits)
    asked, full = [], []
    real_people, real_with_status = states.StatusIndex.people, states.with_status

    def checked(self, pop, status, waiting=states.ANY, tally=None):
        got = real_people(self, pop, status, waiting, tally)
        want = (pop.status == status) & ((pop.waiting_for == waiting) if waiting != states.ANY else True)
        np.testing.assert_array_equal(got, np.flatnonzero(want))
        asked.append((int(status), int(waiting), len(got)))
        return got

    def counted(status, value, scratch=None):
        full.append(int(value))
        return real_with_status(status, value, scratch)

    monkeypatch.setattr(states.StatusIndex, "people", checked)
    monkeypatch.setattr(states, "with_status", counted)
    caravana.simulation(scenario, seed=seed).run()
    kinds = {(s, w) for s, w, _ in asked}
    assert len(full) == len(kinds) and sum(n for *_, n in asked) > 1000
    assert (int(Status.WAITING), int(Waiting.ASYLUM)) in kinds
    if permits:
        assert any(n for s, w, n in asked if w == Waiting.PERMIT)


def test_people_changed_between_days_are_found_afresh():
    """People read between days (a forecast moves them) may have been put into a state without
    ``set_status``: the next day's lists are found by a full pass, and hold them."""
    import caravana
    from caravana.behaviours.corridor.common import status_index

    sim = caravana.simulation(caravana.load_scenario("corridor"), seed=1, days=20)
    for _ in range(12):
        sim.step()
    pop = sim.population  # handed out
    moving = np.flatnonzero(pop.status == Status.RESTING)[:50]
    pop.status[moving] = Status.WAITING
    pop.waiting_for[moving] = Waiting.ASYLUM
    sim.step()
    index = status_index(sim)
    waiting = index.people(sim.population, Status.WAITING, Waiting.ASYLUM)
    want = np.flatnonzero((pop.status == Status.WAITING) & (pop.waiting_for == Waiting.ASYLUM))
    np.testing.assert_array_equal(waiting, want)


def _scaled_with_permits(monkeypatch, source: str, factor: float, permits: bool):
    """``source`` scaled ``factor`` times (``corridor_scale.scaled``); with ``permits``, queues for
    INM permits, served or given up after 3 days: back with their caravan."""
    monkeypatch.syspath_prepend(str(Path(__file__).parents[1] / "benchmarks"))
    from corridor_scale import scaled

    import caravana
    from caravana.scenario.corridor import CorridorSpec

    scenario = scaled(caravana.load_scenario(source), factor)
    if permits:
        corridor = scenario.corridor.model_dump(by_alias=True)
        corridor["papers"]["permits"].update(apply_rate=0.3, per_day=40, give_up_days=3)
        scenario = scenario.model_copy(update={"corridor": CorridorSpec.model_validate(corridor)})
    return scenario


@pytest.mark.parametrize("seed", range(3))
def test_choice_is_numpys(seed):
    """``common.choice`` (people's kind and nationality at a spawn) draws what ``rng.choice`` does,
    and leaves the stream where it does."""
    from caravana.behaviours.corridor.common import choice

    for p in ([0.375, 0.305, 0.32], [0.6, 0.3, 0.1, 0.0], [0.0, 1.0], [0.5, 0.2, 0.2, 0.1]):
        p = np.array(p) / np.sum(p)
        for n in (0, 1, 7, 5000):
            ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
            np.testing.assert_array_equal(choice(ours, p, n), numpys.choice(len(p), size=n, p=p))
            assert ours.random() == numpys.random()


@pytest.mark.parametrize("seed", range(3))
def test_people_drawn_from_kept_shares_are_numpys_choice(seed):
    """``draw_people`` (its shares' cumulative sums kept from one call to the next) draws the kind
    and nationality ``rng.choice`` does, in that order, call after call."""
    from caravana.behaviours.corridor.common import draw_people
    from caravana.scenario.corridor import Composition

    composition = Composition(men=0.5, women=0.3, children=0.2)
    nationality, codes = {"HN": 0.7, "GT": 0.2, "SV": 0.1}, ("GT", "HN", "MX", "SV")
    ours, numpys = np.random.default_rng(seed), np.random.default_rng(seed)
    shares = np.array([nationality.get(code, 0.0) for code in codes])
    for n in (3, 0, 40, 1, 3):
        drawn = draw_people(ours, n, composition, nationality, codes)
        np.testing.assert_array_equal(drawn["person"], numpys.choice(3, size=n, p=[0.5, 0.3, 0.2]))
        np.testing.assert_array_equal(drawn["nationality"], numpys.choice(4, size=n, p=shares / shares.sum()))
    assert ours.random() == numpys.random()


@pytest.mark.parametrize("seed", range(4))
def test_arrivals_drawn_for_all_hubs_at_once_are_draw_people_hub_by_hub(seed):
    """Transit's arrivals (session 18): a Poisson number a hub, its two uniform draws made as
    one, every hub's fields found in one compiled call from shares tabled once a run: the same
    people, in the same order, and the stream left where ``draw_people`` hub by hub leaves it."""
    from types import SimpleNamespace

    from caravana.behaviours.corridor.common import draw_people, draw_tabled, people_tables
    from caravana.scenario.corridor import Composition

    rng = np.random.default_rng(100 + seed)
    codes = ("CU", "GT", "HN", "MX", "NI", "SV")
    hubs = []
    for _ in range(int(rng.integers(1, 9))):
        c = rng.dirichlet(np.ones(3))
        named = rng.choice(codes, int(rng.integers(1, len(codes) + 1)), replace=False)
        shares = rng.dirichlet(np.ones(len(named)))
        if len(named) > 1 and rng.random() < 0.3:  # a share of nothing: equal cumulative shares
            shares[0] = 0.0
        hubs.append(SimpleNamespace(composition=Composition(men=c[0], women=c[1], children=1 - c[0] - c[1]),
                                    nationality=dict(zip(named.tolist(), shares.tolist())), per_day=float(rng.random() * 40)))
    tables = people_tables(hubs, codes)
    for _day in range(6):
        ours, theirs = np.random.default_rng([seed, _day]), np.random.default_rng([seed, _day])
        counts, uniforms, want = np.zeros(len(hubs), dtype=np.int64), [], []
        for h, hub in enumerate(hubs):
            counts[h] = int(ours.poisson(hub.per_day))
            if counts[h]:
                uniforms.append(ours.random(2 * counts[h]))
            n = int(theirs.poisson(hub.per_day))
            if n:
                want.append(draw_people(theirs, n, hub.composition, hub.nationality, codes))
        if not uniforms:
            continue
        person, nationality = draw_tabled(np.concatenate(uniforms), counts, *tables)
        np.testing.assert_array_equal(person, np.concatenate([w["person"] for w in want]))
        np.testing.assert_array_equal(nationality, np.concatenate([w["nationality"] for w in want]))
        assert person.dtype == want[0]["person"].dtype and nationality.dtype == want[0]["nationality"].dtype
        assert ours.random() == theirs.random()


def test_the_median_of_a_spread_is_numpys():
    """A caravan's spread takes the median of its one or two middle values by hand: ``np.median``'s
    value and type, for floats of either width (and ``np.median`` itself for integers)."""
    from caravana.behaviours.corridor.groups import _median_of_middle

    rng = np.random.default_rng(5)
    for dtype in (np.float32, np.float64, np.int64):
        for _ in range(2000):
            middle = (rng.random(int(rng.integers(1, 3))) * 10.0 ** rng.integers(-3, 6)).astype(dtype)
            ours, numpys = _median_of_middle(middle), np.median(middle)
            assert ours == numpys and np.asarray(ours).dtype == np.asarray(numpys).dtype


@pytest.mark.parametrize("source", ["corridor", str(Path(__file__).parent / "data" / "corridor_mechanisms_frozen" / "scenario.yml")])
def test_checks_left_as_they_were_on_days_the_same_are_up_are_a_fresh_refresh(source):
    """Enforcement's arrays of the day (blockades, detention, queues, stations, labels), left as
    they were when the same checks are up as at the last refresh (session 17), equal a refresh
    made afresh every day; some days change which checks are up, most do not."""
    import copy

    import caravana

    sim = caravana.simulation(caravana.load_scenario(source), seed=1)
    enforcement = sim.behaviour("enforcement")
    real, changed = enforcement.step, []

    def step(sim):
        before = enforcement._active
        real(sim)
        changed.append(enforcement._active != before)
        fresh = copy.deepcopy(enforcement)
        fresh._active = None
        fresh._refresh(sim.day)
        for name in ("hold", "hold_nights", "detain_p", "admit", "queue_share", "station"):
            np.testing.assert_array_equal(getattr(enforcement, name), getattr(fresh, name), err_msg=name)
        assert enforcement.label == fresh.label

    enforcement.step = step  # this instance only
    sim.run()
    assert 0 < sum(changed[1:]) < sim.days // 2
