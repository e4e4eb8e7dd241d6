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


def on_the_move(status) -> np.ndarray:
    """Indices, ascending, of the people resting or travelling: NumPy's vectorised compare
    (status is int8; as uint8, RESTING 0 and TRAVELLING 1 are the values <= 1)."""
    return np.flatnonzero(status.view(np.uint8) <= np.uint8(TRAVELLING))


@njit(nogil=True)
def _members_by_group(moving, group, out, k):
    n_groups = out.shape[0]
    for j in range(moving.shape[0]):
        i = moving[j]
        g = group[i]
        if 0 <= g < n_groups:
            out[g, k[g]] = i
            k[g] += 1


def members_by_group(group, status, n_groups: int) -> list[np.ndarray]:
    """``members_of`` for groups 0 .. n_groups-1 at once: a list of index arrays.

    The people on the move are found by a vectorised compare, then sorted by group in one
    compiled pass (branching on status in a compiled loop over everyone is slower). The arrays
    are views of one buffer; rows are written only as far as their members, so the pages
    beyond cost nothing."""
    moving = on_the_move(status)
    out = np.empty((n_groups, len(moving)), dtype=np.int64)
    k = np.zeros(n_groups, dtype=np.int64)
    _members_by_group(moving, group, out, k)
    return [out[g, : k[g]] for g in range(n_groups)]


@njit(nogil=True)
def place_on_road(idx, seg, ckm, km, places, links, loc, link, dist, status, days_in_status):
    """People ``idx`` at km ``ckm[idx]`` of a road (places ``places`` at ``km``, ``links``
    between them; ``seg``: each one's segment): at the place, resting, or on the link
    after it, travelling, ``dist`` km along it. A changed status restarts its clock."""
    last = links.shape[0] - 1
    for j in range(idx.shape[0]):
        i = idx[j]
        _place_one(i, seg[j], ckm[i], km, places, links, last, loc, link, dist, status, days_in_status)


@njit(inline="always")
def _place_one(i, s, x, km, places, links, last, loc, link, dist, status, days_in_status):
    loc[i] = places[s]
    if x == km[s]:
        now = RESTING
        link[i] = -1
        dist[i] = 0.0
    else:
        now = TRAVELLING
        link[i] = links[min(s, last)]
        dist[i] = x - km[s]
    if status[i] != now:
        days_in_status[i] = 0
    status[i] = now


@njit(nogil=True)
def _tally_groups(group, status, ckm, loc, first_group, home, country_of, end, n_origin_groups,
                  size, arrived, by_country, by_origin, km, n_km):
    for i in range(group.shape[0]):
        g = group[i]
        if g < 0 or g >= end.shape[0]:
            continue
        if status[i] == RESTING or status[i] == TRAVELLING:
            size[g] += 1
            by_country[g, country_of[loc[i]]] += 1
            first = first_group[i]
            by_origin[g, first if first >= 0 else n_origin_groups + home[i]] += 1
        elif ckm[i] >= end[g]:
            arrived[g] += 1
        else:
            continue
        km[g, n_km[g]] = ckm[i]
        n_km[g] += 1


def tally_groups(pop, country_of, end, n_countries: int, n_places: int, group=None):
    """Per group 0 .. len(end)-1, in one pass: members on the move (``size``), others of the
    group at or past ``end[g]`` (``arrived``), members by country of their place and by
    origin (``first_group``, or the number of groups + ``home`` for people taken in from a
    place), and the km of both kinds (``km[g]``, in no particular order). ``group``: instead
    of ``pop.group`` (-1 for people to leave out)."""
    k = len(end)
    size, arrived = np.zeros(k, dtype=np.int64), np.zeros(k, dtype=np.int64)
    by_country = np.zeros((k, n_countries), dtype=np.int64)
    by_origin = np.zeros((k, k + n_places), dtype=np.int64)
    km = np.empty((k, pop.n), dtype=pop.ckm.dtype)  # rows written only as far as they fill
    n_km = np.zeros(k, dtype=np.int64)
    _tally_groups(pop.group if group is None else group, pop.status, pop.ckm, pop.loc, pop.first_group, pop.home, country_of,
                  np.asarray(end, dtype=pop.ckm.dtype), k, size, arrived, by_country, by_origin, km, n_km)
    return size, arrived, by_country, by_origin, [km[g, : n_km[g]] for g in range(k)]


@njit(nogil=True)
def _with_body(moving, group, ckm, body, out):
    for j in range(moving.shape[0]):
        i = moving[j]
        g = group[i]
        if 0 <= g < body.shape[0] and ckm[i] == body[g]:
            out[g] += 1


def with_body(pop, body) -> np.ndarray:
    """Per group g: members on the move at km ``body[g]`` (its main body), without listing
    members."""
    out = np.zeros(len(body), dtype=np.int64)
    _with_body(on_the_move(pop.status), pop.group, pop.ckm, np.asarray(body, dtype=pop.ckm.dtype), out)
    return out


# ---------------------------------------------------------------- a caravan's members on its road

@njit(nogil=True)
def road_position(km, x):
    """For each position ``x`` on a road whose places are at ``km`` (ascending): the number
    of places at or before it (``np.searchsorted(km, x, side="right")``) and its segment,
    that number - 1 clipped to the places (``Itinerary.segment``)."""
    after = np.empty(x.shape[0], dtype=np.int64)
    seg = np.empty(x.shape[0], dtype=np.int64)
    last = km.shape[0] - 1
    lo = 0
    for j in range(x.shape[0]):
        v = x[j]
        if j == 0 or v != x[j - 1]:  # members stand in runs at the same km: searched once a run
            lo = _places_upto(km, v)
        after[j] = lo
        seg[j] = min(max(lo - 1, 0), last)
    return after, seg


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


@njit(nogil=True)
def member_moves(old, body_old, body_new, u, mode, fall_behind, ride_ahead, seg_old, pace, slack, straggler_km):
    """Each member's proposed km tonight (``Caravans._member_moves``), in one pass. ``mode``: 0
    the body stays; 1 it walks to ``body_new`` (members with it stay behind if ``u[0] <
    fall_behind``, else ride ahead if ``u[1] < ride_ahead``: listed, placed by the caller);
    2 it rides a bus (members with it walk their pace; the caller seats the riders).
    Stragglers walk ``pace x slack`` (or ``straggler_km`` if not NaN); those ahead wait.
    Same float32 arithmetic as the NumPy it replaces. Returns (new km, riders ahead)."""
    n = old.shape[0]
    new = old.copy()
    rides = np.empty(n, dtype=np.int64)
    k = 0
    catch_up = not np.isnan(straggler_km)
    for j in range(n):
        x = old[j]
        if x == body_old:
            if mode == 1:
                if u[0, j] < fall_behind:
                    continue
                new[j] = body_new
                if u[1, j] < ride_ahead:
                    rides[k] = j
                    k += 1
            elif mode == 2:
                new[j] = min(x + pace[seg_old[j]], body_new)
        elif x < body_old:
            reach = straggler_km if catch_up else pace[seg_old[j]] * slack
            new[j] = min(x + reach, body_new)
        elif x <= body_new:
            new[j] = body_new
    return new, rides[:k]


@njit(nogil=True)
def split_km(old, new, by_bus, seg_old, seg_new, km, rail_km, has_rail, walk_km):
    """Each mover's km of the day, as ``Caravans._record_moves`` splits them: walked (up to
    ``walk_km``), ridden beyond it, on freight trains (float32, as ``Itinerary.rail_before``
    gives them) and by bus. Same arithmetic, in the same types, as the NumPy it replaces."""
    n = old.shape[0]
    walked = np.empty(n, dtype=np.float64)
    ridden = np.empty(n, dtype=np.float64)
    train = np.zeros(n, dtype=np.float32)
    bus = np.empty(n, dtype=np.float64)
    last = km.shape[0] - 1
    for j in range(n):
        walked[j], ridden[j], train[j], bus[j] = _split_one(old[j], new[j], by_bus[j], seg_old[j], seg_new[j], km,
                                                            rail_km, has_rail, walk_km, last)
    return walked, ridden, train, bus


@njit(inline="always")
def _split_one(old, new, by_bus, seg_old, seg_new, km, rail_km, has_rail, walk_km, last):
    moved = np.float64(new - old)
    if by_bus:
        w = min(0.0, walk_km)
        return w, 0.0 - w, np.float32(0.0), moved
    t = np.float32(0.0)
    if has_rail:
        t = _rail_before(new, seg_new, km, rail_km, last) - _rail_before(old, seg_old, km, rail_km, last)
    road = moved - np.float64(t)
    w = min(road, walk_km)
    return w, road - w, t, 0.0


@njit(inline="always")
def _rail_before(x, s, km, rail_km, last):
    if rail_km[min(s + 1, last)] > rail_km[s]:
        return rail_km[s] + (x - km[s])
    return rail_km[s]


@njit(nogil=True)
def settle(idx, old, new, by_bus, seg_old, after_old, km, places, links, rail_km, has_rail, walk_km,
           loc, link, dist, status, days_in_status):
    """Caravan members ``idx`` who went from km ``old`` to ``new`` today (``seg_old``,
    ``after_old``: ``road_position`` of ``old``), in one pass: their km split by mode
    (``split_km``), how many reached each place of the road (``reached_places``), and each
    put on the network at ``new`` (``place_on_road``). Returns walked, ridden, train, bus,
    reached."""
    n = idx.shape[0]
    p = km.shape[0]
    walked = np.empty(n, dtype=np.float64)
    ridden = np.empty(n, dtype=np.float64)
    train = np.zeros(n, dtype=np.float32)
    bus = np.empty(n, dtype=np.float64)
    reached = np.zeros(p, dtype=np.int64)
    last_link = links.shape[0] - 1
    after = 0
    for j in range(n):
        v = new[j]
        if j == 0 or v != new[j - 1]:  # runs at the same km: searched once a run
            after = _places_upto(km, v)
        s = min(max(after - 1, 0), p - 1)
        walked[j], ridden[j], train[j], bus[j] = _split_one(old[j], v, by_bus[j], seg_old[j], s, km, rail_km,
                                                            has_rail, walk_km, p - 1)
        for q in range(after_old[j], min(after, p)):
            reached[q] += 1
        _place_one(idx[j], s, v, km, places, links, last_link, loc, link, dist, status, days_in_status)
    return walked, ridden, train, bus, reached


@njit(nogil=True)
def reached_places(a, b, n):
    """Per place j of a road (n places): how many of the movers passed or reached it today,
    a[i] <= j < b[i] (``a``, ``b``: places at or before each one's km at dawn and dusk)."""
    out = np.zeros(n, dtype=np.int64)
    for i in range(a.shape[0]):
        for j in range(a[i], min(b[i], n)):
            out[j] += 1
    return out


@njit(nogil=True)
def _few_values(x, cap):
    """The distinct values of ``x``, ascending, and how many times each; empty if there are
    more than ``cap``. Members stand in runs: the value just seen is tried first."""
    values = np.empty(cap, dtype=x.dtype)
    counts = np.zeros(cap, dtype=np.int64)
    m = 0
    last = 0
    for v in x:
        if m and values[last] == v:
            counts[last] += 1
            continue
        j = 0
        while j < m and values[j] != v:
            j += 1
        if j == m:
            if m == cap:
                return values[:0], counts[:0]
            values[m] = v
            m += 1
        counts[j] += 1
        last = j
    order = np.argsort(values[:m])
    return values[:m][order], counts[:m][order]


FEW = 64  # distinct km counted, not sorted, up to this many


def kth_smallest(x: np.ndarray, k: int):
    """``np.sort(x)[k]``, counting the values when there are few distinct ones (a caravan's
    members stand at a handful of km), else sorting."""
    values, counts = _few_values(x, FEW)
    return values[np.searchsorted(np.cumsum(counts), k, side="right")] if len(values) else np.sort(x)[k]


def spread(x: np.ndarray):
    """``(x.max(), np.median(x), x.min())`` of a non-empty ``x``, in its type; counted as
    ``kth_smallest`` when there are few distinct values (the median of the middle one or
    two, so the same arithmetic as ``np.median``'s)."""
    values, counts = _few_values(x, FEW)
    if not len(values):
        return x.max(), np.median(x), x.min()
    n = len(x)
    middle = values[np.searchsorted(np.cumsum(counts), [(n - 1) // 2, n // 2], side="right")]
    return values[-1], np.median(middle[: 2 - n % 2]), values[0]
