"""Transport: how far people ride each day, by which mode, and the accidents.

Caravans record each mover's km of the day by mode (walked up to ``walk_km``, the
rest hitchhiked on ``ride_mode``, or by an offered bus). Accidents happen per
vehicle-km: their number a day is Poisson with mean
``ridden km / occupancy x accidents_per_million_km / 10^6``; each strikes one
vehicle-load of that mode's riders (chosen in proportion to their km), killing
each with chance ``fatality``. A mode with no accident rate (walking) kills nobody.

``bus_offer`` answers caravans: buses offered on a day at a place (an offer stands from its
``day`` until it is withdrawn, its ``end``; seats a day). A caravan's main body at the place
takes them if they go to a later place of its itinerary; at most ``seats`` of its members
there ride (``Caravans.bus_rides``).
"""

from __future__ import annotations

import numpy as np

from ...engine.behaviour import Behaviour, Needs
from ...engine.jit import njit
from ...engine.status import Status
from ...scenario.corridor import TransportSpec
from .common import set_status
from .groups import Scratch
from .interfaces import BusOffers, CaravanGroups

DEAD = np.int8(Status.DEAD)

DEFAULT_MODES = tuple(TransportSpec().modes)


class Transport(Behaviour, BusOffers):
    name = "transport"
    keeps_counts = True  # head-counts kept, and whom it changed listed (common.uncount, count, spawn)
    reports_moves = True
    events = ("died", "accident")
    # Accidents' causes are the mode's name and "<mode> accident"; these are the default modes'.
    causes = (*DEFAULT_MODES, *(f"{mode} accident" for mode in DEFAULT_MODES))
    caravans = Needs(CaravanGroups, optional=True)

    def __init__(self, spec: TransportSpec) -> None:
        self.spec = spec

    def init(self, sim) -> None:
        net = sim.network
        # (day, place) -> (destination, seats): every day of each offer's window, until withdrawn.
        self.offers = {(day, net.index(b.place)): (net.index(b.to), b.seats) for b in self.spec.buses for day in b.days(sim.days)}
        self.deaths = np.zeros(sim.days, dtype=np.int64)
        self.accidents = np.zeros(sim.days, dtype=np.int64)
        self.ridden_km = {mode: np.zeros(sim.days) for mode in self.spec.modes}
        self._buffers = Scratch()  # the riders of a mode, reused by the next mode and day

    def bus_offer(self, day: int, place: int) -> tuple[int, int] | None:
        """(destination place, seats) of buses offered today at ``place``, or None."""
        return self.offers.get((day, place))

    def step(self, sim) -> None:
        if self.caravans is None:
            return
        pop = sim.population
        # (modes nobody went a km on today, often buses and trains, are not there)
        for mode, (total, idx, km) in self.caravans.today_moves().items():
            self.ridden_km[mode][sim.day] += total
            spec = self.spec.modes[mode]
            if spec.accidents_per_million_km <= 0 or spec.fatality <= 0 or idx is None:
                continue  # (a mode with accidents is listed)
            riders, weight, alive, cum = _riding(km, idx, pop.status, self._buffers)  # one pass
            if not len(riders):
                continue
            vehicle_km = weight.sum() / spec.occupancy
            n_accidents = self.rng.poisson(vehicle_km * spec.accidents_per_million_km / 1e6)
            if n_accidents == 0:
                continue  # (accident_loads would draw nothing)
            loads = accident_loads(self.rng, weight, alive, spec.occupancy, n_accidents, spec.fatality, cum=cum)
            for aboard, killed in loads:
                set_status(sim, riders[killed], Status.DEAD, cause=f"{mode} accident")
                sim.events.record(sim.day, "accident", int(pop.loc[riders[aboard[0]]]), cause=mode)
                self.accidents[sim.day] += 1
                self.deaths[sim.day] += len(killed)


def accident_loads(rng: np.random.Generator, weight: np.ndarray, alive: np.ndarray, occupancy: int,
                   n_accidents: int, fatality: float, cum: np.ndarray | None = None):
    """For each of ``n_accidents`` accidents in turn: the vehicle-load aboard (positions into
    ``weight``, in the order drawn) and those of them killed, each with chance ``fatality``.
    ``alive`` is updated.

    A load is ``occupancy`` riders still alive (all of them if fewer), drawn without
    replacement with chances in proportion to ``weight`` (km ridden), by the algorithm of
    ``rng.choice(riders, load, replace=False, p=weight * alive / sum)`` with the same random
    numbers: rounds of uniform draws, each mapped through the cumulative weight of the
    riders still eligible (alive, not yet aboard), keeping first occurrences. Only the
    riders excluded so far are passed over, through one cumulative sum of all weights, so
    an accident costs about ``occupancy x log(riders)`` rather than passes over all riders.
    The picks are ``rng.choice``'s except where a draw falls within rounding error of a
    rider's boundary in the cumulative sum (tests/test_transport_accidents.py). ``cum``:
    ``np.cumsum(weight)``, if known.
    """
    cum = np.cumsum(weight) if cum is None else cum
    dead = np.flatnonzero(~alive)
    n_alive = len(weight) - len(dead)
    for _ in range(n_accidents):
        if n_alive == 0:
            return
        load = min(occupancy, n_alive)
        aboard = np.empty(0, dtype=np.int64)
        while len(aboard) < load:
            excluded = np.sort(np.concatenate([dead, aboard]))
            picked = _eligible_at(cum, weight, excluded, rng.random(load - len(aboard)))
            aboard = np.concatenate([aboard, _first_occurrences(picked)])
        killed = aboard[rng.random(load) < fatality]
        alive[killed] = False
        dead = np.concatenate([dead, killed])
        n_alive -= len(killed)
        yield aboard, killed


def _first_occurrences(picked: np.ndarray) -> np.ndarray:
    """``picked`` without repeats, in order of first occurrence (a vehicle-load is small:
    compared with those kept so far, in a compiled loop; a long one by NumPy's unique)."""
    if len(picked) > 256:
        _, first = np.unique(picked, return_index=True)
        return picked[np.sort(first)]
    return _first_of_few(picked)


@njit(nogil=True)
def _first_of_few(picked):
    keep = np.empty(picked.shape[0], dtype=picked.dtype)
    k = 0
    for j in range(picked.shape[0]):
        p = picked[j]
        q = 0
        while q < k and keep[q] != p:
            q += 1
        if q == k:
            keep[k] = p
            k += 1
    return keep[:k].copy()


def _in_sorted(x: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """``np.isin(x, sorted_values)`` by binary search (``isin`` may build a table as long as the
    values' range: millions of riders)."""
    if not len(sorted_values):
        return np.zeros(len(x), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, x), len(sorted_values) - 1)
    return sorted_values[at] == x


def _eligible_at(cum: np.ndarray, weight: np.ndarray, excluded: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Positions where fractions ``x`` of the eligible weight fall: the first position whose
    cumulative weight, less that of the ``excluded`` positions (sorted) up to it, passes
    ``x`` times the eligible total. Found by raising each target by the excluded weight
    before its last guess until that stops changing (a few rounds; it never overshoots)."""
    excluded_cum = np.concatenate([[0.0], np.cumsum(weight[excluded])])  # weight of the first k
    total = cum[-1] - excluded_cum[-1]
    target = x * total
    offset = np.zeros_like(target)
    while True:
        at = np.minimum(np.searchsorted(cum, target + offset, side="right"), len(cum) - 1)
        new = excluded_cum[np.searchsorted(excluded, at, side="right")]
        if np.array_equal(new, offset):
            break
        offset = new
    # Rounding can leave a target past the last eligible rider: step back to one.
    bad = _in_sorted(at, excluded)
    if bad.any():
        eligible = np.setdiff1d(np.arange(len(cum)), excluded)
        at[bad] = eligible[np.maximum(np.searchsorted(eligible, at[bad]) - 1, 0)]
    return at


def _riding(km, idx, status, scratch: Scratch | None = None):
    """Of today's movers ``idx`` with their ``km`` in one mode: those who went a km that way
    (riders), their km (weight), whether each is alive, and ``np.cumsum`` of their km (in
    the km's type, added in order as NumPy's does). One pass instead of a mask, two
    selections, a gather and a cumulative sum; with ``scratch``, into its buffers (views
    overwritten by the next call with it: at millions of riders, fresh arrays are fresh
    memory mapped page by page every day)."""
    scratch = Scratch() if scratch is None else scratch
    n, kind = len(km), km.dtype.str
    riders = scratch.get((1, n), np.int64, "riders")[0]
    weight = scratch.get((1, n), km.dtype, "weight" + kind)[0]
    cum = scratch.get((1, n), km.dtype, "cum" + kind)[0]
    alive = scratch.get((1, n), np.bool_, "alive")[0]
    k = _riding_pass(km, idx, status, riders, weight, alive, cum, km.dtype.type(0))
    return riders[:k], weight[:k], alive[:k], cum[:k]


@njit(nogil=True)
def _riding_pass(km, idx, status, riders, weight, alive, cum, zero):
    k = 0
    last = zero  # the cumulative km of the riders so far, in the km's type
    for j in range(km.shape[0]):
        w = km[j]
        i = idx[j]
        # written at k, kept only if k moves on: no branch to mispredict
        riders[k], weight[k], alive[k] = i, w, status[i] != DEAD
        c = last + w  # (0 + w is w: the first rider's sum is its km, as np.cumsum's)
        cum[k] = c
        ride = w > 0
        last = c if ride else last
        k += ride
    return k
