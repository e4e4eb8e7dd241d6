"""The per-person loops of Flee's movement rules, compiled with Numba.

Why Numba here: a person's day is a branchy chain (leave? which route? arrive?
move on again today?) of varying length, and Flee updates head-counts as each
person moves, which the full-camp check reads. A compiled loop does this in one
pass with live counts; NumPy would need a pass per branch and per extra hop.

Route choice itself is not per person: the cumulative weights are computed per
place once a day (``routes.cumulative_choice_weights``), and a person only draws
a number and searches their place's segment.

Why one long kernel rather than small helpers: Numba reference-counts every array
(and the random generator) handed to another compiled function, inlined or not, with
atomic increments and decrements. A helper taking the ~20 arrays a departure touches
cost ~40 atomic operations per call — a third of a run's time. So the per-person work
lives in one function body (called once a day per pass), and the only per-person helpers
take plain numbers.

Why ``np.uint64(...)`` around indices: Numba wraps a negative index around (adds the array's
length) on every access with a signed integer it cannot prove non-negative, a shift, a mask
and an add per access, with the length read from the stack (the kernel's ~50 arrays do not
fit in registers), several of them on the chain person -> route -> link -> place. An
unsigned index skips it. So people, routes, links and places, never negative where used as
indices, are cast to unsigned there: kernel CPU -8 to -13 % on mali2012, -10 to -15 % on
burundi2015 (two A/B runs of 10 alternated rounds under load; ``benchmarks/results/``
``flee_kernel_ab-2026-11-26-session9-s9scan-{unsigned,session}.txt``). A signed value is
kept beside where one is compared or stored, and no arithmetic mixes the two: in Numba,
signed with unsigned gives a float.

Why the travel pass prefetches: the people it visits (who set off today or are on a link)
are a sparse part of the population, in index order, and each visit reads a dozen per-person
arrays, each its own cache line (the population's fields are separate arrays): too many
streams with too many gaps for the processor's prefetchers. So while the pass works on the
k-th person of its list it asks for the lines of the (k + PREFETCH_AHEAD)-th
(``engine.prefetch``; a hint, results unchanged): kernel CPU -2.6 % on mali2012, -10 % on
burundi2015 under load (``benchmarks/flee_kernel_ab.py``, 10 rounds; ``benchmarks/results/``
``flee_kernel_ab-2026-11-27-session10-s10kern-prefetch*.txt``). Prefetching in the departure
pass as well measured no better (most people it visits are only passed over: one byte read).
"""

from __future__ import annotations

import math

import numpy as np

from ..engine import prefetch
from ..engine.counting import night_change
from ..engine.jit import njit
from ..engine.pcg import geometric, next_double
from ..engine.status import Status

HALVINGS = np.ldexp(1.0, -np.arange(200))  # 2**-d for d = 0..199 (see recent_travel_as_of)
RESTING = np.int8(Status.RESTING)
TRAVELLING = np.int8(Status.TRAVELLING)
NEVER = 2**30  # a wake-up day that never comes (move chance 0)
STUCK = 2**31 - 1  # the wake-up day of someone who cannot leave their place for now (``stuck``)
MAX_AHEAD = 366  # the most days ahead a person on a link is passed over (see ``_one_pass``)
PREFETCH_AHEAD = 16  # a pass asks for the lines of the person this many places on in its list
DEPARTURE_PASS = 0  # Flee's ``Person.evolve`` for everyone ...
TRAVEL_PASS = 1  # ... then ``Person.finish_travel`` for everyone


@njit(inline="always")
def capacity_multiplier(present, capacity, buffer):
    """Flee's ``getCapMultiplier``: 1 below ``buffer`` of capacity, 0 when full, linear between
    (1 where the capacity is under 1: unlimited)."""
    if not capacity >= 1.0:
        return 1.0
    if present <= buffer * capacity:
        return 1.0
    if present >= capacity:
        return 0.0
    return 1.0 - (present - buffer * capacity) / (capacity * (1.0 - buffer))


@njit(error_model="numpy")
def capacity_multipliers_into(present, capacity, buffer, out):
    """``capacity_multiplier`` for every place, into ``out``: the day's, once for all routes."""
    for u in range(present.shape[0]):
        out[u] = capacity_multiplier(present[u], capacity[u], buffer)


# error_model="numpy": a division by zero gives inf or nan instead of raising, so Numba drops
# its check before each division; none of the kernel's divisors can be 0 (speeds and the
# capacity ramp are checked positive, log1p(-p) with 0 < p < 1/3), so results are the same.
@njit(error_model="numpy")
def move_people(
    day, loc, link, dist, status, route, route_pos, wake, wake_at, hops, recent, recent_day, bounce,
    movechance, town,
    origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
    link_src, link_dst, link_km, link_speed, link_walk_probability, link_open,
    camp, capacity, buffer, present, tally,
    max_move_speed, max_walk_speed, start_on_foot, avoid_short_stints, group, individuals_only, person_rule, stream,
    travellers, visit, count_flows, night, staying, arrivals, departures, stuck, lazy_links,
):
    """One day of Flee's movement for everyone: a departure pass, then a travel pass.

    Departure pass (``Person.evolve``): each resting person may set off today.
    ``wake[i]`` is the day person i next sets off, drawn for the place ``wake_at[i]`` as
    Geometric(move chance) - 1 days from the first try — in distribution the same as
    Flee's daily coin flip (the coin is memoryless), at one draw per stay instead of one
    per day. A wake-up in the past or for another place is stale and is drawn afresh.

    Travel pass (``Person.finish_travel``): everyone on a link advances. Who reaches the
    end of a link with distance to spare may decide again and go on the same day
    (forced to, in a town, after a short stint when ``avoid_short_stints``); each further
    link starts with a full day's speed, as in Flee.

    Setting off (Flee's ``take_next_step``), shared by both passes: plan a route if none
    (draw from the place's cumulative weights), then step onto its next link. A route
    whose next link is gone, or that leads to a camp at least half-way past its full
    threshold, is dropped and the person stays.

    With ``individuals_only``, members of a group (``group >= 0``, moved by their
    caravan) are left alone.

    People in the middle of a link (``lazy_links``: the caller's word that nothing but this
    kernel moves anyone, spawning apart, and not ``individuals_only``): a day that ends on a link draws nothing and changes
    nobody's place or status, only the person's ``dist`` and recent-travel index. So the
    day someone stops on a link, ``wake[i]`` becomes the next day they will not (when the
    link has no walking chance to draw), and the days between pass them over. On that
    day (or any earlier day they are looked at) the days passed over are applied as each
    would have been, to the bit, before the day's own step. Until then ``dist``,
    ``recent`` and ``recent_day`` of such a person hold their value as of ``recent_day``.
    mali2012: 0.69 M of its 2.60 M person-days ending on a link are passed over (burundi2015:
    0.05 M of 0.32 M; ``benchmarks/flee_kernel_work.py``).

    ``visit``: room for a byte per person (a scratch list of whom to look at).

    ``stuck[place]``: today nobody can leave the place (no usable route) and everyone there
    tries every day (move chance 1). Who tries there and fails with no route planned would
    try and fail again each day, drawing nothing and changing nothing: their wake-up day is
    set to ``STUCK``, so that no day looks at them, until the behaviour resets it to -1 on
    the day a way out opens (``FleeMovement.step``); that day they try as they would have.

    ``tally[place, status]`` (the simulation's head-counts) is kept as people move, so
    that nobody is counted again after the day's moves. Returns k: ``travellers[:k]``
    (room for everyone) lists, in index order, everyone who set off or arrived today, the
    only people whose place or status the day changed (not who spent the whole day on a
    link, whom the day's counting of flows then need not visit).

    With ``count_flows`` (``Simulation.flows_for_mover``: nobody moves after this kernel
    today), the kernel also counts the day's flows of everyone who set off or arrived, while
    the person is at hand: where they stay tonight against ``night`` (last night's place,
    ``engine.counting``), into ``arrivals`` and ``departures``, and ``night`` set to tonight.

    ``stream`` is the behaviour's random stream, drawn inline (``engine.pcg``): the same
    numbers, in the same order, as its Generator's ``random()`` and ``geometric()``.

    ``cum`` holds one row of cumulative route weights per rule people follow
    (``demographics``); ``person_rule[i]`` is person i's row, or, empty, row 0 for all.
    """
    n_candidates = candidates(day, loc, status, wake, wake_at, group, individuals_only, lazy_links, visit, travellers)
    # The two passes as two calls of one body, rather than one loop over both passes whose
    # every person asks which pass it is in: 8 % less kernel CPU (medians; each call's loop is
    # compiled for its pass). The arguments are written out twice on purpose: the same two
    # calls made by a loop over the phase cost the kernel 6-9 % more CPU, every round slower
    # (measured, not explained; results/flee_inprocess-2026-11-26-session8-s8kfix-*-ab.txt).
    n_travellers = _one_pass(
        DEPARTURE_PASS, n_candidates,
        day, loc, link, dist, status, route, route_pos, wake, wake_at, hops, recent, recent_day, bounce, movechance, town,
        origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
        link_src, link_dst, link_km, link_speed, link_walk_probability, link_open, camp, capacity, buffer, present, tally,
        max_move_speed, max_walk_speed, start_on_foot, avoid_short_stints, person_rule, stream,
        travellers, count_flows, night, staying, arrivals, departures, stuck, lazy_links,
    )
    return _one_pass(
        TRAVEL_PASS, n_travellers,
        day, loc, link, dist, status, route, route_pos, wake, wake_at, hops, recent, recent_day, bounce, movechance, town,
        origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
        link_src, link_dst, link_km, link_speed, link_walk_probability, link_open, camp, capacity, buffer, present, tally,
        max_move_speed, max_walk_speed, start_on_foot, avoid_short_stints, person_rule, stream,
        travellers, count_flows, night, staying, arrivals, departures, stuck, lazy_links,
    )


@njit(error_model="numpy")
def candidates(day, loc, status, wake, wake_at, group, individuals_only, lazy_links, visit, travellers):
    """Whom ``move_people``'s departure pass must look at today, listed in index order into
    ``travellers``; returns how many. (Its own function, called once a day, so that a
    benchmark can time it: ``benchmarks/flee_kernel_work.py``.)"""
    n = loc.shape[0]
    # Whom the departure pass must look at, found first without branching: on a link, or
    # resting with a wake-up day due, past, or drawn for another place. Most people rest
    # with a wake-up day still to come, and passing over them one branch at a time cost
    # a tenth of a run. (Looking at person i changes nobody else's status, place or
    # wake-up day, so the list made beforehand is the one the pass would meet.) Listed in
    # ``travellers`` itself, which each pass rewrites behind its reading. In two loops: the
    # test for everyone into ``visit`` (one byte each; a loop the compiler vectorises), then
    # the list, skipping eight people at a time where none is to be visited. One loop
    # doing both, its every store depending on the last count, took 5x as long.
    # With ``lazy_links`` (this kernel the only mover), someone on a link whose wake-up day
    # is still to come is passed over; and a wake-up day to come was drawn at the place where
    # the person rests (only this kernel moves people, and who tries to leave gets -1, so
    # whoever arrives somewhere has a day past), so the test needs no place: 5 bytes read a
    # person instead of 13.
    # (Wake-up days compared with the day as int32, their own type: against the int64 day, the
    # ahead-of-time build (a generic x86-64, with no 64-bit vector compare) widened each to 64 bits
    # and emulated the compare, 8.5 instructions a person; benchmarks/flee_kernel_profile.py --blocks.)
    today = np.int32(day)
    if lazy_links:
        for i in range(n):
            s = status[i]
            visit[i] = ((s == TRAVELLING) | (s == RESTING)) & (wake[i] <= today)
    else:
        for i in range(n):
            s = status[i]
            visit[i] = (s == TRAVELLING) | ((s == RESTING) & ((wake[i] <= today) | (wake_at[i] != loc[i])))
    if individuals_only:
        for i in range(n):
            visit[i] &= group[i] < 0
    n_candidates = 0
    eights = visit[: n - n % 8].view(np.uint64)
    for w in range(eights.shape[0]):
        if eights[w] != 0:
            for i in range(8 * w, 8 * w + 8):
                travellers[n_candidates] = i
                n_candidates += visit[i]
    for i in range(n - n % 8, n):
        travellers[n_candidates] = i
        n_candidates += visit[i]
    return n_candidates


@njit(error_model="numpy")
def _one_pass(
    phase, n_listed,
    day, loc, link, dist, status, route, route_pos, wake, wake_at, hops, recent, recent_day, bounce, movechance, town,
    origin_ptr, cum, route_end, edge_ptr, route_edges, route_n_edges,
    link_src, link_dst, link_km, link_speed, link_walk_probability, link_open, camp, capacity, buffer, present, tally,
    max_move_speed, max_walk_speed, start_on_foot, avoid_short_stints, person_rule, stream,
    travellers, count_flows, night, staying, arrivals, departures, stuck, lazy_links,
):
    """``move_people``'s departure pass (``phase`` ``DEPARTURE_PASS``: over its candidates,
    ``travellers[:n_listed]``; returns how many it listed as travellers) or travel pass
    (over those; returns how many set off or arrived). (Numba's own inlining refuses a
    function of this many arguments; a call per pass and day costs nothing.)"""
    n_travellers = 0  # travellers[:n_travellers]: gathered by the departure pass, in index order
    n_changed = 0  # travellers[:n_changed]: rewritten by the travel pass, who set off or arrived
    for k in range(n_listed):
        if phase == TRAVEL_PASS and k + PREFETCH_AHEAD < n_listed:  # (see the module docstring)
            listed = np.int64(travellers[k + PREFETCH_AHEAD])
            j = np.uint64(listed ^ (listed >> 63))  # the person listed as j or ~j
            prefetch.element(status, j)
            prefetch.element(loc, j)
            prefetch.element(link, j)
            prefetch.element(dist, j)
            prefetch.element(route, j)
            prefetch.element(route_pos, j)
            prefetch.element(recent, j)
            prefetch.element(recent_day, j)
            prefetch.element(hops, j)
            prefetch.element(bounce, j)
            if count_flows:
                prefetch.element(night, j)
        setting_off_from = -1  # place the person tries to leave now, -1 = none
        changed = False  # (travel pass) set off or arrived today
        if phase == DEPARTURE_PASS:
            code = travellers[k]
            i = np.uint64(code)  # (unsigned: see the module docstring)
            if status[i] == TRAVELLING:  # still on a link since an earlier day: listed as ~i
                travellers[n_travellers] = ~code
                n_travellers += 1
                continue
            place = loc[i]  # resting
            if wake[i] < day or wake_at[i] != place:
                chance = movechance[np.uint64(place)]
                if chance >= 1.0:
                    wait = np.int64(0)
                elif chance <= 0.0:
                    wait = np.int64(NEVER)
                else:
                    wait = geometric(stream, chance) - 1
                    if wait > NEVER:  # (not min(): a call of its own in the ahead-of-time build)
                        wait = np.int64(NEVER)
                wake[i] = day + wait
                wake_at[i] = place
            if wake[i] > day:
                continue
            wake[i] = -1  # tries today; if it cannot leave, it draws again tomorrow
            setting_off_from = place
        else:
            code = np.int64(travellers[k])
            changed = code >= 0  # set off today (listed as i, not ~i)
            # (Branches here and below on what varies person by person at random are written as
            # arithmetic on truth values: one branch where there were two or three. The travel
            # pass's mispredicted branches -17 % in valgrind's model on mali2012, kernel CPU -2 to
            # -3 %: benchmarks/flee_kernel_profile.py, results/*-2026-11-27-session10-s10kern*.)
            i = np.uint64(code ^ (code >> 63))  # i, or ~i decoded
            behind = day - 1 - recent_day[i]  # days passed over on the link (lazy_links) ...
            if lazy_links & (behind > 0) & (code < 0):  # ... each as it would have gone: on, drawing nothing
                speed = _speed_on(link_speed[link[i]], hops[i], start_on_foot, max_walk_speed)
                index = recent[i]
                for d in range(day - behind, day):
                    dist[i] += speed
                    index = np.float32(_index_after(recent_travel_as_of(d - 1, index, d - 1), speed,
                                                    max_move_speed))
                recent[i] = index
                recent_day[i] = day - 1
            previous = recent_travel_as_of(day - 1, recent[i], recent_day[i])
        moved = 0.0
        while True:
            if setting_off_from >= 0:
                place = setting_off_from
                at = np.uint64(place)
                setting_off_from = -1
                r = route[i]
                if r < 0:
                    a, b = origin_ptr[at], origin_ptr[at + np.uint64(1)]
                    c = np.uint64(person_rule[i] if person_rule.shape[0] > 0 else 0)
                    if a < b and cum[c, np.uint64(b - 1)] > 0.0:
                        x = next_double(stream) * cum[c, np.uint64(b - 1)]
                        # The first route whose cumulative weight exceeds x (the last if
                        # none): the number of those before the last that do not. Counted
                        # without branching, as a place has few routes; a search whose
                        # every step is a coin-flip branch cost a tenth of the kernel.
                        r = a
                        for j in range(a, b - 1):
                            r += not cum[c, np.uint64(j)] > x
                        route[i] = r
                        route_pos[i] = 0
                if r >= 0:
                    ur = np.uint64(r)
                    p = route_pos[i]
                    e = np.uint64(route_edges[np.uint64(edge_ptr[ur] + p)])
                    dest = np.uint64(route_end[ur])
                    if link_src[e] != place or not link_open[e]:
                        route[i] = -1
                    elif camp[dest] and capacity_multiplier(present[dest], capacity[dest], buffer) < 0.5:
                        route[i] = -1
                    else:
                        p += 1
                        if p >= route_n_edges[ur]:
                            route[i] = -1
                        else:
                            route_pos[i] = p
                        present[at] -= 1
                        tally[at, RESTING] -= 1
                        tally[at, TRAVELLING] += 1
                        link[i] = e
                        dist[i] = 0.0
                        status[i] = TRAVELLING
                if phase == DEPARTURE_PASS:
                    if status[i] == TRAVELLING:
                        travellers[n_travellers] = i
                        n_travellers += 1
                    elif stuck[at] and route[i] < 0:
                        wake[i] = STUCK
                    break
            if status[i] != TRAVELLING:
                break
            e = np.uint64(link[i])
            speed = _speed_on(link_speed[e], hops[i], start_on_foot, max_walk_speed)
            if link_walk_probability[e] > 0.0 and next_double(stream) < link_walk_probability[e]:
                speed = max_walk_speed
            covered = dist[i] + speed
            moved += speed
            if covered <= link_km[e]:
                dist[i] = covered
                # The next day something happens to i: the first that does not end on the
                # link too (days on it draw nothing, with no walking chance to draw), at most
                # MAX_AHEAD days on: a tiny link speed would otherwise loop link_km / speed
                # times and overflow ``wake`` (int32). Waking someone early is exact: the
                # catch-up above applies the days passed over from ``recent_day``.
                ahead = 0
                if lazy_links and not link_walk_probability[e] > 0.0:
                    while ahead < MAX_AHEAD and covered + speed <= link_km[e]:
                        covered += speed
                        ahead += 1
                wake[i] = day + 1 + ahead
                break
            if hops[i] < 255:
                hops[i] += 1
            moved += link_km[e] - covered  # only the link's own length counts as travelled
            arrive_at = link_src[e] if bounce[i] else link_dst[e]
            at = np.uint64(arrive_at)
            bounce[i] = False
            changed = True
            tally[np.uint64(loc[i]), TRAVELLING] -= 1
            tally[at, RESTING] += 1
            loc[i] = arrive_at
            link[i] = -1
            dist[i] = 0.0
            status[i] = RESTING
            present[at] += 1
            if arrive_at == link_src[e] or moved >= speed:
                break
            chance = movechance[at]
            go = chance >= 1.0
            if avoid_short_stints:
                go |= town[at] & ((previous + moved / max_move_speed) / 2.0 < 0.5)
            if go or next_double(stream) < chance:
                setting_off_from = arrive_at
            else:
                break
        if phase == TRAVEL_PASS:
            recent[i] = _index_after(previous, moved, max_move_speed)
            recent_day[i] = day
            if changed:  # (n_changed <= k: the list is rewritten behind its reading)
                travellers[n_changed] = i
                n_changed += 1
                if count_flows:  # as engine.counting's pass would count i, with i at hand
                    tonight = loc[i] if staying[status[i]] else -1
                    before = night[i]
                    left, came = night_change(tonight, before)
                    moves = tonight != before  # (left and came mean nothing when it does not)
                    departures[np.uint64(max(left, 0))] += moves & (left >= 0)
                    arrivals[np.uint64(max(came, 0))] += moves & (came >= 0)
                    night[i] = tonight
    return n_travellers if phase == DEPARTURE_PASS else n_changed


@njit(inline="always")
def _speed_on(link_speed, hops, start_on_foot, max_walk_speed):
    """km a day on a link of ``link_speed`` for someone who made ``hops`` hops (walking the
    first when ``start_on_foot``; before any walking chance drawn)."""
    return max_walk_speed if start_on_foot and hops == 0 else link_speed


@njit(inline="always")
def _index_after(previous, moved, max_move_speed):
    """Flee's recent-travel index at the end of a day on which someone moved ``moved`` km,
    from ``previous``, its value the day before."""
    return _flush_tiny((previous + moved / max_move_speed) / 2.0)


@njit(inline="always")
def recent_travel_as_of(day, index, index_day):
    """Flee's recent-travel index on ``day``, from its value ``index`` on ``index_day``.

    Flee halves it every day (plus the day's distance over the maximum speed). It is stored
    only when a person travels and halved here for the days at rest since, so people at
    rest are never touched. Below 1e-30 it is 0 for every use; kept, it would sink into
    subnormal floats, whose arithmetic is many times slower.
    """
    idle_days = day - index_day
    if idle_days >= 200:
        return 0.0
    if idle_days >= 0:
        # index * 2**-idle_days from a table: exact, as ldexp is (a normal float64 for any idle
        # day under 200), without ldexp's call into the C library for every traveller.
        return _flush_tiny(np.float64(index) * HALVINGS[idle_days])
    return _flush_tiny(math.ldexp(index, -idle_days))  # (a day stored ahead: not met in runs)


@njit(inline="always")
def _flush_tiny(index):
    """The recent-travel index, 0 below 1e-30 (see ``recent_travel_as_of``)."""
    return index if index > 1e-30 else 0.0
