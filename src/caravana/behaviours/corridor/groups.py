"""Caravan members in compiled passes: who travels with which caravan, and putting
members on the network from their km along the caravan's road.

A caravan's members are the people of its group who are on the move (resting or
travelling). NumPy finds them with five full-length temporaries per caravan
(two status tests, their union, the group test, the intersection); these loops read
each person's group and status once, for one caravan or for all of them at once.
"""

from __future__ import annotations

import numpy as np

from ...engine.jit import njit
from ...engine.pcg import step_double
from ...engine.status import Status

RESTING = np.int8(Status.RESTING)
TRAVELLING = np.int8(Status.TRAVELLING)
WAITING = np.int8(Status.WAITING)


@njit(nogil=True)
def members_of(group, status, c):
    """Indices, ascending, of the people of group ``c`` who are resting or travelling."""
    out = np.empty(group.shape[0], dtype=np.int64)  # untouched pages cost nothing
    k = 0
    for i in range(group.shape[0]):
        if group[i] == c and (status[i] == RESTING or status[i] == TRAVELLING):
            out[k] = i
            k += 1
    return out[:k].copy()


def on_the_move(status, scratch: Scratch | None = None) -> np.ndarray:
    """Indices, ascending, of the people resting or travelling (status is int8; as uint8,
    RESTING 0 and TRAVELLING 1 are the values <= 1). With ``scratch``, written into its
    buffer ``"moving"`` (overwritten by the next call with it): at millions of people a
    fresh list (NumPy's ``flatnonzero``) is a fresh mapping of memory, paid page by page
    every call."""
    if scratch is None:
        return np.flatnonzero(status.view(np.uint8) <= np.uint8(TRAVELLING))
    out = scratch.get((1, len(status)), np.int64, "moving")[0]
    return out[: _on_the_move(status, out)]


@njit(nogil=True)
def _on_the_move(status, out):
    k = 0
    for i in range(status.shape[0]):
        out[k] = i  # kept only if k moves on: no branch to mispredict
        k += np.uint8(status[i]) <= np.uint8(1)
    return k


@njit(nogil=True)
def _members_by_group(moving, group, out, k):
    n_groups = out.shape[0]
    run, n = -1, 0  # members come in runs of one group: its count kept in a register meanwhile
    for j in range(moving.shape[0]):
        i = moving[j]
        g = group[i]
        if g != run:
            if run >= 0:
                k[run] = n
            run = g if 0 <= g < n_groups else -1
            n = k[run] if run >= 0 else 0
        if run >= 0:
            out[run, n] = i
            n += 1
    if run >= 0:
        k[run] = n


def members_by_group(group, status, n_groups: int, scratch: Scratch | None = None) -> list[np.ndarray]:
    """``members_of`` for groups 0 .. n_groups-1 at once: a list of index arrays.

    The people on the move are found by a vectorised compare, then sorted by group in one
    compiled pass (branching on status in a compiled loop over everyone is slower). The arrays
    are views of one buffer; rows are written only as far as their members, so the pages
    beyond cost nothing. With ``scratch``, the buffer is kept there and reused by the next
    call with it (which overwrites these lists): a day then maps no fresh memory for it."""
    moving = on_the_move(status, scratch)
    if scratch is None:
        out = np.empty((n_groups, len(moving)), dtype=np.int64)
    else:
        out = scratch.get((n_groups, len(moving)), np.int64)
    k = np.zeros(n_groups, dtype=np.int64)
    _members_by_group(moving, group, out, k)
    return [out[g, : k[g]] for g in range(n_groups)]


@njit(nogil=True)
def still_members(m, status, group, c):
    """Keep, in order and in place, those of ``m`` still members of group ``c`` (resting or
    travelling, in group ``c``); returns how many."""
    k = 0
    for j in range(m.shape[0]):
        i = m[j]
        m[k] = i  # kept only if k moves on: no branch to mispredict
        k += (group[i] == c) & (np.uint8(status[i]) <= np.uint8(TRAVELLING))
    return k


class Scratch:
    """Buffers reused from call to call (grown as needed, by half again), by name, for lists
    that live only within a behaviour's step. Not copied with a simulation: a copy starts empty."""

    def __init__(self) -> None:
        self.buffers: dict[str, np.ndarray] = {}

    def get(self, shape: tuple[int, int], dtype, name: str = "") -> np.ndarray:
        """A (rows, at least cols) array of ``dtype``; its contents are left as they were."""
        rows, cols = shape
        b = self.buffers.get(name)
        if b is None or b.dtype != dtype or b.shape[0] != rows or b.shape[1] < cols:
            wider = 0 if b is None else b.shape[1] * 3 // 2
            b = self.buffers[name] = np.empty((rows, max(cols, wider)), dtype=dtype)
        return b

    def __deepcopy__(self, memo) -> Scratch:
        return Scratch()


@njit(nogil=True)
def place_on_road(idx, seg, ckm, km, places, links, loc, link, dist, status, days_in_status, tally, changed):
    """People ``idx`` at km ``ckm[idx]`` of a road (places ``places`` at ``km``, ``links``
    between them; ``seg``: each one's segment): at the place, resting, or on the link
    after it, travelling, ``dist`` km along it. A changed status restarts its clock. Those
    whose place or status changed move in the head-counts ``tally[place, status]`` and are
    listed in ``changed`` (returns how many)."""
    last = links.shape[0] - 1
    k = 0
    for j in range(idx.shape[0]):
        i = idx[j]
        s = seg[j]
        before, was = loc[i], status[i]
        loc[i] = places[s]
        link[i], dist[i], now = _on_road(ckm[i], km[s], links[min(s, last)])
        if was != now:
            days_in_status[i] = 0
        status[i] = now
        if was != now or before != places[s]:
            tally[before, was] -= 1
            tally[places[s], now] += 1
            changed[k] = i
            k += 1
    return k


# Helpers of the per-member loops take plain numbers only: Numba reference-counts every array
# handed to another compiled function, with atomic operations (see ``flee_kernels``).

@njit(inline="always")
def _on_road(x, place_km, next_link):
    """(link, km along it, status) of someone at km ``x`` of a segment starting at ``place_km``."""
    if x == place_km:
        return -1, 0.0, RESTING
    return next_link, np.float64(x - place_km), TRAVELLING


@njit(nogil=True)
def _tally_groups(group, status, ckm, loc, first_group, home, following, apart, country_of, end, n_origin_groups,
                  size, arrived, by_country, by_origin, values, counts, n_values, behind):
    """``tally_groups``' pass. Each group's km are counted as distinct values (``values[g,
    :n_values[g]]``, how many at each in ``counts``; members stand in runs at one km: the run
    is counted in a register): no list of every member's km written and read again. A group
    with more distinct km than ``values`` has room for gets ``n_values[g]`` past it (its km
    are then listed by ``_km_of``)."""
    k, cap = end.shape[0], values.shape[1]
    run_g, run_slot, run_n = -1, -1, 0
    run_v = ckm.dtype.type(0)
    for i in range(group.shape[0]):
        g = group[i]
        if g < 0 or g >= k:
            continue
        moving = np.uint8(status[i]) <= np.uint8(TRAVELLING)  # RESTING or TRAVELLING
        if apart and following[i] == 1:
            behind[g] += moving
            continue
        v = ckm[i]
        if moving:
            size[g] += 1
            by_country[g, country_of[loc[i]]] += 1
            first = first_group[i]
            by_origin[g, first if first >= 0 else n_origin_groups + home[i]] += 1
        elif v >= end[g]:
            arrived[g] += 1
        else:
            continue
        if g == run_g and v == run_v:
            run_n += 1
            continue
        if run_slot >= 0:
            counts[run_g, run_slot] += run_n
        m = n_values[g]
        s = 0
        if m > cap:
            s = -1  # (too many distinct km: listed apart)
        else:
            while s < m and values[g, s] != v:
                s += 1
            if s == m:
                if m == cap:
                    n_values[g] = cap + 1
                    s = -1
                else:
                    values[g, m] = v
                    n_values[g] = m + 1
        run_g, run_v, run_slot, run_n = g, v, s, 1
    if run_slot >= 0:
        counts[run_g, run_slot] += run_n


@njit(nogil=True)
def _km_of(group, status, ckm, following, apart, end, wanted, km, n_km):
    """The km of the people ``_tally_groups`` counts, listed (``km[g, :n_km[g]]``) for the groups
    ``wanted``."""
    for i in range(group.shape[0]):
        g = group[i]
        if g < 0 or g >= end.shape[0] or not wanted[g] or (apart and following[i] == 1):
            continue
        if np.uint8(status[i]) <= np.uint8(TRAVELLING) or ckm[i] >= end[g]:
            km[g, n_km[g]] = ckm[i]
            n_km[g] += 1


def tally_groups(pop, country_of, end, n_countries: int, n_places: int, scratch: Scratch | None = None,
                 apart: bool = False):
    """Per group 0 .. len(end)-1, in one pass: members on the move (``size``), others of the
    group at or past ``end[g]`` (``arrived``), members by country of their place and by
    origin (``first_group``, or the number of groups + ``home`` for people taken in from a
    place), and the ``spread`` of the km of both kinds (None for a group with neither).
    ``apart``: people with ``following`` 1 are left out, and those of them on the move counted
    apart (``behind``, else zeros). ``scratch``: a buffer for a group's km, reused from call
    to call (needed only for a group whose km take more than ``FEW`` distinct values)."""
    k = len(end)
    size, arrived, behind = np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64)
    by_country = np.zeros((k, n_countries), dtype=np.int64)
    by_origin = np.zeros((k, k + n_places), dtype=np.int64)
    values = np.empty((k, FEW), dtype=pop.ckm.dtype)
    counts = np.zeros((k, FEW), dtype=np.int64)
    n_values = np.zeros(k, dtype=np.int64)
    end = np.asarray(end, dtype=pop.ckm.dtype)
    _tally_groups(pop.group, pop.status, pop.ckm, pop.loc, pop.first_group, pop.home, pop.following, apart, country_of,
                  end, k, size, arrived, by_country, by_origin, values, counts, n_values, behind)
    spreads: list[tuple | None] = [None] * k
    many = n_values > FEW
    if many.any():  # rows written only as far as they fill; with ``scratch``, a buffer reused from call to call
        km = np.empty((k, pop.n), dtype=pop.ckm.dtype) if scratch is None else scratch.get((k, pop.n), pop.ckm.dtype)
        n_km = np.zeros(k, dtype=np.int64)
        _km_of(pop.group, pop.status, pop.ckm, pop.following, apart, end, many, km, n_km)
        for g in np.flatnonzero(many):
            spreads[g] = spread(km[g, : n_km[g]])
    for g in np.flatnonzero(~many & (n_values > 0)):
        spreads[g] = counted_spread(values[g, : n_values[g]], counts[g, : n_values[g]])
    return size, arrived, by_country, by_origin, spreads, behind


@njit(nogil=True)
def _with_body(moving, group, ckm, body, out):
    for j in range(moving.shape[0]):
        i = moving[j]
        g = group[i]
        if 0 <= g < body.shape[0] and ckm[i] == body[g]:
            out[g] += 1


def with_body(pop, body, scratch: Scratch | None = None) -> np.ndarray:
    """Per group g: members on the move at km ``body[g]`` (its main body), without listing
    members (``scratch``: as ``on_the_move``'s)."""
    out = np.zeros(len(body), dtype=np.int64)
    _with_body(on_the_move(pop.status, scratch), pop.group, pop.ckm, np.asarray(body, dtype=pop.ckm.dtype), out)
    return out


# ---------------------------------------------------------------- a caravan's members on its road

@njit(inline="always")
def _places_upto(km, v):
    """The number of places at or before ``v`` (the first place past it)."""
    lo, hi = 0, km.shape[0]
    while lo < hi:
        mid = (lo + hi) // 2
        if km[mid] <= v:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(inline="always")
def _segment(after, n_places):
    """``Itinerary.segment`` from the number of places at or before a km."""
    return min(max(after - 1, 0), n_places - 1)


@njit(nogil=True)
def member_moves(old, body_old, body_new, streams, mode, fall_behind, ride_ahead, km, pace, slack, straggler_km, new):
    """Each member's proposed km tonight (``Caravans._member_moves``), in one pass. ``mode``: 0
    the body stays; 1 it walks to ``body_new`` (members with it stay behind if ``u0 <
    fall_behind``, else ride ahead if ``u1 < ride_ahead``: listed, placed by the caller;
    ``u0``, ``u1``: member j's column of ``rng.random((2, len(old)))``, drawn here from
    ``streams``, ``pcg.row_streams``); 2 it rides a bus (members with it walk their pace;
    the caller seats the riders). Modes 0 and 2 draw nothing.
    Stragglers walk ``pace x slack`` (or ``straggler_km`` if not NaN); those ahead wait.
    ``pace``: of the segment each one is on (places at ``km``). Same float32 arithmetic as
    the NumPy it replaces. ``new``: as long as ``old``, overwritten with the new km (a buffer
    kept from day to day: see ``on_the_move``). Returns (new km, riders ahead)."""
    n = old.shape[0]
    rides = np.empty(n, dtype=np.int64)
    k = 0
    catch_up = not np.isnan(straggler_km)
    seen, their_pace = np.float32(np.nan), np.float32(0.0)  # the pace of the last km looked up
    inc_hi, inc_lo = streams[0, 2], streams[0, 3]
    hi0, lo0, hi1, lo1 = streams[0, 0], streams[0, 1], streams[1, 0], streams[1, 1]
    u0 = u1 = 1.0
    for j in range(n):
        x = old[j]
        new[j] = x  # (as it was, unless moved below: written here, not in a pass of its own first)
        if mode == 1:
            hi0, lo0, u0 = step_double(hi0, lo0, inc_hi, inc_lo)
            hi1, lo1, u1 = step_double(hi1, lo1, inc_hi, inc_lo)
        if x == body_old and mode == 1:
            if u0 < fall_behind:
                continue
            new[j] = body_new
            if u1 < ride_ahead:
                rides[k] = j
                k += 1
        elif x < body_old or (x == body_old and mode == 2):
            if x != seen:  # members stand in runs at the same km: looked up once a run
                seen, their_pace = x, pace[_segment(_places_upto(km, x), km.shape[0])]
            if x == body_old:
                new[j] = min(x + their_pace, body_new)
            else:
                new[j] = min(x + (straggler_km if catch_up else their_pace * slack), body_new)
        elif x > body_old and x <= body_new:
            new[j] = body_new
    return new, rides[:k]


@njit(inline="always")
def _split_one(old, new, by_bus, train, walk_km):
    """(walked, ridden, train, bus) km of one mover from ``old`` to ``new`` (``train``: km on
    freight trains between them)."""
    moved = np.float64(new - old)
    if by_bus:
        w = min(0.0, walk_km)
        return w, 0.0 - w, np.float32(0.0), moved
    road = moved - np.float64(train)
    w = min(road, walk_km)
    return w, road - w, train, 0.0


@njit(inline="always")
def _rail_before(x, place_km, rail, next_rail):
    """km on freight trains before km ``x`` of a segment starting at ``place_km`` (``rail``:
    before its start; ``next_rail``: before the next place's)."""
    if next_rail > rail:
        return rail + (x - place_km)
    return rail


@njit(nogil=True)
def settle(idx, old, new, by_bus, km, places, links, rail_km, has_rail, walk_km,
           ckm, loc, link, dist, status, days_in_status, listed, total, nonzero,
           walk_idx, walked, ride_idx, ridden, train_idx, train, bus_idx, bus, tally, changed, listing):
    """Caravan members ``idx`` who went from km ``old`` to ``new`` today, in one pass: their
    ``ckm`` set to ``new``; the km of those who moved (``new != old``) split by mode (walked,
    ridden, train, bus), as ``Caravans._settle`` says (freight trains' km in float32, as
    ``Itinerary.rail_before`` gives them; same arithmetic, in the same types, as the NumPy
    it replaced); each put on the network at ``new`` (``place_on_road``).

    Per mode m (0 walk, 1 ride, 2 train, 3 bus): ``total[m]`` += the km that way and
    ``nonzero[m]`` += the movers with a km other than 0 that way; and, if ``listed[m]``, those
    who went a km that way (km > 0, the riders an accident may strike) listed in order, in
    ``<mode>_idx`` and their km in ``walked`` / ``ridden`` / ``train`` / ``bus`` (only those
    riders: a mode nobody is killed on needs no list). Those whose place or status changed move
    in the head-counts ``tally`` and are listed in ``changed`` (if ``listing``). Returns how many reached each
    place of the road (old < its km <= new), how many were listed per mode, and how many changed."""
    n = idx.shape[0]
    p = km.shape[0]
    reached = np.zeros(p, dtype=np.int64)
    last_link = links.shape[0] - 1
    after = after_old = 0
    run_from, run_to, run_n = 0, 0, 0  # a run of members who passed the same places
    k0 = k1 = k2 = k3 = 0
    kc = 0
    # Per mode, the day's km and movers so far, added to in registers, in the same order (the
    # same sums), and written back at the end.
    t0, t1, t2, t3 = total[0], total[1], total[2], total[3]
    n0, n1, n2, n3 = nonzero[0], nonzero[1], nonzero[2], nonzero[3]
    list0, list1, list2, list3 = listed[0], listed[1], listed[2], listed[3]
    from_place, to_place, moving = 0, 0, 0  # a run of members moving from one (place, status) to another
    from_status = to_status = status.dtype.type(0)
    for j in range(n):
        v = new[j]
        if j == 0 or v != new[j - 1]:  # runs at the same km: searched once a run
            after = _places_upto(km, v)
        if j == 0 or old[j] != old[j - 1]:
            after_old = _places_upto(km, old[j])
        s = _segment(after, p)
        i = idx[j]
        if v != old[j]:
            t = np.float32(0.0)
            if has_rail:
                a = _segment(after_old, p)
                t = (_rail_before(v, km[s], rail_km[s], rail_km[min(s + 1, p - 1)])
                     - _rail_before(old[j], km[a], rail_km[a], rail_km[min(a + 1, p - 1)]))
            w, r, tr, b = _split_one(old[j], v, by_bus[j], t, walk_km)
            # (written at k, kept only if k moves on: no branch to mispredict)
            if w != 0:
                t0 += w
                n0 += 1
                if list0:
                    walk_idx[k0], walked[k0] = i, w
                    k0 += w > 0
            if r != 0:
                t1 += r
                n1 += 1
                if list1:
                    ride_idx[k1], ridden[k1] = i, r
                    k1 += r > 0
            if tr != 0:
                t2 += tr
                n2 += 1
                if list2:
                    train_idx[k2], train[k2] = i, tr
                    k2 += tr > 0
            if b != 0:
                t3 += b
                n3 += 1
                if list3:
                    bus_idx[k3], bus[k3] = i, b
                    k3 += b > 0
        if after_old != run_from or after != run_to:  # members come in runs: counted a run at a time
            _add_run(reached, run_from, min(run_to, p), run_n)
            run_from, run_to, run_n = after_old, after, 0
        run_n += 1
        place = places[s]
        to_link, along, now = _on_road(v, km[s], links[min(s, last_link)])
        ckm[i] = v
        before, was = loc[i], status[i]
        loc[i], link[i], dist[i] = place, to_link, along
        if was != now:
            days_in_status[i] = 0
            status[i] = now
        # members move in runs from one (place, status) to another: a run's count is kept in a
        # register and moved in ``tally`` when it ends (a count in memory bumped per member waits
        # on the last bump); those who stay as they were (``ch`` 0: stragglers among the movers,
        # in no order) neither end a run nor are listed, without a branch on it
        ch = (was != now) | (before != place)
        if ch & ((before != from_place) | (was != from_status) | (place != to_place) | (now != to_status)):
            _move_run(tally, from_place, from_status, to_place, to_status, moving)
            from_place, from_status, to_place, to_status, moving = before, was, place, now, 0
        moving += ch
        if listing:
            changed[kc] = i  # (kept only if kc moves on)
            kc += ch
    _add_run(reached, run_from, min(run_to, p), run_n)
    _move_run(tally, from_place, from_status, to_place, to_status, moving)
    total[0], total[1], total[2], total[3] = t0, t1, t2, t3
    nonzero[0], nonzero[1], nonzero[2], nonzero[3] = n0, n1, n2, n3
    return reached, np.array([k0, k1, k2, k3], dtype=np.int64), kc


# (inlined: a compiled call handed an array counts its references with atomic operations)
@njit(inline="always")
def _move_run(tally, from_place, from_status, to_place, to_status, n):
    if n:
        tally[from_place, from_status] -= n
        tally[to_place, to_status] += n


@njit(inline="always")
def _add_run(reached, a, b, n):
    for q in range(a, b):
        reached[q] += n


@njit(nogil=True)
def _few_values(x, cap, old, at, gone):
    """The distinct values of ``x``, ascending, and how many times each (only where ``old ==
    at`` and not ``gone``, if ``old`` is not empty), and whether they were at most ``cap``.
    Members stand in runs: the value just seen is tried first."""
    values = np.empty(cap, dtype=x.dtype)
    counts = np.zeros(cap, dtype=np.int64)
    masked = old.shape[0] > 0
    m = 0
    last = 0
    seen = x.dtype.type(0)  # the value just seen (values[last]), and how many in its run so far
    run = 0
    for j in range(x.shape[0]):
        if masked and (old[j] != at or gone[j]):
            continue
        v = x[j]
        if run and seen == v:
            run += 1  # (kept in a register, not added to counts one by one)
            continue
        if run:
            counts[last] += run
        i = 0
        while i < m and values[i] != v:
            i += 1
        if i == m:
            if m == cap:
                return False, values[:0], counts[:0]
            values[m] = v
            m += 1
        last, seen, run = i, v, 1
    if run:
        counts[last] += run
    order = np.argsort(values[:m])
    return True, values[:m][order], counts[:m][order]


FEW = 64  # distinct km counted, not sorted, up to this many
_ALL = (np.empty(0, dtype=np.float32), np.float32(0.0), np.empty(0, dtype=np.bool_))  # no mask


def kth_smallest(x: np.ndarray, k: int):
    """``np.sort(x)[k]``, counting the values when there are few distinct ones (a caravan's
    members stand at a handful of km), else sorting."""
    few, values, counts = _few_values(x, FEW, *_ALL)
    return values[np.searchsorted(np.cumsum(counts), k, side="right")] if few else np.sort(x)[k]


def body_stop(new, old, body_old, gone, default):
    """Where the main body got to: ``kth_smallest(new[with_body], len // 2)`` of the members
    who were with it (``old == body_old``, not ``gone``); ``default`` if there were none.
    Counted in one pass, without selecting them (unless their km are many and scattered)."""
    few, values, counts = _few_values(new, FEW, old, body_old, gone)
    if not few:
        with_body = (old == body_old) & ~gone
        return kth_smallest(new[with_body], int(with_body.sum()) // 2)
    if not len(values):
        return default
    cum = np.cumsum(counts)
    return values[np.searchsorted(cum, cum[-1] // 2, side="right")]


@njit(nogil=True)
def count_at(x, gone, value):
    """``((x == value) & ~gone).sum()`` in one pass (``gone`` empty: ``(x == value).sum()``)."""
    n = 0
    if gone.shape[0] == 0:
        for j in range(x.shape[0]):
            n += x[j] == value
        return n
    for j in range(x.shape[0]):
        n += (x[j] == value) & (not gone[j])
    return n


@njit(nogil=True)
def count_crossing(old, new, gone, start):
    """``(~gone & (old <= start) & (new > start)).sum()`` in one pass."""
    n = 0
    for j in range(old.shape[0]):
        n += (old[j] <= start) & (new[j] > start) & (not gone[j])
    return n


def spread(x: np.ndarray):
    """``(x.max(), np.median(x), x.min())`` of a non-empty ``x``, in its type; counted as
    ``kth_smallest`` when there are few distinct values (the median of the middle one or
    two, so the same arithmetic as ``np.median``'s)."""
    few, values, counts = _few_values(x, FEW, *_ALL)
    if not few or not len(values):
        return x.max(), np.median(x), x.min()
    return _spread_of_ascending(values, counts)


def counted_spread(values: np.ndarray, counts: np.ndarray):
    """``spread`` of the values ``values`` (distinct, in any order), each ``counts`` times."""
    order = np.argsort(values)
    return _spread_of_ascending(values[order], counts[order])


def _spread_of_ascending(values: np.ndarray, counts: np.ndarray):
    n = int(counts.sum())
    middle = values[np.searchsorted(np.cumsum(counts), [(n - 1) // 2, n // 2], side="right")]
    return values[-1], _median_of_middle(middle[: 2 - n % 2]), values[0]


def _median_of_middle(middle: np.ndarray):
    """``np.median`` of one or two floats: the one, or their sum halved in their type (what
    ``np.median``'s mean computes; its calls cost more than the rest of a caravan's spread)."""
    if middle.dtype.kind != "f":
        return np.median(middle)
    return middle[0] if len(middle) == 1 else (middle[0] + middle[1]) / 2


class DayMoves:
    """Today's km by mode of every caravan's movers, in the order they settled: per mode the
    total km and, for the modes ``listed`` (those with accidents), the riders (indices, km > 0)
    and their km, in buffers kept from day to day and grown as needed, so a day allocates and
    concatenates nothing (transport reads them whole). A mode nobody is hurt on (walking)
    keeps only its total: a list of every walker would be written and read for nothing."""

    def __init__(self, modes: tuple[str, ...], dtypes: tuple[type, ...], listed: tuple[bool, ...]) -> None:
        self.modes, self.dtypes = modes, dtypes
        self.listed = np.array(listed, dtype=np.bool_)
        self.total = np.zeros(len(modes))  # km that way today
        self.nonzero = np.zeros(len(modes), dtype=np.int64)  # movers with a km other than 0 that way
        self.n = np.zeros(len(modes), dtype=np.int64)  # riders listed so far
        self.idx = [np.empty(0, dtype=np.int64) for _ in modes]
        self.km: list[np.ndarray] = [np.empty(0, dtype=d) for d in dtypes]

    def reset(self) -> None:
        self.total[:] = 0.0
        self.nonzero[:] = 0
        self.n[:] = 0

    def take(self, k: int) -> list[np.ndarray]:
        """Room for ``k`` more riders of each listed mode: views of the index and km buffers,
        to be filled (``idx, km`` for each mode in turn; empty for a mode not listed); then ``keep``."""
        views: list[np.ndarray] = []
        for m, listed in enumerate(self.listed):
            n = int(self.n[m])
            if listed and n + k > len(self.idx[m]):
                cap = max(n + k, 2 * len(self.idx[m]))
                self.idx[m], self.km[m] = _grown(self.idx[m], n, cap), _grown(self.km[m], n, cap)
            end = n + k if listed else 0
            views += [self.idx[m][n if listed else 0:end], self.km[m][n if listed else 0:end]]
        return views

    def keep(self, filled: np.ndarray) -> None:
        """Of the rooms last taken, the first ``filled[m]`` of each mode were filled."""
        self.n += filled

    def today(self) -> dict[str, tuple[float, np.ndarray | None, np.ndarray | None]]:
        """Per mode with a km other than 0 today: (its total km, its riders and their km if
        listed, else None, None)."""
        out: dict[str, tuple[float, np.ndarray | None, np.ndarray | None]] = {}
        for m, mode in enumerate(self.modes):
            if not self.nonzero[m]:
                continue
            if self.listed[m]:
                n = int(self.n[m])
                out[mode] = (float(self.total[m]), self.idx[m][:n], self.km[m][:n])
            else:
                out[mode] = (float(self.total[m]), None, None)
        return out


def _grown(b: np.ndarray, n: int, cap: int) -> np.ndarray:
    """``b`` with room for ``cap``, its first ``n`` kept (the rest untouched: its pages cost
    nothing until written)."""
    out = np.empty(cap, dtype=b.dtype)
    out[:n] = b[:n]
    return out
