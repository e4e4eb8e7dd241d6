"""The per-person loops of Flee's movement rules, compiled with Numba.

Why Numba here: a person's day is a branchy chain (leave? which route? arrive?
move on again today?) of varying length, and Flee updates head-counts as each
person moves, which the full-camp check reads. A compiled loop does this in one
pass with live counts; NumPy would need a pass per branch and per extra hop.

Route choice itself is not per person: the cumulative weights are computed per
place once a day (``routes.cumulative_choice_weights``), and a person only draws
a number and searches their place's segment.
"""

from __future__ import annotations

import numba
import numpy as np

from ..engine.status import Status

RESTING = np.int8(Status.RESTING)
TRAVELLING = np.int8(Status.TRAVELLING)


@numba.njit(cache=True, inline="always")
def capacity_multiplier(present, capacity, buffer):
    """Flee's ``getCapMultiplier``: 1 below ``buffer`` of capacity, 0 when full, linear between."""
    if capacity < 1.0:
        return 1.0
    if present <= buffer * capacity:
        return 1.0
    if present >= capacity:
        return 0.0
    return 1.0 - (present - buffer * capacity) / (capacity * (1.0 - buffer))


@numba.njit(cache=True, inline="always")
def _draw_route(place, origin_ptr, cum, rng):
    a = origin_ptr[place]
    b = origin_ptr[place + 1]
    if a == b:
        return -1
    total = cum[b - 1]
    if total <= 0.0:
        return -1
    x = rng.random() * total
    lo = a
    hi = b - 1
    while lo < hi:  # first route whose cumulative weight exceeds x
        mid = (lo + hi) // 2
        if cum[mid] > x:
            hi = mid
        else:
            lo = mid + 1
    return lo


@numba.njit(cache=True, inline="always")
def _try_depart(
    i, place, loc, link, dist, status, route, route_pos,
    origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
    link_src, link_open, camp, capacity, buffer, present, rng,
):
    """Plan a route if none, then step onto its next link (Flee's take_next_step).

    Returns True if the person left. A route whose next link is gone, or that leads
    to a camp at least half-way past its full threshold, is dropped and the person stays.
    """
    r = route[i]
    if r < 0:
        r = _draw_route(place, origin_ptr, cum, rng)
        if r < 0:
            return False
        route[i] = r
        route_pos[i] = 0
    p = route_pos[i]
    e = route_edges[edge_ptr[r] + p]
    if link_src[e] != place or not link_open[e]:
        route[i] = -1
        return False
    dest = route_end[r]
    if camp[dest] and capacity_multiplier(present[dest], capacity[dest], buffer) < 0.5:
        route[i] = -1
        return False
    p += 1
    if p >= route_n_edges[r]:
        route[i] = -1
    else:
        route_pos[i] = p
    present[place] -= 1
    link[i] = e
    dist[i] = 0.0
    status[i] = TRAVELLING
    return True


NEVER = 2**30  # a wake-up day that never comes (move chance 0)


@numba.njit(cache=True, inline="always")
def _days_until_move(chance, rng):
    """Days from the first try to the successful one: Geometric(chance) - 1.

    Drawing this once when someone settles is, in distribution, the same as Flee's
    daily coin flip (the coin is memoryless), and spares a draw per person per day.
    """
    if chance >= 1.0:
        return 0
    if chance <= 0.0:
        return NEVER
    return min(rng.geometric(chance) - 1, NEVER)


@numba.njit(cache=True)
def decide_departures(
    day, loc, link, dist, status, route, route_pos, wake, wake_at,
    movechance,
    origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
    link_src, link_open, camp, capacity, buffer, present, group, individuals_only, rng,
):
    """Flee's first pass (``Person.evolve``): each resting person may set off today.

    With ``individuals_only``, members of a group (``group >= 0``, moved by their caravan)
    are left alone.

    ``wake[i]`` is the day person i next sets off, drawn for the place ``wake_at[i]``; a
    wake-up in the past or for another place is stale and is drawn afresh, starting today.
    """
    for i in range(loc.shape[0]):
        if status[i] != RESTING or (individuals_only and group[i] >= 0):
            continue
        place = loc[i]
        if wake[i] < day or wake_at[i] != place:
            wake[i] = day + _days_until_move(movechance[place], rng)
            wake_at[i] = place
        if wake[i] > day:
            continue
        wake[i] = -1  # tries today; if it cannot leave, it draws again tomorrow
        _try_depart(
            i, place, loc, link, dist, status, route, route_pos,
            origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
            link_src, link_open, camp, capacity, buffer, present, rng,
        )


@numba.njit(cache=True)
def travel(
    loc, link, dist, status, route, route_pos, hops, recent, bounce,
    movechance, town,
    origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
    link_src, link_dst, link_km, link_speed, link_walk_probability, link_open,
    camp, capacity, buffer, present,
    max_move_speed, max_walk_speed, start_on_foot, avoid_short_stints, group, individuals_only, rng,
):
    """Flee's second pass (``Person.finish_travel``): advance everyone on a link.

    A person who reaches the end of a link with distance to spare may, the same day,
    decide again and go on (forced to, in a town, after a short stint when
    ``avoid_short_stints``); each further link starts with a full day's speed, as in Flee.
    """
    for i in range(loc.shape[0]):
        if individuals_only and group[i] >= 0:
            continue
        moved = 0.0
        while status[i] == TRAVELLING:
            e = link[i]
            speed = link_speed[e]
            if start_on_foot and hops[i] == 0:
                speed = max_walk_speed
            if link_walk_probability[e] > 0.0 and rng.random() < link_walk_probability[e]:
                speed = max_walk_speed
            covered = dist[i] + speed
            moved += speed
            length = link_km[e]
            if covered <= length:
                dist[i] = covered
                break
            if hops[i] < 255:
                hops[i] += 1
            moved += length - covered  # only the link's own length counts as travelled
            arrive_at = link_src[e] if bounce[i] else link_dst[e]
            bounce[i] = False
            loc[i] = arrive_at
            link[i] = -1
            dist[i] = 0.0
            status[i] = RESTING
            present[arrive_at] += 1
            if arrive_at == link_src[e] or moved >= speed:
                break
            chance = movechance[arrive_at]
            if avoid_short_stints and town[arrive_at]:
                if (recent[i] + moved / max_move_speed) / 2.0 < 0.5:
                    chance = 1.0
            if chance >= 1.0 or rng.random() < chance:
                _try_depart(
                    i, arrive_at, loc, link, dist, status, route, route_pos,
                    origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
                    link_src, link_open, camp, capacity, buffer, present, rng,
                )
        recent_travel = (recent[i] + moved / max_move_speed) / 2.0
        # Halved every day at rest, the index would sink into subnormal floats after ~150
        # days, whose arithmetic is many times slower; below 1e-30 it is 0 for every use.
        recent[i] = recent_travel if recent_travel > 1e-30 else 0.0
