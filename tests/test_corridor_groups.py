"""The compiled membership passes give exactly the NumPy masks they replace."""

from __future__ import annotations

import copy

import numpy as np
import pytest

from caravana.behaviours.corridor.groups import (
    DayMoves,
    Scratch,
    body_stop,
    count_at,
    count_crossing,
    kth_smallest,
    member_moves,
    members_by_group,
    members_of,
    on_the_move,
    place_on_road,
    settle,
    spread,
    tally_groups,
    with_body,
)
from caravana.engine.pcg import row_streams
from caravana.engine.population import Population
from caravana.engine.status import N_STATUS, Status


def test_members_match_the_masks():
    rng = np.random.default_rng(4)
    group = rng.integers(-1, 5, size=20_000).astype(np.int32)
    status = rng.integers(0, N_STATUS, size=20_000).astype(np.int8)
    moving = (status == Status.RESTING) | (status == Status.TRAVELLING)
    every = members_by_group(group, status, 4)  # group 4 is left out, as -1 is
    assert len(every) == 4
    for c in range(5):
        expected = np.flatnonzero(moving & (group == c))
        assert members_of(group, status, c).tolist() == expected.tolist()
        if c < 4:
            assert every[c].tolist() == expected.tolist()
    assert len(members_of(group[:0], status[:0], 1)) == 0
    scratch = Scratch()  # a buffer reused by the next call, grown as needed, not copied
    kept = []
    for people in (5_000, 20_000, 100):
        lists = members_by_group(group[:people], status[:people], 4, scratch)
        assert [m.tolist() for m in lists] == [m.tolist() for m in members_by_group(group[:people], status[:people], 4)]
        kept.append((scratch.buffers[""], scratch.buffers["moving"]))
        # the people on the move found in a buffer too, as NumPy's flatnonzero finds them
        np.testing.assert_array_equal(on_the_move(status[:people], scratch), on_the_move(status[:people]))
    for b in range(2):
        assert kept[1][b] is kept[2][b] and kept[1][b] is not kept[0][b]
    assert copy.deepcopy(scratch).buffers == {}


@pytest.mark.parametrize("n", [0, 1, 5_000])
@pytest.mark.parametrize("apart", [False, True])
@pytest.mark.parametrize("scattered", [False, True])
def test_group_tally_is_the_caravan_logs_numpy(n, apart, scattered):
    """What the caravan log took with NumPy per caravan, for all caravans in one pass (with
    followers behind the main body left out and counted apart, or not; ``scattered``: one
    group's km take more distinct values than are counted, and are listed)."""
    rng = np.random.default_rng(n)
    k, n_places, n_countries = 4, 9, 3
    pop = Population(optional=())
    pop.add_field("ckm", np.float32, 0.0)
    pop.add_field("first_group", np.int16, -1)
    pop.add_field("following", np.int8, 0)
    pop.spawn(rng.integers(0, n_places, n).astype(np.int32))
    pop.following[:] = rng.random(n) < 0.2
    group = pop.group
    group[:] = rng.integers(-1, k + 1, n)
    pop.status[:] = rng.integers(0, N_STATUS, n)
    pop.ckm[:] = rng.choice(np.array([0.0, 10.5, 99.0, 120.0, 300.25], dtype=np.float32), n)
    if scattered:
        pop.ckm[group == 2] = rng.random(int((group == 2).sum())).astype(np.float32) * 400
    pop.first_group[:] = rng.integers(-1, k, n)
    country_of = rng.integers(0, n_countries, n_places).astype(np.int32)
    end = np.array([99.0, 120.0, 300.25, 10.5], dtype=np.float32)
    scratch = Scratch()
    tally_groups(pop, country_of, end[::-1].copy(), n_countries, n_places, scratch)  # a buffer used before
    size, arrived, by_country, by_origin, ends, behind = tally_groups(pop, country_of, end, n_countries, n_places,
                                                                      scratch, apart=apart)
    moving = (pop.status == Status.RESTING) | (pop.status == Status.TRAVELLING)
    # the caravan log's NumPy before session 5: followers counted apart, then left out as group -1
    if apart:
        apart_people = pop.following == 1
        want_behind = np.bincount(group[apart_people & moving & (group >= 0)], minlength=k)[:k]
        group = np.where(apart_people, -1, group)
    else:
        want_behind = np.zeros(k)
    np.testing.assert_array_equal(behind, want_behind)
    for c in range(k):
        on_route = np.flatnonzero(moving & (group == c))
        stopped = np.flatnonzero(~moving & (group == c))
        reached = stopped[pop.ckm[stopped] >= end[c]]
        assert size[c] == len(on_route) and arrived[c] == len(reached)
        np.testing.assert_array_equal(by_country[c], np.bincount(country_of[pop.loc[on_route]], minlength=n_countries))
        first = pop.first_group[on_route]
        origin = np.where(first >= 0, first, k + pop.home[on_route])
        np.testing.assert_array_equal(by_origin[c], np.bincount(origin, minlength=k + n_places))
        want = np.concatenate((pop.ckm[on_route], pop.ckm[reached]))
        if len(want):
            assert ends[c] == (want.max(), np.median(want), want.min())
            assert all(type(x) is type(y) for x, y in zip(ends[c], (want.max(), np.median(want), want.min())))
        else:
            assert ends[c] is None


def _road(rng, with_rail: bool):
    from caravana.engine.itinerary import Itinerary

    p = int(rng.integers(2, 12))
    km = np.concatenate(([0.0], np.cumsum(rng.choice([0.0, 3.5, 40.25, 77.0], p - 1)))).astype(np.float32)
    rail = (rng.random(p - 1) < 0.4) if with_rail else np.zeros(p - 1, dtype=bool)
    rail_km = np.concatenate(([0.0], np.cumsum(np.diff(km) * rail))).astype(np.float32)
    return Itinerary(np.arange(p, dtype=np.int32), np.arange(p - 1, dtype=np.int32), [[]] * (p - 1), km,
                     np.full(p, 30.0, np.float32), np.zeros(p, np.intp), np.zeros(p, np.int32), rail_km,
                     np.zeros(p, bool))


@pytest.mark.parametrize("seed", range(12))
def test_segment_of_one_position_is_segment_as_an_int(seed):
    """``Itinerary.segment_of`` (a caravan's body) gives ``segment``'s index, as a Python int,
    for km before the road, at each place (as float32, float64 and float), between them and past the end."""
    rng = np.random.default_rng(seed)
    path = _road(rng, with_rail=False)
    for x in [-1.0, *path.km.tolist(), *(path.km + np.float32(0.5)).tolist(), float(path.km[-1]) + 10, 1e9]:
        for km in (np.float32(x), np.float64(x), float(x)):
            got = path.segment_of(km)
            assert type(got) is int and got == int(path.segment(km))


@pytest.mark.parametrize("seed", range(12))
def test_road_kernels_are_the_numpy_they_replace(seed):
    """Segments, the km of a day split by mode, the places reached and the body's median:
    the same values, in the same types, as the NumPy code caravans used before."""
    rng = np.random.default_rng(seed)
    path = _road(rng, with_rail=seed % 2 == 1)
    n = int(rng.integers(0, 500))
    ends = np.concatenate((path.km, path.km + np.float32(0.5), [path.km[-1] + 10]))
    old = rng.choice(ends, n).astype(np.float32)
    new = np.maximum(old, rng.choice(ends, n).astype(np.float32))
    by_bus = rng.random(n) < 0.2
    after_old, seg_old = np.searchsorted(path.km, old, side="right"), path.segment(old)
    after_new, seg_new = np.searchsorted(path.km, new, side="right"), path.segment(new)
    walk_km = float(rng.choice([0.0, 25.0, 1e9]))
    moved = (new - old).astype(np.float64)
    train = np.where(by_bus, 0.0, path.rail_before(new, seg_new) - path.rail_before(old, seg_old))
    road = np.where(by_bus, 0.0, moved - train)
    walked = np.minimum(road, walk_km)
    want = (walked, road - walked, train, np.where(by_bus, moved, 0.0))
    p = len(path.km)
    move = after_new > after_old
    want_reached = np.cumsum(np.bincount(after_old[move], minlength=p + 1) - np.bincount(after_new[move], minlength=p + 1))[:-1]
    # settle puts the members on the network as place_on_road does
    people = 2 * n + 3
    idx = np.sort(rng.choice(people, n, replace=False)).astype(np.int64)
    ckm = np.zeros(people, dtype=np.float32)
    ckm[idx] = new

    def network_fields():
        r = np.random.default_rng(seed)
        return [r.integers(0, 5, people).astype(np.int32), r.integers(-1, 5, people).astype(np.int32),
                r.random(people), r.integers(0, 3, people).astype(np.int8), r.integers(0, 9, people).astype(np.int16)]

    want_fields, got_fields = network_fields(), network_fields()
    before = network_fields()

    def head_counts(fields):  # people by place and status
        out = np.zeros((max(5, len(path.places)), N_STATUS), dtype=np.int64)
        np.add.at(out, (fields[0], fields[3]), 1)
        return out

    # both keep the head-counts as they go, and list those whose place or status changed
    tallies, changes = [head_counts(before), head_counts(before)], [np.full(n, -1), np.full(n, -1)]
    k_placed = place_on_road(idx, seg_new, ckm, path.km, path.places, path.links, *want_fields, tallies[0], changes[0])
    # per mode, its riders (km > 0) listed if the mode is (not walking, say), and its total
    listed = np.array([seed % 3 == 0, True, True, seed % 2 == 0])
    total, nonzero = np.zeros(4), np.zeros(4, dtype=np.int64)
    got = []
    for w, on in zip(want, listed):  # buffers reused from another day
        got += [np.full(n if on else 0, -1, dtype=np.int64), np.full(n if on else 0, np.nan, dtype=w.dtype)]
    got_ckm = np.zeros(people, dtype=np.float32)
    got_ckm[idx] = old
    reached, k, k_settled = settle(idx, old, new, by_bus, path.km, path.places, path.links, path.rail_km,
                                   bool(path.rail_km[-1] != 0), walk_km, got_ckm, *got_fields, listed, total, nonzero,
                                   *got, tallies[1], changes[1], seed % 4 != 1)
    moved = idx[(before[0][idx] != want_fields[0][idx]) | (before[3][idx] != want_fields[3][idx])]
    for tally, change, k_changed in zip(tallies, changes, (k_placed, k_settled)):
        np.testing.assert_array_equal(tally, head_counts(want_fields))
        if change is changes[1] and seed % 4 == 1:  # settle told not to list them (flows from a full pass)
            assert k_changed == 0
        else:
            np.testing.assert_array_equal(change[:k_changed], moved)
    np.testing.assert_array_equal(got_ckm, ckm)
    went = new != old  # the others went 0 km every way
    for w in want:
        assert not w[~went].any()
    for m, (w, on) in enumerate(zip(want, listed)):
        riding = went & (w > 0)
        assert k[m] == (riding.sum() if on else 0)
        if on:
            np.testing.assert_array_equal(got[2 * m][: k[m]], idx[riding])
            np.testing.assert_array_equal(got[2 * m + 1][: k[m]], w[riding])
        assert nonzero[m] == (w != 0).sum()
        assert total[m] == pytest.approx(float(w.astype(np.float64).sum()), rel=1e-12, abs=1e-9)
    np.testing.assert_array_equal(reached, want_reached)
    for w, g in zip(want_fields, got_fields):
        np.testing.assert_array_equal(w, g)
    if n:
        k = n // 2
        assert kth_smallest(new, k) == np.sort(new)[k] and type(kth_smallest(new, k)) is np.float32
        scattered = rng.random(n).astype(np.float32)  # many distinct values: sorted instead
        assert kth_smallest(scattered, k) == np.sort(scattered)[k]
        gone = rng.random(n) < 0.1
        for x in (new, scattered):  # the main body's stop and head-count, without selecting its members
            body = old[0]
            with_body = (old == body) & ~gone
            want_stop = kth_smallest(x[with_body], int(with_body.sum()) // 2) if with_body.any() else np.float32(-1)
            assert body_stop(x, old, body, gone, np.float32(-1)) == want_stop
            assert count_at(x, gone, x[-1]) == int(((x == x[-1]) & ~gone).sum())
            assert count_at(x, np.zeros(0, dtype=bool), x[0]) == int((x == x[0]).sum())  # nobody left out
            assert count_crossing(old, x, gone, x[0]) == int((~gone & (old <= x[0]) & (x > x[0])).sum())
        for x in (new, new[1:] if n > 1 else new, scattered):  # odd and even lengths
            got, want = spread(x), (x.max(), np.median(x), x.min())
            assert got == want and [type(v) for v in got] == [type(v) for v in want]


def test_main_body_counts_are_the_masks():
    rng = np.random.default_rng(9)
    pop = Population(optional=())
    pop.add_field("ckm", np.float32, 0.0)
    pop.spawn(np.zeros(30_000, dtype=np.int32))
    pop.group[:] = rng.integers(-1, 6, pop.n)
    pop.status[:] = rng.integers(0, N_STATUS, pop.n)
    pop.ckm[:] = rng.choice(np.array([0.0, 12.5, 40.0], dtype=np.float32), pop.n)
    body = np.array([12.5, 0.0, 40.0, 12.5, 3.0], dtype=np.float32)  # group 5 is left out, as -1 is
    moving = (pop.status == Status.RESTING) | (pop.status == Status.TRAVELLING)
    want = [int((moving & (pop.group == g) & (pop.ckm == body[g])).sum()) for g in range(5)]
    assert with_body(pop, body).tolist() == want


def _numpy_member_moves(old, body_old, body_new, u, mode, fall_behind, ride_ahead, km, pace, slack, straggler_km):
    """The NumPy ``Caravans._member_moves`` used before ``member_moves`` (riders left to the caller)."""
    seg_old = np.clip(np.searchsorted(km, old, side="right") - 1, 0, len(km) - 1)
    new = old.copy()
    with_body, behind, ahead = old == body_old, old < body_old, old > body_old
    rides = np.zeros(len(old), dtype=bool)
    if mode == 1:
        new[with_body] = body_new
        stays = with_body & (u[0] < fall_behind)
        new[stays] = old[stays]
        rides = with_body & ~stays & (u[1] < ride_ahead)
    elif mode == 2:
        new[with_body] = np.minimum(old[with_body] + pace[seg_old[with_body]], body_new)
    reach = pace[seg_old[behind]] * slack if np.isnan(straggler_km) else straggler_km
    new[behind] = np.minimum(old[behind] + reach, body_new)
    new[ahead] = np.where(old[ahead] <= body_new, body_new, old[ahead])
    return new.astype(np.float32, copy=False), np.flatnonzero(rides)


@pytest.mark.parametrize("seed", range(12))
def test_member_moves_are_the_numpy_they_replace(seed):
    rng = np.random.default_rng(seed)
    path = _road(rng, with_rail=False)
    path.pace[:] = rng.choice(np.array([12.5, 30.0, 41.3], dtype=np.float32), len(path.pace))
    n = int(rng.integers(0, 500))
    body_old = path.km[int(rng.integers(0, len(path.km)))]
    body_new = np.float32(body_old + rng.choice([0.0, 17.25, 60.0]))
    old = rng.choice(np.concatenate((path.km, [body_old] * 5, path.km + np.float32(0.5))), n).astype(np.float32)
    slack = np.float32(1.0 + rng.choice([0.0, 0.3]))
    straggler = np.float32(rng.choice([np.nan, 20.0]))
    for mode in (0, 1, 2):
        args = (mode, 0.1, float(rng.choice([-1.0, 0.2])), path.km, path.pace, slack, straggler)
        streams = row_streams(np.random.default_rng(seed), n, 2)  # the columns of this u, drawn inside
        u = np.random.default_rng(seed).random((2, n))
        got = member_moves(old, body_old, body_new, streams, *args, np.full_like(old, np.nan))
        want = _numpy_member_moves(old, body_old, body_new, u, *args)
        assert got[0].dtype == want[0].dtype == np.float32
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[1], want[1])


def test_day_moves_hold_every_caravans_riders_in_order():
    moves = DayMoves(("walk", "truck"), (np.float64, np.float32), (False, True))
    assert moves.today() == {}
    for day in range(2):
        moves.reset()
        for k in (3, 0, 1500):  # grown past its room mid-day, keeping what came before
            walk_idx, walk, idx, truck = moves.take(k)
            assert len(walk_idx) == len(walk) == 0  # walking is not listed
            idx[:] = np.arange(k) + day
            rode = k // 2 + 1 if k else 0  # the first half of them rode
            truck[:rode] = k
            moves.total += (k, k * rode)
            moves.nonzero += (k, rode)
            moves.keep(np.array([0, rode]))
        today = moves.today()
        assert list(today) == ["walk", "truck"] and today["walk"] == (1503.0, None, None)
        total, idx, km = today["truck"]
        assert total == 3 * 2 + 1500 * 751 and km.dtype == np.float32
        assert idx.tolist() == [day, day + 1] + list(range(day, day + 751))
        assert km.tolist() == [3.0] * 2 + [1500.0] * 751
