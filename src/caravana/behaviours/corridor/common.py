"""Pieces the corridor behaviours share: per-person fields, status changes, the
first-come-first-served rule, the safety-in-numbers odds, and the status clock."""

from __future__ import annotations

import functools
from enum import IntEnum

import numpy as np

from ...engine.behaviour import Behaviour, provider
from ...engine.jit import njit
from ...engine.status import Status
from .interfaces import CaravanGroups
from .states import StatusIndex

# name -> (dtype, value for people spawned by other behaviours)
FIELDS: dict[str, tuple[type, object]] = {
    "ckm": (np.float32, 0.0),  # km along the person's caravan itinerary
    "person": (np.int8, -1),  # 0 man, 1 woman, 2 child
    "nationality": (np.int8, -1),  # index into nationality_codes()
    "claim_day": (np.int16, -1),  # day of an asylum request in Mexico, -1 = none
    "waiting_for": (np.int8, 0),  # what a WAITING person waits for (Waiting)
    "permit": (np.int8, 0),  # INM transit permit: Permit
    # the caravan a person first travelled with, -1 = none (joined from a place); int16: read for
    # every member each day (the caravan log), and a scenario has far fewer than 32,767 caravans
    "first_group": (np.int16, -1),
    "following": (np.int8, 0),  # 1: set out after the caravan, not yet with its main body (not in its column)
}

PERSON_KINDS = ("man", "woman", "child")
RESTING = np.int8(Status.RESTING)
TRAVELLING = np.int8(Status.TRAVELLING)
DAYS_MAX = np.iinfo(np.int16).max


class Waiting(IntEnum):
    NONE = 0
    BLOCKADE = 1  # in a blockade's asylum queue
    ASYLUM = 2  # asylum claim pending (COMAR)
    PERMIT = 3  # in an INM transit-permit queue
    REMAIN_IN_MEXICO = 4  # sent back to Mexico to wait for a US hearing
    TRANSIT = 5  # in transit, waiting at a place for a caravan to join (``transit.py``)


class Permit(IntEnum):
    NONE = 0
    HELD = 1
    REFUSED = 2  # gave up waiting for one; does not queue again


def register_fields(pop) -> None:
    """Add the corridor's per-person fields once, whichever behaviour asks first."""
    for name, (dtype, fill) in FIELDS.items():
        if name not in pop.fields:
            pop.add_field(name, dtype, fill)


def nationality_codes(corridor) -> tuple[str, ...]:
    """All nationalities of all caravans and lone travellers, in a fixed order (the
    ``nationality`` field's index)."""
    groups = [*corridor.caravans, *corridor.individuals, *(corridor.transit.hubs if corridor.transit else [])]
    return tuple(sorted({code for group in groups for code in group.nationality}))


def draw_people(rng: np.random.Generator, n: int, composition, nationality: dict[str, float], codes) -> dict:
    """Per-person fields of ``n`` new people: man/woman/child and nationality (index into ``codes``)."""
    person, nationalities = _people_cdfs((composition.men, composition.women, composition.children),
                                         tuple(nationality.items()), tuple(codes))
    return {
        "person": person.searchsorted(rng.random(n), side="right").astype(np.int8),
        "nationality": nationalities.searchsorted(rng.random(n), side="right").astype(np.int8),
    }


@functools.lru_cache(maxsize=256)
def _people_cdfs(composition: tuple[float, float, float], nationality: tuple[tuple[str, float], ...],
                 codes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    """``choice``'s cumulative shares for ``draw_people``, once per group of people (a run
    draws a hub's or a caravan's arrivals each day from the same shares)."""
    shares = np.array([dict(nationality).get(code, 0.0) for code in codes])
    return _cdf(np.array(composition)), _cdf(shares / shares.sum())


def people_tables(groups, codes) -> tuple[np.ndarray, np.ndarray]:
    """``draw_people``'s shares of several groups of people (each with ``composition`` and
    ``nationality``) as two tables, a row a group: the cumulative shares of man/woman/child and
    of each of ``codes``. Once a run, for ``draw_tabled``."""
    cdfs = [_people_cdfs((g.composition.men, g.composition.women, g.composition.children),
                         tuple(g.nationality.items()), tuple(codes)) for g in groups]
    return (np.array([c[0] for c in cdfs]).reshape(len(cdfs), 3),
            np.array([c[1] for c in cdfs]).reshape(len(cdfs), len(codes)))


@njit(nogil=True)
def draw_tabled(uniforms, counts, person_cdfs, nationality_cdfs):
    """``draw_people``'s fields of ``counts[g]`` people of each group ``g`` (``people_tables``'s
    rows), from ``uniforms``: for each group in turn, its ``2 * counts[g]`` numbers, the first
    half for man/woman/child, the second for nationality (``draw_people``'s two ``rng.random``
    calls, made as one). The group's cumulative shares are searched as ``searchsorted(side=
    "right")``: the shares at or below the number, counted."""
    n = 0
    for g in range(counts.shape[0]):  # (not counts.sum(): loading a kernel with it imports Numba's
        n += counts[g]  # array maths, 0.2 s of each process's CPU)
    person = np.empty(n, dtype=np.int8)
    nationality = np.empty(n, dtype=np.int8)
    k = 0  # people so far
    u = 0  # numbers so far
    for g in range(counts.shape[0]):
        c = counts[g]
        for j in range(c):
            person[k + j] = _searched(person_cdfs[g], uniforms[u + j])
            nationality[k + j] = _searched(nationality_cdfs[g], uniforms[u + c + j])
        k += c
        u += 2 * c
    return person, nationality


@njit(inline="always")
def _searched(cdf, x):
    """``cdf.searchsorted(x, side="right")`` of a short ascending ``cdf``."""
    i = 0
    while i < cdf.shape[0] and cdf[i] <= x:
        i += 1
    return i


def _cdf(p: np.ndarray) -> np.ndarray:
    cdf = p.cumsum()
    cdf /= cdf[-1]
    cdf.flags.writeable = False  # (kept by _people_cdfs)
    return cdf


def choice(rng: np.random.Generator, p: np.ndarray, n: int) -> np.ndarray:
    """``rng.choice(len(p), size=n, p=p)`` for shares ``p`` already checked (non-negative, summing
    to 1): NumPy's own steps, the same numbers, without its checks of ``p`` (most of the cost of a
    spawn of a few people: a run spawns joiners and arrivals several times a day)."""
    return _cdf(p).searchsorted(rng.random(n), side="right")


def active_mask(pop) -> np.ndarray:
    """People on the move: at a place free to go on, or on a link."""
    return (pop.status == RESTING) | (pop.status == TRAVELLING)


# The event a status change is logged as, unless the caller names a more precise one.
STATUS_EVENTS = {
    Status.DETAINED: "detained",
    Status.DEPORTED: "deported",
    Status.DEAD: "died",
    Status.CROSSED: "crossed",
    Status.RETURNED: "returned",
    Status.SETTLED: "settled",
    Status.ARRIVED: "arrived_at_border",
    Status.RESTING: "resumed",
}
WAITING_EVENTS = {
    Waiting.BLOCKADE: "held_at_blockade",
    Waiting.ASYLUM: "asylum_claim",
    Waiting.PERMIT: "permit_requested",
    Waiting.REMAIN_IN_MEXICO: "returned_to_mexico",
    Waiting.TRANSIT: "waiting_in_transit",
}


def set_status(
    sim, idx, status: Status, place=None, waiting: Waiting = Waiting.NONE, *, event: str | None = None, cause: str = ""
) -> None:
    """Put people into a status at a place (off any link), restarting their status clock,
    and log the change as ``event`` at the place where it happened."""
    pop = sim.population
    idx = np.asarray(idx)
    if idx.dtype == bool:
        idx = np.flatnonzero(idx)
    if not len(idx):
        return
    name = event or (WAITING_EVENTS[waiting] if status == Status.WAITING else STATUS_EVENTS[status])
    sim.events.record(sim.day, name, pop.loc[idx], cause)
    idx = idx.astype(np.int64, copy=False)  # one compiled pass: out of the head-counts, the new status, back in them
    _set_status(idx, pop.loc, pop.status, pop.link, pop.dist, pop.days_in_status, pop.waiting_for,
                np.int8(status), np.int8(waiting), -1 if place is None else int(place), sim.place_status_counts())
    sim.moved(idx)
    index = status_index(sim)
    if index is not None:
        index.entered(idx, status, waiting)
    if status in (Status.RESTING, Status.TRAVELLING):  # back on the move: the day's kept rosters hear of it
        caravans = provider(sim.behaviours, CaravanGroups)
        if caravans is not None:
            caravans.rejoined(sim, idx)


def lodge_asylum_claims(sim, idx, cause: str = "") -> None:
    """People ask for asylum where they are: WAITING for a decision (``papers`` decides it at the
    office of their country), their claim dated today."""
    set_status(sim, idx, Status.WAITING, waiting=Waiting.ASYLUM, cause=cause)
    sim.population.claim_day[idx] = sim.day


# The corridor's behaviours keep the simulation's head-counts by place and status as they change
# people (``Behaviour.keeps_counts``) and list whom they changed (``reports_moves``), so the day
# needs no pass over everyone to count them, nor to find arrivals and departures.


def uncount(sim, idx: np.ndarray) -> None:
    """Before people ``idx`` change place or status: taken out of the head-counts."""
    if len(idx):
        _recount(sim.place_status_counts(), sim.population.loc, sim.population.status, idx, -1)


def count(sim, idx: np.ndarray) -> None:
    """After people ``idx`` changed place or status: counted where they are now, and listed as
    moved (``Simulation.moved``)."""
    if len(idx):
        _recount(sim.place_status_counts(), sim.population.loc, sim.population.status, idx, 1)
        sim.moved(idx)


def spawn(sim, places: np.ndarray, **values) -> slice:
    """``Population.spawn``, the new people counted where they are (not listed as moved: the
    day's flows take the people spawned since as new)."""
    tally = sim.place_status_counts()  # (first: a count due now must not see them)
    new = sim.population.spawn(places, **values)
    _recount(tally, sim.population.loc, sim.population.status, np.arange(new.start, new.stop, dtype=np.int64), 1)
    return new


@njit(nogil=True)
def _set_status(idx, loc, status, link, dist, days_in_status, waiting_for, now, waiting, place, tally):
    """``set_status``'s writes, person by person (NumPy wrote each field in a pass of its own):
    out of the head-counts ``tally[place, status]`` where they were, into the new status (at
    ``place`` if >= 0), counted where they are now. The same counts whatever the order."""
    for j in range(idx.shape[0]):
        i = idx[j]
        tally[loc[i], status[i]] -= 1
    for j in range(idx.shape[0]):
        i = idx[j]
        status[i] = now
        link[i] = -1
        dist[i] = 0.0
        days_in_status[i] = 0
        waiting_for[i] = waiting
        if place >= 0:
            loc[i] = place
    for j in range(idx.shape[0]):
        i = idx[j]
        tally[loc[i], status[i]] += 1


@njit(nogil=True)
def _recount(tally, loc, status, idx, sign):
    for j in range(idx.shape[0]):
        i = idx[j]
        tally[loc[i], status[i]] += sign


def first_come(idx: np.ndarray, waited: np.ndarray, capacity: int, rng: np.random.Generator) -> np.ndarray:
    """The ``capacity`` people of ``idx`` who have waited longest (ties in random order),
    longest first: the head of the whole queue sorted by (-waited, a random number), found
    without sorting the queue (a queue of millions may admit 80 a day)."""
    if capacity <= 0 or len(idx) == 0:
        return idx[:0]
    tiebreak = rng.random(len(idx))
    if capacity >= len(idx):
        chosen = np.arange(len(idx))
    else:
        # the capacity-th longest wait, those who waited longer and those who waited as long:
        # counted in compiled passes (days: few distinct values, many people each)
        counted, kth, sure, tied = _longest(waited, capacity)
        if not counted:  # waits spread over more values than people: partitioned
            wait = waited.astype(np.int64)
            kth = int(np.partition(wait, len(wait) - capacity)[len(wait) - capacity])
            sure, tied = np.flatnonzero(wait > kth), np.flatnonzero(wait == kth)
        need = capacity - len(sure)
        if need < len(tied):  # the tied with the smallest numbers; equal numbers by position, as lexsort
            r = tiebreak[tied]
            cut = np.partition(r, need - 1)[need - 1]
            below, at = tied[r < cut], tied[r == cut]
            tied = np.concatenate((below, at[: need - len(below)]))
        chosen = np.concatenate((sure, tied))
    order = chosen[np.lexsort((chosen, tiebreak[chosen], -waited[chosen].astype(np.int64)))]
    return idx[order]


@njit(nogil=True)
def _longest(waited, k):
    """(counted, the k-th largest of ``waited``, positions with a larger value, positions with
    that value), positions ascending; counted False (and nothing else meant) if the values are
    negative or spread over more than ten times as many values as there are (then partition)."""
    none = np.empty(0, dtype=np.int64)
    n = waited.shape[0]
    lo = hi = np.int64(waited[0])
    for i in range(n):
        lo = min(lo, np.int64(waited[i]))
        hi = max(hi, np.int64(waited[i]))
    if lo < 0 or hi - lo > 10 * n:
        return False, np.int64(0), none, none
    counts = np.zeros(hi - lo + 1, dtype=np.int64)
    for i in range(n):
        counts[np.int64(waited[i]) - lo] += 1
    longer = 0  # people who waited longer than the value looked at
    d = hi - lo
    while longer + counts[d] < k:
        longer += counts[d]
        d -= 1
    kth = lo + d
    sure = np.empty(longer, dtype=np.int64)
    tied = np.empty(counts[d], dtype=np.int64)
    a = b = 0
    for i in range(n):
        v = np.int64(waited[i])
        if v > kth:
            sure[a] = i
            a += 1
        elif v == kth:
            tied[b] = i
            b += 1
    return True, kth, sure, tied


def distinct_places(places: np.ndarray) -> np.ndarray:
    """``np.unique`` of place indices, ascending, by counting (a hash of millions costs more)."""
    return np.flatnonzero(np.bincount(places)) if len(places) else np.empty(0, dtype=np.int64)


def detention_odds(lone: np.ndarray | float, group_size: int, safety_size: float):
    """Chance each person in a crossing group of ``group_size`` is caught: ``lone`` for
    someone alone, halved at ``safety_size``: police can stop only so many at once."""
    return lone * safety_size / (safety_size + max(group_size - 1, 0))


def places_with_office(network_offices: list[str], office: str) -> np.ndarray:
    return np.array([i for i, offices in enumerate(network_offices) if office in offices.split(";")], dtype=np.int32)


def asylum_offices(sim) -> np.ndarray:
    """The places where asylum claims are decided (``papers.asylum.offices``, or those with a
    'comar' office), as place indices."""
    asylum = sim.scenario.corridor.papers.asylum
    if asylum.offices is None:
        return places_with_office([loc.offices for loc in sim.scenario.locations], "comar")
    return np.array([sim.network.index(p) for p in asylum.offices], dtype=np.int32)


def deciding_office(net, offices: np.ndarray) -> np.ndarray:
    """Per place, the office that decides a claim lodged there: an office decides its own; a place
    in an office's country, the nearest office of that country (as the crow flies; the person
    stays where they are); any other place, itself (as before offices were looked up). Once per
    network and offices (a copy: each run keeps its own)."""
    offices = np.asarray(offices)
    return net.memo(("deciding office", offices.dtype.str, offices.tobytes()),
                    lambda: _deciding_office(net, offices)).copy()


def _deciding_office(net, offices: np.ndarray) -> np.ndarray:
    out = np.arange(net.n_places, dtype=np.int32)
    for country in np.unique(net.country_id[offices]) if len(offices) else ():
        mine = offices[net.country_id[offices] == country]
        for place in np.flatnonzero(net.country_id == country):
            km = haversine_km(net.lat[place], net.lon[place], net.lat[mine], net.lon[mine])
            out[place] = mine[int(np.argmin(km))]
    return out


def haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * np.arcsin(np.sqrt(a))


class StatusClock(Behaviour):
    """Counts days in the current status for everyone (the corridor's waits read it).

    Runs first each day; every status change made by a corridor behaviour resets it.
    """

    name = "status_clock"
    keeps_counts = True  # days in status only
    moves_people = False

    def init(self, sim) -> None:
        register_fields(sim.population)
        self.index = StatusIndex()  # who waits, arrived or is detained, kept as set_status changes them

    def step(self, sim) -> None:
        if sim.people_handed_out:  # read between days: changed who knows how, so looked at afresh
            self.index.forget()
        _tick(sim.population.days_in_status)


def status_index(sim) -> StatusIndex | None:
    """The run's ``StatusIndex`` (kept by its status clock), or None without one."""
    for behaviour in sim.behaviours:
        if isinstance(behaviour, StatusClock):
            return behaviour.index
    return None


@njit(nogil=True)
def _tick(days):
    """One more day in status for everyone, saturating at DAYS_MAX (no temporary mask)."""
    for i in range(days.shape[0]):
        if days[i] < DAYS_MAX:
            days[i] += 1
